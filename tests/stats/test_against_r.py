"""Every estimator of survey.stats against R `survey`, live: R's api data and random designs.

The random designs are drawn afresh on every run from a seed printed in the output and named in
every failure (set SURVEY_R_SEED to repeat a run). R computes every figure of all designs in
one batch (r_reference.R, one Rscript process per CPU, at most four), never one process per
assertion; a relative difference above 1e-9 fails unless the test names the reason.
Without Rscript these tests skip, naming the Debian packages that provide it.
"""

from __future__ import annotations

import os
import secrets

import numpy as np
import pytest
from r_survey import (
    TOLERANCE,
    Case,
    api_cases,
    api_files,
    differences,
    korn_graubard_as_r,
    ours,
    random_case,
    rscript,
    run_r,
)

RANDOM_DESIGNS = 50
SEED = int(os.environ.get("SURVEY_R_SEED", secrets.randbelow(2**32)))


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    rscript()
    print(f"\nR comparison seed: {SEED} (SURVEY_R_SEED={SEED} repeats this run)")
    rng = np.random.default_rng(SEED)
    made = [random_case(rng, i) for i in range(1, RANDOM_DESIGNS + 1)]
    while not _covered(made) and len(made) < 3 * RANDOM_DESIGNS:  # same seed, same draws
        made.append(random_case(rng, len(made) + 1))
    return api_cases(api_files(tmp_path_factory.mktemp("api"))) + made


def _covered(drawn: list[Case]) -> bool:
    """Every kind of design test_enough_designs_of_every_kind asks for is among `drawn`."""
    two_stage = [c for c in drawn if c.ssu]
    lonely = any((c.data.groupby("stratum")["psu"].nunique() == 1).any() for c in drawn
                 if c.strata)
    single_ssu = any((c.data.groupby("psu")["ssu"].nunique() == 1).any() for c in two_stage)
    return (len(two_stage) >= 5 and lonely and single_ssu
            and all(any(test(c) for c in drawn) for test in (
                lambda c: c.strata, lambda c: not c.strata, lambda c: c.cluster,
                lambda c: not c.cluster, lambda c: c.fpc, lambda c: not c.fpc,
                lambda c: c.data["y"].isna().any(), lambda c: c.data["x"].isna().any()))
            and all(any(test(c) for c in two_stage) for test in (
                lambda c: c.fpc2, lambda c: c.fpc and not c.fpc2, lambda c: c.nest,
                lambda c: not c.nest)))


@pytest.fixture(scope="module")
def r(cases: list[Case], tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[str, float]]:
    return run_r(cases, tmp_path_factory.mktemp("r"))


@pytest.fixture(scope="module")
def mine(cases: list[Case]) -> dict[int, dict[str, float]]:
    return {case.id: ours(case) for case in cases}


def agree(cases: list[Case], r: dict[int, dict[str, float]], mine: dict[int, dict[str, float]],
          *prefixes: str, only: list[Case] | None = None, tolerance: float = TOLERANCE) -> None:
    """Fail with every differing figure, by design, and the seed that drew the designs."""
    lines = []
    compared = 0
    for case in only if only is not None else cases:
        found = differences(r[case.id], mine[case.id], prefixes, tolerance)
        compared += sum(k.startswith(prefixes) for k in r[case.id])
        lines += [f"{case.name}: {line}" for line in found]
    assert compared > 0, f"no R figure starts with {prefixes}"
    assert not lines, (f"seed {SEED}: {len(lines)} of {compared} figures differ from R:\n"
                       + "\n".join(lines[:40]))


def test_enough_designs_of_every_kind(cases: list[Case], r) -> None:
    """The random designs cover strata, lonely PSUs, clusters, fpc and missing values, and
    two-stage designs: with and without a second-stage fpc, SSU ids unique or numbered within
    each PSU, PSUs with a single SSU; apiclus2 as two stages derives its weights from the fpc."""
    drawn = [c for c in cases if c.name.startswith("random")]
    assert len(drawn) >= RANDOM_DESIGNS
    assert any(c.strata for c in drawn) and any(not c.strata for c in drawn)
    assert any(c.cluster for c in drawn) and any(not c.cluster for c in drawn)
    assert any(c.fpc for c in drawn) and any(not c.fpc for c in drawn)
    assert any(r[c.id]["fail"] == 1 for c in drawn), "no design has a lonely PSU"
    assert any(c.data["y"].isna().any() for c in drawn)
    assert any(c.data["x"].isna().any() for c in drawn)
    two_stage = [c for c in drawn if c.ssu]
    assert len(two_stage) >= 5, f"seed {SEED}: only {len(two_stage)} two-stage designs"
    assert any(c.fpc2 for c in two_stage) and any(c.fpc and not c.fpc2 for c in two_stage)
    assert any(c.nest for c in two_stage) and any(not c.nest for c in two_stage)
    assert any(not c.weighted for c in cases), "no design derives its weights from the fpc"
    assert any((c.data.groupby("psu")["ssu"].nunique() == 1).any() for c in two_stage), \
        "no PSU has a single SSU"


def test_means_totals_and_domains(cases, r, mine) -> None:
    """svymean, svytotal, svyby and confint(df = degf) with na.rm = TRUE."""
    agree(cases, r, mine, "degf", "mean", "total", "dmean", "dtotal")


def test_shares_their_covariance_and_domain_degrees_of_freedom(cases, r, mine) -> None:
    """svymean of a factor with an empty level (share 0, SE 0), per domain, and degf(subset)."""
    agree(cases, r, mine, "prop.", "dprop.", "ddegf.")


def drop_at_the_boundary(cases: list[Case], r, mine, *prefixes: str) -> None:
    """Leave out interval keys of shares of 0 or 1 (to round-off): there R's logit interval
    comes from a glm fitted at the boundary and its beta interval is NaN (an effective size
    of 0 / 0), while ours is Korn-Graubard's with the unweighted n."""
    for case in cases:
        for key in [k for k in mine[case.id] | r[case.id] if k.startswith(prefixes)]:
            parts = key.split(".")
            in_domain = key.startswith(("d", "needs."))
            share = (mine[case.id][f"dprop.{parts[-3]}.{parts[-2]}"] if in_domain
                     else mine[case.id][f"prop.{parts[-2]}"])
            if min(share, 1 - share) < 1e-9:
                r[case.id].pop(key, None)
                mine[case.id].pop(key, None)


def test_logit_and_wilson_intervals(cases, r, mine) -> None:
    """svyciprop(method = "logit") whole and per domain (the domain's degf), also as the
    ranked needs of a group carry them, and the Wilson interval against
    prop.test(correct = FALSE).

    At a share of 0 or 1 R's logit interval comes from a glm fitted at the boundary and is not
    an interval; ours then is Korn-Graubard's, so those cells are left out."""
    for case in cases:  # the ranked needs of a group carry the same intervals
        for key in [k for k in r[case.id] if k.startswith("dciprop.logit.")]:
            r[case.id]["needs." + key.removeprefix("dciprop.logit.")] = r[case.id][key]
    drop_at_the_boundary(cases, r, mine, "ciprop.logit.", "dciprop.logit.", "needs.",
                         "svyciprop.logit.", "dsvyciprop.logit.")
    agree(cases, r, mine, "ciprop.logit", "dciprop.logit", "needs.", "wilson")
    # svyciprop itself stops its glm at a deviance change of 1e-8 (see r_reference.R).
    agree(cases, r, mine, "svyciprop.logit", "dsvyciprop.logit", tolerance=1e-6)


def test_korn_graubard_intervals(cases, r, mine) -> None:
    """svyciprop(method = "beta"), whole and per domain.

    R scales the effective sample size by t quantiles on nrow(design) - 1, and nrow counts the
    rows whose answer is missing; the results table counts the respondents who answered. Where
    x has missing values, the same function is compared with R's count passed in."""
    drop_at_the_boundary(cases, r, mine, "ciprop.beta.", "dciprop.beta.")
    complete = [c for c in cases if not c.data["x"].isna().any()]
    agree(cases, r, mine, "ciprop.beta", "dciprop.beta", only=complete)
    for case in cases:
        if case not in complete:
            mine[case.id].update(korn_graubard_as_r(case, r[case.id]))
    drop_at_the_boundary(cases, r, mine, "ciprop.beta.", "dciprop.beta.")
    agree(cases, r, mine, "ciprop.beta", "dciprop.beta")


def test_quantiles_with_their_woodruff_intervals(cases, r, mine) -> None:
    """svyquantile's defaults (qrule "math", interval.type "mean", df = degf of the rows with
    an answer), whole sample and per domain.

    One difference is R's and kept: where the share asked for lies below the share of the
    smallest value, R's qrule_math returns the second-smallest value (its helper `last()`
    answers 1 when no cumulative share is small enough, and the rule then steps one value
    up); ours returns the smallest, the value whose share first reaches p. A figure is
    accepted when R's is exactly the second-smallest value and ours the smallest; for an
    estimate, R's interval is then built around another value and is not compared, and for a
    lower bound the SE is compared with R's bound put in.

    Where the estimate is the largest value, the share at or below it is 1 and its SE 0 up to
    round-off; whether R's upper share comes out a hair above 1 (no bound, NaN) is then a
    matter of the last bit, so there the upper bound and the SE are not compared."""
    for case in cases:
        y, g = case.data["y"], case.data["g"]
        domains = {"quantile.": y.notna()} | {f"dquantile.{level}.": y.notna() & (g == level)
                                               for level in case.domains}
        for prefix, rows in domains.items():
            smallest, second = [*np.sort(y[rows].unique()).tolist(), np.nan][:2]
            starts = [k[:-1] for k in r[case.id] if k.startswith(prefix) and k.endswith(".1")
                      and (prefix != "quantile." or k.count(".") == 2)]
            for start in starts:
                theirs, ours_ = r[case.id], mine[case.id]
                if ours_[start + "1"] == y[rows].max() == ours_[start + "3"] and np.isnan(
                        theirs[start + "3"]):
                    for end in "34":
                        theirs.pop(start + end)
                        ours_.pop(start + end)
                if ours_[start + "1"] == smallest and theirs[start + "1"] == second:
                    for end in "1234":
                        theirs.pop(start + end)
                        ours_.pop(start + end)
                    continue
                low, high, se = (ours_.get(start + end, np.nan) for end in "234")
                if low == smallest and theirs[start + "2"] == second:
                    ours_[start + "2"] = second
                    if high > low:
                        ours_[start + "4"] = se * (high - second) / (high - low)
    agree(cases, r, mine, "quantile.", "dquantile.")


def test_weighted_table_and_rao_scott_tests(cases, r, mine) -> None:
    """svytable and svychisq (statistic "F" and "Chisq"); Pearson's X^2 with the table scaled to
    the respondents who answered both (R's svychisq scales to all rows, Ntotal = nrow).

    Where every respondent of a category skipped the other question, R keeps the category as
    a row (or column) of zeros and counts it in the test's degrees of freedom; ours leaves it
    out of the table, so those designs are compared only where such a category is absent."""
    def complete(case: Case) -> bool:
        x, z = case.data["x"], case.data["z"]
        both = x.notna() & z.notna()
        return (set(x.dropna()) == set(x[both])) and (set(z.dropna()) == set(z[both]))

    agree(cases, r, mine, "table.", "chisq.", only=[c for c in cases if complete(c)])


def test_two_group_t_tests_and_corrections(cases, r, mine) -> None:
    """svyttest(y ~ group) on every pair of domains (p-value on degf - 1 of the pair's rows
    with an answer) and p.adjust's "holm" and "BH"."""
    agree(cases, r, mine, "ttest.", "holm", "bh")


def test_needs_gap_top_ranked_and_co_occurrence(cases, r, mine) -> None:
    """The gap between two ratings as svycontrast(svymean(~y + y2), c(1, -1)); the share
    ranking each area first as svymean of the factor (one rank position); two needs together
    as svymean of their product among those who answered both."""
    for case in cases:
        for key in [k for k in r[case.id] if k.startswith(("prop.", "prop.se."))
                    and not k.startswith("prop.cov.")]:
            area = key.rsplit(".", 1)[1]
            if f"top.first.{area}" in mine[case.id]:
                name = "top.first.se." if key.startswith("prop.se.") else "top.first."
                r[case.id][name + area] = r[case.id][key]
    agree(cases, r, mine, "gap", "top.", "cooccurrence")


def test_post_stratification(cases, r, mine) -> None:
    """postStratify: weights, means, totals, shares and domain means with their SEs."""
    agree(cases, r, mine, "post.")


def test_raking_against_calibrate(cases, r, mine) -> None:
    """calibrate(calfun = "raking") to two margins, with its calibration variance (R's rake()
    backfits the variance for ten rounds only, so calibrate is the reference)."""
    agree(cases, r, mine, "rake.")


def test_trimming(cases, r, mine) -> None:
    """trimWeights, once (R's default) and with strict = TRUE. Where spreading keeps pushing
    a weight off its bound and back, R's strict recursion never ends (the C stack overflows,
    no figure); ours keeps a trimmed weight at its bound and ends, so there it is checked
    against what strict trimming promises: every weight within the bounds, the total kept."""
    for case in cases:
        keys = [k for k in r[case.id] if k.startswith("trim.strict.weights.")]
        if all(np.isnan(r[case.id][k]) for k in keys) and not all(
                np.isnan(mine[case.id][k]) for k in keys):
            w = case.data["w"].to_numpy()
            trimmed = np.array([mine[case.id][f"trim.strict.weights.{i + 1}"]
                                for i in range(len(w))])
            lower, upper = case.trim[0] * w.mean(), case.trim[1] * w.mean()
            assert np.all(trimmed >= lower * (1 - 1e-12)), case.name
            assert np.all(trimmed <= upper * (1 + 1e-12)), case.name
            assert abs(trimmed.sum() - w.sum()) <= 1e-9 * w.sum(), case.name
            for k in keys:
                mine[case.id][k] = np.nan
    agree(cases, r, mine, "trim.")


def test_lonely_psu_fail(cases, r, mine) -> None:
    """survey.lonely.psu = "fail" refuses exactly the designs with a single-PSU stratum."""
    agree(cases, r, mine, "fail")


def test_design_effects(cases, r, mine) -> None:
    """deff(svymean/svytotal(..., deff = TRUE)) and deff = "replace", whole sample, per domain
    (svyby) and for shares of a factor (NaN for its empty level, as in R: 0 / 0); also after
    post-stratification and raking (under "post." and "rake.").

    Where a share is 0 or 1 in a group but its level occurs elsewhere, neither variance exists:
    R divides round-off by round-off (figures like 1e31), ours is NaN. There ours must be NaN
    and R's figure is not compared."""
    for case in cases:
        for key in [k for k in mine[case.id] if k.startswith(("deff.prop.", "deff.dprop."))]:
            share = mine[case.id][key.removeprefix("deff.")]
            if min(share, 1 - share) < 1e-9:
                assert np.isnan(mine[case.id][key]), f"{case.name}: {key}"
                r[case.id][key] = np.nan
    agree(cases, r, mine, "deff.")


def test_ratio_with_its_design_effect(cases, r, mine) -> None:
    """svyratio(~y, ~y2, na.rm = TRUE, deff = TRUE), whole sample and svyby per domain."""
    agree(cases, r, mine, "ratio")


def test_contrasts_of_domain_estimates(cases, r, mine) -> None:
    """svycontrast of svyby(..., covmat = TRUE): a difference and an average of domain means,
    and a difference of domain totals."""
    agree(cases, r, mine, "contrast.")


def test_lonely_psu_rules(cases, r, mine) -> None:
    """options(survey.lonely.psu = "adjust", "average", "certainty", "remove"): SEs of the
    mean, total and shares, and of domain means and totals (svyby), with R's default
    survey.adjust.domain.lonely = FALSE.

    On two-stage designs a PSU with a single SSU is lonely at the second stage under the same
    rule. R's help says "remove" ignores such a unit while "certainty" still counts later
    stages, but R's onestrat() computes both alike (the unit adds nothing at its own stage,
    the stages below it still count); the code is what is matched. Under "average" such a PSU
    gives R a NaN variance (no other SSU to average over): ours refuses, compared as NaN."""
    lonely = [c for c in cases if r[c.id]["fail"] == 1]
    assert len(lonely) >= 5, f"seed {SEED}: only {len(lonely)} designs have a lonely PSU"
    agree(cases, r, mine, "lonely.")
    differs = [c for c in lonely if any(
        abs(r[c.id][f"lonely.adjust.{k}"] - r[c.id][f"lonely.average.{k}"]) > 1e-9
        * abs(r[c.id][f"lonely.adjust.{k}"]) for k in ("mean.se", "total.se"))]
    assert differs, "the lonely-PSU rules never change a standard error: nothing was compared"


def test_two_stage_weights_and_ultimate_cluster(cases, r, mine) -> None:
    """Weights as svydesign gives them (derived from both stages' fpc where none are given),
    and options(survey.ultimate.cluster = TRUE): the first-stage variance only."""
    agree(cases, r, mine, "design.weights", "ultimate.")


def test_the_comparison_is_not_empty(cases, r) -> None:
    """Guards against a silent R script: every design gets a few hundred figures."""
    for case in cases:
        assert len(r[case.id]) > 100, f"{case.name}: only {len(r[case.id])} figures from R"

