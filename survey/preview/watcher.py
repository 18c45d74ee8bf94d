"""The watched questionnaire file: its fingerprint, its messages, and the last good version.

`Watcher.check()` reads the file, and when its bytes changed, validates it (a YAML file with
survey.questionnaire.validate_file; an XLSForm converted first with survey.convert into the
scratch folder, never beside the author's file). A version without errors becomes the new
last good one; a version with errors, a file that is not a questionnaire, or a file that has
gone (an editor saving by rename) keeps the last good one and says what is wrong.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import shutil
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

from survey.convert.files import XLSFORM_SUFFIXES, convert_file
from survey.convert.report import ConversionReport, ConvertError
from survey.questionnaire.diagnostics import Diagnostic, Severity
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validate import validate_file

YAML_SUFFIXES = (".yaml", ".yml")
PREVIEW_SUFFIXES = YAML_SUFFIXES + XLSFORM_SUFFIXES
CONVERT_LANGUAGE = "en"
"""The language of an XLSForm's unlabelled columns, as `survey convert` assumes by default."""
SNIPPET_CHARACTERS = 160

log = logging.getLogger(__name__)


class Status(StrEnum):
    """What the last check of the watched file found: a good questionnaire, errors, no file, or a
    file that is not a questionnaire."""

    OK = "ok"
    ERRORS = "errors"
    MISSING = "missing"
    NOT_QUESTIONNAIRE = "not-questionnaire"


@dataclass(frozen=True)
class Message:
    """One problem of the watched file, with the place it points to, for the preview page."""

    severity: str
    text: str
    line: int | None = None
    column: int | None = None
    where: str | None = None
    """For an XLSForm note: the sheet, row or question it is about."""
    snippet: str | None = None
    """The text of the line the message points to."""

    def as_json(self) -> dict[str, object]:
        return {"severity": self.severity, "text": self.text, "line": self.line,
                "column": self.column, "where": self.where, "snippet": self.snippet}


@dataclass(frozen=True)
class Good:
    """A version of the file without errors."""

    number: int
    """1 for the first good version seen, then one more for each."""
    fingerprint: str
    questionnaire: Questionnaire
    yaml_text: bytes
    """The questionnaire as YAML (for an XLSForm: as converted), to serve a copy of."""
    media_folder: Path
    """The folder its pictures and recordings are named relative to."""


@dataclass(frozen=True)
class Snapshot:
    """The watched file as last checked: its status and messages, and the last good version the
    preview keeps showing."""

    path: Path
    fingerprint: str | None
    """Of the file's bytes; None when there is no file to read."""
    status: Status
    headline: str
    messages: tuple[Message, ...] = ()
    good: Good | None = None
    messages_file: str | None = None
    """The file the line numbers are in, when it is not the watched one (a converted XLSForm)."""

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.severity == Severity.ERROR]


def fingerprint(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:20]


def _read(path: Path) -> bytes | OSError:
    try:
        return path.read_bytes()
    except OSError as error:
        return error


def _snippets(content: bytes) -> list[str]:
    try:
        return content.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        return []


def _message(diagnostic: Diagnostic, lines: list[str]) -> Message:
    line = diagnostic.mark.line
    snippet = lines[line - 1].rstrip()[:SNIPPET_CHARACTERS] if 0 < line <= len(lines) else None
    return Message(str(diagnostic.severity), diagnostic.message, line, diagnostic.mark.column,
                   snippet=snippet or None)


def looks_like_questionnaire(content: bytes) -> bool:
    """Whether a file that does not validate is a questionnaire with mistakes (keep showing
    its messages) rather than some other file (say so plainly). A YAML syntax error counts as
    a questionnaire being edited."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if not text.strip():
        return True  # an editor truncates before it writes
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return True
    return isinstance(data, dict) and bool({"survey", "sections"} & set(map(str, data)))


@dataclass
class Watcher:
    """Checks one questionnaire file; thread-safe. `scratch` is a folder of the preview's own
    (XLSForm conversions are written there)."""

    path: Path
    scratch: Path
    _last: Snapshot | None = field(default=None, init=False)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1), init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _conversions: itertools.count[int] = field(default_factory=itertools.count, init=False)

    @property
    def is_xlsform(self) -> bool:
        return self.path.suffix.lower() in XLSFORM_SUFFIXES

    @property
    def snapshot(self) -> Snapshot:
        """The state as last checked (checks once if never checked)."""
        return self._last or self.check()

    def check(self) -> Snapshot:
        """Read the file; when it changed, validate it and keep the last good version."""
        with self._lock:
            self._last = self._check()
            return self._last

    def _check(self) -> Snapshot:
        previous = self._last
        good = previous.good if previous else None
        content = _read(self.path)
        if isinstance(content, OSError):
            return self._missing(content, good)
        stamp = fingerprint(content)
        if previous is not None and previous.fingerprint == stamp:
            return previous
        try:
            snapshot = self._convert_and_validate(content, stamp, good)
        except Exception as error:  # a file being edited must never stop the preview
            log.exception("checking %s failed", self.path)
            snapshot = self._failed(stamp, Status.ERRORS, [Message(
                "error", f"the preview could not check this version: {error}")], good, None)
        if _read(self.path) != content:
            return previous or snapshot  # written again while being read: look next time
        if self.is_xlsform:
            self._tidy_conversions(snapshot)
        return snapshot

    def _missing(self, error: OSError, good: Good | None) -> Snapshot:
        name = self.path.name
        if isinstance(error, FileNotFoundError):
            headline = (f"{name} is not there (an editor may be saving it under another name "
                        "and renaming it back). The preview refreshes as soon as it is back.")
        elif isinstance(error, IsADirectoryError):
            headline = f"{self.path} is a folder, not a questionnaire file."
        else:
            headline = f"{name} cannot be read: {error.strerror or error}."
        return Snapshot(self.path, None, Status.MISSING, headline, good=good)

    def _convert_and_validate(self, content: bytes, stamp: str, good: Good | None) -> Snapshot:
        messages: list[Message] = []
        messages_file = None
        if self.is_xlsform:
            converted = self._convert(messages)
            if converted is None:
                status = (Status.NOT_QUESTIONNAIRE if any("not a usable XLSForm" in m.text
                                                          for m in messages) else Status.ERRORS)
                return self._failed(stamp, status, messages, good, None)
            checked = converted
            messages_file = str(converted)
        else:
            checked = self.path
        result = validate_file(checked)
        yaml_text = checked.read_bytes() if self.is_xlsform else content
        lines = _snippets(yaml_text)
        messages += [_message(d, lines) for d in result.diagnostics]
        if result.questionnaire is None:
            status = Status.ERRORS if self.is_xlsform or looks_like_questionnaire(content) \
                else Status.NOT_QUESTIONNAIRE
            return self._failed(stamp, status, messages, good, messages_file)
        fresh = Good(next(self._numbers), stamp, result.questionnaire, yaml_text, checked.parent)
        warnings = len(messages)
        headline = f"{self.path.name}: no errors" + (
            f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
        return Snapshot(self.path, stamp, Status.OK, headline, tuple(messages), fresh,
                        messages_file)

    def _failed(self, stamp: str, status: Status, messages: list[Message], good: Good | None,
                messages_file: str | None) -> Snapshot:
        name = self.path.name
        if status == Status.NOT_QUESTIONNAIRE:
            first = next((m.text for m in messages if m.severity == Severity.ERROR), "")
            headline = (f"{name} is not a questionnaire: {first}. A questionnaire is a YAML "
                        "file with survey: and sections: at the top (docs/questionnaire-"
                        "format.md), or an XLSForm workbook.")
        else:
            errors = sum(m.severity == Severity.ERROR for m in messages)
            headline = f"{errors} error{'s' if errors != 1 else ''} in {name}"
        headline += (" The form and paper pages below are of the last version without errors."
                     if good else " There is no version without errors to show yet.")
        return Snapshot(self.path, stamp, status, headline, tuple(messages), good,
                        messages_file)

    def _convert(self, messages: list[Message]) -> Path | None:
        """The XLSForm converted to YAML in a fresh scratch folder, or None; its notes and
        errors added to `messages`."""
        folder = self.scratch / "converted" / str(next(self._conversions))
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        out = folder / f"{self.path.stem}.yaml"
        report = ConversionReport()
        try:
            convert_file(self.path, "yaml", out, CONVERT_LANGUAGE, report)
        except (ConvertError, OSError, ValueError) as error:
            messages += [Message("warning", note.what, where=note.where) for note in report.notes]
            messages.append(Message("error", str(error)))
            shutil.rmtree(folder, ignore_errors=True)
            return None
        messages += [Message("warning", note.what, where=note.where) for note in report.notes]
        return out

    def _tidy_conversions(self, snapshot: Snapshot) -> None:
        """Keep the conversion of the last good version (served, printed) and the latest one
        (its messages name it); remove the others."""
        keep = {str(snapshot.good.media_folder) if snapshot.good else None,
                str(Path(snapshot.messages_file).parent) if snapshot.messages_file else None}
        for folder in (self.scratch / "converted").glob("*"):
            if str(folder) not in keep:
                shutil.rmtree(folder, ignore_errors=True)
