"""Writing the outcome of a plan: results.csv and results.xlsx (the table reports read),
weights.csv, diagnostics.md, and open-answers.csv when the plan publishes scrubbed free text.

Every text cell goes through survey.safe_cells: labels and answers come from questionnaires and
respondents, and a cell starting with = + - @ would otherwise run as a formula when the file is
opened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from survey.safe_cells import neutralise
from survey.stats.plan.model import PROPORTION_KINDS
from survey.stats.plan.result import AnalysisResult

PERCENT = "0.0%"
DECIMAL = "0.00"
COUNT = "#,##0"
WEIGHTED = "#,##0.0"
P_VALUE = "0.0000"
_FIGURES = ("estimate", "se", "ci_low", "ci_high")
_WIDTHS = {"indicator_label": 40, "breakdown_label": 24, "group_label": 24,
           "category_label": 32, "flags": 28}


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(neutralise)
    if frame.index.dtype == object or pd.api.types.is_string_dtype(frame.index):
        frame.index = frame.index.map(neutralise)
    return frame


def _cell(value: Any) -> Any:
    """A value openpyxl writes as it is: numbers, text, or an empty cell for NA."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return neutralise(value)


def write_sheet(sheet: Worksheet, frame: pd.DataFrame,
                formats: dict[str, list[str] | str] | None = None) -> None:
    """A readable table: bold header, frozen first row, filters, widths, number formats."""
    columns = list(frame.columns)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    for k, column in enumerate(columns, start=1):
        letter = get_column_letter(k)
        sheet.column_dimensions[letter].width = _WIDTHS.get(column, max(10, len(column) + 2))
        chosen = (formats or {}).get(column)
        if chosen is None:
            continue
        for index, cell in enumerate(sheet[letter][1:]):
            cell.number_format = chosen if isinstance(chosen, str) else chosen[index]


def _results_formats(results: pd.DataFrame) -> dict[str, list[str] | str]:
    """Shares as percentages, means and quantiles with two decimals, counts as whole numbers."""
    shares = results["kind"].isin([k.value for k in PROPORTION_KINDS]).to_numpy()
    figure = [PERCENT if share else DECIMAL for share in shares]
    return {**{c: figure for c in _FIGURES}, "unweighted_n": COUNT, "base_n": COUNT,
            "weighted_n": WEIGHTED, "deff": DECIMAL, "n_effective": WEIGHTED,
            "p_value": P_VALUE}


def _summary_rows(result: AnalysisResult) -> list[tuple[str, Any]]:
    d = result.diagnostics
    plan = result.plan
    w = d.weights
    return [
        ("plan", plan.file), ("title", plan.title),
        ("questionnaire", f"{plan.questionnaire.id} {plan.questionnaire.survey.version}"),
        ("respondents", d.respondents), ("weighting", d.weighting),
        ("raking iterations", d.iterations),
        ("largest remaining margin gap", f"{d.largest_gap:.2e}"),
        ("Kish design effect", round(w.design_effect, 4)),
        ("effective sample size", round(w.effective_n, 1)),
        ("smallest weight", round(w.minimum, 4)), ("largest weight", round(w.maximum, 4)),
        ("largest / smallest weight", round(w.ratio, 2)),
        ("weight share of the top 5% of respondents", f"{w.top_share:.1%}"),
        ("weights at a trimming bound", d.trimmed), ("design", d.design),
        ("degrees of freedom", d.degrees_of_freedom),
        ("strata with a single PSU", d.lonely_strata),
        ("confidence level", f"{plan.level:.0%}"),
        ("significance level (alpha)", plan.alpha),
        ("multiple comparisons", str(plan.correction)),
        ("disclosure: min_cell", plan.disclosure.rules.min_cell),
        ("disclosure: low_base", plan.disclosure.rules.low_base),
        ("free text", str(plan.disclosure.free_text)),
        ("results rows", len(result.results)),
        *((f"rows flagged {flag}", count) for flag, count in sorted(d.flags.items())),
    ]


def _markdown_table(frame: pd.DataFrame) -> list[str]:
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |",
             "|" + "---|" * len(frame.columns)]
    for row in frame.itertuples(index=False):
        cells = [f"{v:,.1f}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return lines


def diagnostics_markdown(result: AnalysisResult) -> str:
    """The diagnostics as an analyst reads them before trusting the figures."""
    d = result.diagnostics
    lines = [f"# Diagnostics: {result.plan.title}", ""]
    lines += [f"- {key}: {value}" for key, value in _summary_rows(result)]
    if len(d.margins):
        lines += ["", "## Margins: targets and achieved weighted counts", ""]
        lines += _markdown_table(d.margins)
    if d.k_anonymity is not None:
        keys = ", ".join(result.plan.disclosure.k_anonymity_keys)
        k = result.plan.disclosure.rules.min_cell
        lines += ["", "## k-anonymity", "",
                  f"{len(d.k_anonymity)} combinations of {keys} are shared by fewer than {k} "
                  f"respondents ({int(d.k_anonymity['respondents'].sum())} respondents in all). "
                  "Coarsen these variables before exporting microdata."]
    lines += ["", "## Warnings", ""]
    lines += [f"- {w}" for w in result.warnings] or ["none"]
    return "\n".join(lines) + "\n"


def write_outputs(result: AnalysisResult, out_dir: Path | str) -> list[Path]:
    """Write the results, weights and diagnostics into `out_dir`; the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    csv = out / "results.csv"
    _safe(result.results).to_csv(csv, index=False)
    written.append(csv)
    workbook = Workbook()
    results_sheet = workbook.active
    assert results_sheet is not None
    results_sheet.title = "results"
    write_sheet(results_sheet, result.results, _results_formats(result.results))
    write_sheet(workbook.create_sheet("diagnostics"),
                pd.DataFrame(_summary_rows(result), columns=["diagnostic", "value"]))
    if len(result.diagnostics.margins):
        write_sheet(workbook.create_sheet("margins"), result.diagnostics.margins,
                    {"target": WEIGHTED, "achieved": WEIGHTED})
    write_sheet(workbook.create_sheet("warnings"),
                pd.DataFrame({"warning": [str(w) for w in result.warnings]}))
    xlsx = out / "results.xlsx"
    workbook.save(xlsx)
    written.append(xlsx)
    weights = out / "weights.csv"
    _safe(result.weights).to_csv(weights, index_label="submission_id")
    written.append(weights)
    summary = out / "diagnostics.md"
    summary.write_text(diagnostics_markdown(result), encoding="utf-8")
    written.append(summary)
    if result.open_answers is not None:
        answers = out / "open-answers.csv"
        _safe(result.open_answers).to_csv(answers, index=False)
        written.append(answers)
    return written
