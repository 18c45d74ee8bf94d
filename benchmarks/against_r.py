"""What the benchmarks against R `survey` share: best-of timing, one Rscript child reading the
same rows from a CSV, and the table of seconds, ratios and largest differences."""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

Timed = tuple[float, tuple[float, ...]]
"""(best seconds, the figures the run gave)."""


def best(repeats: int, run: Callable[[], tuple[float, ...]]) -> Timed:
    seconds, value = float("inf"), ()
    for _ in range(repeats):
        start = time.perf_counter()
        value = run()
        seconds = min(seconds, time.perf_counter() - start)
    return seconds, value


def r_figures(script: str, data: pd.DataFrame, repeats: int,
              tasks: dict[str, str]) -> dict[str, Timed]:
    """Run `script` on `data`; each output line `name,figure,...,seconds` is the task
    `tasks[name]`."""
    with tempfile.TemporaryDirectory() as folder:
        csv, path = Path(folder) / "sample.csv", Path(folder) / "bench.R"
        data.to_csv(csv, index=False, float_format="%.17g")
        path.write_text(script, encoding="utf-8")
        done = subprocess.run(["Rscript", str(path), str(csv), str(repeats)],
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"Rscript failed:\n{done.stderr[-2000:]}")
    found = {}
    for line in done.stdout.strip().splitlines():
        name, *numbers = line.split(",")
        values = tuple(float(v) for v in numbers)
        found[tasks[name]] = (values[-1], values[:-1])
    return found


def header(width: int) -> None:
    print(f"{'rows':>10} {'task':{width}} {'Python s':>9} {'R s':>9} {'R/Python':>9} "
          f"{'largest rel. diff':>18}")


def line(rows: int, task: str, width: int, mine: Timed, theirs: Timed | None) -> None:
    seconds, values = mine
    if theirs is None:
        print(f"{rows:>10,} {task:{width}} {seconds:9.3f} {'-':>9} {'-':>9} {'-':>18}")
        return
    r_seconds, r_values = theirs
    difference = max(abs(a - b) / abs(b) for a, b in zip(values, r_values, strict=False))
    print(f"{rows:>10,} {task:{width}} {seconds:9.3f} {r_seconds:9.3f} "
          f"{r_seconds / seconds:9.1f} {difference:18.1e}")
