"""Streaming speed and peak memory of `read_table` on a large CSV and XLSX file.

Generates, in a temporary folder, a CSV of 100,000 rows x 150 columns (survey-like values: codes,
years, free text with quotes, commas and line breaks, decimal commas) and an XLSX of the same
columns with 20,000 rows (openpyxl's write-only mode needs about a minute for more). Each reader
runs in a fresh process, so peak memory (ru_maxrss growth while reading) is its own. Prints rows
per second of `read_table` and of the named baselines reading the same file:

- `pandas.read_csv` (C parser, builds typed columns) and the bare `csv.reader` loop that
  `read_table` is built on;
- bare `python_calamine` iteration (`iter_rows` over the sheet).

    .venv/bin/python benchmarks/read_files.py [--rows 100000] [--xlsx-rows 20000] [--columns 150]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("Leipzig", "Dresden", "Chemnitz", "Grünau", "Женский", "Да", "Нет", "نعم", "Không")


def cell(rng: random.Random, column: int) -> str | int | float:
    kind = column % 6
    if kind == 0:
        return rng.randint(1, 5)
    if kind == 1:
        return rng.randint(1940, 2008)
    if kind == 2:
        return rng.choice(WORDS)
    if kind == 3:
        return round(rng.uniform(0, 10), 1)
    if kind == 4:
        return rng.choice((-1, -2, 1, 2, 3))
    return rng.choice(("", "ja", 'sagte "gut", dann\nnichts', "3,5"))


def write_csv(path: Path, rows: int, columns: int) -> None:
    rng = random.Random(1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([f"q{c}" for c in range(columns)])
        for _ in range(rows):
            writer.writerow([cell(rng, c) for c in range(columns)])


def write_xlsx(path: Path, rows: int, columns: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Daten")
    sheet.append([f"q{c}" for c in range(columns)])
    for _ in range(rows):
        sheet.append([cell(rng, c) or None for c in range(columns)])
    book.save(path)


def measure(how: str, path: Path) -> dict[str, float]:
    """Run in a child process: read the whole file one way, report rows, seconds, memory.

    Modules are imported before the clock and the memory mark start, so only reading counts.
    """
    import pandas
    from python_calamine import CalamineWorkbook

    import survey.ingest.readers.spreadsheet
    import survey.ingest.readers.text  # noqa: F401  (read_table imports it when first used)
    from survey.ingest.readers import read_table

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if how == "read_table":
        rows = sum(1 for _ in read_table(path).rows)
    elif how == "csv.reader":
        with path.open(encoding="utf-8", newline="") as handle:
            rows = sum(1 for _ in csv.reader(handle, delimiter=";")) - 1
    elif how == "pandas.read_csv":
        rows = len(pandas.read_csv(path, sep=";"))
    else:
        sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
        rows = sum(1 for _ in sheet.iter_rows()) - 1
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    return {"rows": rows, "seconds": seconds, "peak_mb": peak / 1024}


def run(how: str, path: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--measure", how, str(path)], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out)


def report(title: str, path: Path, ours: str, baselines: list[str]) -> None:
    print(f"\n{title}: {path.stat().st_size / 2**20:.0f} MB")
    results = {how: run(how, path) for how in [ours, *baselines]}
    mine = results[ours]
    for how, result in results.items():
        speed = result["rows"] / result["seconds"]
        ratio = ("" if how == ours else
                 f"   read_table takes {mine['seconds'] / result['seconds']:.2f}x as long")
        print(f"  {how:<18} {result['rows']:>8,} rows {result['seconds']:7.2f} s "
              f"{speed:>10,.0f} rows/s  peak +{result['peak_mb']:,.0f} MB{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx-rows", type=int, default=20_000)
    parser.add_argument("--columns", type=int, default=150)
    parser.add_argument("--measure", nargs=2, metavar=("HOW", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "returns.csv"
        started = time.perf_counter()
        write_csv(csv_path, args.rows, args.columns)
        print(f"generated {args.rows:,} x {args.columns} CSV in "
              f"{time.perf_counter() - started:.1f} s")
        report(f"CSV {args.rows:,} rows x {args.columns} columns", csv_path, "read_table",
               ["csv.reader", "pandas.read_csv"])
        xlsx_path = Path(folder) / "returns.xlsx"
        started = time.perf_counter()
        write_xlsx(xlsx_path, args.xlsx_rows, args.columns)
        print(f"\ngenerated {args.xlsx_rows:,} x {args.columns} XLSX in "
              f"{time.perf_counter() - started:.1f} s (openpyxl write-only; fewer rows than the "
              "CSV because writing is slow)")
        report(f"XLSX {args.xlsx_rows:,} rows x {args.columns} columns", xlsx_path, "read_table",
               ["python_calamine"])


if __name__ == "__main__":
    main()
