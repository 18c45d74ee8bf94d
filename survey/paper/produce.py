"""Paper forms from a questionnaire: which forms to make, and making each one safely.

Each PDF and its layout file are written to temporary files and renamed into place only when
complete, so a failure never leaves a half-written form that someone might print.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from survey.atomic_write import write_atomically
from survey.paper import geometry as g
from survey.paper.fonts import check_fonts
from survey.paper.form import Line, PaperForm, paper_form
from survey.paper.layout_file import layout_json, placed_boxes
from survey.paper.overrides import Overrides
from survey.paper.qr import PageId
from survey.paper.render import render_document
from survey.paper.stamp import stamped_pdf
from survey.questionnaire.languages import check_language
from survey.questionnaire.model import Questionnaire
from survey.tagged_pdf import PDF_OPTIONS
from survey.user_error import UserError

DEFAULT_OUT = Path("paper")
SERIAL_SLOT_RAISE = 1.2
"""mm from the bottom of the cover's serial field up to the baseline of the stamped number."""


class PaperError(UserError):
    """A request that cannot be printed; the message says what to change."""


@dataclass(frozen=True)
class MadeForm:
    """One form made: its PDF, the layout file the scanner finds its boxes by, and its pages and
    copies."""

    pdf: Path
    layout: Path
    pages: int
    """Pages of one copy."""
    copies: int


def form_variants(questionnaire: Questionnaire, languages: tuple[str, ...] = (),
                  bilingual: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The language(s) of each PDF to make: one per --lang (default: every declared language),
    plus one per --bilingual pair such as de+ar."""
    declared = questionnaire.languages

    def known(language: str, option: str) -> str:
        if language not in declared:
            problem = check_language(language) or f"'{language}' is not one of its languages"
            raise PaperError(f"{option} {language}: {problem}; the questionnaire "
                             f"'{questionnaire.id}' has {', '.join(declared)}")
        return language

    variants: list[tuple[str, ...]] = [(known(lang, "--lang"),) for lang in languages]
    for pair in bilingual:
        parts = pair.split("+")
        if len(parts) != 2 or not all(parts):
            raise PaperError(f"--bilingual {pair}: give two languages joined by '+', such as "
                             f"{declared[0]}+{declared[-1]} (the first is printed above the "
                             "second)")
        if parts[0] == parts[1]:
            raise PaperError(f"--bilingual {pair}: the two languages must differ")
        variants.append(tuple(known(lang, "--bilingual") for lang in parts))
    if not languages and not bilingual:
        variants = [(lang,) for lang in declared]
    return list(dict.fromkeys(variants))


def _lines(value: Any) -> Iterator[Line]:
    if isinstance(value, Line):
        yield value
    elif is_dataclass(value):
        for f in fields(value):
            yield from _lines(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _lines(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _lines(item)


def check_form_fonts(form: PaperForm) -> None:
    by_language: dict[str, list[str]] = {lang: [] for lang in form.languages}
    for line in _lines(form):
        by_language[line.language].append(line.text)
    check_fonts(by_language)


def prepare_out_dir(out_dir: Path) -> None:
    """Create `out_dir` and prove it is writable before any form is laid out."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".write-test-"):
            pass
    except FileExistsError:
        raise PaperError(f"cannot write forms to {out_dir}: it is a file, not a folder; "
                         "choose another --out") from None
    except OSError as error:
        raise PaperError(f"cannot write forms to {out_dir}: {error.strerror or error}; choose "
                         "another --out or fix the folder's permissions") from None


def _safe_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "._+-" else "_" for ch in text)


def make_form(questionnaire: Questionnaire, languages: tuple[str, ...], out_dir: Path,
              serials: list[str] | None = None, overrides: Overrides | None = None,
              large_print: bool = False) -> MadeForm:
    """Lay out one form, draw the scan marks on every page of every copy, write PDF + layout.
    A large-print form is named ...-large.pdf, so it never replaces the standard one."""
    overrides = overrides or Overrides()
    form = paper_form(questionnaire, languages, overrides.organisation(languages),
                      overrides.digits(), large_print)
    check_form_fonts(form)
    document = render_document(form, overrides, serials=bool(serials))
    pages = len(document.pages)
    boxes = placed_boxes(document)
    slot = next(iter(placed_boxes(document, "data-stamp")), None)
    serial_slot = (slot.x + slot.w / 2, slot.y + slot.h - SERIAL_SLOT_RAISE) if slot else None
    copy_serials: list[str | None] = [*serials] if serials else [None]
    page_ids = [[PageId(form.questionnaire_id, form.version, form.language_label, page, serial)
                 for page in range(1, pages + 1)] for serial in copy_serials]
    pdf = stamped_pdf(document.write_pdf(**PDF_OPTIONS), page_ids, serial_slot,
                      g.LARGE_PRINT_SMALLEST if large_print else g.SERIAL_FONT_SIZE)
    stem = _safe_name(f"{form.questionnaire_id}-{form.version}-{form.language_label}"
                      + ("-large" if large_print else ""))
    if serials:
        stem += f"-{serials[0]}-{serials[-1]}"
    pdf_path, layout_path = out_dir / f"{stem}.pdf", out_dir / f"{stem}.layout.json"
    layout = layout_json(form, boxes, pages, serials)
    write_atomically(layout_path, json.dumps(layout, ensure_ascii=False, indent=1).encode())
    write_atomically(pdf_path, pdf)
    return MadeForm(pdf_path, layout_path, pages, len(serials or [None]))


def make_forms(questionnaire: Questionnaire, variants: list[tuple[str, ...]], out_dir: Path,
               serials: list[list[str]] | None = None,
               overrides: Overrides | None = None,
               large_print: bool = False) -> Iterator[MadeForm]:
    """Each form in `variants` (with its own block of `serials`), one process per core: laying
    out a form is single-threaded Python, so seven languages take half the time on two cores.
    Yields in `variants` order."""
    blocks: list[list[str] | None] = list(serials) if serials else [None] * len(variants)
    workers = min(len(variants), os.cpu_count() or 1)
    if workers < 2:
        for languages, block in zip(variants, blocks, strict=True):
            yield make_form(questionnaire, languages, out_dir, block, overrides, large_print)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(make_form, questionnaire, languages, out_dir, block, overrides,
                               large_print)
                   for languages, block in zip(variants, blocks, strict=True)]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()
