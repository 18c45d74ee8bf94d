"""Where the machine-readable marks sit on every page, in millimetres from the top-left corner.

They are fixed, whatever the language or content, so a scanner finds them without reading
the page first; the print CSS keeps its margins clear of them.
"""

from __future__ import annotations

PAGE_WIDTH = 210.0  # A4
PAGE_HEIGHT = 297.0

MARGIN_TOP = 27.0
MARGIN_BOTTOM = 22.0
MARGIN_SIDE = 18.0

CORNER_MARK_SIZE = 5.0
CORNER_MARK_INSET = 10.0
"""Distance of each corner mark's centre from the two nearest page edges."""

QR_X, QR_Y, QR_SIZE = 176.0, 4.0, 16.0
SERIAL_BASELINE = 23.5
"""The serial number is printed centred under the QR code, at this baseline."""
SERIAL_FONT_SIZE = 8.0  # points
LARGE_PRINT_SMALLEST = 11.0
"""Points of the smallest text on a large-print form: codes, the serial, page id and footer."""
MM_PER_PX = 25.4 / 96  # CSS pixels, the unit of WeasyPrint's layout
PT_PER_MM = 72 / 25.4


def corner_mark_centres() -> list[tuple[float, float]]:
    """Top-left, top-right, bottom-left, bottom-right."""
    near, far_x, far_y = CORNER_MARK_INSET, PAGE_WIDTH - CORNER_MARK_INSET, (
        PAGE_HEIGHT - CORNER_MARK_INSET)
    return [(near, near), (far_x, near), (near, far_y), (far_x, far_y)]
