"""Hostile text in questionnaire labels and open answers is neutralised in every format:
escaped in HTML, literal in the PDF, never a formula in XLSX, no bidi override anywhere, and
never fetched."""

import re
from xml.etree import ElementTree

import pandas as pd
from html_pages import read_page
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader
from report_project import BIDI, HOSTILE_ANSWERS


def test_html_escapes_labels_and_answers(report_de):
    for name in ("report.html", "one-pagers.html"):
        page = read_page(report_de / name)
        assert not [t for t, _ in page.tags if t == "script"]
        sources = [a["src"] for t, a in page.tags if t == "img"]
        assert all(s.startswith("charts/") for s in sources)
        text = "".join(page.text)
        assert not BIDI.search((report_de / name).read_text(encoding="utf-8"))
        if name == "report.html":
            assert "<script>alert('x')</script> Wohnungssuche" in text
            assert '<img src="http://127.0.0.1:9/leak.png"> Kontakte' in text
            assert "{{ 7*7 }} Teilhabe" in text and "49 Teilhabe" not in text
            assert "<script>alert('answer')</script>" in text


def test_pdf_shows_hostile_text_literally(report_de):
    text = "".join(p.extract_text() for p in PdfReader(report_de / "report.pdf").pages)
    assert "<script>alert('x')</script>" in text.replace("\n", " ")
    assert "{{ 7*7 }}" in text
    assert not BIDI.search(text)


def test_xlsx_never_holds_a_formula(report_de):
    book = load_workbook(report_de / "tables.xlsx")
    seen_hostile = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert not value.startswith(("=", "+", "-", "@")), value
                    assert not BIDI.search(value)
                    seen_hostile |= value.startswith("'=HYPERLINK")
    assert seen_hostile


def test_slides_and_chart_pack_carry_no_bidi_override_and_mark_arabic(report_de):
    deck = Presentation(str(report_de / "slides.pptx"))
    rtl = []
    for slide in deck.slides:
        frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
        frames.append(slide.notes_slide.notes_text_frame)
        for frame in frames:
            for paragraph in frame.paragraphs:
                assert not BIDI.search(paragraph.text)
                if re.match(r"\W*[\u0600-\u06ff]", paragraph.text):
                    rtl.append(paragraph._p.pPr is not None
                               and paragraph._p.pPr.get("rtl") == "1")
    assert rtl and all(rtl)
    alt = (report_de / "chart-pack" / "alt-texts.csv").read_text(encoding="utf-8")
    assert not BIDI.search(alt)
    for svg in (report_de / "charts").glob("*.svg"):
        elements = ElementTree.parse(svg).getroot().iter()
        for element in elements:
            assert not element.tag.endswith(("script", "image", "foreignObject")), svg
            assert not any("http" in v for k, v in element.attrib.items() if "href" in k)


def test_open_answers_shown_are_the_scrubbed_ones(report_de, project):
    page = read_page(report_de / "report.html")
    answers = pd.read_csv(project / "results" / "open-answers.csv", dtype=str)
    known = {BIDI.sub("", a) for a in answers["answer"]}
    shown = [t for t in page.text if t.strip() and t in known]
    assert len(shown) >= len(HOSTILE_ANSWERS) - 1
    assert '<img src="http://[phone]:9/a.png">' in shown
