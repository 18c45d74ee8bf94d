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
import sys

import numpy as np
import pandas as pd
from against_r import Timed, best, header, line, r_figures

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


def ours(data: pd.DataFrame, repeats: int) -> dict[str, Timed]:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    have_r = shutil.which("Rscript") is not None
    if not have_r:
        print("Rscript is not installed (Debian: r-base-core r-cran-survey): timing ours only")
    header(25)
    rng = np.random.default_rng(SEED)
    for rows in options.rows:
        data = sample(rows, rng)
        mine = ours(data, options.repeat)
        theirs = (r_figures(R_SCRIPT, data, options.repeat, {"mean": TASKS[0], "ratio": TASKS[1]})
                  if have_r else {})
        for task in TASKS:
            line(rows, task, 25, mine[task], theirs.get(task))
        n_eff = mine[TASKS[0]][1][3]
        print(f"{'':>10} (mean {mine[TASKS[0]][1][0]:.6g}, deff {mine[TASKS[0]][1][2]:.4g}, "
              f"effective n {n_eff:,.0f} of {rows:,})")
    print("Best of", options.repeat, "runs each; R's time by system.time (elapsed), reading the "
          "CSV not timed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
