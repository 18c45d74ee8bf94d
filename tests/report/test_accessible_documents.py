"""Documents an organisation can publish and reuse: the report and the one-pagers are tagged
PDFs (PDF/UA-1) whose charts carry their alt texts, looking exactly as untagged ones; the
slides' charts are native charts holding the results table's figures."""

import html
import io
import math
import re
import subprocess
import zipfile
from collections import Counter

import pandas as pd
import pytest
from html_pages import read_page
from openpyxl import load_workbook
from PIL import Image, ImageChops
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from weasyprint import HTML

from survey.report.pdf import OwnAssetsOnly
from survey.report.safe_text import clean

PICTURE_KINDS = ("quadrant",)
"""What stays a picture on the slides: the quadrant (named points, mean lines, corners)."""


def pdfinfo(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in
                                                    out.decode().splitlines())}


def elements(path):
    """(type, alt) of every structure element, walking the tree from its root; the catalog."""
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    found = []

    def walk(node):
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            found.append((str(node["/S"]), node.get("/Alt")))
            if "/K" in node:
                walk(node["/K"])

    walk(catalog["/StructTreeRoot"].get_object()["/K"])
    return found, catalog


@pytest.mark.parametrize("name", ["report", "one-pagers"])
def test_report_pdfs_are_tagged_with_language_title_headings_tables_and_alt_texts(
        report_de, name):
    pdf = report_de / f"{name}.pdf"
    info = pdfinfo(pdf)
    assert info["Tagged"] == "yes"
    page = read_page(report_de / f"{name}.html")
    title = html.unescape(re.search(r"<title>(.*?)</title>", (report_de / f"{name}.html")
                                    .read_text(encoding="utf-8")).group(1))
    found, catalog = elements(pdf)
    kinds = Counter(kind for kind, _ in found)
    assert catalog["/Lang"] == "de"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert info["Title"] == title
    assert kinds["/H1"] >= 1 and kinds["/Table"] and kinds["/TH"]
    if name == "report":
        assert kinds["/H1"] == 1 and kinds["/H2"] >= 5
    alts = [attrs["alt"] for tag, attrs in page.tags if tag == "img"]
    figures = [str(alt) for kind, alt in found if kind == "/Figure"]
    assert alts and figures == alts  # every chart, in order, with the alt of its data
    assert all(a.startswith(("Balkendiagramm", "Streudiagramm")) for a in figures)


def test_tagging_changes_nothing_visible(report_de, tmp_path):
    """The report page rendered without tags: the same pages, the same pixels."""
    page = report_de / "report.html"
    fetcher = OwnAssetsOnly([report_de / "assets", report_de / "charts"])
    plain = tmp_path / "plain.pdf"
    HTML(filename=str(page), base_url=str(report_de), url_fetcher=fetcher).write_pdf(plain)
    assert pdfinfo(plain)["Tagged"] == "no"
    tagged = report_de / "report.pdf"
    assert pdfinfo(plain)["Pages"] == pdfinfo(tagged)["Pages"]
    chart_page = first_figure_page(tagged)
    for number in (1, chart_page):
        images = []
        for pdf in (plain, tagged):
            stem = tmp_path / f"{pdf.stem}-{number}"
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(number),
                            "-l", str(number), pdf, stem], check=True)
            images.append(Image.open(f"{stem}.png").convert("RGB"))
        assert ImageChops.difference(*images).getbbox() is None, f"page {number} differs"


def first_figure_page(path):
    reader = PdfReader(path)
    pages = [p.indirect_reference.idnum for p in reader.pages]
    stack = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()["/K"]]
    while stack:
        node = stack.pop(0)
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, ArrayObject):
            stack[:0] = list(node)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            if node["/S"] == "/Figure":
                return pages.index(node.raw_get("/Pg").idnum) + 1
            if "/K" in node:
                stack.insert(0, node["/K"])
    raise AssertionError("no figure")


def chart_slides(deck):
    for slide in deck.slides:
        charts = [s.chart for s in slide.shapes if s.has_chart]
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        if charts or pictures:
            yield slide, charts, pictures


def test_slide_charts_are_native_and_hold_the_results_tables_figures(report_de, project):
    table = pd.read_csv(project / "results" / "results.csv", dtype={"group": str})
    deck = Presentation(str(report_de / "slides.pptx"))
    native = pictures_seen = summed = 0
    for slide, charts, pictures in chart_slides(deck):
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.strip()
        if pictures:
            assert not charts and "Streudiagramm" in notes  # the quadrant only
            pictures_seen += 1
            continue
        (chart,) = charts
        native += 1
        plot = chart.plots[0]
        names = list(plot.categories)
        series = list(plot.series)
        assert 1 <= len(series) <= 2
        for one in series:
            assert len(list(one.values)) == len(names) <= 8
        rows = find_rows(table, names, list(series[0].values))
        other = [k for k, n in enumerate(names) if n.startswith("weitere Antworten (")]
        for k, name in enumerate(names):
            value = series[0].values[k]
            if k in other:
                count = int(name.split("(")[1].rstrip(")"))
                rest = rows["rest"]
                assert len(rest) == count
                assert math.isclose(value, rest["estimate"].sum(), rel_tol=1e-12)
                summed += 1
            else:
                row = rows["rows"][k]
                assert value == row["estimate"]
        if len(series) == 2:  # an area against all respondents
            totals = table[(table["indicator"] == rows["indicator"])
                           & (table["breakdown"] == "total")].set_index("category")
            for k, row in enumerate(rows["rows"]):
                assert series[1].values[k] == totals.loc[row["category"], "estimate"]
        assert chart.value_axis.tick_labels.font.size.pt >= 14
        assert chart.category_axis.tick_labels.font.size.pt >= 14
        assert plot.data_labels.font.size.pt >= 14
        assert plot.data_labels.number_format == '#,##0.0"\u00a0"%'  # German: "38,2 %"
    assert native >= 10 and pictures_seen == 1 and summed >= 1


def find_rows(table, names, values):
    """The results-table rows a chart's bars show: the indicator (and group) whose
    estimates are the bars' values, in order; with the rows a summing bar stands for."""
    shown = [v for n, v in zip(names, values, strict=True)
             if not n.startswith("weitere Antworten (")]
    for (indicator, _breakdown, _group), rows in table.groupby(
            ["indicator", "breakdown", "group"], sort=False):
        by_value = {r["estimate"]: r for _, r in rows.iterrows()}
        if all(v in by_value for v in shown):
            chosen = [by_value[v] for v in shown]
            if [clean(str(r["category_label"])) for r in chosen] != [
                    n for n in names if not n.startswith("weitere Antworten (")]:
                continue
            rest = rows[~rows["category"].isin([r["category"] for r in chosen])
                        & rows["estimate"].notna() & ~rows["flags"].fillna("").str.contains(
                            "suppressed")]
            return {"indicator": indicator, "rows": chosen, "rest": rest}
    raise AssertionError(f"no rows of the results table hold {names}: {values}")


def test_slide_chart_data_is_text_never_a_formula(report_de):
    """The hostile label =HYPERLINK(...) is a category: in the chart's own workbook it is
    text, not a formula."""
    deck = Presentation(str(report_de / "slides.pptx"))
    seen = False
    for _slide, charts, _pictures in chart_slides(deck):
        for chart in charts:
            blob = chart.part.chart_workbook.xlsx_part.blob
            book = load_workbook(io.BytesIO(blob))
            for row in book.active.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", cell.value
                    seen |= "HYPERLINK" in str(cell.value)
            with zipfile.ZipFile(io.BytesIO(blob)) as archive:
                assert not any("<f>" in archive.read(n).decode("utf-8", "replace")
                               for n in archive.namelist() if n.endswith(".xml"))
    assert seen


def test_summary_and_method_slides_are_short_with_the_detail_in_the_notes(report_de):
    deck = Presentation(str(report_de / "slides.pptx"))
    slides = list(deck.slides)
    for slide, heading in ((slides[1], "Zusammenfassung"), (slides[-1], "Methode")):
        boxes = [s.text_frame for s in slide.shapes if s.has_text_frame]
        assert boxes[0].text == heading
        bullets = [p.text for frame in boxes[1:] for p in frame.paragraphs if p.text]
        assert 2 <= len(bullets) <= 5
        notes = slide.notes_slide.notes_text_frame.text
        assert len(notes) > 2 * sum(len(b) for b in bullets)
