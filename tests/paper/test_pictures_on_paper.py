"""SVG pictograms on paper: drawn sharply as vectors, adding no stray text, and carrying their
alt text (or none, when decorative) in the tagged PDF in the form's language."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from paper_pdf import page_images, page_texts
from picture_questionnaire import QUESTIONNAIRE, picture_questionnaire
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from survey.paper.produce import make_form
from survey.questionnaire import load_questionnaire

pytestmark = pytest.mark.slow


def figures(pdf: Path) -> list[str | None]:
    """The alt text of every Figure in the PDF's structure tree (None: it has none)."""
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    found: list[str | None] = []

    def walk(node: object) -> None:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            if node["/S"] == "/Figure":
                found.append(str(node["/Alt"]) if "/Alt" in node else None)
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"].get_object()["/K"])
    return found


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pictures")
    questionnaire = load_questionnaire(picture_questionnaire(folder))
    plain = tmp_path_factory.mktemp("plain")
    without = load_questionnaire(picture_questionnaire(plain, "\n".join(
        line for line in QUESTIONNAIRE.splitlines()
        if "image" not in line and "file:" not in line and "alt:" not in line)))
    (folder / "out").mkdir()
    (plain / "out").mkdir()
    made = {"+".join(languages): make_form(questionnaire, languages, folder / "out").pdf
            for languages in (("de",), ("ar",), ("de", "en"))}
    made["none"] = make_form(without, ("de",), plain / "out").pdf
    return made


@pytest.mark.parametrize(("variant", "alts"), [
    ("de", ["Zwei Menschen", "Ein Haus"]), ("ar", ["شخصان", "منزل"]),
    ("de+en", ["Two people", "A house"])])
def test_the_tagged_pdf_carries_alt_text_in_the_forms_language(forms, variant, alts):
    described = [alt for alt in figures(forms[variant]) if alt]
    assert described[:2] == alts
    assert "Arbeit" not in described and "Work" not in described, \
        "the decorative picture has no alt text"


def test_the_pictograms_add_no_text_and_print_as_vectors(forms):
    text = " ".join(page_texts(forms["de"]))
    for label in ("Wobei brauchen Sie Hilfe?", "Wohnung", "Arbeit"):
        assert label in text
    for odd in ("svg", "xmlns", "path", "Ein Haus", "Zwei Menschen", "M6"):
        assert odd not in text
    listed = subprocess.run(["pdfimages", "-list", str(forms["de"])], capture_output=True,
                            text=True, check=True).stdout
    assert not [line for line in listed.splitlines()[2:]
                if " image " in line and "stencil" not in line], \
        "an SVG is drawn as paths, never as a blurry bitmap"


def test_the_pictograms_are_visible_on_the_page(forms):
    def ink(pdf: Path) -> int:
        page = page_images(pdf, dpi=60, first=1)[0].convert("L")
        return sum(count for count, value in page.getcolors(256) if value < 100)

    assert ink(forms["de"]) > ink(forms["none"]) + 300
