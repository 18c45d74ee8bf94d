"""Speed of design effects and ratios against R `survey`, in one run.

On a generated stratified cluster sample (40 strata, about 4,000 PSUs nested in them, positive
weights scaled to a population, numeric y and x) it times, best of several runs each:

* "design + mean with deff": ours `make_design` then `mean(...)` with `.deff` and `.n_effective`;
  R `svydesign(ids = ~psu, strata = ~stratum, weights = ~w)` then `svymean(~y, deff = TRUE)`;
* "ratio": ours `ratio(design, y, x)`; R `svyratio(~y, ~x, design)` (on a design made once),

at 100,000 and 1,000,000 rows, and prints seconds, the ratio R / Python, and the largest
relative difference of the figures (estimate, SE, deff) between the two. R reads the same rows
from a CSV (reading is not timed) in an `Rscript` child started by this script.

    .venv/bin/python benchmarks/stats_deff_ratio.py [--rows 100000 1000000] [--repeat 3]

Without Rscript (Debian: r-base-core r-cran-survey) it times ours only and says so.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from survey.stats.design import make_design
from survey.stats.estimate import mean
from survey.stats.ratio import ratio

SEED = 20250607
STRATA = 40
PSUS = 4000
TASKS = ("design + mean with deff", "ratio")
R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
repeats <- as.integer(args[2])
best <- function(f) {
  times <- numeric(repeats)
  for (k in seq_len(repeats)) { gc(); times[k] <- system.time(value <- f())[["elapsed"]] }
  list(seconds = min(times), value = value)
}
m <- best(function() {
  des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)
  svymean(~y, des, deff = TRUE)
})
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)
r <- best(function() svyratio(~y, ~x, des, deff = TRUE))
cat(sprintf("mean,%.17g,%.17g,%.17g,%.6f\n", coef(m$value), SE(m$value), deff(m$value),
            m$seconds))
cat(sprintf("ratio,%.17g,%.17g,%.17g,%.6f\n", coef(r$value), SE(r$value), deff(r$value),
            r$seconds))
"""


def sample(rows: int, rng: np.random.Generator) -> pd.DataFrame:
    """A stratified cluster sample: PSUs nested in strata, weights scaled to a population."""
    counts = rng.multinomial(PSUS - 2 * STRATA, np.full(STRATA, 1 / STRATA)) + 2
    psu_stratum = np.repeat(np.arange(STRATA), counts)
    psu = np.sort(rng.integers(0, len(psu_stratum), rows))
    psu[: len(psu_stratum)] = np.arange(len(psu_stratum))  # every PSU has a row
    psu.sort()
    effect = rng.normal(0, 3, len(psu_stratum))[psu]
    x = rng.gamma(3.0, 2.0, rows) + 1
    return pd.DataFrame({
        "stratum": psu_stratum[psu], "psu": psu,
        "w": rng.lognormal(3.0, 0.5, len(psu_stratum))[psu] * rng.lognormal(0, 0.3, rows),
        "y": 2.5 * x + effect + rng.normal(0, 4, rows), "x": x})


def best(repeats: int, run: Callable[[], tuple[float, ...]]) -> tuple[float, tuple[float, ...]]:
    seconds, value = float("inf"), ()
    for _ in range(repeats):
        start = time.perf_counter()
        value = run()
        seconds = min(seconds, time.perf_counter() - start)
    return seconds, value


def ours(data: pd.DataFrame, repeats: int) -> dict[str, tuple[float, tuple[float, ...]]]:
    y, x = data["y"].to_numpy(), data["x"].to_numpy()

    def design_and_mean() -> tuple[float, ...]:
        design = make_design(data, weights="w", strata="stratum", cluster="psu")
        estimate = mean(design, y)
        return (float(estimate.values[0]), float(estimate.se[0]), float(estimate.deff[0]),
                float(estimate.n_effective[0]))

    design = make_design(data, weights="w", strata="stratum", cluster="psu")

    def ratio_of_totals() -> tuple[float, ...]:
        estimate = ratio(design, y, x)
        return float(estimate.values[0]), float(estimate.se[0]), float(estimate.deff[0])

    return {TASKS[0]: best(repeats, design_and_mean), TASKS[1]: best(repeats, ratio_of_totals)}


def r_figures(data: pd.DataFrame, repeats: int, folder: Path
              ) -> dict[str, tuple[float, tuple[float, ...]]]:
    csv, script = folder / "sample.csv", folder / "bench.R"
    data.to_csv(csv, index=False, float_format="%.17g")
    script.write_text(R_SCRIPT, encoding="utf-8")
    done = subprocess.run(["Rscript", str(script), str(csv), str(repeats)], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"Rscript failed:\n{done.stderr[-2000:]}")
    found = {}
    for line in done.stdout.strip().splitlines():
        name, *numbers = line.split(",")
        values = tuple(float(v) for v in numbers)
        found[TASKS[0] if name == "mean" else TASKS[1]] = (values[-1], values[:-1])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    have_r = shutil.which("Rscript") is not None
    if not have_r:
        print("Rscript is not installed (Debian: r-base-core r-cran-survey): timing ours only")
    print(f"{'rows':>10} {'task':25} {'Python s':>9} {'R s':>9} {'R/Python':>9} "
          f"{'largest rel. diff':>18}")
    rng = np.random.default_rng(SEED)
    for rows in options.rows:
        data = sample(rows, rng)
        mine = ours(data, options.repeat)
        theirs: dict[str, tuple[float, tuple[float, ...]]] = {}
        if have_r:
            with tempfile.TemporaryDirectory() as folder:
                theirs = r_figures(data, options.repeat, Path(folder))
        for task in TASKS:
            seconds, values = mine[task]
            if task in theirs:
                r_seconds, r_values = theirs[task]
                difference = max(abs(a - b) / abs(b) for a, b in zip(values, r_values,
                                                                       strict=False))
                print(f"{rows:>10,} {task:25} {seconds:9.3f} {r_seconds:9.3f} "
                      f"{r_seconds / seconds:9.1f} {difference:18.1e}")
            else:
                print(f"{rows:>10,} {task:25} {seconds:9.3f} {'-':>9} {'-':>9} {'-':>18}")
        n_eff = mine[TASKS[0]][1][3]
        print(f"{'':>10} (mean {mine[TASKS[0]][1][0]:.6g}, deff {mine[TASKS[0]][1][2]:.4g}, "
              f"effective n {n_eff:,.0f} of {rows:,})")
    print("Best of", options.repeat, "runs each; R's time by system.time (elapsed), reading the "
          "CSV not timed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
