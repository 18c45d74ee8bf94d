"""The translatable texts of one questionnaire file, named by stable ids, with their context.

The texts come from the validator's own walk over the file (`ValidationResult.texts`), so the
exported texts are exactly those the coverage check counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from survey.interface_texts import interface_keys, interface_text, untranslated_interface_texts
from survey.questionnaire import validate_file
from survey.questionnaire.translations import (
    FINGERPRINTS_KEY,
    INTERFACE_KEY,
    INTERFACE_PREFIX,
    is_translated,
    stale_languages,
    text_id,
)
from survey.questionnaire.yaml_source import Path_, load_yaml
from survey.translations.errors import TranslationError

_CHOICE_KEYS = ("choices", "scale")
INTERFACE_CONTEXT = "form interface (paper and online form): the same in every questionnaire " \
    "unless this one words it differently"


@dataclass(frozen=True)
class SourceText:
    """One text to translate: its id, where it is, and its texts by language."""

    id: str
    path: Path_
    context: str
    texts: dict[str, str]
    group: str | None = None
    """The choice list this text is an entry of: its entries are handed out and taken back
    together, so a translator sees the whole list and cannot drop or add an entry."""

    def text(self, language: str) -> str:
        value = self.texts.get(language)
        return str(value) if is_translated(value) else ""


@dataclass
class SourceQuestionnaire:
    """A questionnaire file as the translation workflow sees it."""

    path: Path
    id: str
    version: str
    languages: tuple[str, ...]
    default_language: str
    file_fingerprint: str
    texts: list[SourceText]
    records: dict[str, dict[str, str]] = field(default_factory=dict)
    """The `translated_from` block: text id -> language -> source fingerprint."""

    def by_id(self) -> dict[str, SourceText]:
        return {text.id: text for text in self.texts}

    def state(self, text: SourceText, language: str) -> str:
        """'missing', 'stale' or 'complete' for the text in `language`."""
        if not text.text(language):
            return "missing"
        if language in stale_languages(text.texts, self.records.get(text.id),
                                       self.default_language):
            return "stale"
        return "complete"

    def untracked(self, text: SourceText, language: str) -> bool:
        """A translation with no record of its source (made by hand, or before tracking)."""
        return bool(text.text(language)) and language not in self.records.get(text.id, {})

    def check_language(self, language: str, where: str) -> None:
        if language not in self.languages:
            raise TranslationError(f"{where}: language '{language}' is not declared in "
                                   f"{self.path.name} (it has {', '.join(self.languages)}); "
                                   "add it to survey.languages first")
        if language == self.default_language:
            raise TranslationError(f"{where}: '{language}' is the source language of "
                                   f"{self.path.name}; translations go into the other languages")


def file_fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def load_source(path: Path) -> SourceQuestionnaire:
    """The questionnaire's texts; refuses a file the validator finds errors in."""
    result = validate_file(path, allow_incomplete=True)
    if result.errors:
        listing = "\n".join(f"  {d}" for d in result.errors[:20])
        raise TranslationError(f"{path}: fix these errors first (survey validate {path}):\n"
                               f"{listing}")
    questionnaire = result.questionnaire
    assert questionnaire is not None
    data = load_yaml(path).data
    texts = [_source_text(data, p, value, what) for p, value, what in result.texts
             if isinstance(value, dict)]
    own = data.get(INTERFACE_KEY) or {}
    texts += _interface_texts(own, questionnaire.languages)
    records = data.get(FINGERPRINTS_KEY) or {}
    return SourceQuestionnaire(
        path=path, id=questionnaire.id, version=questionnaire.survey.version,
        languages=questionnaire.languages, default_language=questionnaire.default_language,
        file_fingerprint=file_fingerprint(path.read_bytes()), texts=texts,
        records={k: dict(v) for k, v in records.items()})


def _interface_texts(own: dict[str, dict[str, Any]],
                     languages: tuple[str, ...]) -> list[SourceText]:
    """The forms' interface texts: the questionnaire's own wording, else the catalogue's."""
    missing = {language: set(untranslated_interface_texts(language)) for language in languages}
    texts = []
    for key in interface_keys():
        wording = own.get(key) or {}
        by_language = {language: str(wording.get(language) or
                                     ("" if key in missing[language]
                                      else interface_text(key, language)))
                       for language in languages}
        texts.append(SourceText(f"{INTERFACE_PREFIX}{key}", (INTERFACE_KEY, key),
                                INTERFACE_CONTEXT,
                                {lang: text for lang, text in by_language.items() if text}))
    return texts


def _source_text(data: dict[str, Any], path: Path_, value: dict[str, Any],
                 what: str) -> SourceText:
    identifier = text_id(data, path)
    return SourceText(identifier, path, _context(data, path, what),
                      {language: str(text) for language, text in value.items()},
                      _group(identifier, path))


def _group(identifier: str, path: Path_) -> str | None:
    """'list.yes_no' or 'question.gender.choice' for a choice label, else None."""
    if path[0] == "choice_lists" or (len(path) >= 3 and path[-3] in _CHOICE_KEYS):
        return identifier.rsplit(".", 2)[0]
    return None


def _context(data: dict[str, Any], path: Path_, what: str) -> str:
    """Where a text appears, in words a translator can use: section, question and its type."""
    parts: list[str] = []
    if path[0] == "sections" and len(path) > 2:
        section = data["sections"][path[1]]
        parts.append(f"section '{section.get('id')}'")
        what = what.removesuffix(f" of section '{section.get('id')}'")
        if len(path) > 4 and path[2] == "questions":
            question = section["questions"][path[3]]
            parts.append(f"question '{question.get('id')}' ({question.get('type')})")
            what = what.removesuffix(f" of question '{question.get('id')}'")
    elif path[0] == "choice_lists":
        users = _list_users(data, str(path[1]))
        parts.append(f"choice list '{path[1]}'" + (f", used by {', '.join(users)}"
                                                    if users else ""))
    elif path[0] == "missing_values":
        parts.append("missing-value answer offered by questions")
    parts.append(what)
    return " · ".join(parts)


def _list_users(data: dict[str, Any], name: str) -> list[str]:
    return [str(q.get("id")) for s in data.get("sections") or [] for q in s.get("questions") or []
            if name in (q.get("choices"), q.get("scale"))]
