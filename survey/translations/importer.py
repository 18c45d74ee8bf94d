"""Import: check translated files against the questionnaire, then write all of them or nothing.

Every text is merged on its own: a translation is taken when the source text it was made from
and the translation it replaces are still what the questionnaire holds. When someone changed
either since the export, the text is a conflict and is reported, never overwritten.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from survey.control_characters import count_controls, strip_controls
from survey.questionnaire.translations import fingerprint
from survey.translations.errors import TranslationError
from survey.translations.exchange import NO_TEXT, Entry, ExchangeFile, format_of
from survey.translations.po_file import read_po
from survey.translations.texts import SourceQuestionnaire, SourceText, load_source
from survey.translations.xliff_file import read_xliff
from survey.translations.xlsx_file import read_xlsx
from survey.translations.yaml_roundtrip import TextChange, write_back

READERS = {"xlsx": read_xlsx, "po": read_po, "xliff": read_xliff}
PLACEHOLDER = re.compile(r"\$?\{[A-Za-z_][A-Za-z0-9_]*\}")
"""${name} in questionnaire texts, {name} in interface texts: both must survive translation."""


@dataclass(frozen=True)
class Change:
    id: str
    language: str
    old: str
    new: str
    where: str


@dataclass
class ImportPlan:
    """What importing translated files changes, refuses or reports; the files are written only
    when it is consistent, all of them or none."""

    source: SourceQuestionnaire
    changes: list[Change] = field(default_factory=list)
    confirmed: list[Change] = field(default_factory=list)
    """Translations sent back unchanged for a stale or untracked text: now recorded as current."""
    unchanged: int = 0
    empty: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Notes translators wrote for the staff."""
    info: list[str] = field(default_factory=list)
    still_missing: dict[str, int] = field(default_factory=dict)
    written: bool = False

    @property
    def consistent(self) -> bool:
        return not self.refused and not self.conflicts


def read_exchange(path: Path) -> ExchangeFile:
    kind = format_of(path)
    if kind is None:
        raise TranslationError(f"{path.name}: unknown kind of file; import takes .xlsx, .po, "
                               ".xlf or .xliff files made by survey translations export")
    if not path.is_file():
        raise TranslationError(f"{path}: file not found")
    exchange = READERS[kind](path)
    for entry in exchange.entries:  # translators' tools and files pass on what they are given
        for name in ("id", "context", "new", "notes"):
            value = getattr(entry, name)
            exchange.removed_controls += count_controls(value)
            setattr(entry, name, strip_controls(value))
    return exchange


def plan_import(questionnaire: Path, files: list[Path]) -> ImportPlan:
    """What importing `files` would change, and every reason not to; writes nothing."""
    plan = ImportPlan(load_source(questionnaire))
    seen: dict[tuple[str, str], str] = {}
    for path in files:
        try:
            exchange = read_exchange(path)
            _check_header(plan.source, exchange)
        except TranslationError as error:
            plan.refused.append(str(error))
            continue
        plan.refused += exchange.problems
        if exchange.removed_controls:
            plan.info.append(f"{path.name}: {exchange.removed_controls} control or "
                             "bidi-override character(s) removed from its texts (they can "
                             "hide text or show it in another order than it is stored)")
        if exchange.header.file_fingerprint != plan.source.file_fingerprint:
            plan.info.append(f"{path.name}: {plan.source.path.name} was changed since this "
                             f"file was exported ({exchange.header.exported_at}); merging text "
                             "by text")
        _check_entries(plan, exchange, seen)
    for language in {language for _, language in seen}:
        changed = {c.id for c in plan.changes if c.language == language}
        plan.still_missing[language] = sum(1 for t in plan.source.texts
                                           if not t.text(language) and t.id not in changed)
    return plan


def _check_header(source: SourceQuestionnaire, exchange: ExchangeFile) -> None:
    header, name = exchange.header, exchange.path.name if exchange.path else "file"
    if header.questionnaire != source.id:
        raise TranslationError(f"{name}: this file is for questionnaire '{header.questionnaire}'"
                               f", not '{source.id}' ({source.path.name}); import it into its "
                               "own questionnaire")
    if header.version != source.version:
        raise TranslationError(f"{name}: this file was exported from version {header.version} "
                               f"of '{source.id}', the questionnaire is now version "
                               f"{source.version}; export the texts again for the new version")
    if header.source_language != source.default_language:
        raise TranslationError(f"{name}: its source language is '{header.source_language}', "
                               f"the questionnaire's is '{source.default_language}'; export "
                               "again")
    source.check_language(header.language, name)


def _check_entries(plan: ImportPlan, exchange: ExchangeFile,
                   seen: dict[tuple[str, str], str]) -> None:
    source, language = plan.source, exchange.header.language
    texts = source.by_id()
    empty: list[str] = []
    counts: Counter[str] = Counter()
    for entry in exchange.entries:
        text = texts.get(entry.id)
        if text is None:
            plan.refused.append(f"{entry.where}: '{entry.id}' is not a text of "
                                f"{source.path.name} (any more): the text was deleted or "
                                "renamed; leave it out, or export again")
            continue
        if text.group is not None:
            counts[text.group] += 1
        first = seen.get((entry.id, language))
        if first is not None:
            plan.refused.append(f"{entry.where}: '{entry.id}' is given a second time (first at "
                                f"{first}); keep one")
            continue
        seen[(entry.id, language)] = entry.where
        if entry.notes:
            plan.notes.append(f"{entry.where} ({entry.id}): {entry.notes}")
        if not entry.source_fingerprint:
            plan.refused.append(f"{entry.where}: '{entry.id}' was not exported in this file (no "
                                "fingerprint); rows and entries must not be added or copied "
                                "between files")
            continue
        if not entry.new.strip():
            empty.append(entry.id)
            continue
        _check_entry(plan, entry, text, language)
    if empty:
        listed = ", ".join(empty[:10]) + (f" and {len(empty) - 10} more" if len(empty) > 10
                                          else "")
        plan.empty.append(f"{exchange.path.name if exchange.path else ''}: {len(empty)} "
                          f"left empty (no change): {listed}")
    for group, exported in exchange.header.group_sizes.items():
        if counts[group] != exported:
            plan.refused.append(
                f"{exchange.path.name if exchange.path else ''}: choice list "
                f"'{group}' was exported with {exported} entries, the file has "
                f"{counts[group]}; a choice list keeps its entries: translate each "
                "entry in its own row, and do not add, delete or merge entries")


def _check_entry(plan: ImportPlan, entry: Entry, text: SourceText, language: str) -> None:
    source = plan.source
    original = text.text(source.default_language)
    current = text.text(language)
    new = entry.new.replace("\r\n", "\n").strip()
    wanted, given = sorted(PLACEHOLDER.findall(original)), sorted(PLACEHOLDER.findall(new))
    if wanted != given:
        plan.refused.append(f"{entry.where} ({entry.id}): the placeholders differ: the source "
                            f"has {', '.join(wanted) or 'none'}, the translation "
                            f"{', '.join(given) or 'none'}; keep each ${{...}} and {{...}} "
                            "exactly as in the source")
        return
    if entry.source_fingerprint != fingerprint(original):
        plan.conflicts.append(f"{entry.where} ({entry.id}): the {source.default_language} "
                              "text was changed since the export, so this translation is of "
                              f"the old text; now: \"{_short(original)}\"; export again and "
                              "translate the new text (or clear this cell)")
        return
    now = fingerprint(current) if current else NO_TEXT
    if new != current and entry.current_fingerprint != now:
        plan.conflicts.append(f"{entry.where} ({entry.id}): the {language} text was changed "
                              f"in the questionnaire since the export (now: "
                              f"\"{_short(current)}\"); keep one: clear this cell to keep the "
                              "questionnaire's text, or ask who changed it")
        return
    change = Change(entry.id, language, current, new, entry.where)
    stale = source.state(text, language) == "stale"
    if new != current:
        plan.changes.append(change)
    elif (stale and (entry.typed or not entry.stale)) or \
            (entry.typed and source.untracked(text, language)):
        plan.confirmed.append(change)
    else:
        plan.unchanged += 1


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def apply_import(plan: ImportPlan) -> None:
    """Write the plan into the questionnaire: only a consistent plan, and all of it."""
    if not plan.consistent:
        raise TranslationError("the import is not consistent; nothing was written")
    source = plan.source
    texts = source.by_id()
    records: dict[str, dict[str, str]] = {}
    for change in (*plan.changes, *plan.confirmed):
        records.setdefault(change.id, {})[change.language] = fingerprint(
            texts[change.id].text(source.default_language))
    if not records:
        return
    write_back(source.path, source.file_fingerprint,
               [TextChange(texts[c.id].path, c.language, c.new) for c in plan.changes],
               records, source.languages)
    plan.written = True
