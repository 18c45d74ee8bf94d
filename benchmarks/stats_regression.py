"""Speed of design-based logistic regression against R `survey`'s svyglm, in one run.

On a generated stratified cluster sample (40 strata, PSUs of about 25 rows, positive weights)
it fits a logistic model with 5 predictors (3 numbers and a 3-level category) at 100,000 and
1,000,000 rows: ours `make_design` + `svyglm(..., "quasibinomial")`; R `svydesign(ids = ~psu,
strata = ~stratum, weights = ~w)` + `svyglm(..., family = quasibinomial)`. Both times include
the design set-up; R reads the rows from a CSV first (reading is not timed). It prints seconds,
the ratio R / Python and the largest relative difference of coefficients and SEs.

    .venv/bin/python benchmarks/stats_regression.py [--rows 100000 1000000]

Without Rscript (Debian: r-base-core r-cran-survey) it times ours only and says so.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from survey.stats.design import make_design
from survey.stats.regression import svyglm

FORMULA = "y ~ a + b + c + region"
R_SCRIPT = """
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
start <- proc.time()[["elapsed"]]
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)
fit <- svyglm(y ~ a + b + c + region, des, family = quasibinomial,
              control = glm.control(epsilon = 1e-15, maxit = 100))
elapsed <- proc.time()[["elapsed"]] - start
writeLines(sprintf("%.17g", c(elapsed, coef(fit), SE(fit))), args[2])
"""


def sample(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({"stratum": rng.integers(0, 40, rows), "a": rng.normal(0, 1, rows),
                         "b": rng.normal(0, 1, rows), "c": rng.uniform(0, 1, rows),
                         "region": rng.choice(["east", "north", "south"], rows),
                         "w": rng.lognormal(2, 0.5, rows)})
    data["psu"] = data["stratum"] * 100_000 + rng.integers(0, max(2, rows // 1000), rows)
    eta = -0.3 + 0.8 * data["a"] - 0.5 * data["b"] + data["c"] + 0.4 * (data["region"] == "east")
    data["y"] = (rng.random(rows) < 1 / (1 + np.exp(-eta))).astype(int)
    return data


def ours(data: pd.DataFrame) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    design = make_design(data, "w", "stratum", "psu")
    fit = svyglm(design, data, FORMULA, "quasibinomial")
    elapsed = time.perf_counter() - start
    return elapsed, np.concatenate([fit.coefficients, fit.se])


def theirs(data: pd.DataFrame, folder: Path) -> tuple[float, np.ndarray] | None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    data.to_csv(folder / "rows.csv", index=False, float_format="%.17g")
    (folder / "fit.R").write_text(R_SCRIPT)
    subprocess.run([rscript, str(folder / "fit.R"), str(folder / "rows.csv"),
                    str(folder / "out.txt")], check=True, capture_output=True)
    values = np.loadtxt(folder / "out.txt")
    return float(values[0]), values[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    options = parser.parse_args()
    print(f"logistic svyglm, {FORMULA}, design set-up included")
    print(f"{'rows':>10} {'ours s':>9} {'R s':>9} {'R/ours':>7} {'max rel diff':>13}")
    for rows in options.rows:
        data = sample(rows)
        seconds, mine = ours(data)
        with tempfile.TemporaryDirectory() as folder:
            r = theirs(data, Path(folder))
        if r is None:
            print(f"{rows:>10} {seconds:>9.3f}   (Rscript not installed: R not timed)")
            continue
        difference = float(np.max(np.abs(mine - r[1]) / np.abs(r[1])))
        print(f"{rows:>10} {seconds:>9.3f} {r[0]:>9.3f} {r[0] / seconds:>7.1f} "
              f"{difference:>13.2g}")


if __name__ == "__main__":
    main()
