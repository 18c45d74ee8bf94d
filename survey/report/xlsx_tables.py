"""The annex an analyst checks: one sheet per indicator with every breakdown, estimate,
interval, bases and flags, a contents sheet linking to them, frozen headers and number
formats. Labels pass through survey.safe_cells (via write_sheet), so a label such as
=HYPERLINK(...) stays text."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from survey.report.build import Builder
from survey.report.texts import Texts
from survey.safe_cells import neutralise
from survey.stats.plan.outputs import COUNT, DECIMAL, PERCENT, WEIGHTED, write_sheet
from survey.stats.results import TOTAL

TABLES_FILE = "tables.xlsx"
FIGURES = ("estimate", "ci_low", "ci_high", "se")
COLUMNS = ("breakdown", "group", "letter", "category", *FIGURES, "base_n", "unweighted_n",
           "weighted_n", "letters", "rank", "quadrant", "flags")
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\']")


def sheet_name(indicator: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case. The
    report names a sheet by its number and label, never by an id a reader cannot read."""
    base = _NOT_IN_SHEET_NAMES.sub("_", indicator)[:31]
    name, k = base, 2
    while name.lower() in taken:
        name = f"{base[:28]}~{k}"
        k += 1
    taken.add(name.lower())
    return name


def indicator_frame(builder: Builder, indicator: str) -> pd.DataFrame:
    rows = builder.table[builder.table["indicator"] == indicator]
    labels = builder.labels
    return pd.DataFrame({
        "breakdown": ["" if b == TOTAL else builder.breakdown_label(b) for b in rows["breakdown"]],
        "group": [builder.group_label(r) for _, r in rows.iterrows()],
        "letter": rows["group_letter"].to_numpy(),
        "category": [builder.category(r) for _, r in rows.iterrows()],
        **{c: rows[c].to_numpy() for c in (*FIGURES, "base_n", "unweighted_n", "weighted_n",
                                           "letters", "rank")},
        "quadrant": [labels.quadrant(q) for q in rows["quadrant"]],
        "flags": rows["flags"].to_numpy(),
    })


def write_tables(builder: Builder, texts: Texts, out: Path) -> Path:
    workbook = Workbook()
    contents = workbook.active
    assert contents is not None
    contents.title = texts("xlsx.contents")
    taken = {contents.title.lower()}
    index = []
    for number, indicator in enumerate(builder.ids, 1):
        frame = indicator_frame(builder, indicator)
        label = builder.indicator(indicator)
        name = sheet_name(f"{number:02d} {label.rstrip('?؟:. ')}", taken)
        figure = PERCENT if builder.share(indicator) else DECIMAL
        sheet = workbook.create_sheet(name)
        write_sheet(sheet, frame.rename(columns={c: texts(f"xlsx.{c}") for c in COLUMNS}), {
            **{texts(f"xlsx.{c}"): figure for c in FIGURES},
            texts("xlsx.base_n"): COUNT, texts("xlsx.unweighted_n"): COUNT,
            texts("xlsx.weighted_n"): WEIGHTED})
        kind = builder.kinds[indicator]
        index.append((name, label, texts(f"kinds.{kind}") if kind in texts.raw("kinds")
                      else kind, len(frame)))
    contents.append([neutralise(texts("xlsx.about", title=builder.run.get("title", "")))])
    contents.append([texts("xlsx.sheet"), texts("xlsx.indicator"), texts("xlsx.kind"),
                     texts("xlsx.rows")])
    for cell in contents[2]:
        cell.font = Font(bold=True)
    for name, label, kind, count in index:
        contents.append([name, neutralise(label), kind, count])
        link = contents.cell(row=contents.max_row, column=1)
        link.hyperlink = f"#'{name}'!A1"
        link.font = Font(color="0563C1", underline="single")
    contents.freeze_panes = "A3"
    contents.column_dimensions["A"].width = 30
    contents.column_dimensions["B"].width = 70
    target = out / TABLES_FILE
    workbook.save(target)
    return target
