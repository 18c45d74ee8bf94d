"""Turning a scanned page into the layout's millimetre grid, by its four corner marks.

The QR code, when it reads, gives the page's turn and rough scale, so each corner mark is looked
for only near where it must be; without it the marks are looked for near the image's corners
and the turn is taken from where the QR code's ink is. A perspective transform through the four
mark centres then undoes rotation, skew, scale and the slight perspective of a phone photo.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from survey.paper import geometry as g
from survey.user_error import UserError

PX_PER_MM = 6.0
"""Resolution of the aligned page: 152 dpi, enough for 0.3 mm box frames and pen strokes."""
SEARCH_MM = 14.0
"""How far from its predicted place a corner mark is looked for, when the QR code read."""
BACKGROUND_MM = 7.0
"""Wider than any filled box or pen stroke, so the paper's shade (shadows) is estimated
without the ink."""
QR_CORNERS_MM = np.array([(g.QR_X, g.QR_Y), (g.QR_X + g.QR_SIZE, g.QR_Y),
                          (g.QR_X + g.QR_SIZE, g.QR_Y + g.QR_SIZE),
                          (g.QR_X, g.QR_Y + g.QR_SIZE)], dtype=np.float32)
MARKS_MM = np.array(g.corner_mark_centres(), dtype=np.float32)  # TL, TR, BL, BR


class AlignError(UserError):
    """The corner marks are not all to be found; the message says what to check."""


@dataclass(frozen=True)
class Alignment:
    to_image: np.ndarray
    """3×3 homography from page millimetres to image pixels."""


def _mark_near(pixels: np.ndarray, centre: np.ndarray, mm: float) -> np.ndarray | None:
    """The centre (image pixels) of the solid square nearest `centre`, within SEARCH_MM."""
    radius = int(SEARCH_MM * mm)
    x0, y0 = max(int(centre[0]) - radius, 0), max(int(centre[1]) - radius, 0)
    window = pixels[y0:int(centre[1]) + radius, x0:int(centre[0]) + radius]
    if window.size == 0:
        return None
    return _nearest_square(window, centre - (x0, y0), mm, (x0, y0))


def _nearest_square(window: np.ndarray, target: np.ndarray, mm: float,
                    offset: tuple[int, int]) -> np.ndarray | None:
    _, ink = cv2.threshold(window, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    side = g.CORNER_MARK_SIZE * mm
    best, best_distance = None, np.inf
    for label in range(1, count):
        _, _, w, h, area = stats[label]
        if not (0.45 * side**2 < area < 2.2 * side**2 and 0.6 < w / h < 1.6
                and area > 0.7 * w * h and max(w, h) < 1.6 * side):
            continue
        distance = float(np.hypot(*(centroids[label] - target)))
        if distance < best_distance:
            best, best_distance = centroids[label], distance
    return None if best is None else best + offset


def _from_qr(pixels: np.ndarray, qr_corners: np.ndarray) -> np.ndarray | None:
    """Mark centres (TL, TR, BL, BR) predicted by the QR code's corners, then found."""
    design = np.hstack([QR_CORNERS_MM, np.ones((4, 1), np.float32)])
    affine, *_ = np.linalg.lstsq(design, qr_corners, rcond=None)
    mm = float(np.linalg.norm(qr_corners[1] - qr_corners[0])) / g.QR_SIZE
    found = [_mark_near(pixels, np.hstack([m, 1]) @ affine, mm) for m in MARKS_MM]
    return None if any(f is None for f in found) else np.array(found, dtype=np.float32)


def _from_image_corners(pixels: np.ndarray) -> list[np.ndarray]:
    """Mark centres found near the image's corners, in each of the four turns the page may
    have (most likely first is not known yet: the caller decides by the QR code's ink)."""
    height, width = pixels.shape
    mm = max(height, width) / (g.PAGE_HEIGHT + 2 * 5)  # the page nearly fills the scan
    reach = int(45 * mm)
    corners = [(0, 0), (width, 0), (0, height), (width, height)]
    found = []
    for cx, cy in corners:
        x0, y0 = max(cx - reach, 0), max(cy - reach, 0)
        window = pixels[y0:y0 + reach, x0:x0 + reach]
        centre = _nearest_square(window, np.array([cx - x0, cy - y0], np.float64), mm, (x0, y0))
        if centre is None:
            return []
        found.append(centre)
    tl, tr, bl, br = found
    turns = [[tl, tr, bl, br], [br, bl, tr, tl], [bl, tl, br, tr], [tr, br, tl, bl]]
    return [np.array(t, dtype=np.float32) for t in turns]


def _homography(centres: np.ndarray) -> np.ndarray:
    return cv2.getPerspectiveTransform(MARKS_MM, centres)


def _plausible(to_image: np.ndarray) -> bool:
    """The marks make a page of A4's shape, not some other four squares."""
    corners = cv2.perspectiveTransform(MARKS_MM[None], to_image)[0]
    top = np.linalg.norm(corners[1] - corners[0])
    left = np.linalg.norm(corners[2] - corners[0])
    expected = (g.PAGE_WIDTH - 2 * g.CORNER_MARK_INSET) / (g.PAGE_HEIGHT - 2 * g.CORNER_MARK_INSET)
    return bool(left > 0 and abs(top / left / expected - 1) < 0.12)


def qr_ink(pixels: np.ndarray, to_image: np.ndarray) -> float:
    """Share of dark pixels where the QR code is printed (about half on any page)."""
    patch = warp(pixels, to_image, (g.QR_X, g.QR_Y, g.QR_SIZE, g.QR_SIZE), 2.0)
    return float(np.mean(patch < 128))


def align(pixels: np.ndarray, qr_corners: np.ndarray | None) -> Alignment:
    """The page's transform from its corner marks; AlignError if they cannot be found."""
    if qr_corners is not None:
        centres = _from_qr(pixels, qr_corners)
        if centres is not None and _plausible(transform := _homography(centres)):
            return Alignment(transform)
    candidates = [_homography(c) for c in _from_image_corners(pixels)]
    candidates = [c for c in candidates if _plausible(c)]
    if not candidates:
        raise AlignError("the four black corner marks were not found: scan the whole page, "
                         "with a margin of white around it, and nothing covering the corners")
    return Alignment(max(candidates, key=lambda c: qr_ink(pixels, c)))


def warp(pixels: np.ndarray, to_image: np.ndarray,
         area: tuple[float, float, float, float] | None = None,
         px_per_mm: float = PX_PER_MM) -> np.ndarray:
    """The page (or the `area` x, y, w, h in mm) on the millimetre grid, white outside."""
    x, y, w, h = area or (0.0, 0.0, g.PAGE_WIDTH, g.PAGE_HEIGHT)
    to_grid = np.array([[px_per_mm, 0, -x * px_per_mm], [0, px_per_mm, -y * px_per_mm],
                        [0, 0, 1]], dtype=np.float64)
    matrix = to_grid @ np.linalg.inv(to_image)
    size = (round(w * px_per_mm), round(h * px_per_mm))
    return cv2.warpPerspective(pixels, matrix, size, flags=cv2.INTER_AREA,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def flatten_shade(page: np.ndarray) -> np.ndarray:
    """The page with the paper's own shade (shadows, uneven lighting, grey paper) divided out,
    so ink is dark and paper white everywhere."""
    size = int(BACKGROUND_MM * PX_PER_MM) | 1
    paper = cv2.dilate(page, np.ones((size, size), np.uint8))
    paper = cv2.blur(paper, (size, size))
    return cv2.divide(page, np.maximum(paper, 1), scale=255)
