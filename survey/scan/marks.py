"""Reading each box of an aligned page: how much of its inside is ink, and what that means.

The form's cover tells respondents to tick a box with a cross and, to undo a tick, to fill the
box in completely (interface text how_to_correct). So a nearly full box is "corrected" (not
ticked); a box between a tick and a full box, or with only a speck of ink, is doubtful and
goes to a person. Write-in fields (digits, text) are only checked for ink: a person types them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from survey.scan.align import PX_PER_MM

INK = 150
"""Grey value under which a pixel of the shade-flattened page is ink."""
TICK_INSET_MM = 0.8
"""Kept off each side of a box: its 0.3 mm frame and the alignment's tolerance."""
FIELD_INSET_MM = 0.9
TICK_KINDS = frozenset({"tick", "grid-cell"})
"""Boxes ticked with a cross; every other kind (digits, text) is a field written in."""


class Mark:
    TICKED = "ticked"
    EMPTY = "empty"
    CORRECTED = "corrected"
    DOUBTFUL = "doubtful"
    WRITTEN = "written"


EMPTY_BELOW, TICK_FROM, TICK_UP_TO, FILLED_FROM = 0.03, 0.08, 0.85, 0.93
"""Share of a tick box's inside that is ink: below EMPTY_BELOW it is empty; TICK_FROM to
TICK_UP_TO a tick or cross; from FILLED_FROM filled in; in between, doubtful. Measured on
ticks and crosses drawn with pens from 0.3 to 1 mm wide (tests/scan, benchmarks/scan_pages.py)."""
WRITTEN_FROM, WRITE_BLANK_BELOW = 0.012, 0.004
"""Share of a write-in field that is ink: from WRITTEN_FROM something is written; below
WRITE_BLANK_BELOW it is blank; in between (a speck, a stray line) a person looks."""


@dataclass(frozen=True)
class BoxRead:
    box: dict[str, Any]
    """The box as in the layout file (kind, answer, choice, code, position, x, y, w, h)."""
    mark: str
    ink: float
    confidence: float
    """0.5 on a threshold, 1.0 far from any."""


def _ink_share(page: np.ndarray, box: dict[str, Any], inset: float) -> float:
    x0 = round((box["x"] + inset) * PX_PER_MM)
    y0 = round((box["y"] + inset) * PX_PER_MM)
    x1 = max(round((box["x"] + box["w"] - inset) * PX_PER_MM), x0 + 1)
    y1 = max(round((box["y"] + box["h"] - inset) * PX_PER_MM), y0 + 1)
    inside = page[y0:y1, x0:x1]
    return float(np.mean(inside < INK)) if inside.size else 0.0


def _confidence(value: float, low: float, high: float) -> float:
    """How far `value` sits inside [low, high], from 0.5 (on an edge) to 1 (well inside)."""
    margin = min(value - low, high - value) / max((high - low) / 2, 1e-9)
    return round(0.5 + 0.5 * min(max(margin, 0.0), 1.0), 3)


def _tick(ink: float) -> tuple[str, float]:
    if ink < EMPTY_BELOW:
        return Mark.EMPTY, _confidence(ink, -EMPTY_BELOW, EMPTY_BELOW)
    if TICK_FROM <= ink <= TICK_UP_TO:
        return Mark.TICKED, _confidence(ink, TICK_FROM, TICK_UP_TO)
    if ink >= FILLED_FROM:
        return Mark.CORRECTED, _confidence(ink, FILLED_FROM, 2 - FILLED_FROM)
    return Mark.DOUBTFUL, 0.5 * _confidence(ink, *((EMPTY_BELOW, TICK_FROM) if ink < TICK_FROM
                                                   else (TICK_UP_TO, FILLED_FROM)))


def _field(ink: float) -> tuple[str, float]:
    if ink < WRITE_BLANK_BELOW:
        return Mark.EMPTY, _confidence(ink, -WRITE_BLANK_BELOW, WRITE_BLANK_BELOW)
    if ink >= WRITTEN_FROM:
        return Mark.WRITTEN, _confidence(ink, WRITTEN_FROM, 1.0)
    return Mark.DOUBTFUL, 0.5


def read_box(page: np.ndarray, box: dict[str, Any]) -> BoxRead:
    """One box of the shade-flattened, aligned page."""
    if box["kind"] in TICK_KINDS:
        ink = _ink_share(page, box, TICK_INSET_MM)
        mark, confidence = _tick(ink)
    else:
        ink = _ink_share(page, box, FIELD_INSET_MM)
        mark, confidence = _field(ink)
    return BoxRead(box, mark, round(ink, 4), confidence)
