"""Speed of shares and of a jackknife (JK1) design against R `survey`, in one run.

On the generated stratified cluster sample of stats_deff_ratio.py, with a 5-category need and
100 clusters for the jackknife, it times, best of several runs each, both sides including the
design's set-up:

* "design + shares": ours `make_design` then `proportions` of the 5 categories; R
  `svydesign(ids = ~psu, strata = ~stratum, weights = ~w)` then `svymean(~need)`;
* "JK1 (100 replicates) + mean": ours `make_design(cluster="cluster")`,
  `replicate_design(..., "JK1")`, `mean`; R `svydesign(ids = ~cluster, weights = ~w)`,
  `as.svrepdesign(type = "JK1")`, `svymean(~y)`,

at 100,000 and 1,000,000 rows, and prints seconds, the ratio R / Python and the largest
relative difference of the figures (estimates and SEs).

    .venv/bin/python benchmarks/stats_shares_jk1.py [--rows 100000 1000000] [--repeat 3]

Without Rscript (Debian: r-base-core r-cran-survey) it times ours only and says so.
"""

from __future__ import annotations

import argparse
import shutil
import sys

import numpy as np
import pandas as pd
from against_r import Timed, best, header, line, r_figures
from stats_deff_ratio import SEED, sample

from survey.stats.design import make_design
from survey.stats.estimate import mean, proportions
from survey.stats.replicates import replicate_design

LEVELS = ("a", "b", "c", "d", "e")
CLUSTERS = 100
TASKS = ("design + shares", "JK1 (100 replicates) + mean")
R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d$need <- factor(d$need, levels = c("a", "b", "c", "d", "e"))
repeats <- as.integer(args[2])
best <- function(f) {
  times <- numeric(repeats)
  for (k in seq_len(repeats)) { gc(); times[k] <- system.time(value <- f())[["elapsed"]] }
  list(seconds = min(times), value = value)
}
s <- best(function() {
  des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)
  svymean(~need, des)
})
j <- best(function() {
  des <- as.svrepdesign(svydesign(ids = ~cluster, weights = ~w, data = d), type = "JK1")
  svymean(~y, des)
})
cat(sprintf("shares,%s,%.6f\n", paste(sprintf("%.17g", c(coef(s$value), SE(s$value))),
                                      collapse = ","), s$seconds))
cat(sprintf("jk1,%.17g,%.17g,%.6f\n", coef(j$value), SE(j$value), j$seconds))
"""


def with_need_and_clusters(rows: int, rng: np.random.Generator) -> pd.DataFrame:
    data = sample(rows, rng)
    data["need"] = rng.choice(LEVELS, rows, p=[0.35, 0.25, 0.2, 0.12, 0.08])
    data["cluster"] = rng.integers(0, CLUSTERS, rows)
    data.loc[: CLUSTERS - 1, "cluster"] = np.arange(CLUSTERS)  # every cluster has a row
    return data


def ours(data: pd.DataFrame, repeats: int) -> dict[str, Timed]:
    need, y = data["need"].to_numpy(dtype=object), data["y"].to_numpy()

    def design_and_shares() -> tuple[float, ...]:
        design = make_design(data, weights="w", strata="stratum", cluster="psu")
        found = proportions(design, need, LEVELS)
        return (*map(float, found.values), *map(float, found.se))

    def jackknife_mean() -> tuple[float, ...]:
        design = replicate_design(make_design(data, weights="w", cluster="cluster"), "JK1")
        found = mean(design, y)
        return float(found.values[0]), float(found.se[0])

    return {TASKS[0]: best(repeats, design_and_shares), TASKS[1]: best(repeats, jackknife_mean)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    have_r = shutil.which("Rscript") is not None
    if not have_r:
        print("Rscript is not installed (Debian: r-base-core r-cran-survey): timing ours only")
    header(28)
    rng = np.random.default_rng(SEED)
    for rows in options.rows:
        data = with_need_and_clusters(rows, rng)
        mine = ours(data, options.repeat)
        theirs = (r_figures(R_SCRIPT, data, options.repeat, {"shares": TASKS[0], "jk1": TASKS[1]})
                  if have_r else {})
        for task in TASKS:
            line(rows, task, 28, mine[task], theirs.get(task))
    print("Best of", options.repeat, "runs each; R's time by system.time (elapsed), reading the "
          "CSV not timed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
