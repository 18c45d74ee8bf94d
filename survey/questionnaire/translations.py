"""Translation coverage and freshness: which texts exist in each declared language, and which
translations were made from an earlier version of the source text.

Texts are named by stable ids built from the ids and names in their path (`question.gender.label`,
`list.yes_no.yes.label`), so an id survives reordering sections, questions and choices.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from survey.questionnaire.diagnostics import Severity, did_you_mean
from survey.questionnaire.languages import base_language, is_variant
from survey.questionnaire.reporter import Reporter
from survey.questionnaire.structure import FINGERPRINT_PATTERN
from survey.questionnaire.yaml_source import Path_

MISSING_TRANSLATIONS_LISTED = 12
"""Missing texts listed one by one per language; the rest are counted in one line."""
INTERFACE_KEY = "interface"
"""Top-level key: the questionnaire's own wording of form interface texts."""
INTERFACE_PREFIX = "interface."
"""Text ids of interface texts: 'interface.' + the catalogue key."""
FINGERPRINTS_KEY = "translated_from"
"""Top-level key: text id -> language -> fingerprint of the source text it was translated from."""

_ID_PREFIXES = {"sections": "section", "questions": "question", "choices": "choice",
                "scale": "scale", "items": "item", "missing_values": "missing"}


def text_id(data: Any, path: Path_) -> str:
    """The stable id of the text at `path`: list positions replaced by the element's id/name."""
    parts: list[str] = []
    node = data
    for step, key in enumerate(path):
        if isinstance(key, int):
            element = node[key] if isinstance(node, list) and key < len(node) else None
            name = next((element[k] for k in ("id", "name") if isinstance(element, dict)
                         and isinstance(element.get(k), str)), str(key))
            parts.append(name)
        elif key == "questions":
            parts.clear()  # question ids are unique in the whole questionnaire
            parts.append("question")
        elif key == "choice_lists" and step == 0:
            parts.append("list")
        else:
            parts.append(_ID_PREFIXES.get(key, key))
        # source paths step into lists by position and into mappings by key
        if isinstance(node, list) and isinstance(key, int):
            node = node[key]
        else:
            node = node[key] if isinstance(node, dict) else None
    return ".".join(parts)


def fingerprint(text: Any) -> str:
    """A short hash of a source text; re-wrapping lines or spaces does not change it."""
    normal = " ".join(str(text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:8]


def is_translated(value: Any) -> bool:
    return isinstance(value, str | int | float) and bool(str(value).strip())


@dataclass
class Coverage:
    """How many of the questionnaire's texts exist in each declared language."""

    languages: tuple[str, ...]
    total: int
    translated: dict[str, int]

    def percent(self, language: str) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.translated[language] / self.total


def check_translations(texts: list[tuple[Path_, Any, str]], languages: list[str],
                       allow_incomplete: bool, report: Reporter) -> Coverage:
    """Report texts in undeclared languages and missing translations; count the coverage."""
    translated = dict.fromkeys(languages, 0)
    gaps: dict[str, list[tuple[Path_, str]]] = {lang: [] for lang in languages}
    total = 0
    for path, value, what in texts:
        total += 1
        if not isinstance(value, dict):
            for language in languages:
                translated[language] += 1
            continue
        for language in value:
            if language not in languages:
                report((*path, language), f"{what} has a text in '{language}', which "
                            "is not a declared language"
                            f"{did_you_mean(language, languages)}", True)
        for language in languages:
            if is_translated(value.get(language)):
                translated[language] += 1
            else:
                gaps[language].append((path, what))
    coverage = Coverage(tuple(languages), total, translated)
    severity = Severity.WARNING if allow_incomplete else Severity.ERROR
    for language, missing in gaps.items():
        if is_variant(language):
            continue  # counted as a whole by check_variant_coverage
        for path, what in missing[:MISSING_TRANSLATIONS_LISTED]:
            report(path, f"{what} has no '{language}' translation", severity=severity)
        if len(missing) > MISSING_TRANSLATIONS_LISTED:
            rest = len(missing) - MISSING_TRANSLATIONS_LISTED
            path = missing[MISSING_TRANSLATIONS_LISTED][0]
            report(path, f"... and {rest} more texts have no '{language}' "
                        "translation (see the coverage table)", severity=severity)
    return coverage


def check_variant_coverage(coverage: Coverage, declared: list[Any], report: Reporter) -> None:
    """One warning per partly written variant, at its tag: easy language is often written for
    the most important texts first, and every gap shows the base language's text."""
    for index, tag in enumerate(declared):
        if tag not in coverage.languages or not is_variant(tag):
            continue
        written = coverage.translated[tag]
        if written < coverage.total:
            report(("survey", "languages", index), f"'{tag}' has its own text for {written} of "
                   f"{coverage.total} texts ({coverage.percent(tag):.0f} %); the other "
                   f"{coverage.total - written} show the '{base_language(tag)}' text (survey "
                   "translations export lists them)", severity=Severity.WARNING)


def stale_languages(value: Any, recorded: Any, default: str) -> list[str]:
    """Languages of a text whose recorded source fingerprint no longer matches the source text."""
    if not (isinstance(value, dict) and isinstance(recorded, dict)
            and is_translated(value.get(default))):
        return []
    current = fingerprint(value[default])
    return [language for language, mark in recorded.items()
            if language != default and is_translated(value.get(language))
            and isinstance(mark, str) and FINGERPRINT_PATTERN.match(mark) and mark != current]


def check_stale(data: dict[str, Any], texts: list[tuple[Path_, Any, str]], default: str,
                strict: bool, report: Reporter) -> None:
    """Report translations made from an earlier source text, and records of texts that are gone."""
    records = data.get(FINGERPRINTS_KEY)
    if not isinstance(records, dict):
        return
    severity = Severity.ERROR if strict else Severity.WARNING
    known: set[str] = set()
    for path, value, what in texts:
        identifier = text_id(data, path)
        known.add(identifier)
        for language in stale_languages(value, records.get(identifier), default):
            report((*path, language), f"the '{language}' text of {what} is stale: it was "
                   f"translated from an earlier '{default}' text; update it (survey "
                   f"translations export --only-stale) or confirm it", severity=severity)
    for identifier in records:
        if identifier not in known and not identifier.startswith(INTERFACE_PREFIX):
            report((FINGERPRINTS_KEY, identifier), f"'{identifier}' in {FINGERPRINTS_KEY} is "
                   "not a text of this questionnaire (any more); remove the line",
                   True, Severity.WARNING)


def check_interface_languages(data: dict[str, Any], languages: list[str],
                              report: Reporter) -> None:
    """An interface text in an undeclared language is a typo (as in any other text)."""
    block = data.get(INTERFACE_KEY)
    if not isinstance(block, dict):
        return
    for name, texts in block.items():
        for language in texts if isinstance(texts, dict) else ():
            if language not in languages:
                report((INTERFACE_KEY, name, language), f"interface text '{name}' has a text "
                       f"in '{language}', which is not a declared language"
                       f"{did_you_mean(language, languages)}", True)
