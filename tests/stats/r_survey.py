"""R `survey` in the test suite: random designs, one Rscript run for all of them, and the same
figures from our library, so every estimator can be compared key by key.

Each design is a `Case`: a data frame with fixed column roles (strata, PSUs, SSUs, weights,
fpc at both stages, a numeric y and y2, a factor x with an empty level, z, a domain g, a
post-stratum ps and two raking margins r1 and r2) and the switches saying which design
columns R and we should use.
`tests/stats/r_reference.R` computes R's figures for all cases in one process; `ours` computes
the same keys with survey.stats.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey.stats.compare import Correction, adjust, compare_groups
from survey.stats.contrast import contrast
from survey.stats.crosstab import crosstab
from survey.stats.design import DesignError, LonelyPsu, SampleDesign, make_design
from survey.stats.estimate import by, mean, proportions, total
from survey.stats.intervals import IntervalMethod, korn_graubard, proportion_interval, wilson
from survey.stats.needs import co_occurrence, importance_satisfaction, rank_needs, top_ranked
from survey.stats.quantiles import quantiles
from survey.stats.ratio import ratio
from survey.stats.results import categorical_rows
from survey.stats.weighting import Margin, WeightingError, poststratify, rake, trim

R_PACKAGES = "r-base-core r-cran-survey r-cran-mass"
SCRIPT = Path(__file__).with_name("r_reference.R")
TOLERANCE = 1e-9
"""Largest relative difference from R accepted."""
ABSOLUTE = 1e-13
"""Differences this small count as equal: R and we both compute exact zeros as round-off."""
COLUMNS = ("id", "stratum", "psu", "ssu", "w", "fpc", "fpc2", "y", "y2", "x", "z", "g", "ps",
           "ps_target", "r1", "r1_target", "r2", "r2_target")


def rscript() -> str:
    """The Rscript executable, or skip the test saying which Debian packages bring it."""
    found = shutil.which("Rscript")
    if found is None:
        pytest.skip(f"Rscript is not installed: install the Debian packages {R_PACKAGES}")
    return found


def _failed(done: subprocess.CompletedProcess[str], what: str) -> None:
    """Skip when R lacks a package, fail with R's message otherwise."""
    if "there is no package called" in done.stderr:
        pytest.skip(f"R's survey or MASS package is missing: install the Debian packages "
                    f"{R_PACKAGES}")
    raise AssertionError(f"Rscript failed {what}:\n{done.stderr[-3000:]}")


@dataclass(frozen=True)
class Case:
    """One design and its data, as both R and we read it."""

    id: int
    name: str
    data: pd.DataFrame
    strata: bool
    cluster: bool
    fpc: bool
    x_levels: tuple[str, ...]
    """Levels of x in order; the last never occurs (an empty factor level)."""
    trim: tuple[float, float]
    """Trimming bounds as multiples of the mean weight."""
    ssu: bool = False
    """Two stages: SSUs (column ssu) within the PSUs."""
    fpc2: bool = False
    """The second stage has an fpc (column fpc2); without it R is given fpc2 = Inf."""
    weighted: bool = True
    """Weights given (column w); otherwise derived from the fpc of both stages."""
    nest: bool = False
    """SSU ids are numbered within each PSU."""

    def design(self, lonely: LonelyPsu = LonelyPsu.ADJUST,
               ultimate_cluster: bool = False) -> SampleDesign:
        cluster = ["psu", "ssu"] if self.ssu else ("psu" if self.cluster else None)
        fpc = (["fpc", "fpc2"] if self.fpc2 else "fpc") if self.fpc else None
        return make_design(self.data, weights="w" if self.weighted else None,
                           strata="stratum" if self.strata else None, cluster=cluster,
                           fpc=fpc, lonely=lonely, nest=self.nest,
                           ultimate_cluster=ultimate_cluster)

    @property
    def domains(self) -> list[str]:
        return sorted(self.data["g"].unique())

    def targets(self, column: str) -> dict[str, float]:
        cells = self.data.drop_duplicates(column)
        return dict(zip(cells[column], cells[f"{column}_target"], strict=True))


def _domain_df(design: SampleDesign, rows: np.ndarray) -> int:
    psus = np.unique(design.psu[rows])
    return len(psus) - len(np.unique(design.psu_stratum[psus]))


def _acceptable(case: Case) -> bool:
    """Every domain, and every pair of domains, keeps degrees of freedom with known y, every
    domain has its answers of each variable in two PSUs or more (the library refuses a domain
    estimate resting on one PSU, test_ratio_contrast_deff checks that), every category of
    the weighting variables has respondents, and the raking margins can be met."""
    design = case.design()
    data = case.data
    known = data["y"].notna().to_numpy()
    answered = [data[c].notna().to_numpy() for c in ("y", "x", "y2") if c in data]
    if len(case.domains) < 2:  # contrasts need two domains
        return False
    for level in case.domains:
        inside = (data["g"] == level).to_numpy()
        if (inside & known).sum() < 3 or _domain_df(design, inside & known) < 2:
            return False
        if any(len(np.unique(design.psu[inside & a])) < 2 for a in answered):
            return False
    for a, b in combinations(case.domains, 2):
        pair = data["g"].isin([a, b]).to_numpy() & known
        if _domain_df(design, pair) < 3:
            return False
    if not all(data[c].nunique() == n for c, n in (("ps", 3), ("r1", 2), ("r2", 3))):
        return False
    try:
        rake(data, "w", [Margin("r1", case.targets("r1")), Margin("r2", case.targets("r2"))],
             max_iterations=10_000, tolerance=1e-14)
    except WeightingError:
        return False
    return True


def random_case(rng: np.random.Generator, case_id: int) -> Case:
    """A design drawn at random: strata (some with one PSU), clusters or not, one stage or two
    (some PSUs with one SSU, some with all their SSUs sampled), fpc or not at each stage as
    counts or fractions, given or derived weights, unequal weights, missing values, domains
    and a factor with an empty level."""
    while True:
        case = _draw(rng, case_id)
        if _acceptable(case):
            return case


def _draw(rng: np.random.Generator, case_id: int) -> Case:
    strata = int(rng.integers(1, 5))
    clustered = bool(rng.random() < 0.6)
    two_stage = clustered and bool(rng.random() < 0.5)
    with_fpc = bool(rng.random() < (0.8 if two_stage else 0.4))
    with_fpc2 = with_fpc and two_stage and bool(rng.random() < 0.75)
    given_weights = not with_fpc2 or bool(rng.random() < 0.5)
    fractions = with_fpc2 and bool(rng.random() < 0.4)
    nest = two_stage and bool(rng.random() < 0.5)
    rows: list[dict[str, object]] = []
    psu = ssu = 0
    for h in range(strata):
        lonely = strata > 1 and rng.random() < 0.3
        count = 1 if lonely else int(rng.integers(2, 6 if two_stage else 8 if clustered else 30))
        population = math.ceil(count * rng.uniform(1.3, 6.0)) + 1
        stratum_weight = rng.lognormal(2.0, 0.6)
        for _ in range(count):
            psu += 1
            units = (1 if rng.random() < 0.2 else int(rng.integers(2, 5))) if two_stage else 1
            units_population = units + int(rng.integers(0, 3 * units + 1))
            effect = rng.normal(0, 4)
            for unit in range(1, units + 1):
                ssu += 1
                size = int(rng.integers(1, 11 if not two_stage else 4)) if clustered else 1
                unit_effect = rng.normal(0, 3) if two_stage else 0.0
                for _ in range(size):
                    w = (population / count * units_population / units if not given_weights
                         else stratum_weight * rng.lognormal(0, 0.5))
                    rows.append({"stratum": f"h{h}", "psu": psu, "ssu": unit if nest else ssu,
                                 "fpc": count / population if fractions else population,
                                 "fpc2": (units / units_population if fractions
                                          else units_population),
                                 "w": w, "y": rng.gamma(2.0, 10.0) + effect + unit_effect})
    data = pd.DataFrame(rows)
    n = len(data)
    y_missing = rng.choice([0.0, 0.1])
    data.loc[rng.random(n) < y_missing, "y"] = np.nan
    data["y2"] = data["y"] * 0.6 + rng.normal(5, 3, n)
    shares = rng.dirichlet([3, 2, 1.5])
    x = rng.choice(["a", "b", "c"], n, p=shares).astype(object)
    x[rng.random(n) < rng.choice([0.0, 0.08])] = None
    data["x"] = x
    z_levels = ["p", "q", "r"][: int(rng.integers(2, 4))]
    z = rng.choice(z_levels, n).astype(object)
    z[rng.random(n) < rng.choice([0.0, 0.05])] = None
    data["z"] = z
    data["g"] = rng.choice(["g1", "g2", "g3"], n, p=[0.45, 0.35, 0.2])
    data["ps"] = rng.choice(["s1", "s2", "s3"], n)
    data["r1"] = rng.choice(["u", "v"], n, p=[0.6, 0.4])
    data["r2"] = rng.choice(["k", "l", "m"], n)
    w = data["w"].to_numpy()
    cells = data.groupby("ps")["w"].sum()
    data["ps_target"] = data["ps"].map(cells * pd.Series(rng.uniform(0.8, 1.25, len(cells)),
                                                          index=cells.index))
    population = w.sum() * rng.uniform(0.9, 1.1)
    for margin in ("r1", "r2"):
        weighted = data.groupby(margin)["w"].sum()
        share = weighted * rng.uniform(0.85, 1.15, len(weighted))
        data[f"{margin}_target"] = data[margin].map(share / share.sum() * population)
    trim_bounds = (float(rng.uniform(0.3, 0.7)), float(rng.uniform(1.3, 2.5)))
    return _case(case_id, f"random {case_id}", data, strata > 1, clustered, with_fpc,
                 ("a", "b", "c", "d"), trim_bounds, two_stage=two_stage, fpc2=with_fpc2,
                 weighted=given_weights, nest=nest)


def _case(case_id: int, name: str, data: pd.DataFrame, strata: bool, cluster: bool, fpc: bool,
          x_levels: tuple[str, ...], trim_bounds: tuple[float, float], two_stage: bool = False,
          fpc2: bool = False, weighted: bool = True, nest: bool = False) -> Case:
    data = data.reset_index(drop=True).copy()
    data["id"] = case_id
    for column in ("ssu", "fpc2"):
        data[column] = data.get(column, np.nan)
    data.loc[data["y"].isna(), "y2"] = np.nan  # a gap needs both ratings
    data.loc[data["y2"].isna(), "y"] = np.nan
    return Case(case_id, name, data[list(COLUMNS)], strata, cluster, fpc, x_levels,
                trim_bounds, two_stage, fpc2, weighted, nest)


API_POPULATION = {"stype": {"E": 4421.0, "H": 755.0, "M": 1018.0},
                  "sch.wide": {"No": 1072.0, "Yes": 5122.0}}
"""Population counts of the API schools, as in R `survey`'s own examples."""


def api_cases(folder: Path) -> list[Case]:
    """apistrat, apiclus1, apiclus2's first stage, and apiclus2 as the two-stage design of R's
    own example (`svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2)`, weights from the fpc),
    in the roles of a Case."""
    made = []
    clus2 = dict(psu="dnum", fpc="fpc1", y="enroll", y2="api.stu", x="stype", z="awards",
                 g="sch.wide")
    settings = [
        ("apistrat", dict(stratum="stype", fpc="fpc", y="api00", y2="api99", x="sch.wide",
                          z="awards", g="comp.imp"), True, False),
        ("apiclus1", dict(psu="dnum", fpc="fpc", y="api00", y2="api99", x="stype",
                          z="sch.wide", g="awards"), False, True),
        ("apiclus2", clus2, False, True),
        ("apiclus2", clus2 | dict(ssu="snum", fpc2="fpc2"), False, True),
    ]
    for k, (name, roles, strata, cluster) in enumerate(settings):
        raw = pd.read_csv(folder / f"{name}.csv")
        data = pd.DataFrame({role: raw[column] for role, column in roles.items()})
        data["stratum"] = data.get("stratum", "all")
        data["psu"] = data.get("psu", pd.Series(np.arange(len(raw)) + 1))
        data["w"] = raw["pw"]
        for column in ("x", "z", "g"):
            data[column] = data[column].astype(object)
        data["ps"], data["r1"], data["r2"] = raw["stype"], raw["sch.wide"], raw["stype"]
        data["ps_target"] = data["ps"].map(API_POPULATION["stype"])
        data["r1_target"] = data["r1"].map(API_POPULATION["sch.wide"])
        data["r2_target"] = data["r2"].map(API_POPULATION["stype"])
        levels = (*sorted(data["x"].dropna().unique()), "zz")
        two_stage = "ssu" in roles
        made.append(_case(1000 + k, f"{name} two-stage" if two_stage else name, data, strata,
                          cluster, True, levels, (0.8, 1.2), two_stage=two_stage,
                          fpc2=two_stage, weighted=not two_stage))
    return made


def run_r(cases: list[Case], folder: Path) -> dict[int, dict[str, float]]:
    """R's figures for every case: the cases split over one Rscript process per CPU (at most
    four), each computing all figures for its share of the designs."""
    executable = rscript()
    processes = max(1, min(4, os.cpu_count() or 1, len(cases)))
    runs = []
    for k in range(processes):
        share = cases[k::processes]
        designs, specs, results = (folder / f"{name}-{k}.csv" for name in
                                   ("designs", "specs", "results"))
        pd.concat([c.data for c in share]).to_csv(designs, index=False, float_format="%.17g")
        pd.DataFrame([{"id": c.id, "strata": c.strata, "cluster": c.cluster, "fpc": c.fpc,
                       "ssu": c.ssu, "fpc2": c.fpc2, "weighted": c.weighted,
                       "x_levels": "|".join(c.x_levels), "trim_lower": repr(c.trim[0]),
                       "trim_upper": repr(c.trim[1])} for c in share]).to_csv(specs, index=False)
        command = [executable, str(SCRIPT), str(designs), str(specs), str(results)]
        runs.append((subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True), results))
    figures: dict[int, dict[str, float]] = {c.id: {} for c in cases}
    for process, results in runs:
        out, err = process.communicate()
        if process.returncode != 0:
            _failed(subprocess.CompletedProcess(process.args, process.returncode, out, err),
                    "on the designs")
        table = pd.read_csv(results, header=None, names=["id", "key", "value"],
                            keep_default_na=False, dtype={"value": str})
        for case_id, key, value in table.itertuples(index=False):
            figures[int(case_id)][key] = float("nan") if value in ("NA", "NaN") else float(value)
    return figures


def api_files(folder: Path) -> Path:
    """R's api data written as CSV by R itself."""
    done = subprocess.run([rscript(), str(SCRIPT), "--api", str(folder)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        _failed(done, "writing the api data")
    return folder


# ---------------------------------------------------------------------------------------------
# Our figures, under the same keys
# ---------------------------------------------------------------------------------------------


def _put(found: dict[str, float], key: str, values: object) -> None:
    array = np.atleast_1d(np.asarray(values, dtype=float)).ravel()
    if array.size == 1:
        found[key] = float(array[0])
    else:
        for i, value in enumerate(array, start=1):
            found[f"{key}.{i}"] = float(value)


def ours(case: Case) -> dict[str, float]:
    """Every figure r_reference.R computes, from survey.stats (keys as R writes them)."""
    found: dict[str, float] = {}
    put = found.__setitem__
    data, design = case.data, case.design()
    y, y2 = data["y"].to_numpy(dtype=float), data["y2"].to_numpy(dtype=float)
    x = data["x"]
    put("degf", design.degrees_of_freedom)
    _put(found, "design.weights", design.weights)

    whole = mean(design, y)
    put("mean", whole.values[0])
    put("mean.se", whole.se[0])
    _put(found, "mean.ci", np.ravel(whole.confidence_interval()))
    summed = total(design, y)
    put("total", summed.values[0])
    put("total.se", summed.se[0])
    domains = {level: (data["g"] == level).to_numpy() for level in case.domains}
    for level, inside in domains.items():
        m, t = mean(design, y, inside), total(design, y, inside)
        put(f"dmean.{level}", m.values[0])
        put(f"dmean.se.{level}", m.se[0])
        put(f"dtotal.{level}", t.values[0])
        put(f"dtotal.se.{level}", t.se[0])

    _design_effects(found, case, design, domains)
    _ratios_and_contrasts(found, case, design, domains)
    _lonely_rules(found, case, domains)
    ultimate = case.design(ultimate_cluster=True)
    put("ultimate.mean.se", mean(ultimate, y).se[0])
    for level, inside in domains.items():
        put(f"ultimate.dmean.se.{level}", mean(ultimate, y, inside).se[0])

    shares = proportions(design, x.to_numpy(), case.x_levels)
    for i, a in enumerate(case.x_levels):
        put(f"prop.{a}", shares.values[i])
        put(f"prop.se.{a}", shares.se[i])
        for j, b in enumerate(case.x_levels):
            put(f"prop.cov.{a}.{b}", shares.covariance[i, j])
    for level, inside in domains.items():
        put(f"ddegf.{level}", design.domain_degrees_of_freedom(inside))
        domain_shares = proportions(design, x.to_numpy(), case.x_levels, inside)
        for i, a in enumerate(case.x_levels):
            put(f"dprop.{level}.{a}", domain_shares.values[i])
            put(f"dprop.se.{level}.{a}", domain_shares.se[i])

    answered = int(x.notna().sum())
    observed = [a for a in case.x_levels if (x == a).any()]
    for method, name in ((IntervalMethod.LOGIT, "logit"), (IntervalMethod.KORN_GRAUBARD, "beta")):
        rows = categorical_rows(design, "x", x, tuple(observed), "g", data["g"], method)
        for row in rows:
            put(f"dciprop.{name}.{row['group']}.{row['category']}.1", row["ci_low"])
            put(f"dciprop.{name}.{row['group']}.{row['category']}.2", row["ci_high"])
        whole_rows = categorical_rows(design, "x", x, tuple(observed), method=method)
        for row in whole_rows:
            put(f"ciprop.{name}.{row['category']}.1", row["ci_low"])
            put(f"ciprop.{name}.{row['category']}.2", row["ci_high"])
    for key in [k for k in found if k.startswith(("ciprop.logit.", "dciprop.logit."))]:
        found[key.replace("ciprop.logit", "svyciprop.logit")] = found[key]
    for level, inside in domains.items():
        needs = {a: np.where(inside & x.notna().to_numpy(), (x == a).to_numpy(dtype=float),
                             np.nan) for a in observed}
        for need in rank_needs(design, needs, IntervalMethod.LOGIT, domain=inside):
            _put(found, f"needs.{level}.{need.area}", [need.ci_low, need.ci_high])
    for a in observed:
        _put(found, f"wilson.{a}", wilson(int((x == a).sum()), answered))
    put("nrow", design.n)

    for i, q in enumerate(quantiles(design, y, (0.25, 0.5, 0.75)), start=1):
        _put(found, f"quantile.{i}", [q.value, q.ci_low, q.ci_high, q.se])
    for level, inside in domains.items():
        (q,) = quantiles(design, y, (0.5,), inside)
        _put(found, f"dquantile.{level}", [q.value, q.ci_low, q.ci_high, q.se])

    table = crosstab(design, x, data["z"])
    for r, row_level in enumerate(table.row_levels):
        for k, column_level in enumerate(table.column_levels):
            put(f"table.{row_level}.{column_level}", table.weighted[r, k])
    if table.test is None and min(table.weighted.shape) >= 2:
        put("chisq.failed", 1)
    if table.test is not None:
        test = table.test
        put("chisq.f", test.f)
        put("chisq.ndf", test.f_ndf)
        put("chisq.ddf", test.f_ddf)
        put("chisq.f.p", test.f_p)
        put("chisq.p", test.chisq_p)
        put("chisq.df", test.chisq_df)
        put("chisq.pearson", test.pearson)

    comparison = compare_groups(design, y, data["g"], Correction.NONE)
    for k, (i, j) in enumerate(comparison.pairs):
        pair = f"{comparison.groups[i]}.{comparison.groups[j]}"
        put(f"ttest.t.{pair}", comparison.t_values[k])
        put(f"ttest.df.{pair}", comparison.degrees_of_freedom[k])
        put(f"ttest.p.{pair}", comparison.p_values[k])
    _put(found, "holm", adjust(comparison.p_values, Correction.HOLM))
    _put(found, "bh", adjust(comparison.p_values, Correction.BENJAMINI_HOCHBERG))

    first = top_ranked(design, [x], list(observed))
    for row in first.itertuples():
        put(f"top.first.{row.area}", row.first)
        put(f"top.first.se.{row.area}", row.first_se)
    known = (x.notna() & data["z"].notna()).to_numpy()
    together = co_occurrence(design, {
        "a": np.where(known, (x == "a").to_numpy(dtype=float), np.nan),
        "p": np.where(known, (data["z"] == "p").to_numpy(dtype=float), np.nan)})
    put("cooccurrence", together.loc["a", "p"])

    gap = importance_satisfaction(design, {"area": y}, {"area": y2})
    put("gap", gap["gap"][0])
    put("gap.se", gap["gap_se"][0])

    _calibrated(found, "post", case, design,
                poststratify(data, "w", "ps", case.targets("ps")).design(design))
    margins = [Margin("r1", case.targets("r1")), Margin("r2", case.targets("r2"))]
    _calibrated(found, "rake", case, design,
                rake(data, "w", margins, max_iterations=10_000, tolerance=1e-14).design(design))

    _put(found, "trim.weights", trim(data["w"].to_numpy(), *case.trim))
    _put(found, "trim.strict.weights", trim(data["w"].to_numpy(), *case.trim, strict=True))
    try:
        case.design(LonelyPsu.FAIL)
        put("fail", 0)
    except DesignError:
        put("fail", 1)
    return found


def _design_effects(found: dict[str, float], case: Case, design: SampleDesign,
                    domains: dict[str, np.ndarray]) -> None:
    """deff = TRUE and deff = "replace" of means, totals and shares, whole and per domain."""
    y, x = case.data["y"].to_numpy(dtype=float), case.data["x"].to_numpy()
    for replace, tail in ((False, ""), (True, ".replace")):
        found[f"deff.mean{tail}"] = mean(design, y).design_effect(replace)[0]
        found[f"deff.total{tail}"] = total(design, y).design_effect(replace)[0]
        for level, inside in domains.items():
            found[f"deff.dmean{tail}.{level}"] = mean(design, y, inside).design_effect(replace)[0]
            found[f"deff.dtotal{tail}.{level}"] = total(design, y,
                                                        inside).design_effect(replace)[0]
    for a, value in zip(case.x_levels, proportions(design, x, case.x_levels).deff, strict=True):
        found[f"deff.prop.{a}"] = value
    for level, inside in domains.items():
        shares = proportions(design, x, case.x_levels, inside)
        for a, value in zip(case.x_levels, shares.deff, strict=True):
            found[f"deff.dprop.{level}.{a}"] = value


def _ratios_and_contrasts(found: dict[str, float], case: Case, design: SampleDesign,
                          domains: dict[str, np.ndarray]) -> None:
    """svyratio(~y, ~y2) whole and by domain; svycontrast of svyby(covmat = TRUE) results."""
    data = case.data
    y, y2 = data["y"].to_numpy(dtype=float), data["y2"].to_numpy(dtype=float)
    whole = ratio(design, y, y2)
    found.update({"ratio": whole.values[0], "ratio.se": whole.se[0],
                  "ratio.deff": whole.deff[0]})
    for level, inside in domains.items():
        part = ratio(design, y, y2, inside)
        found[f"ratio.domain.{level}"] = part.values[0]
        found[f"ratio.domain.se.{level}"] = part.se[0]
        found[f"ratio.domain.deff.{level}"] = part.deff[0]
    levels = list(domains)
    means = contrast(by(design, y, data["g"]), {
        "difference": {levels[0]: 1, levels[1]: -1},
        "average": {level: 1 / len(levels) for level in levels}})
    _put(found, "contrast.mean", means.values)
    _put(found, "contrast.mean.se", means.se)
    totals = contrast(by(design, y, data["g"], "total"), {levels[-1]: 1, levels[0]: -1})
    _put(found, "contrast.total", totals.values)
    _put(found, "contrast.total.se", totals.se)


def _lonely_rules(found: dict[str, float], case: Case, domains: dict[str, np.ndarray]) -> None:
    """Standard errors under every lonely-PSU rule but "fail". Where every stratum with
    respondents has a single PSU, "average" has nothing to average: R gives NaN, we refuse."""
    y, x = case.data["y"].to_numpy(dtype=float), case.data["x"].to_numpy()
    for rule in (LonelyPsu.ADJUST, LonelyPsu.AVERAGE, LonelyPsu.CERTAINTY, LonelyPsu.REMOVE):
        design = case.design(rule)
        key = f"lonely.{rule.value}."
        jobs: list[tuple[str, str, np.ndarray | None]] = [
            ("mean.se", "mean", None), ("total.se", "total", None), ("prop.se", "prop", None)]
        for level, inside in domains.items():
            jobs += [(f"dmean.se.{level}", "mean", inside), (f"dtotal.se.{level}", "total",
                                                              inside)]
        for name, statistic, inside in jobs:
            try:
                estimate = (proportions(design, x, case.x_levels) if statistic == "prop"
                            else (mean if statistic == "mean" else total)(design, y, inside))
                _put(found, key + name, estimate.se)
            except DesignError:
                size = len(case.x_levels) if statistic == "prop" else 1
                _put(found, key + name, np.full(size, np.nan))


def _calibrated(found: dict[str, float], prefix: str, case: Case, base: SampleDesign,
                design: SampleDesign) -> None:
    y = case.data["y"].to_numpy(dtype=float)
    _put(found, f"{prefix}.weights", design.weights)
    m, t = mean(design, y), total(design, y)
    _put(found, f"{prefix}.deff.mean", m.deff)
    _put(found, f"{prefix}.deff.total", t.deff)
    _put(found, f"{prefix}.mean", m.values)
    _put(found, f"{prefix}.mean.se", m.se)
    _put(found, f"{prefix}.total", t.values)
    _put(found, f"{prefix}.total.se", t.se)
    shares = proportions(design, case.data["x"].to_numpy(), case.x_levels)
    _put(found, f"{prefix}.prop", shares.values)
    _put(found, f"{prefix}.prop.se", shares.se)
    by = [mean(design, y, (case.data["g"] == level).to_numpy()) for level in case.domains]
    _put(found, f"{prefix}.dmean", [e.values[0] for e in by])
    _put(found, f"{prefix}.dmean.se", [e.se[0] for e in by])


def korn_graubard_as_r(case: Case, r: dict[str, float]) -> dict[str, float]:
    """Korn-Graubard intervals with R's count of rows (`nrow(design)`, which includes rows
    whose answer is missing) in place of the respondents who answered."""
    design, data = case.design(), case.data
    x = data["x"]
    found: dict[str, float] = {}
    observed = [a for a in case.x_levels if (x == a).any()]
    shares = proportions(design, x.to_numpy(), tuple(observed))
    for i, a in enumerate(observed):
        _put(found, f"ciprop.beta.{a}", korn_graubard(
            shares.values[i], shares.se[i], int(r["nrow"]), design.degrees_of_freedom))
    for level in case.domains:
        inside = (data["g"] == level).to_numpy()
        shares = proportions(design, x.to_numpy(), tuple(observed), inside)
        for i, a in enumerate(observed):
            _put(found, f"dciprop.beta.{level}.{a}", proportion_interval(
                IntervalMethod.KORN_GRAUBARD, shares.values[i], shares.se[i],
                int(r[f"dnrow.{level}"]), design.domain_degrees_of_freedom(inside)))
    return found


def differences(r: dict[str, float], mine: dict[str, float], prefixes: tuple[str, ...],
                tolerance: float = TOLERANCE) -> list[str]:
    """Keys starting with one of `prefixes` where we and R differ beyond `tolerance` (or where
    either side lacks a figure), each as a line 'key: R ... ours ...'."""
    found = []
    keys = {k for k in r.keys() | mine.keys() if k.startswith(prefixes)}
    for key in sorted(keys):
        if key not in r or key not in mine:
            found.append(f"{key}: R {r.get(key, 'missing')} ours {mine.get(key, 'missing')}")
            continue
        a, b = r[key], mine[key]
        if math.isnan(a) and math.isnan(b):
            continue
        if math.isnan(a) or math.isnan(b) or (
                abs(a - b) > tolerance * max(abs(a), abs(b)) and abs(a - b) > ABSOLUTE):
            relative = abs(a - b) / max(abs(a), abs(b), 1e-300)
            found.append(f"{key}: R {a!r} ours {b!r} (relative difference {relative:.2g})")
    return found
