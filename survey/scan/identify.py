"""Which printed page a scan is: the page id in its QR code (survey.paper.qr).

zxing-cpp tries the four rotations (0/90/180/270) itself and reports where the code's corners
are in the image, which also gives the page's turn and scale for aligning it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import zxingcpp

from survey.paper.qr import PageId, PayloadError, parse_payload


@dataclass(frozen=True)
class QrFound:
    page_id: PageId | None
    """None: a QR code that is not a page id of our forms (`text` says what it holds)."""
    text: str
    corners: np.ndarray
    """The code's top-left, top-right, bottom-right and bottom-left corners in image pixels, as
    printed (so a page upside down has its top-left corner near the image's bottom-right)."""


def _corners(position: zxingcpp.Position) -> np.ndarray:
    points = (position.top_left, position.top_right, position.bottom_right,
              position.bottom_left)
    return np.array([(p.x, p.y) for p in points], dtype=np.float32)


def find_page_qr(pixels: np.ndarray) -> QrFound | None:
    """The page id on the page; a foreign QR code if that is all there is; None if none reads."""
    found = zxingcpp.read_barcodes(pixels,
                                   formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
                                   try_rotate=True, try_downscale=True)
    foreign = None
    for code in found:
        try:
            return QrFound(parse_payload(code.text), code.text, _corners(code.position))
        except PayloadError:
            foreign = foreign or QrFound(None, code.text, _corners(code.position))
    return foreign
