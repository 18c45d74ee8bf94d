"""Validated ingest of a large partner file, against a bare read of the same file.

Generates a questionnaire with 150 variables (choices, numbers with ranges, a constraint,
skip logic, texts) and a 100,000-row CSV of its codes, then times in the same process:
the bare `pandas.read_csv` (baseline), our `read_table` alone, and the whole validated
`ingest_file` into a SQLite store. An XLSX of 20,000 rows (writing 100,000 rows with openpyxl
takes minutes) is timed against bare python-calamine. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/ingest_files.py [ROWS]
"""

from __future__ import annotations

import csv
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import python_calamine
from openpyxl import Workbook

from survey.ingest.importer import ingest_file
from survey.ingest.readers import read_table
from survey.questionnaire.validate import load_questionnaire
from survey.store.store import Store

T = TypeVar("T")
CHOICES, NUMBERS, TEXTS = 110, 30, 9  # + consent = 150 columns


def questionnaire_yaml() -> str:
    lines = ["survey:", "  id: bench", "  version: '1'", "  title: Benchmark",
             "  organisation: Bench", "  languages: [en]", "  default_language: en",
             "choice_lists:", "  scale:"]
    for code in range(1, 6):
        lines += [f"    - name: s{code}", f"      code: {code}", f"      label: Point {code}"]
    lines += ["sections:", "  - id: main", "    title: Main", "    questions:",
              "      - id: consent", "        type: consent", "        required: true",
              "        label: I agree"]
    for i in range(CHOICES):
        lines += [f"      - id: c{i}", "        type: single_choice", "        choices: scale",
                  f"        label: Choice question {i}"]
        if i % 10 == 9:
            lines.append(f"        relevant: ${{c{i - 1}}} != 's1'")
    for i in range(NUMBERS):
        lines += [f"      - id: n{i}", "        type: integer", "        min: 0",
                  "        max: 100", f"        label: Number question {i}"]
        if i % 10 == 1:
            lines.append(f"        constraint: . >= ${{n{i - 1}}} or ${{n{i - 1}}} = ''")
    for i in range(TEXTS):
        lines += [f"      - id: t{i}", "        type: text", f"        label: Text question {i}"]
    return "\n".join(lines) + "\n"


def write_csv(path: Path, rows: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["consent", *(f"c{i}" for i in range(CHOICES)),
                         *(f"n{i}" for i in range(NUMBERS)), *(f"t{i}" for i in range(TEXTS))])
        for start in range(0, rows, 10_000):
            n = min(10_000, rows - start)
            choices = rng.integers(2, 6, size=(n, CHOICES))  # never s1: nothing is skipped
            numbers = np.sort(rng.integers(0, 101, size=(n, NUMBERS)), axis=1)
            for r in range(n):
                writer.writerow(["yes", *choices[r].tolist(), *numbers[r].tolist(),
                                 *(["some words"] * TEXTS)])


def write_xlsx(csv_path: Path, path: Path, rows: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    with csv_path.open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.reader(handle)):
            if i > rows:
                break
            sheet.append([int(v) if v.isdigit() else v for v in row])
    book.save(path)


def timed(step: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = step()
    return time.perf_counter() - start, value


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    (work / "bench.yaml").write_text(questionnaire_yaml(), encoding="utf-8")
    questionnaire = load_questionnaire(work / "bench.yaml")
    data = work / "returns.csv"
    write_csv(data, rows)
    print(f"file: {rows:,} rows x 150 columns, {data.stat().st_size / 1e6:.1f} MB")

    bare, _ = timed(lambda: pd.read_csv(data, dtype=str))
    print(f"baseline pandas.read_csv:  {bare:6.2f} s  {rows / bare:10,.0f} rows/s")
    ours_read, _ = timed(lambda: sum(1 for _ in read_table(data).rows))
    print(f"read_table only:           {ours_read:6.2f} s  {rows / ours_read:10,.0f} rows/s"
          f"  ({ours_read / bare:.1f}x baseline)")
    store = Store.open(f"sqlite:///{work / 'store.sqlite'}")
    full, result = timed(lambda: ingest_file(store, questionnaire, data, user="bench"))
    print(f"validated ingest:          {full:6.2f} s  {rows / full:10,.0f} rows/s"
          f"  ({full / bare:.1f}x baseline)  accepted {result.accepted:,}, "
          f"quarantined {result.quarantined:,}")

    xlsx_rows = min(rows, 20_000)
    workbook = work / "returns.xlsx"
    write_xlsx(data, workbook, xlsx_rows)
    bare_x, _ = timed(lambda: sum(1 for _ in python_calamine.CalamineWorkbook.from_path(
        str(workbook)).get_sheet_by_index(0).iter_rows()))
    print(f"xlsx {xlsx_rows:,} rows: bare calamine {bare_x:.2f} s", end="")
    store_x = Store.open(f"sqlite:///{work / 'store-x.sqlite'}")
    full_x, _ = timed(lambda: ingest_file(store_x, questionnaire, workbook, user="bench"))
    print(f", validated ingest {full_x:.2f} s ({xlsx_rows / full_x:,.0f} rows/s, "
          f"{full_x / bare_x:.1f}x baseline)")
    print(f"peak memory (whole process): {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
