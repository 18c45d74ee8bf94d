"""Every number the report prints is the number in the results table, formatted for the
report's language; suppressed cells appear nowhere."""

import re

import pandas as pd
import pytest
from html_pages import Page, expected, read_page
from pypdf import PdfReader

SHARE_KINDS = {"share", "multi", "needs", "top_ranked", "co_occurrence"}


@pytest.fixture(scope="module")
def table(project):
    frame = pd.read_csv(project / "results" / "results.csv", dtype={"flags": str,
                                                                     "category": str})
    frame["flags"] = frame["flags"].fillna("")
    frame["key"] = (frame["indicator"] + "|" + frame["breakdown"] + "|" + frame["group"] + "|"
                    + frame["category"])
    return frame.set_index("key")


def check_figures(page, table, language):
    assert page.figures and len(page.styles) == len(page.figures)
    for (ref, text), style in zip(page.figures, page.styles, strict=True):
        key, column = ref.rsplit("|", 1)
        row = table.loc[key]
        assert "suppressed" not in row["flags"], f"{ref} is suppressed but printed"
        share = row["kind"] in SHARE_KINDS and column != "base_n"
        assert style, ref
        assert text == expected(row[column], column, share, language, style), ref


def test_every_figure_in_the_german_report_is_the_table_figure(report_de, table):
    check_figures(read_page(report_de / "report.html"), table, "de")


def test_every_figure_in_the_english_report_is_the_table_figure(report_en, table):
    page = read_page(report_en / "report.html")
    check_figures(page, table, "en")
    assert any("%" in text and "." in text for _, text in page.figures)


def test_one_pagers_figures_are_table_figures(report_de, table):
    check_figures(read_page(report_de / "one-pagers.html"), table, "de")


def test_suppressed_cells_never_appear(report_de, table):
    page = read_page(report_de / "report.html")
    refs = {ref.rsplit("|", 1)[0] for ref, _ in page.figures}
    suppressed = set(table.index[table["flags"].str.contains("suppressed")])
    assert suppressed, "the sample must have suppressed cells for this test to mean anything"
    assert not refs & suppressed
    xlsx_rows = pd.read_excel(report_de / "tables.xlsx", sheet_name=None, engine="openpyxl")
    for name, sheet in xlsx_rows.items():
        if "Hinweise" not in sheet.columns:
            continue
        hidden = sheet[sheet["Hinweise"].astype("string").str.contains("suppressed", na=False)]
        assert hidden[["Schätzwert", "Intervall von", "Intervall bis", "Basis (n)"]].isna() \
            .all().all(), name


def figures_in(html):
    """The figures of a piece of a page."""
    page = Page()
    page.feed(html)
    return [t for _, t in page.figures]


def test_the_pdf_states_the_summary_figures(report_de):
    text = " ".join(p.extract_text() for p in PdfReader(report_de / "report.pdf").pages[:4])
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    html = (report_de / "report.html").read_text(encoding="utf-8")
    summary = figures_in(html.split('id="summary"')[1].split("</section>")[0])
    assert summary
    for figure in summary:
        assert figure.replace("\u00a0", " ") in text, figure
