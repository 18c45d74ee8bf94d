"""Write translations back into a questionnaire file without disturbing anything else in it.

ruamel.yaml's round-trip mode keeps comments, key order, quoting and block styles; a replaced
text keeps the style of the text it replaces. The new file is written beside the old one,
validated, and only then renamed over it, so a failed import never leaves a broken file.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from survey.questionnaire import validate_file
from survey.questionnaire.translations import FINGERPRINTS_KEY, INTERFACE_KEY
from survey.questionnaire.yaml_source import Path_
from survey.translations.errors import TranslationError
from survey.translations.texts import file_fingerprint

FOLD_WIDTH = 92
"""Folded (>) texts are re-wrapped to lines of about this many characters, indent included."""
INTERFACE_COMMENT = ("\nThis questionnaire's own wording of the forms' interface texts (see "
                     "docs/questionnaire-format.md).")
RECORDS_COMMENT = ("\nWritten by `survey translations import`: for each text and language, the "
                   "fingerprint of the\nsource text the translation was made from (see "
                   "docs/questionnaire-format.md).")


@dataclass(frozen=True)
class TextChange:
    path: Path_
    language: str
    text: str


def _yaml() -> YAML:
    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.width = 4096
    handler.indent(mapping=2, sequence=4, offset=2)
    return handler


def _texts(document: Any, path: Path_) -> Any:
    """The language mapping at `path`; an interface text's mapping is made when missing."""
    if path[0] == INTERFACE_KEY:
        block = document.get(INTERFACE_KEY)
        if not isinstance(block, CommentedMap):
            block = CommentedMap()
            keys = list(document)
            position = keys.index(FINGERPRINTS_KEY) if FINGERPRINTS_KEY in keys else len(keys)
            document.insert(position, INTERFACE_KEY, block)
            document.yaml_set_comment_before_after_key(INTERFACE_KEY, before=INTERFACE_COMMENT)
        if not isinstance(block.get(path[1]), CommentedMap):
            block[path[1]] = CommentedMap()
    for key in path:
        document = document[key]
    return document


def _folded(text: str, indent: int) -> FoldedScalarString:
    folded = FoldedScalarString(text)
    positions, start = [], 0
    for index, char in enumerate(text):
        if char == " " and index - start > FOLD_WIDTH - indent:
            last = text.rfind(" ", start, index)
            cut = last if last > start else index
            positions.append(cut)
            start = cut + 1
    folded.fold_pos = positions  # a slot ruamel does not declare a type for
    assert isinstance(folded, FoldedScalarString)  # ruamel types its __new__ as giving Any
    return folded


def _styled(text: str, old: Any, indent: int) -> Any:
    """`text` in the style of the text it replaces; quoted when a YAML 1.1 reader would not
    read it back as this very text (yes, no, on, 1.0 ...)."""
    if "\n" in text:
        return LiteralScalarString(text)
    if isinstance(old, FoldedScalarString | LiteralScalarString):
        return _folded(text, indent)
    if isinstance(old, SingleQuotedScalarString) and "'" not in text:
        return SingleQuotedScalarString(text)
    try:
        plain = yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    if isinstance(old, DoubleQuotedScalarString) or not plain or text != text.strip():
        return DoubleQuotedScalarString(text)
    return text


def _set_text(document: Any, change: TextChange, languages: tuple[str, ...]) -> None:
    texts = _texts(document, change.path)
    indent = 2 * len(change.path) + 2
    if change.language in texts:
        texts[change.language] = _styled(change.text, texts[change.language], indent)
        return
    order = {language: index for index, language in enumerate(languages)}
    wanted = order.get(change.language, len(order))
    position = sum(1 for key in texts if order.get(key, len(order)) < wanted)
    first = next(iter(texts.values()), None)
    texts.insert(position, change.language, _styled(change.text, first, indent))


def _set_records(document: Any, records: dict[str, dict[str, str]],
                 languages: tuple[str, ...]) -> None:
    if not records:
        return
    block = document.get(FINGERPRINTS_KEY)
    if not isinstance(block, CommentedMap):
        block = CommentedMap()
        document[FINGERPRINTS_KEY] = block
        document.yaml_set_comment_before_after_key(FINGERPRINTS_KEY, before=RECORDS_COMMENT)
    for identifier, marks in records.items():
        entry = block.get(identifier)
        merged = {**(dict(entry) if isinstance(entry, dict) else {}), **marks}
        ordered = CommentedMap(sorted(merged.items(), key=lambda item: (
            languages.index(item[0]) if item[0] in languages else len(languages), item[0])))
        ordered.fa.set_flow_style()
        block[identifier] = ordered


def write_back(path: Path, expected_fingerprint: str, changes: Iterable[TextChange],
               records: dict[str, dict[str, str]], languages: tuple[str, ...]) -> None:
    """Apply `changes` and `records` to the file at `path`, or change nothing and raise.

    `expected_fingerprint` is the fingerprint of the file the changes were planned on: if
    someone saved the file in the meantime, nothing is written.
    """
    raw = path.read_bytes()
    if file_fingerprint(raw) != expected_fingerprint:
        raise TranslationError(f"{path}: the file was changed while the import ran; nothing "
                               "was written: run the import again")
    handler = _yaml()
    document = handler.load(raw.decode("utf-8-sig"))
    for change in changes:
        _set_text(document, change, languages)
    _set_records(document, records, languages)
    out = io.StringIO()
    handler.dump(document, out)
    _replace_checked(path, out.getvalue())


def _replace_checked(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix,
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        errors = validate_file(temporary, allow_incomplete=True).errors
        if errors:
            listing = "\n".join(f"  {path}:{d.mark.line}:{d.mark.column}: {d.message}"
                                for d in errors[:20])
            raise TranslationError(f"{path}: the imported translations would make the "
                                   f"questionnaire invalid; nothing was written:\n{listing}")
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
