"""The marks a scanner needs, drawn onto every page of the laid-out form: corner marks, the QR
page id and the serial number.

The form is laid out once; each copy's pages reuse its page contents and only add this small
drawing, so 500 serialised copies cost little more than one, and the file stays small.

The laid-out form is a tagged PDF (PDF/UA-1: structure tree, language, title); the stamped
file keeps all of that, and the marks are drawn as artifacts (they are for the scanner, not
for a reader). A file of serialised copies is a print job of identical forms: its structure
tree describes the first copy only (a tree per copy would make 500 copies some 200 MB), so
it does not claim PDF/UA; the form as published (one copy) does.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
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


def stamp_ops(page_id: PageId, serial_slot: tuple[float, float] | None,
              serial_size: float = g.SERIAL_FONT_SIZE) -> bytes:
    """The drawing for one page; `serial_slot` is where the cover's serial field is (mm),
    `serial_size` the points of the serial number under the QR code."""
    half = g.CORNER_MARK_SIZE / 2
    ops = ["/Artifact BMC", "q 0 0 0 rg"]
    ops += [_rect(x - half, y - half, g.CORNER_MARK_SIZE, g.CORNER_MARK_SIZE)
            for x, y in g.corner_mark_centres()]
    ops.append("f")
    ops += _qr_ops(page_id.payload())
    if page_id.serial:
        ops += _serial_ops(page_id.serial, g.QR_X + g.QR_SIZE / 2, g.SERIAL_BASELINE,
                           serial_size)
        if serial_slot is not None:
            ops += _serial_ops(page_id.serial, *serial_slot, size=12)
    ops += ["Q", "EMC"]
    return "\n".join(ops).encode("ascii")


def _dictionary(found: PdfObject) -> DictionaryObject:
    """The dictionary `found` is or refers to: pages, resources, the catalog and structure
    elements are all dictionaries."""
    resolved = found.get_object()
    assert isinstance(resolved, DictionaryObject)
    return resolved


def _reference(page: PageObject) -> IndirectObject:
    """Where `page` is in its file (known for every page read or added)."""
    assert page.indirect_reference is not None
    return page.indirect_reference


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode() if len(data) > 64 else stream)


def stamped_pdf(base_pdf: bytes, page_ids: list[list[PageId]],
                serial_slot: tuple[float, float] | None,
                serial_size: float = g.SERIAL_FONT_SIZE) -> bytes:
    """One PDF holding, for each copy, every page of `base_pdf` with its marks drawn on.

    `page_ids[copy][page]`; `serial_slot` is the (x, baseline) of the cover's serial field;
    `serial_size` the points of the serial under the QR code.
    """
    reader = PdfReader(io.BytesIO(base_pdf))
    writer = PdfWriter()
    copies: list[list[IndirectObject]] = []
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica-Bold")})
    font_ref = writer._add_object(font)
    save, restore = _stream(writer, b"q"), _stream(writer, b"Q")
    for copy in page_ids:
        copies.append([])
        for index, page_id in enumerate(copy):
            page = writer.add_page(reader.pages[index])
            copies[-1].append(_reference(page))
            original = page.raw_get("/Contents")  # the reference, shared by every copy
            contents = original.get_object()
            parts = list(contents) if isinstance(contents, ArrayObject) else [original]
            slot = serial_slot if index == 0 else None
            page[NameObject("/Contents")] = ArrayObject(
                [save, *parts, restore, _stream(writer, stamp_ops(page_id, slot, serial_size))])
            resources = _dictionary(page[NameObject("/Resources")])
            fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
            fonts[FONT] = font_ref
    _carry_document(reader, writer, copies)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _carry_document(reader: PdfReader, writer: PdfWriter,
                    copies: list[list[IndirectObject]]) -> None:
    """What makes the laid-out form accessible, carried into the stamped file: title and
    information, language, MarkInfo, "show the title", the structure tree (of the first
    copy) and, for a single copy, the XMP metadata with the PDF/UA claim."""
    writer.pdf_header = reader.pdf_header
    if reader.metadata:
        writer.add_metadata({key: value for key, value in reader.metadata.items()
                             if isinstance(value, str)})
    catalog = _dictionary(reader.trailer["/Root"])
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
        if key in catalog:
            writer._root_object[NameObject(key)] = catalog[key].clone(writer)  # resolved
    if "/Metadata" in catalog and len(copies) == 1:
        found = catalog["/Metadata"].get_object()
        assert isinstance(found, StreamObject)
        metadata = DecodedStreamObject()  # uncompressed, as readers of XMP expect
        metadata.set_data(found.get_data())
        metadata[NameObject("/Type")] = NameObject("/Metadata")
        metadata[NameObject("/Subtype")] = NameObject("/XML")
        writer._root_object[NameObject("/Metadata")] = writer._add_object(metadata)
    if "/StructTreeRoot" in catalog and copies:
        _structure(reader, writer, copies[0])


def _structure(reader: PdfReader, writer: PdfWriter, pages: list[IndirectObject]) -> None:
    """The form's structure tree, its elements pointing at `pages` (the first copy's), and
    the parent tree mapping those pages' marked content to the elements."""
    old_root = _dictionary(_dictionary(reader.trailer["/Root"])["/StructTreeRoot"])
    tops = old_root["/K"]
    found = tops.get_object()
    old_document = found[0] if isinstance(found, ArrayObject) else tops
    if not isinstance(old_document, IndirectObject):
        return
    parents: dict[int, ArrayObject] = {}
    nums = _dictionary(old_root["/ParentTree"])["/Nums"]
    assert isinstance(nums, ArrayObject)  # a flat number tree: [key, value, key, value ...]
    for k in range(0, len(nums) - 1, 2):
        value = nums[k + 1].get_object()
        if isinstance(value, ArrayObject):
            parents[int(nums[k])] = value
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(root)
    tree = _CopiedTree(reader, writer, pages, old_document.idnum)
    document_ref = tree.element(old_document, root_ref)
    numbers = ArrayObject()
    for index, page in enumerate(pages):
        number = int(reader.pages[index].get("/StructParents", index))
        _dictionary(page)[NameObject("/StructParents")] = NumberObject(number)
        numbers += [NumberObject(number), ArrayObject(
            tree.made_for(old, document_ref) for old in parents.get(number, ArrayObject()))]
    root[NameObject("/K")] = ArrayObject([document_ref])
    root[NameObject("/ParentTree")] = writer._add_object(
        DictionaryObject({NameObject("/Nums"): numbers}))
    root[NameObject("/ParentTreeNextKey")] = NumberObject(len(pages))
    writer._root_object[NameObject("/StructTreeRoot")] = root_ref


class _CopiedTree:
    """The form's structure elements copied into the writer, on the writer's pages."""

    def __init__(self, reader: PdfReader, writer: PdfWriter, pages: list[IndirectObject],
                 old_document: int):
        self.writer = writer
        self.pages = pages
        self.page_of = {_reference(page).idnum: k for k, page in enumerate(reader.pages)}
        self.old_document = old_document
        self.made: dict[int, IndirectObject] = {}

    def element(self, old_ref: IndirectObject, parent: IndirectObject) -> IndirectObject:
        old = _dictionary(old_ref)
        new = DictionaryObject()
        ref = self.writer._add_object(new)
        self.made[old_ref.idnum] = ref
        for key, value in old.items():
            name = NameObject(key)
            if key == "/P":
                new[name] = parent
            elif key == "/Pg":
                new[name] = self.pages[self.page_of[value.idnum]]
            elif key == "/K":
                new[name] = self.kids(value, ref)
            else:
                new[name] = value.clone(self.writer)
        return ref

    def kids(self, value: PdfObject, parent: IndirectObject) -> ArrayObject:
        found = value.get_object()
        items = list(found) if isinstance(found, ArrayObject) else [value]
        kept = ArrayObject()
        for item in items:
            if isinstance(item, NumberObject):
                kept.append(NumberObject(item))  # marked content on the element's page
            elif isinstance(item, IndirectObject) and "/S" in _dictionary(item):
                kept.append(self.element(item, parent))
            # an /OBJR (a link annotation) is left out: the form has no links
        return kept

    def made_for(self, old_ref: IndirectObject, document: IndirectObject) -> IndirectObject:
        """The copy of `old_ref`; an element outside the tree (WeasyPrint tags the page
        margins' text without linking it in) is copied with its own outside parents."""
        if old_ref.idnum not in self.made:
            parent = _dictionary(old_ref).get("/P")
            if parent is None or parent.idnum == self.old_document:
                self.element(old_ref, document)
            else:
                self.made_for(parent, document)
                if old_ref.idnum not in self.made:
                    self.element(old_ref, self.made[parent.idnum])
        return self.made[old_ref.idnum]
