"""Filled-in returns made by the tests themselves: pen strokes drawn into the rendered pages of
real forms, then the page put through what scanners and phone cameras do to paper.

Coordinates come from the form's layout file, so the strokes land where a respondent's would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np


@dataclass(frozen=True)
class Pen:
    width_mm: float
    grey: int  # 0 black … 255 white


PENS = (Pen(0.35, 20), Pen(0.5, 40), Pen(0.7, 10), Pen(1.0, 60), Pen(0.45, 90))
"""Fine liner, ballpoint, felt tip, marker, a pale ballpoint."""


def _px(mm: float, dpi: int) -> float:
    return mm / 25.4 * dpi


def _stroke(image: np.ndarray, points: list[tuple[float, float]], pen: Pen, dpi: int) -> None:
    thickness = max(1, round(_px(pen.width_mm, dpi)))
    pts = np.array([[_px(x, dpi), _px(y, dpi)] for x, y in points], dtype=np.float64)
    cv2.polylines(image, [np.round(pts * 16).astype(np.int32)], False, int(pen.grey),
                  thickness, cv2.LINE_AA, shift=4)


def draw_tick(image: np.ndarray, box: dict[str, Any], pen: Pen, rng: np.random.Generator,
              dpi: int) -> None:
    """A cross or a check mark, hand-drawn: uneven, a little off-centre, sometimes past the
    frame."""
    x, y, w, h = box["x"], box["y"], box["w"], box["h"]

    def jitter(px: float, py: float) -> tuple[float, float]:
        return px + rng.normal(0, 0.25), py + rng.normal(0, 0.25)

    if rng.random() < 0.6:  # a cross
        _stroke(image, [jitter(x + 0.7, y + 0.7), jitter(x + w / 2, y + h / 2 + 0.2),
                        jitter(x + w - 0.6, y + h - 0.6)], pen, dpi)
        _stroke(image, [jitter(x + w - 0.7, y + 0.6), jitter(x + 0.6, y + h - 0.7)], pen, dpi)
    else:  # a check mark
        _stroke(image, [jitter(x + 0.8, y + h * 0.55), jitter(x + w * 0.4, y + h - 0.7),
                        jitter(x + w + 0.6, y - 0.8)], pen, dpi)


def fill_box(image: np.ndarray, box: dict[str, Any], pen: Pen, rng: np.random.Generator,
             dpi: int) -> None:
    """A box filled in to undo a tick: dense zig-zag strokes over the whole box."""
    x, y, w, h = box["x"], box["y"], box["w"], box["h"]
    wide = Pen(max(pen.width_mm, 0.8), pen.grey)
    rows = np.linspace(y + 0.2, y + h - 0.2, 9)
    points = [(x + (0.1 if i % 2 else w - 0.1) + rng.normal(0, 0.1), row)
              for i, row in enumerate(rows)]
    _stroke(image, points, wide, dpi)
    cv2.rectangle(image, (round(_px(x + 0.4, dpi)), round(_px(y + 0.4, dpi))),
                  (round(_px(x + w - 0.4, dpi)), round(_px(y + h - 0.4, dpi))),
                  int(pen.grey), -1)


def write_in(image: np.ndarray, box: dict[str, Any], pen: Pen, rng: np.random.Generator,
             dpi: int) -> None:
    """Handwriting stand-in: a few connected strokes inside the field."""
    x, y, w, h = box["x"], box["y"], box["w"], box["h"]
    steps = max(4, int(w / 2.5))
    points = [(x + 1 + (w - 2) * i / steps, y + 1.2 + rng.random() * (min(h, 8) - 2.4))
              for i in range(steps + 1)]
    _stroke(image, points, pen, dpi)


def distort(image: np.ndarray, rng: np.random.Generator, *, angle: float = 0.0,
            scale: float = 1.0, skew: float = 0.0, perspective: float = 0.0,
            noise: float = 0.0, shadow: float = 0.0, blur: float = 0.0,
            jpeg: int | None = None, turn: int = 0) -> np.ndarray:
    """The page as a scanner or camera returns it. `angle` degrees, `skew` shear, `perspective`
    share of the width by which corners move, `shadow` darkening at the darkest edge, `turn`
    quarter turns (2: upside down)."""
    height, width = image.shape
    margin = int(0.06 * max(height, width))
    canvas = cv2.copyMakeBorder(image, margin, margin, margin, margin, cv2.BORDER_CONSTANT,
                                value=255)
    h2, w2 = canvas.shape
    matrix = cv2.getRotationMatrix2D((w2 / 2, h2 / 2), angle, scale)
    matrix[0, 1] += skew
    out = cv2.warpAffine(canvas, matrix, (w2, h2), flags=cv2.INTER_LINEAR,
                         borderValue=255)
    if perspective:
        src = np.float32([[0, 0], [w2, 0], [w2, h2], [0, h2]])
        moved = src + rng.uniform(-1, 1, src.shape).astype(np.float32) * perspective * w2
        out = cv2.warpPerspective(out, cv2.getPerspectiveTransform(src, moved), (w2, h2),
                                  borderValue=255)
    result = out.astype(np.float32)
    if shadow:
        ramp = np.linspace(1 - shadow, 1.0, w2, dtype=np.float32)
        result *= np.sqrt(ramp[None, :] * np.linspace(1.0, 1 - shadow / 2, h2)[:, None])
    if blur:
        result = cv2.GaussianBlur(result, (0, 0), blur)
    if noise:
        result += rng.normal(0, noise, result.shape).astype(np.float32)
    page = np.clip(result, 0, 255).astype(np.uint8)
    if jpeg is not None:
        _, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, jpeg])
        page = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    return np.ascontiguousarray(np.rot90(page, turn))


TICK_KINDS = ("tick", "grid-cell")


def fill_copy(pages: list[np.ndarray], layout: dict[str, Any], ticks: dict[str, str],
              rng: np.random.Generator, dpi: int, *, written: frozenset[str] = frozenset(),
              corrected: dict[str, str] | None = None) -> None:
    """Draw a respondent's marks into the rendered pages of one copy (in place): a tick in each
    box whose code `ticks[answer]` lists (codes separated by spaces, as typed), handwriting in
    the write-in fields of `written`, and a box filled in to undo a tick (`corrected[answer]`
    = code), each with a randomly chosen pen."""
    corrected = corrected or {}
    for page in layout["pages"]:
        image = pages[page["page"] - 1]
        for box in page["boxes"]:
            pen = PENS[rng.integers(len(PENS))]
            name, code = box["answer"], str(box.get("code"))
            if box["kind"] in TICK_KINDS:
                if code in ticks.get(name, "").split():
                    draw_tick(image, box, pen, rng, dpi)
                elif corrected.get(name) == code:
                    draw_tick(image, box, pen, rng, dpi)
                    fill_box(image, box, pen, rng, dpi)
            elif name in written:
                write_in(image, box, pen, rng, dpi)


SCANNERS = (
    {"angle": 2.8, "scale": 0.97, "noise": 6, "blur": 0.6, "jpeg": 70},
    {"angle": -1.5, "turn": 2, "skew": 0.02, "noise": 4},
    {"angle": 0.6, "scale": 1.04, "blur": 1.0, "jpeg": 50},
    {"angle": -2.9, "perspective": 0.012, "shadow": 0.45, "noise": 5, "jpeg": 75},  # phone
    {"angle": 1.2, "perspective": 0.018, "shadow": 0.6, "blur": 0.8},  # phone, in a shadow
)
"""What office scanners and phone cameras do to a page: rotation up to 3°, scale, skew,
noise, blur, JPEG compression, perspective and shadows."""


def random_marks(image: np.ndarray, boxes: list[dict[str, Any]], rng: np.random.Generator,
                 dpi: int) -> list[str]:
    """Random unambiguous marks in every box of a page (in place): ticks, corrections and
    handwriting with varied pens. Returns what each box holds: ticked, corrected, written or
    empty (as survey.scan.marks.Mark names them)."""
    truth = []
    for box in boxes:
        pen = PENS[rng.integers(len(PENS))]
        chance = rng.random()
        if box["kind"] in TICK_KINDS:
            if chance < 0.3:
                draw_tick(image, box, pen, rng, dpi)
                truth.append("ticked")
            elif chance < 0.36:
                draw_tick(image, box, pen, rng, dpi)
                fill_box(image, box, pen, rng, dpi)
                truth.append("corrected")
            else:
                truth.append("empty")
        elif chance < 0.5:
            write_in(image, box, pen, rng, dpi)
            truth.append("written")
        else:
            truth.append("empty")
    return truth
