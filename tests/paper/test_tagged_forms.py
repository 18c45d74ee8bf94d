"""Paper forms are tagged PDFs (PDF/UA-1) after the QR codes and serials are stamped on: a
structure tree with headings and tables, the form's language and title, and pages that look
exactly like an untagged form's, with the same box positions for scanning."""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from survey.paper.form import paper_form
from survey.paper.layout_file import placed_boxes
from survey.paper.overrides import Overrides
from survey.paper.produce import make_form
from survey.paper.qr import PageId
from survey.paper.render import render_document
from survey.paper.stamp import stamped_pdf
from survey.questionnaire import load_questionnaire

ROOT = Path(__file__).resolve().parents[2]
EVENT = ROOT / "questionnaires" / "examples" / "event-feedback.yaml"


def pdfinfo(pdf: Path | bytes) -> dict[str, str]:
    data = pdf if isinstance(pdf, bytes) else None
    args = ["pdfinfo", "-" if data is not None else str(pdf)]
    out = subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in
                                                    out.splitlines())}


def structure(pdf: Path | bytes) -> tuple[Counter, DictionaryObject]:
    """Structure element types in the tree (by walking it from the root), and the catalog."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    catalog = reader.trailer["/Root"]
    found: Counter = Counter()

    def walk(node: object) -> None:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            found[str(node["/S"])] += 1
            if "/K" in node:
                walk(node["/K"])

    walk(catalog["/StructTreeRoot"].get_object()["/K"])
    return found, catalog


@pytest.fixture(scope="module")
def event():
    return load_questionnaire(EVENT)


@pytest.fixture(scope="module")
def forms(event, tmp_path_factory):
    out = tmp_path_factory.mktemp("tagged")
    return {"+".join(languages): make_form(event, languages, out)
            for languages in (("de",), ("ar",), ("de", "ar"))}


@pytest.mark.parametrize(("variant", "lang"), [("de", "de"), ("ar", "ar"), ("de+ar", "de")])
def test_every_form_is_tagged_with_its_language_and_title(event, forms, variant, lang):
    made = forms[variant]
    info = pdfinfo(made.pdf)
    assert info["Tagged"] == "yes"
    assert int(info["Pages"]) == made.pages
    title = event.survey.title.get(variant.split("+")[0])
    assert info["Title"] == title
    tags, catalog = structure(made.pdf)
    assert catalog["/Lang"] == lang  # a bilingual form: the first (upper) language
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert catalog["/MarkInfo"]["/Marked"]
    assert tags["/H1"] == 1 and tags["/H2"] >= 1
    assert tags["/Table"] and tags["/TD"]
    assert b"pdfuaid:part=\"1\"" in catalog["/Metadata"].get_object().get_data()


def page_image(pdf: bytes, page: int, folder: Path, name: str) -> Image.Image:
    (folder / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page), "-l",
                    str(page), folder / f"{name}.pdf", folder / name], check=True)
    return Image.open(folder / f"{name}.png").convert("RGB")


def test_tagging_changes_no_page_and_no_box(event, tmp_path):
    """The same laid-out form written untagged and tagged, both stamped: every page renders
    to the same pixels, and the boxes the layout file records are the same."""
    form = paper_form(event, ("de", "ar"), Overrides().organisation(("de", "ar")),
                      Overrides().digits())
    document = render_document(form, Overrides(), serials=False)
    ids = [[PageId(form.questionnaire_id, form.version, form.language_label, page, None)
            for page in range(1, len(document.pages) + 1)]]
    plain = stamped_pdf(document.write_pdf(), ids, None)
    tagged = stamped_pdf(document.write_pdf(pdf_variant="pdf/ua-1"), ids, None)
    assert pdfinfo(plain)["Tagged"] == "no" and pdfinfo(tagged)["Tagged"] == "yes"
    assert pdfinfo(plain)["Pages"] == pdfinfo(tagged)["Pages"]
    for page in (1, len(document.pages)):
        images = [page_image(pdf, page, tmp_path, name)
                  for pdf, name in ((plain, "plain"), (tagged, "tagged"))]
        assert ImageChops.difference(*images).getbbox() is None, f"page {page} differs"
    again = render_document(form, Overrides(), serials=False)
    assert placed_boxes(again) == placed_boxes(document)


def test_serialised_copies_stay_tagged(event, tmp_path):
    made = make_form(event, ("ar",), tmp_path, ["000007", "000008"])
    info = pdfinfo(made.pdf)
    assert info["Tagged"] == "yes" and int(info["Pages"]) == 2 * made.pages
    tags, catalog = structure(made.pdf)
    assert catalog["/Lang"] == "ar" and tags["/H1"] == 1  # the tree of the first copy
    reader = PdfReader(made.pdf)
    assert [p.get("/StructParents") for p in reader.pages[:made.pages]] == list(
        range(made.pages))
