"""One scanning run: every page of every file read, the returns assembled and stored.

Pages are read one at a time and only what a return needs is kept (the box readings and the
cut-outs a person must see), so a stack of a thousand pages needs little memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from survey.paper.qr import PageId
from survey.paper.serials import SERIAL_DIGITS
from survey.returns.doubts import SCANS_DIR
from survey.scan.assemble import ScannedReturn, assemble
from survey.scan.known_forms import KnownForms
from survey.scan.pages import PageFileError, scanned_pages
from survey.scan.read_page import PageKind, PageResult, read_page
from survey.scan.store_scans import StoredReturn, store_return
from survey.store.store import Store
from survey.user_error import UserError

UNIDENTIFIED_DIR = "unidentified"


class PageIdError(UserError, ValueError):
    """A --page identity that cannot be used; the message shows the expected form."""


@dataclass
class ScanRun:
    files: list[Path]
    pages: list[PageResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    returns: list[StoredReturn] = field(default_factory=list)
    form_problems: list[str] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(p.kind == kind for p in self.pages)

    @property
    def duplicates(self) -> list[str]:
        return [line for r in self.returns for line in r.copy.duplicates]


def given_page_ids(texts: tuple[str, ...], forms: KnownForms) -> dict[tuple[str, int], PageId]:
    """--page FILE:N=SERIAL:PAGE → (file name, page in file) → the page's identity."""
    found: dict[tuple[str, int], PageId] = {}
    for text in texts:
        where, _, what = text.rpartition("=")
        file_name, _, number = where.rpartition(":")
        serial, _, page = what.partition(":")
        if not (file_name and number.isdigit() and serial.isdigit() and page.isdigit()):
            raise PageIdError(f"--page {text!r}: write FILE:N=SERIAL:PAGE, e.g. "
                              f"scan.pdf:3={'1'.zfill(SERIAL_DIGITS)}:4 (page 3 of scan.pdf is "
                              "page 4 of the copy with that serial)")
        serial = serial.zfill(SERIAL_DIGITS)
        run = next((r for r in forms.runs if r.holds(serial)), None)
        if run is None:
            raise PageIdError(f"--page {text!r}: serial {serial} was not printed for this "
                              "project (see paper/serials.json)")
        found[(Path(file_name).name, int(number))] = PageId(
            run.questionnaire, run.version, run.language, int(page), serial)
    return found


def scan_files(root: Path, files: list[Path], forms: KnownForms, store: Store, dpi: int,
               given: dict[tuple[str, int], PageId],
               on_page: Callable[[PageResult], None] = lambda page: None) -> ScanRun:
    """Read every page of `files`, assemble the copies and store them as returns, calling `on_page`
    after each page; a file that cannot be read is noted in the run and the others still read."""
    run = ScanRun(files, form_problems=list(forms.problems))
    unidentified = root / SCANS_DIR / UNIDENTIFIED_DIR
    for path in files:
        try:
            for scanned in scanned_pages(path, dpi):
                page = read_page(scanned, forms, given.get((path.name, scanned.number)),
                                 unidentified)
                run.pages.append(page)
                on_page(page)
        except PageFileError as error:
            run.file_errors.append(str(error))
    copies: list[ScannedReturn] = assemble([p for p in run.pages if p.kind == PageKind.READ])
    for copy in copies:
        questionnaire = forms.questionnaire(copy.questionnaire_id)
        assert questionnaire is not None  # known_forms read no page of another questionnaire
        run.returns.append(store_return(store, root, questionnaire, copy))
    return run
