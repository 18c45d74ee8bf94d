"""One scanned page from image to answers: identify, align, read its boxes, cut out what a
person must read. Every page ends as read, blank, unknown or unidentified, with the reason."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from survey.paper import geometry as g
from survey.paper.qr import PageId
from survey.scan.align import PX_PER_MM, AlignError, align, flatten_shade, warp
from survey.scan.answers import AnswerRead, read_answer
from survey.scan.identify import find_page_qr
from survey.scan.known_forms import KnownForms, UnknownPage
from survey.scan.marks import BoxRead, read_box
from survey.scan.pages import ScannedPage

BLANK_INK = 0.003
"""Share of dark pixels under which a page without marks is an empty sheet (a back side)."""
CUT_MARGIN_MM = (14.0, 2.5)
"""Around a field's boxes in its cut-out: enough to show the printed codes beside them."""
QR_RETRY_PX_PER_MM = 12.0


class PageKind:
    READ = "read"
    BLANK = "blank"
    UNKNOWN = "unknown"
    UNIDENTIFIED = "unidentified"
    UNREADABLE = "unreadable"


@dataclass
class PageResult:
    """What reading one scanned page found: its kind, its page id and answers, and the cut-outs a
    person must read; `message` says why when it was not read."""

    where: str
    kind: str
    message: str = ""
    page_id: PageId | None = None
    layout: dict[str, Any] = field(default_factory=dict)
    reads: list[BoxRead] = field(default_factory=list)
    answers: dict[str, AnswerRead] = field(default_factory=dict)
    """Per answer name, what the boxes on this page say (an answer split over two pages is
    put together by assemble)."""
    images: dict[str, bytes] = field(default_factory=dict)
    """PNG cut-outs of the answers a person must read."""


def _blank(pixels: np.ndarray) -> bool:
    return float(np.mean(pixels < 128)) < BLANK_INK


def _cut_out(page: np.ndarray, boxes: list[dict[str, Any]]) -> bytes:
    mx, my = CUT_MARGIN_MM
    x0 = max(min(b["x"] for b in boxes) - mx, 0)
    y0 = max(min(b["y"] for b in boxes) - my, 0)
    x1 = min(max(b["x"] + b["w"] for b in boxes) + mx, g.PAGE_WIDTH)
    y1 = min(max(b["y"] + b["h"] for b in boxes) + my, g.PAGE_HEIGHT)
    crop = page[round(y0 * PX_PER_MM):round(y1 * PX_PER_MM),
                round(x0 * PX_PER_MM):round(x1 * PX_PER_MM)]
    return cv2.imencode(".png", crop)[1].tobytes()


def _qr_again(pixels: np.ndarray, to_image: np.ndarray) -> PageId | None:
    """The page id read from the aligned, enlarged QR area (a code the whole page hid)."""
    quiet = 4.0
    area = (g.QR_X - quiet, g.QR_Y - quiet, g.QR_SIZE + 2 * quiet, g.QR_SIZE + 2 * quiet)
    found = find_page_qr(warp(pixels, to_image, area, QR_RETRY_PX_PER_MM))
    return None if found is None else found.page_id


def _save_for_person(pixels: np.ndarray, to_image: np.ndarray | None, folder: Path,
                     scanned: ScannedPage) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{scanned.file.stem}-page{scanned.number}.png"
    image = pixels if to_image is None else warp(pixels, to_image)
    cv2.imwrite(str(path), image)
    return path


def read_page(scanned: ScannedPage, forms: KnownForms, given: PageId | None,
              unidentified_dir: Path) -> PageResult:
    """Read one page; `given` is its identity as typed by a person (for a damaged QR code)."""
    where, pixels = scanned.where, scanned.pixels
    found = find_page_qr(pixels)
    page_id = given or (found.page_id if found else None)
    if page_id is None and found is not None:
        return PageResult(where, PageKind.UNKNOWN, f"its QR code ({found.text[:60]!r}) is not "
                          "a page id of our forms: a page of some other paper; take it out")
    try:
        to_image = align(pixels, found.corners if found and not given else None).to_image
    except AlignError as error:
        if page_id is None and _blank(pixels):
            return PageResult(where, PageKind.BLANK, "an empty page (a back side?)")
        saved = _save_for_person(pixels, None, unidentified_dir, scanned)
        return PageResult(where, PageKind.UNREADABLE, f"{error}; scan it again (image kept "
                          f"as {saved})", page_id)
    if page_id is None:
        page_id = _qr_again(pixels, to_image)
    if page_id is None:
        saved = _save_for_person(pixels, to_image, unidentified_dir, scanned)
        return PageResult(where, PageKind.UNIDENTIFIED, (
            f"its QR code cannot be read (damaged or covered); look at {saved} and give the "
            f"page's identity: --page '{scanned.file.name}:{scanned.number}=SERIAL:PAGE' "
            "(the serial is printed under the QR code)"))
    try:
        layout = forms.layout(page_id)
    except UnknownPage as error:
        return PageResult(where, PageKind.UNKNOWN, str(error), page_id)
    page = flatten_shade(warp(pixels, to_image))
    reads = [read_box(page, box) for box in layout["pages"][page_id.page - 1]["boxes"]]
    return _answers(PageResult(where, PageKind.READ, page_id=page_id, layout=layout,
                               reads=reads), forms, page)


def _answers(result: PageResult, forms: KnownForms, page: np.ndarray) -> PageResult:
    assert result.page_id is not None
    questionnaire = forms.questionnaire(result.page_id.questionnaire)
    assert questionnaire is not None
    by_answer: dict[str, list[BoxRead]] = defaultdict(list)
    for read in result.reads:
        by_answer[read.box["answer"]].append(read)
    index = questionnaire.answer_index
    for name, reads in by_answer.items():
        question = index.get(name)
        if question is None:
            continue  # a layout box the questionnaire no longer has cannot be answered
        answer = read_answer(question, name, reads)
        result.answers[name] = answer
        if answer.reason is not None:
            result.images[name] = _cut_out(page, [r.box for r in reads])
    return result
