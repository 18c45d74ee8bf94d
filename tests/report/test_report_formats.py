"""The documents open again and hold what a reader expects: slides per finding with notes,
a sheet per indicator, one page per area, the chart pack with its alt texts."""

import csv

from html_pages import read_page
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader
from report_project import PLAN
from support import run


def test_xlsx_has_a_contents_sheet_and_one_sheet_per_indicator(report_de, project):
    book = load_workbook(report_de / "tables.xlsx")
    indicators = list(dict.fromkeys(
        row[0] for row in csv.reader((project / "results" / "results.csv").open(
            encoding="utf-8")) if row[0] != "indicator"))
    assert book.sheetnames[0] == "Inhalt"
    assert len(book.sheetnames) == len(indicators) + 1
    contents = book["Inhalt"]
    links = [c.hyperlink.location if c.hyperlink.location else c.hyperlink.target
             for c in contents["A"] if c.hyperlink is not None]
    assert len(links) == len(indicators)
    sheet = book[book.sheetnames[1]]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    estimate = header.index("Schätzwert") + 1
    assert sheet.cell(row=2, column=estimate).number_format == "0.0%"


def test_pptx_has_title_one_slide_per_finding_and_method(report_de):
    deck = Presentation(str(report_de / "slides.pptx"))
    page = read_page(report_de / "report.html")
    figures = sum(1 for tag, attrs in page.tags if tag == "figure")
    slides = list(deck.slides)
    assert len(slides) == 1 + 1 + figures + 1  # title, summary, findings, method
    texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
             for slide in slides]
    assert "Methode" in texts[-1]
    finding = slides[2]
    assert any(s.has_chart for s in finding.shapes)  # a native chart, not a picture
    notes = finding.notes_slide.notes_text_frame.text
    assert "Genaue Zahlen:" in notes and "n = " in notes and "Einschränkungen:" in notes


def test_one_pagers_are_one_page_per_area(report_de):
    page = read_page(report_de / "one-pagers.html")
    areas = sum(1 for tag, attrs in page.tags if tag == "section")
    assert areas == 4  # Leipzig, Dresden, Chemnitz, rest of Saxony
    assert len(PdfReader(report_de / "one-pagers.pdf").pages) == areas


def test_chart_pack_has_every_chart_with_its_alt_text(report_de):
    pack = report_de / "chart-pack"
    rows = list(csv.DictReader((pack / "alt-texts.csv").open(encoding="utf-8")))
    assert rows and all((pack / r["file"]).is_file() and r["alt_text"] for r in rows)
    svgs = {p.stem for p in (report_de / "charts").glob("*.svg")}
    assert {r["file"][:-4] for r in rows} == svgs


def test_every_chart_has_an_alt_text_naming_its_figures(report_de):
    page = read_page(report_de / "report.html")
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert images
    for attrs in images:
        assert attrs["src"].startswith("charts/") and len(attrs["alt"]) > 40
        assert "%" in attrs["alt"] or "," in attrs["alt"]


def test_project_templates_override_the_packaged_ones(project, tmp_path):
    reports = project / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "report.css").write_text("body { color: #123456; }", encoding="utf-8")
    try:
        outcome = run("report", project, "--plan", project / PLAN, "--format", "html",
                      "--out", tmp_path / "out")
    finally:
        (reports / "report.css").unlink()
    assert outcome.exit_code == 0, outcome.output
    assert "#123456" in (tmp_path / "out" / "assets" / "report.css").read_text(encoding="utf-8")


def test_the_flagship_report_says_what_its_project_says(report_de, report_en):
    """The flagship's recruitment and weighting target come from its reports/report.yaml,
    in each report's language; the cover names no file."""
    german = " ".join(read_page(report_de / "report.html").text)
    assert "über Migrantenorganisationen, Beratungsstellen und online erreicht" in german
    assert "an die ausländische Bevölkerung Sachsens angepasst" in german
    assert "Lebenslage und Beteiligung" in german  # a report text the project reworded
    english = " ".join(read_page(report_en / "report.html").text)
    assert "through migrant organisations, counselling services and online" in english
    assert "weighted to the foreign population of Saxony" in english
    for text in (german, english):
        assert "needs-assessment.yaml" not in text and "zusammen.yaml" not in text
