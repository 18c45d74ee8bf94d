"""Export of 100,000 respondents x 150 variables to .sav, .dta and .xlsx, against a bare
`pyreadstat.write_sav` / `pyreadstat.write_dta` / openpyxl write-only dump of the same frame in
the same process. Uses the 150-variable questionnaire of benchmarks/ingest_files.py (choices,
numbers, texts) with generated answers. Also times building the wide table from stored answers.
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/export_files.py [ROWS] [XLSX_ROWS]

XLSX_ROWS (default: ROWS) lets the slow XLSX pair run on fewer rows.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyreadstat
from ingest_files import CHOICES, NUMBERS, TEXTS, questionnaire_yaml
from openpyxl import Workbook

from survey.export.run import write_export
from survey.export.table import build_table
from survey.questionnaire.validate import load_questionnaire

T = TypeVar("T")


def timed(step: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def answers(rows: int, seed: int = 1) -> list[tuple[str, str, dict[str, Any]]]:
    rng = np.random.default_rng(seed)
    choices = rng.integers(1, 6, size=(rows, CHOICES))
    numbers = rng.integers(0, 101, size=(rows, NUMBERS))
    records = []
    for r in range(rows):
        record: dict[str, Any] = {"consent": True}
        record.update({f"c{i}": f"s{choices[r, i]}" for i in range(CHOICES)})
        record.update({f"n{i}": int(numbers[r, i]) for i in range(NUMBERS)})
        record.update({f"t{i}": "some words" for i in range(TEXTS)})
        records.append((f"id{r:07d}", "accepted", record))
    return records


def bare_xlsx(frame: Any, path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append([None if v != v else v for v in row])  # NaN -> empty cell
    book.save(path)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    xlsx_rows = int(sys.argv[2]) if len(sys.argv) > 2 else rows
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        (out / "q.yaml").write_text(questionnaire_yaml(), encoding="utf-8")
        questionnaire = load_questionnaire(out / "q.yaml")
        records = answers(rows)
        seconds, table = timed(lambda: build_table(questionnaire, records))
        columns = len(table.columns) - 1
        print(f"{rows} respondents x {columns} variables (+ submission_id)")
        print(f"build the wide table from stored answers: {seconds:.2f} s "
              f"({rows / seconds:,.0f} rows/s)")
        frame = table.data
        pairs = [
            ("sav", lambda: write_export(table, "sav", out / "ours"),
             "pyreadstat.write_sav", lambda: pyreadstat.write_sav(frame, out / "bare.sav")),
            ("dta", lambda: write_export(table, "dta", out / "ours"),
             "pyreadstat.write_dta", lambda: pyreadstat.write_dta(frame, out / "bare.dta")),
        ]
        for name, ours, baseline_name, baseline in pairs:
            base, _ = timed(baseline)
            mine, _ = timed(ours)
            print(f".{name}: ours {mine:.2f} s ({rows / mine:,.0f} rows/s, with labels, "
                  f"missing values, measures); bare {baseline_name} {base:.2f} s; "
                  f"ratio {mine / base:.2f}")
        small = build_table(questionnaire, records[:xlsx_rows])
        base, _ = timed(lambda: bare_xlsx(small.data, out / "bare.xlsx"))
        mine, _ = timed(lambda: write_export(small, "xlsx", out / "ours"))
        print(f".xlsx ({xlsx_rows} rows): ours {mine:.2f} s ({xlsx_rows / mine:,.0f} rows/s, "
              f"with variables and values sheets, neutralised text); bare openpyxl write-only "
              f"{base:.2f} s; ratio {mine / base:.2f}")
        print(f"peak memory: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
