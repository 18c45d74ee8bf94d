"""Speed and memory of design-based estimates against samplics and svy (issue 7, figures (a)).

On a generated stratified cluster sample (40 strata, about 4,000 PSUs nested in the strata,
positive weights, a numeric y and a 5-category variable) it times, best of several runs in one
process: the weighted mean of y with its SE, and the 5 category proportions with their SEs,

* ours:     `make_design` (timed alone, and together with the estimates), `mean`, `proportions`
* samplics: `samplics.estimation.TaylorEstimator` (param mean and prop)
* svy:      `svy.Sample(data, svy.Design(...)).estimation.mean/.prop` (Rust kernels)

and prints seconds, rows per second, peak memory (tracemalloc for Python-side allocations, and
`resource.getrusage` max RSS, each method measured in a fresh child process) and the ratio of
each peer's time to ours. It also checks that the three agree on every point estimate and SE
to 1e-9 relative, and prints the largest relative difference per peer.
Target (issue 7): at least 10x faster than samplics; the ratio to svy is reported either way.

The peers are never project dependencies: install them into a separate benchmark environment,
from the repository root:

    python3 -m venv .venv-bench && .venv-bench/bin/pip install -e . samplics svy
    .venv-bench/bin/python benchmarks/stats_estimates.py [--rows 100000 1000000] [--repeat 3]

Without samplics or svy it still times ours, says what is missing and exits 0.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from survey.stats.design import SampleDesign, make_design
from survey.stats.estimate import Estimate, mean, proportions

SEED = 20250607
STRATA = 40
PSUS = 4000
LEVELS = ("none", "low", "some", "high", "very high")
TOLERANCE = 1e-9
TARGET_VS_SAMPLICS = 10.0
PEERS = ("samplics", "svy")
SETUP = """\
  The peers are not project dependencies; install them into a separate environment:
      python3 -m venv .venv-bench && .venv-bench/bin/pip install -e . samplics svy
      .venv-bench/bin/python benchmarks/stats_estimates.py"""


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Data:
    """One generated sample in the form each method takes it."""

    frame: pd.DataFrame
    """Columns stratum, psu (numbered within its stratum), weight, y, need."""
    y: np.ndarray
    need: np.ndarray
    """The 5-category variable as an object array of labels."""
    psus_per_stratum: np.ndarray


def generate(rows: int, seed: int = SEED) -> Data:
    """A stratified cluster sample with unequal cluster sizes, weights and intra-PSU correlation.

    Every stratum has at least 2 PSUs and every PSU at least one row, so no lonely-PSU rule is
    involved. Rows are shuffled (not sorted by PSU), as data from a field system would be.
    """
    if rows < 4 * STRATA:
        raise SystemExit(f"--rows must be at least {4 * STRATA}")
    rng = np.random.default_rng(seed)
    psus = min(PSUS, rows // 2)
    share = rng.uniform(0.5, 1.5, STRATA)
    per_stratum = np.maximum(2, np.round(share / share.sum() * psus)).astype(int)
    psu_stratum = np.repeat(np.arange(STRATA), per_stratum)
    psu_number = np.concatenate([np.arange(1, count + 1) for count in per_stratum])
    n_psu = len(psu_stratum)
    size = rng.gamma(4.0, 1.0, n_psu)
    psu = np.concatenate([np.arange(n_psu),
                          rng.choice(n_psu, rows - n_psu, p=size / size.sum())])
    rng.shuffle(psu)
    stratum = psu_stratum[psu]
    base_weight = rng.uniform(20, 400, STRATA)[stratum]
    weight = base_weight * rng.lognormal(0.0, 0.3, rows)
    psu_effect = rng.normal(0.0, 1.0, n_psu)[psu]
    y = 50 + rng.normal(0.0, 5.0, STRATA)[stratum] + 3 * psu_effect + rng.normal(0, 10, rows)
    latent = 0.5 * psu_effect + rng.normal(0.0, 1.0, rows)
    cut = np.quantile(latent, [0.30, 0.55, 0.75, 0.90])
    need = np.asarray(LEVELS, dtype=object)[np.searchsorted(cut, latent)]
    frame = pd.DataFrame({"stratum": stratum + 1, "psu": psu_number[psu], "weight": weight,
                          "y": y, "need": need})
    return Data(frame, y, need, per_stratum)


# --------------------------------------------------------------------------------------------
# The three methods
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Results:
    """Point estimates and SEs of one method, for the agreement check."""

    mean: float
    mean_se: float
    shares: dict[str, float]
    share_ses: dict[str, float]
    degrees_of_freedom: int | None = None


@dataclass(frozen=True)
class Task:
    """One timed action; `versus` names the task of ours it is compared with."""

    method: str
    name: str
    action: Callable[[], object]
    versus: str | None = None


@dataclass(frozen=True)
class Method:
    """The timed tasks of one method, its end-to-end workload and its results."""

    name: str
    tasks: list[Task]
    workload: Callable[[], object]
    results: Callable[[], Results]


END_TO_END = "design + mean + proportions"


def ours(data: Data) -> Method:
    """Our estimator: one `make_design`, then `mean` and `proportions` on it."""
    def design() -> SampleDesign:
        return make_design(data.frame, weights="weight", strata="stratum", cluster="psu")

    def both(fixed: SampleDesign) -> tuple[Estimate, Estimate]:
        return mean(fixed, data.y), proportions(fixed, data.need, LEVELS)

    fixed = design()
    tasks = [
        Task("ours", "design (make_design)", design),
        Task("ours", "mean of y + SE", lambda: mean(fixed, data.y)),
        Task("ours", "5 proportions + SEs", lambda: proportions(fixed, data.need, LEVELS)),
        Task("ours", "design + mean", lambda: mean(design(), data.y)),
        Task("ours", "design + proportions",
             lambda: proportions(design(), data.need, LEVELS)),
        Task("ours", END_TO_END, lambda: both(design())),
    ]

    def results() -> Results:
        average, shares = both(design())
        return Results(float(average.values[0]), float(average.se[0]),
                       dict(zip(LEVELS, map(float, shares.values), strict=True)),
                       dict(zip(LEVELS, map(float, shares.se), strict=True)),
                       fixed.degrees_of_freedom)

    return Method("ours", tasks, lambda: both(design()), results)


def samplics_method(data: Data) -> Method:
    """samplics' TaylorEstimator; it has no design object, every call redoes the design."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # samplics warns on import that it is archived
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam

    frame = data.frame
    columns = {"samp_weight": frame["weight"].to_numpy(),
               "stratum": frame["stratum"].to_numpy(), "psu": frame["psu"].to_numpy()}

    def estimate(param: Any, y: np.ndarray) -> Any:
        estimator = TaylorEstimator(param)
        estimator.estimate(y, **columns)
        return estimator

    def run_mean() -> Any:
        return estimate(PopParam.mean, data.y)

    def run_prop() -> Any:
        return estimate(PopParam.prop, data.need)

    tasks = [
        Task("samplics", "mean of y + SE", run_mean, "design + mean"),
        Task("samplics", "5 proportions + SEs", run_prop, "design + proportions"),
        Task("samplics", END_TO_END, lambda: (run_mean(), run_prop()), END_TO_END),
    ]

    def results() -> Results:
        average, shares = run_mean(), run_prop()
        return Results(float(average.point_est), float(average.stderror),
                       {str(k): float(v) for k, v in shares.point_est.items()},
                       {str(k): float(v) for k, v in shares.stderror.items()})

    return Method("samplics", tasks, lambda: (run_mean(), run_prop()), results)


def svy_method(data: Data) -> Method:
    """svy: a Sample binds a polars frame to a Design; estimates run in Rust.

    `svy.Sample(...)` only checks and copies; the factorised design is built lazily by the first
    estimate and cached on the sample. "warm" rows reuse one sample (design cached, like ours
    with a design at hand); end-to-end rows build a fresh sample every run.
    """
    import polars as pl
    import svy

    table = pl.from_pandas(data.frame)
    spec = svy.Design(stratum="stratum", psu="psu", wgt="weight")

    def sample() -> Any:
        return svy.Sample(table, spec)

    warm = sample()
    warm.estimation.mean("y")
    warm.estimation.prop("need")

    def both(fresh: Any) -> tuple[Any, Any]:
        return fresh.estimation.mean("y"), fresh.estimation.prop("need")

    tasks = [
        Task("svy", "svy.Sample() (design is lazy)", sample),
        Task("svy", "mean of y + SE (warm)", lambda: warm.estimation.mean("y"),
             "mean of y + SE"),
        Task("svy", "5 proportions + SEs (warm)", lambda: warm.estimation.prop("need"),
             "5 proportions + SEs"),
        Task("svy", "design + mean", lambda: sample().estimation.mean("y"), "design + mean"),
        Task("svy", "design + proportions", lambda: sample().estimation.prop("need"),
             "design + proportions"),
        Task("svy", END_TO_END, lambda: both(sample()), END_TO_END),
    ]

    def results() -> Results:
        average, shares = (estimate.to_polars() for estimate in both(sample()))
        return Results(float(average["est"][0]), float(average["se"][0]),
                       dict(zip(map(str, shares["need"]), shares["est"], strict=True)),
                       dict(zip(map(str, shares["need"]), shares["se"], strict=True)),
                       int(average["df"][0]))

    return Method("svy", tasks, lambda: both(sample()), results)


BUILDERS: dict[str, Callable[[Data], Method]] = {
    "ours": ours, "samplics": samplics_method, "svy": svy_method}


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------

def best_of(repeat: int, action: Callable[[], object]) -> float:
    """Shortest wall time of `repeat` runs, each after a garbage collection."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def _max_rss_mb() -> float:
    """resource.getrusage max RSS of this process, in MB."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _proc_status_mb(field: str) -> float | None:
    """A memory line of /proc/self/status (VmRSS, VmHWM) in MB; None where there is none."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Reset the RSS high-water mark to the current RSS (Linux >= 4.0); False if not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def child(method: str, rows: int, seed: int) -> None:
    """Measure the memory of one method's end-to-end workload and print it as JSON.

    Runs in a fresh process so that one method's peak does not hide another's. After a warm-up
    run the RSS high-water mark is reset, so `during` is the peak while the workload runs.
    """
    built = BUILDERS[method](generate(rows, seed))
    built.workload()
    gc.collect()
    before = _proc_status_mb("VmRSS")
    during = _proc_status_mb("VmHWM") if _reset_peak_rss() else None
    built.workload()
    if during is not None:
        during = _proc_status_mb("VmHWM")
    whole = _max_rss_mb()
    gc.collect()
    tracemalloc.start()
    built.workload()
    traced = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    print(json.dumps({"traced": traced, "before": before, "during": during, "whole": whole}))


def memory(method: str, rows: int, seed: int) -> dict[str, Any] | None:
    """Run `child` for one method in a fresh interpreter; None (with a message) on failure."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", method,
               "--rows", str(rows), "--seed", str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"  (memory of {method} at {rows:,} rows not measured: "
              f"{done.stderr.strip()[-300:]})")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def largest_difference(ours_: Results, peer: Results) -> dict[str, float]:
    """Largest relative difference of each kind of figure, peer against ours."""
    def relative(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))

    if set(peer.shares) != set(LEVELS):
        raise SystemExit(f"a peer returned the levels {sorted(peer.shares)}, not {LEVELS}")
    return {
        "mean": relative(np.array([peer.mean]), np.array([ours_.mean])),
        "SE(mean)": relative(np.array([peer.mean_se]), np.array([ours_.mean_se])),
        "proportions": relative(np.array([peer.shares[k] for k in LEVELS]),
                                np.array([ours_.shares[k] for k in LEVELS])),
        "SE(proportions)": relative(np.array([peer.share_ses[k] for k in LEVELS]),
                                    np.array([ours_.share_ses[k] for k in LEVELS])),
    }


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def environment() -> None:
    """Print what the figures depend on."""
    packages = ("numpy", "pandas", "scipy", "samplics", "svy", "svy-rs", "polars")
    print(f"Python {platform.python_version()} on {platform.platform()}, "
          f"{os.cpu_count()} CPUs (svy/polars may use several threads; ours and samplics "
          "run on one, apart from BLAS)")
    print("  " + ", ".join(f"{name} {_version(name)}" for name in packages))
    if importlib.util.find_spec("polars") is not None:
        import polars as pl

        print(f"  polars thread pool: {pl.thread_pool_size()} threads")


CONVENTIONS = """\
  Variance: all three use the with-replacement ("ultimate cluster") Taylor linearisation with
  the n_h/(n_h - 1) factor per stratum and no finite-population correction (none is given;
  svy's default wr=False only matters with pop_size). PSU numbers repeat across strata and
  every library nests them in strata (ours pairs (stratum, psu), samplics works stratum by
  stratum, svy reports df = PSUs - strata). Every stratum has >= 2 PSUs, so the lonely-PSU rules
  (ours "adjust", samplics default "error", svy: none declared) are not involved. Means and
  proportions are ratio estimators with score w(y - estimate)/sum(w) in all three."""


def _row(method: str, task: str, rows: int, seconds: float, ratio: str) -> str:
    return (f"  {method:9} {task:30} {rows:>9,} {seconds:9.4f} {rows / seconds:>13,.0f} "
            f"{ratio:>9}")


def measure_size(rows: int, repeat: int, seed: int, available: list[str],
                 figures: dict[str, dict[str, Any] | None]) -> tuple[dict[str, float], bool]:
    """Time, check and print one data size; return end-to-end ratios and whether all agree."""
    data = generate(rows, seed)
    counts = data.psus_per_stratum
    sizes = data.frame.groupby(["stratum", "psu"]).size()
    print(f"\n{rows:,} rows: {STRATA} strata, {counts.sum():,} PSUs ({counts.min()}-"
          f"{counts.max()} per stratum), {sizes.min()}-{sizes.max()} rows per PSU, "
          f"weights {data.frame['weight'].min():.1f}-{data.frame['weight'].max():.1f}; "
          f"best of {repeat}")
    methods = [BUILDERS[name](data) for name in ["ours", *available]]
    timed: dict[tuple[str, str], float] = {}
    print(f"  {'method':9} {'task':30} {'rows':>9} {'seconds':>9} {'rows/s':>13} "
          f"{'peer/ours':>9}")
    for method in methods:
        for task in method.tasks:
            seconds = best_of(repeat, task.action)
            timed[(task.method, task.name)] = seconds
            ratio = ("" if task.versus is None
                     else f"{seconds / timed[('ours', task.versus)]:.2f}x")
            print(_row(task.method, task.name, rows, seconds, ratio))
    print("  peer/ours = peer seconds / ours for the same work (samplics redoes the design in "
          "every call,\n  so its single estimates are set against ours with make_design "
          "included).")

    if figures:
        print(f"  memory of {END_TO_END}, each method in its own process after a warm-up run:")
        print(f"  {'method':9} {'tracemalloc':>12} {'RSS before':>11} {'in run':>9} "
              f"{'max RSS':>9}")
        for method in methods:
            got = figures.get(method.name)
            if got is None:
                continue
            before, during = got["before"], got["during"]
            rise = "n/a" if before is None or during is None else f"+{during - before:.0f} MB"
            shown = "n/a" if before is None else f"{before:.0f} MB"
            print(f"  {method.name:9} {got['traced']:9.1f} MB {shown:>11} {rise:>9} "
                  f"{got['whole']:6.0f} MB")
        print("  tracemalloc: peak of Python-side allocations (numpy included; svy's polars/Rust "
              "memory\n  is invisible to it). RSS before: resident data + libraries. in run: "
              "peak RSS above that\n  during the run (high-water mark reset via "
              "/proc/self/clear_refs). max RSS: resource.getrusage\n  of the whole process, "
              "data generation included.")

    reference = methods[0].results()
    agree = True
    print(f"  agreement with ours (largest relative difference; tolerance {TOLERANCE:g}):")
    print(f"    ours: mean {reference.mean:.10g} (SE {reference.mean_se:.6g}), proportions "
          + ", ".join(f"{k} {reference.shares[k]:.6f}" for k in LEVELS)
          + f"; df {reference.degrees_of_freedom}")
    peers = {method.name: method.results() for method in methods[1:]}
    for method in methods[1:]:
        peer = peers[method.name]
        differences = largest_difference(reference, peer)
        worst = max(differences.values())
        agree = agree and worst <= TOLERANCE
        extra = "" if peer.degrees_of_freedom is None else f"; df {peer.degrees_of_freedom}"
        print(f"    {method.name:9} " + "  ".join(f"{k} {v:.1e}" for k, v in differences.items())
              + f"  -> {'agree' if worst <= TOLERANCE else 'DISAGREE'}{extra}")
    if len(peers) == len(PEERS):
        between = largest_difference(peers["svy"], peers["samplics"])
        print("    samplics against svy: "
              + "  ".join(f"{k} {v:.1e}" for k, v in between.items()))
    if peers:
        print(CONVENTIONS)

    ratios = {name: timed[(name, END_TO_END)] / timed[("ours", END_TO_END)]
              for name in available}
    return ratios, agree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="data sizes to measure (default: 100000 1000000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; the best counts")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the generated data")
    parser.add_argument("--no-memory", action="store_true",
                        help="skip the memory figures (one child process per method and size)")
    parser.add_argument("--child", choices=sorted(BUILDERS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows[0], args.seed)
        return 0

    environment()
    missing = [name for name in PEERS if importlib.util.find_spec(name) is None]
    available = [name for name in PEERS if name not in missing]
    if missing:
        print(f"\nNOT INSTALLED: {', '.join(missing)}: timing ours only.\n{SETUP}")
    # Memory first, while this process holds no data: a child inherits its parent's max RSS.
    figures = {rows: {} if args.no_memory else
               {name: memory(name, rows, args.seed) for name in ["ours", *available]}
               for rows in args.rows}
    summary: dict[int, dict[str, float]] = {}
    agree = True
    for rows in args.rows:
        summary[rows], agreed = measure_size(rows, args.repeat, args.seed, available,
                                             figures[rows])
        agree = agree and agreed

    print(f"\nSummary ({END_TO_END}, end to end; this process's max RSS "
          f"{_max_rss_mb():.0f} MB):")
    for rows, ratios in summary.items():
        for name, ratio in ratios.items():
            verdict = ""
            if name == "samplics":
                verdict = (f" (target >= {TARGET_VS_SAMPLICS:g}x: "
                           f"{'met' if ratio >= TARGET_VS_SAMPLICS else 'NOT met'})")
            faster = (f"ours is {ratio:.1f}x faster" if ratio >= 1
                      else f"ours takes {1 / ratio:.1f}x as long")
            print(f"  {rows:>9,} rows: {name} takes {ratio:.2f}x as long as ours, "
                  f"i.e. {faster}{verdict}")
    if missing:
        print(f"  {', '.join(missing)} not installed, so not compared.\n{SETUP}")
    if not agree:
        print("  Some estimates DISAGREE beyond the tolerance: the timings compare unlike work.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
