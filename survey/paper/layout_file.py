"""The layout file beside each PDF: where every box is, in millimetres, so scans can be read.

Positions are read from WeasyPrint's own layout of the pages, never computed a second time,
so they are where the boxes were drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from weasyprint import Document

from survey.paper import geometry as g
from survey.paper.form import PaperForm
from survey.paper.qr import PAYLOAD_FORMAT

LAYOUT_FORMAT = 1


@dataclass(frozen=True)
class PlacedBox:
    page: int  # 1-based, within one copy
    kind: str
    answer: str
    choice: str | None
    code: str | None
    position: int | None
    x: float
    y: float
    w: float
    h: float

    def as_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "answer": self.answer, "choice": self.choice,
                "code": self.code, "position": self.position, "x": self.x, "y": self.y,
                "w": self.w, "h": self.h}
        return {k: v for k, v in data.items() if v is not None}


def _descendants(box: Any) -> Iterator[Any]:
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(getattr(current, "children", None) or []))


def _mm(px: float) -> float:
    return round(px * g.MM_PER_PX, 2)


def placed_boxes(document: Document, attribute: str = "data-box") -> list[PlacedBox]:
    """Every element carrying `attribute`, with its border box on its page."""
    placed = []
    for number, page in enumerate(document.pages, start=1):
        for box in _descendants(page._page_box):
            element = getattr(box, "element", None)
            if element is None or getattr(box, "element_tag", None) is None:
                continue
            kind = element.get(attribute)
            if kind is None or not hasattr(box, "border_box_x"):
                continue
            position = element.get("data-position")
            placed.append(PlacedBox(
                number, kind, element.get("data-answer", ""), element.get("data-choice"),
                element.get("data-code"), int(position) if position is not None else None,
                _mm(box.border_box_x()), _mm(box.border_box_y()), _mm(box.border_width()),
                _mm(box.border_height())))
    return placed


def layout_json(form: PaperForm, boxes: list[PlacedBox], pages: int,
                copies: list[str] | None) -> dict[str, Any]:
    """The whole layout file. With copies, PDF page = copy index × pages + page."""
    size = g.QR_SIZE
    return {
        "layout_format": LAYOUT_FORMAT,
        "questionnaire": form.questionnaire_id,
        "version": form.version,
        "language": form.language_label,
        "large_print": form.large_print,
        "units": "mm from the top-left corner of the page",
        "page_size": {"w": g.PAGE_WIDTH, "h": g.PAGE_HEIGHT},
        "corner_marks": {"size": g.CORNER_MARK_SIZE,
                         "centres": [{"x": x, "y": y} for x, y in g.corner_mark_centres()]},
        "qr": {"x": g.QR_X, "y": g.QR_Y, "w": size, "h": size, "payload": PAYLOAD_FORMAT},
        "pages_per_copy": pages,
        "copies": ({"count": len(copies), "serials": [copies[0], copies[-1]]}
                   if copies else None),
        "pages": [{"page": n, "boxes": [b.as_json() for b in boxes if b.page == n]}
                  for n in range(1, pages + 1)],
    }
