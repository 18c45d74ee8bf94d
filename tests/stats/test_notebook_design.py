"""The notebook Design against R `survey`, live, on the API data: each method gives R's figure
for the R call an analyst would write, labelled by variable, group and category."""

from __future__ import annotations

import subprocess

import numpy as np
import pandas as pd
import pytest
from r_survey import TOLERANCE, rscript
from support import API

from survey.stats import Design, EstimateError, ModelError, WeightingError

R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
data(api)
d <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
c1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
out <- c()
put <- function(key, x) out[paste(key, seq_along(x), sep = ".")] <<- as.numeric(x)
m <- svymean(~api00 + api99, d); put("mean", coef(m)); put("mean.se", SE(m))
put("mean.ci", confint(m, df = degf(d)))
put("mean.deff", deff(svymean(~api00, d, deff = TRUE)))
b <- svyby(~api00, ~stype, d, svymean); put("by", coef(b)); put("by.se", SE(b))
t <- svytotal(~enroll, c1); put("total", coef(t)); put("total.se", SE(t))
for (method in c("logit", "beta", "mean")) {
  p <- svyciprop(~I(sch.wide == "Yes"), d, method = method)
  put(paste0("prop.", method), c(coef(p), attr(p, "ci")))
}
e <- subset(d, stype == "E")
pe <- svyciprop(~I(sch.wide == "Yes"), e, method = "logit")
put("prop.subset", c(coef(pe), attr(pe, "ci")))
put("subset.mean", c(coef(svymean(~api00, e)), SE(svymean(~api00, e))))
q <- svyquantile(~api00, d, c(0.25, 0.5), ci = TRUE)
put("quantile", q$api00[, 1:3]); put("quantile.se", SE(q))
r <- svyratio(~api00, ~api99, c1); put("ratio", c(coef(r), SE(r)))
bq <- svyby(~api00, ~stype, d, svyquantile, quantiles = 0.5, ci = TRUE)
put("byq", c(coef(bq), SE(bq)))
cat(sprintf("%s,%.17g\n", names(out), out), sep = "")
"""


@pytest.fixture(scope="module")
def r() -> dict[str, float]:
    done = subprocess.run([rscript(), "-e", R_SCRIPT], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    pairs = (line.split(",") for line in done.stdout.splitlines() if "," in line)
    return {key: float(value) for key, value in pairs}


@pytest.fixture(scope="module")
def strat() -> Design:
    return Design(pd.read_csv(API / "apistrat.csv"), weights="pw", strata="stype", fpc="fpc")


@pytest.fixture(scope="module")
def clus1() -> Design:
    return Design(pd.read_csv(API / "apiclus1.csv"), weights="pw", cluster="dnum", fpc="fpc")


def close(mine: object, r: dict[str, float], key: str) -> None:
    theirs = np.array([r[f"{key}.{i}"] for i in range(1, 1 + sum(k.startswith(f"{key}.")
                                                                   and k[len(key) + 1:].isdigit()
                                                                   for k in r))])
    np.testing.assert_allclose(np.ravel(np.asarray(mine, dtype=float)), theirs,
                               rtol=TOLERANCE, atol=0)


def test_means_with_intervals_and_design_effect(strat, r) -> None:
    found = strat.mean(["api00", "api99"])
    close(found.coef, r, "mean")
    close(found.se, r, "mean.se")
    close(found.confint().to_numpy().T, r, "mean.ci")  # R: lower ends, then upper ends
    close(strat.mean("api00").deff, r, "mean.deff")
    assert list(found.index) == ["api00", "api99"]


def test_means_by_group_are_labelled_by_group(strat, r) -> None:
    found = strat.mean("api00", by="stype")
    close(found.coef, r, "by")
    close(found.se, r, "by.se")
    assert [g for g, _ in found.index] == ["E", "H", "M"]


def test_total_and_ratio_in_a_cluster_sample(clus1, r) -> None:
    found = clus1.total("enroll")
    close(found.coef, r, "total")
    close(found.se, r, "total.se")
    ratio = clus1.ratio("api00", "api99")
    close([ratio.coef.iloc[0], ratio.se.iloc[0]], r, "ratio")


@pytest.mark.parametrize("method", ["logit", "beta", "mean"])
def test_proportion_intervals_by_method(strat, r, method) -> None:
    found = strat.proportion("sch.wide", method=method)
    yes = ("sch.wide", "Yes")
    close([found.coef[yes], *found.confint().loc[yes]], r, f"prop.{method}")


def test_a_subset_keeps_the_design(strat, r) -> None:
    elementary = strat.subset(strat.data["stype"] == "E")
    close([elementary.mean("api00").coef.iloc[0], elementary.mean("api00").se.iloc[0]], r,
          "subset.mean")
    found = strat.subset('stype == "E"').proportion("sch.wide")
    yes = ("sch.wide", "Yes")
    close([found.coef[yes], *found.confint().loc[yes]], r, "prop.subset")


def test_quantiles_with_woodruff_intervals(strat, r) -> None:
    found = strat.quantile("api00", [0.25, 0.5])
    close(np.column_stack([found.coef, found.confint()]).T, r, "quantile")  # R: by column
    close(found.se, r, "quantile.se")


def test_any_statistic_by_group(strat, r) -> None:
    found = strat.by("stype", lambda group: group.quantile("api00", 0.5))
    close([*found.coef, *found.se], r, "byq")
    assert [key[0] for key in found.index] == ["E", "H", "M"]


def test_groups_follow_their_codes_and_carry_labels() -> None:
    rng = np.random.default_rng(3)
    data = pd.DataFrame({"area": rng.choice([1, 2, 10], 300), "y": rng.normal(size=300)})
    d = Design(data, labels={"area": {1: "North", 2: "East", 10: "Harbour"}})
    assert [g for g, _ in d.mean("y", by="area").index] == ["North", "East", "Harbour"]
    as_text = Design(data.assign(area=data["area"].astype(str)))
    assert [g for g, _ in as_text.mean("y", by="area").index] == ["1", "2", "10"]


def test_results_print_like_r_and_become_frames(strat) -> None:
    found = strat.mean("api00", by="stype")
    printed = repr(found)
    assert "mean" in printed and "SE" in printed and "674.43" in printed
    frame = found.to_frame()
    assert list(frame.columns) == ["mean", "SE", "2.5 %", "97.5 %", "deff", "n_effective", "n"]
    assert frame["n"].tolist() == [100, 50, 50]


def test_bad_requests_say_what_is_wrong(strat) -> None:
    with pytest.raises(EstimateError, match=r"no column 'api0'.*api00"):
        strat.mean("api0")
    with pytest.raises(EstimateError, match="'sname' is not a number in row 1"):
        strat.mean("sname")
    with pytest.raises(EstimateError, match="method 'wald' is not one of"):
        strat.proportion("sch.wide", method="wald")
    with pytest.raises(EstimateError, match="subset 'stype ==' cannot be read"):
        strat.subset("stype ==")
    with pytest.raises(EstimateError, match="holds no row"):
        strat.subset(strat.data["api00"] < 0)
    with pytest.raises(EstimateError, match="between 0 and 1"):
        strat.quantile("api00", [0.5, 2])


def test_requests_a_design_cannot_answer_are_refused(strat, clus1) -> None:
    one_district = clus1.subset(clus1.data["dnum"] == clus1.data["dnum"].iloc[0])
    with pytest.raises(EstimateError, match="single PSU"):
        one_district.quantile("api00", 0.5)
    with pytest.raises(WeightingError, match="replicate weights"):
        strat.replicate("JKn").calibrate({"stype": {"E": 4421.0, "H": 755.0, "M": 1018.0}})
    with pytest.raises(ModelError, match="family 'binomal' is not one of"):
        strat.glm("api00 ~ ell", family="binomal")
    with pytest.raises(EstimateError, match=r"event 'maybe' is not a value of 'sch\.wide'"):
        strat.glm("sch.wide ~ ell", family="binomial", event="maybe")
    with pytest.raises(ModelError, match="not a rating"):
        strat.olr("api00 ~ ell")


def test_a_logistic_model_says_which_value_it_explains(strat) -> None:
    implicit = strat.glm("sch.wide ~ ell", family="binomial")
    assert any("odds of 'Yes' against 'No'" in note for note in implicit.notes)
    explicit = strat.glm("sch.wide ~ ell", family="binomial", event="No")
    np.testing.assert_allclose(explicit.coefficients, -implicit.coefficients, rtol=1e-9)
