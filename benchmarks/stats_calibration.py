"""Speed of raking by calibrate() and the calibration-aware SE of a mean, against R `survey`.

On a generated stratified cluster sample (40 strata, about 4,000 PSUs, unequal weights) with
three margins (age group: 5 categories, sex: 2, region: 8) it times, best of several runs, two
steps at 100,000 and 1,000,000 rows: "raking 3 margins", ours `make_design` +
`calibrate(calfun="raking")` against R's `svydesign` + `calibrate(calfun = "raking")`; and
"SE of a mean after raking", ours `mean(...)` on the calibrated design against R's `svymean`
on it; and the two together, since R's calibrate() already makes the QR decomposition that
our first variance makes. It prints seconds, the ratio R / Python and the largest relative
difference of the mean and its SE. R reads the
same rows from a CSV (reading is not timed) in an `Rscript` child started by this script.

    .venv/bin/python benchmarks/stats_calibration.py [--rows 100000 1000000] [--repeat 3]

Without Rscript (Debian: r-base-core r-cran-survey) it times ours only and says so.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from survey.stats.calibrate import calibrate
from survey.stats.design import make_design
from survey.stats.estimate import mean

SEED = 20261206
STRATA = 40
PSUS = 4000
MARGINS = {"agegroup": 5, "sex": 2, "region": 8}
R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c(agegroup = "factor", sex = "factor", region = "factor"))
pairs <- strsplit(strsplit(args[2], "|", fixed = TRUE)[[1]], "=", fixed = TRUE)
population <- setNames(as.numeric(sapply(pairs, `[`, 2)), sapply(pairs, `[`, 1))
repeats <- as.integer(args[3])
raking <- numeric(repeats)
means <- numeric(repeats)
for (k in seq_len(repeats)) {
  gc()
  raking[k] <- system.time({
    des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)
    cal <- calibrate(des, ~agegroup + sex + region, population, calfun = "raking",
                     epsilon = 1e-10, maxit = 100)
  })[["elapsed"]]
  gc()
  means[k] <- system.time(m <- svymean(~y, cal))[["elapsed"]]
}
cat(sprintf("%.17g,%.17g,%.6f,%.6f\n", coef(m), SE(m), min(raking), min(means)))
"""


def _sample(rows: int, rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, object]]:
    psu = np.sort(rng.integers(0, PSUS, rows))
    data = pd.DataFrame({"stratum": psu % STRATA, "psu": psu,
                         "w": rng.lognormal(3.0, 0.5, rows)})
    for name, levels in MARGINS.items():
        data[name] = rng.integers(0, levels, rows).astype(str)
    data["y"] = rng.gamma(2.0, 10.0, rows) + data["agegroup"].astype(int)
    size = float(data["w"].sum()) * 1.05
    population: dict[str, object] = {}
    for name in MARGINS:
        shares = data.groupby(name)["w"].sum() * rng.uniform(0.9, 1.1, MARGINS[name])
        population[name] = dict(shares / shares.sum() * size)
    return data, population


def _r_vector(population: dict[str, object]) -> str:
    """R's population vector: the intercept and every category but the first (R's order)."""
    pairs: list[tuple[str, float]] = []
    for name, counts in population.items():
        assert isinstance(counts, dict)
        if not pairs:
            pairs.append(("(Intercept)", sum(counts.values())))
        pairs += [(f"{name}{level}", value) for level, value in sorted(counts.items())[1:]]
    return "|".join(f"{name}={float(value)!r}" for name, value in pairs)


def _ours(data: pd.DataFrame, population: dict[str, object], repeats: int
          ) -> tuple[float, float, float, float]:
    raking = means = float("inf")
    y = data["y"].to_numpy(dtype=float)
    for _ in range(repeats):
        start = time.perf_counter()
        design = make_design(data, weights="w", strata="stratum", cluster="psu")
        result = calibrate(design, data, population, calfun="raking", tolerance=1e-10,
                           max_iterations=100)
        raked = time.perf_counter()
        estimate = mean(result.design, y)
        done = time.perf_counter()
        raking, means = min(raking, raked - start), min(means, done - raked)
    return float(estimate.values[0]), float(estimate.se[0]), raking, means


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    rscript = shutil.which("Rscript")
    if rscript is None:
        print("Rscript not found: timing ours only", file=sys.stderr)
    rng = np.random.default_rng(SEED)
    print(f"{'rows':>10} {'task':26} {'ours s':>9} {'R s':>9} {'R/ours':>7} "
          f"{'max rel diff':>13}", flush=True)
    tasks = ("raking 3 margins", "SE of a mean after raking")
    for rows in options.rows:
        data, population = _sample(rows, rng)
        value, se, *seconds = _ours(data, population, options.repeat)
        if rscript is None:
            for task, mine in zip(tasks, seconds, strict=True):
                print(f"{rows:>10,} {task:26} {mine:>9.3f}")
            continue
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "sample.csv"
            data.to_csv(path, index=False, float_format="%.17g")
            script = Path(folder) / "bench.R"
            script.write_text(R_SCRIPT)
            done = subprocess.run([rscript, str(script), str(path), _r_vector(population),
                                   str(options.repeat)], capture_output=True, text=True,
                                  check=True)
        r_value, r_se, *r_seconds = (float(v) for v in done.stdout.strip().split(","))
        difference = max(abs(value - r_value) / abs(r_value), abs(se - r_se) / abs(r_se))
        both = ("raking + SE of a mean", sum(seconds), sum(r_seconds))  # R: QR in calibrate
        for task, mine, theirs in (*zip(tasks, seconds, r_seconds, strict=True), both):
            print(f"{rows:>10,} {task:26} {mine:>9.3f} {theirs:>9.3f} {theirs / mine:>7.1f} "
                  f"{difference:>13.2g}")


if __name__ == "__main__":
    main()
