"""A plan's regression indicator in the report: a table of odds ratios in German and English
whose every figure is the results table's, with the reference group named; a project without
one has no such section (a project made with `survey init`, not the flagship)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from html_pages import expected, read_page
from pypdf import PdfReader
from starter_project import MODEL, starter_project, with_indicator
from support import run

HEADINGS = {"de": "Wer eher so antwortet", "en": "Who is more likely"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = starter_project(tmp_path_factory.mktemp("models") / "project")
    with_indicator(root, MODEL)
    assert run("analyse", root).exit_code == 0
    for language in HEADINGS:
        made = run("report", root, "--lang", language, "--format", "html,pdf",
                   "--out", root / f"out-{language}")
        assert made.exit_code == 0, made.output
    return root


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_the_odds_ratios_table_prints_the_results_figures(project, language) -> None:
    table = pd.read_csv(project / "results" / "results.csv", dtype={"category": str})
    table["key"] = (table["indicator"] + "|" + table["breakdown"] + "|" + table["group"] + "|"
                    + table["category"])
    table = table.set_index("key")
    page = read_page(project / f"out-{language}" / "report.html")
    model = [(ref, text, style) for (ref, text), style in zip(page.figures, page.styles,
                                                               strict=True)
             if ref.startswith("counselling_model|")]
    columns = {ref.rsplit("|", 1)[1] for ref, _, _ in model}
    assert columns == {"estimate", "p_value", "unweighted_n"}  # in the model's table only
    assert len(model) == 4 * 3
    for ref, text, style in model:
        key, column = ref.rsplit("|", 1)
        assert text == expected(table.loc[key, column], column, False, language, style), ref


@pytest.mark.parametrize("language, words", [
    ("de", ("Chancenverhältnis", "Vergleichsgruppen", "Nord", "bereinigt")),
    ("en", ("Odds ratio", "Reference groups", "North", "adjusted")),
])
def test_the_report_explains_the_table_in_its_language(project, language, words) -> None:
    text = " ".join(page.extract_text() for page in
                    PdfReader(project / f"out-{language}" / "report.pdf").pages)
    text = " ".join(text.split())
    assert HEADINGS[language] in text
    for word in words:
        assert word in text, word


def test_a_plan_without_a_model_has_no_model_section(tmp_path) -> None:
    root = starter_project(tmp_path / "plain")
    assert run("analyse", root).exit_code == 0
    assert run("report", root, "--lang", "en", "--format", "html",
               "--out", root / "out").exit_code == 0
    assert HEADINGS["en"] not in (root / "out" / "report.html").read_text(encoding="utf-8")
