"""Export: the texts one translator needs for one language, in the format they work with."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from survey.questionnaire.translations import fingerprint
from survey.translations.exchange import (
    FILE_SUFFIX,
    NO_TEXT,
    Entry,
    ExchangeFile,
    Header,
)
from survey.translations.po_file import write_po
from survey.translations.texts import SourceQuestionnaire, SourceText
from survey.translations.xliff_file import write_xliff
from survey.translations.xlsx_file import write_xlsx

WRITERS = {"xlsx": write_xlsx, "po": write_po, "xliff": write_xliff}


def exchange_file(source: SourceQuestionnaire, language: str, only_missing: bool = False,
                  only_stale: bool = False) -> ExchangeFile:
    """The entries for `language`: every text, or only the missing and/or stale ones."""
    source.check_language(language, str(source.path))
    wanted = {state for state, flag in (("missing", only_missing), ("stale", only_stale))
              if flag} or {"missing", "stale", "complete"}
    selected = [text for text in source.texts if source.state(text, language) in wanted]
    entries = [_entry(source, text, language) for text in selected]
    sizes = dict(Counter(text.group for text in selected if text.group is not None))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    header = Header(source.id, source.version, source.default_language, language, now,
                    source.file_fingerprint, sizes)
    return ExchangeFile(header, entries)


def _entry(source: SourceQuestionnaire, text: SourceText, language: str) -> Entry:
    original, current = text.text(source.default_language), text.text(language)
    return Entry(text.id, text.context, original, current,
                 source_fingerprint=fingerprint(original),
                 current_fingerprint=fingerprint(current) if current else NO_TEXT,
                 stale=source.state(text, language) == "stale")


def default_name(source: SourceQuestionnaire, language: str, file_format: str) -> str:
    return f"{source.path.stem}.{language}{FILE_SUFFIX[file_format]}"


def export(source: SourceQuestionnaire, language: str, file_format: str, out: Path,
           only_missing: bool = False, only_stale: bool = False) -> ExchangeFile:
    """Write the translation file for `language` to `out`; returns what was written."""
    exchange = exchange_file(source, language, only_missing, only_stale)
    WRITERS[file_format](exchange, out)
    exchange.path = out
    return exchange
