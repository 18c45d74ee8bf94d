"""The marks a scanner needs, drawn onto every page of the laid-out form: corner marks, the QR
page id and the serial number.

The form is laid out once; each copy's pages reuse its page contents and only add this small
drawing, so 500 serialised copies cost little more than one, and the file stays small.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
)

from survey.paper import geometry as g
from survey.paper.qr import PageId, qr_modules

FONT = NameObject("/SVStamp")
HELVETICA_DIGIT_WIDTH = 0.556  # of the font size; every digit of Helvetica is this wide


def _pt(mm: float) -> float:
    return mm * g.PT_PER_MM


def _rect(x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> str:
    """A rectangle given from the top-left of the page, in PDF coordinates (from bottom-left)."""
    return (f"{_pt(x_mm):.3f} {_pt(g.PAGE_HEIGHT - y_mm - h_mm):.3f} "
            f"{_pt(w_mm):.3f} {_pt(h_mm):.3f} re")


def _qr_ops(payload: str) -> list[str]:
    """The code as one inline image mask, one bit per module: a few hundred bytes per page,
    drawn with hard edges at any resolution."""
    modules = qr_modules(payload)
    count = len(modules)
    data = bytearray()
    for row in modules:
        bits = "".join("0" if dark else "1" for dark in row).ljust((count + 7) // 8 * 8, "1")
        data += int(bits, 2).to_bytes(len(bits) // 8, "big")
    x, y = _pt(g.QR_X), _pt(g.PAGE_HEIGHT - g.QR_Y - g.QR_SIZE)
    size = _pt(g.QR_SIZE)
    return [f"q {size:.3f} 0 0 {size:.3f} {x:.3f} {y:.3f} cm",
            f"BI /IM true /W {count} /H {count} /BPC 1 /F /AHx ID {data.hex()}> EI Q"]


def _serial_ops(serial: str, x_mm: float, baseline_mm: float, size: float) -> list[str]:
    width = len(serial) * HELVETICA_DIGIT_WIDTH * size
    x = _pt(x_mm) - width / 2
    y = _pt(g.PAGE_HEIGHT - baseline_mm)
    return [f"BT {FONT} {size} Tf {x:.3f} {y:.3f} Td ({serial}) Tj ET"]


def stamp_ops(page_id: PageId, serial_slot: tuple[float, float] | None) -> bytes:
    """The drawing for one page; `serial_slot` is where the cover's serial field is (mm)."""
    half = g.CORNER_MARK_SIZE / 2
    ops = ["q 0 0 0 rg"]
    ops += [_rect(x - half, y - half, g.CORNER_MARK_SIZE, g.CORNER_MARK_SIZE)
            for x, y in g.corner_mark_centres()]
    ops.append("f")
    ops += _qr_ops(page_id.payload())
    if page_id.serial:
        ops += _serial_ops(page_id.serial, g.QR_X + g.QR_SIZE / 2, g.SERIAL_BASELINE,
                           g.SERIAL_FONT_SIZE)
        if serial_slot is not None:
            ops += _serial_ops(page_id.serial, *serial_slot, size=12)
    ops.append("Q")
    return "\n".join(ops).encode("ascii")


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode() if len(data) > 64 else stream)


def stamped_pdf(base_pdf: bytes, page_ids: list[list[PageId]],
                serial_slot: tuple[float, float] | None) -> bytes:
    """One PDF holding, for each copy, every page of `base_pdf` with its marks drawn on.

    `page_ids[copy][page]`; `serial_slot` is the (x, baseline) of the cover's serial field.
    """
    reader = PdfReader(io.BytesIO(base_pdf))
    writer = PdfWriter()
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica-Bold")})
    font_ref = writer._add_object(font)
    save, restore = _stream(writer, b"q"), _stream(writer, b"Q")
    for copy in page_ids:
        for index, page_id in enumerate(copy):
            page = writer.add_page(reader.pages[index])
            original = page.raw_get("/Contents")  # the reference, shared by every copy
            contents = original.get_object()
            parts = list(contents) if isinstance(contents, ArrayObject) else [original]
            slot = serial_slot if index == 0 else None
            page[NameObject("/Contents")] = ArrayObject(
                [save, *parts, restore, _stream(writer, stamp_ops(page_id, slot))])
            resources = page[NameObject("/Resources")].get_object()
            fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
            fonts[FONT] = font_ref
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
