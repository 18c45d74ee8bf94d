"""The changes between two waves (survey.stats.waves.compute_changes) on small hand-made
results tables: the difference of independent estimates, its SE and t interval with the
smaller degrees of freedom, suppression carried over, and codes compared per category."""

import math

import pandas as pd
import pytest
from scipy import stats

from survey.stats.compare import Correction
from survey.stats.waves import compute_changes


def table(rows):
    frame = pd.DataFrame(rows, columns=["indicator", "kind", "breakdown", "group", "category",
                                        "estimate", "se", "flags"])
    for column in ("indicator_label", "breakdown_label", "group_label", "category_label"):
        frame[column] = ""
    return frame


def run(df, codes):
    return {"degrees_of_freedom": df,
            "questions": {"q": {"wording": "w", "codes": codes},
                          "r": {"wording": "x", "codes": {}}},
            "indicator_questions": {"share": ["q"], "avg": ["q"], "other": ["r"]}}


NOW = table([
    ("share", "share", "total", "total", "a", 0.50, 0.03, ""),
    ("share", "share", "total", "total", "b", 0.30, 0.02, ""),
    ("share", "share", "total", "total", "c", 0.20, 0.02, ""),
    ("avg", "mean", "total", "total", "mean", 2.5, 0.1, ""),
    ("other", "share", "total", "total", "x", 0.4, 0.05, ""),
    ("other", "share", "total", "total", "y", float("nan"), float("nan"), "suppressed"),
])
BEFORE = table([
    ("share", "share", "total", "total", "a", 0.40, 0.04, ""),
    ("share", "share", "total", "total", "b", 0.35, 0.03, ""),
    ("share", "share", "total", "total", "c", 0.25, 0.03, ""),
    ("avg", "mean", "total", "total", "mean", 2.4, 0.1, ""),
    ("other", "share", "total", "total", "x", 0.45, 0.05, "low-base"),
    ("other", "share", "total", "total", "y", 0.1, 0.02, ""),
])


def test_difference_se_interval_and_p_value_of_independent_samples():
    codes = {"a": 1, "b": 2, "c": 3}
    changes = compute_changes(NOW, run(400, codes), BEFORE, run(120, codes), "2025",
                              0.05, Correction.NONE).set_index("category")
    a = changes.loc["a"]
    se = math.hypot(0.03, 0.04)
    t = stats.t.ppf(0.975, 120)
    assert a["change"] == pytest.approx(0.10)
    assert a["change_se"] == pytest.approx(se)
    assert a["ci_low"] == pytest.approx(0.10 - t * se)
    assert a["ci_high"] == pytest.approx(0.10 + t * se)
    assert a["df"] == 120
    assert a["p_value"] == pytest.approx(2 * stats.t.sf(0.10 / se, 120))
    assert a["significant"] == "yes"
    assert changes.loc["b", "significant"] == "no"  # -5 points, interval covers 0
    assert "low-base" in changes.loc["x", "flags"]


def test_holm_within_one_indicator():
    codes = {"a": 1, "b": 2, "c": 3}
    changes = compute_changes(NOW, run(400, codes), BEFORE, run(400, codes), "2025")
    share = changes[changes["indicator"] == "share"]
    raw = share["p_value"].to_numpy()
    order = sorted(range(3), key=lambda k: raw[k])
    holm = [0.0] * 3
    running = 0.0
    for rank, k in enumerate(order):
        running = max(running, min(1.0, (3 - rank) * raw[k]))
        holm[k] = running
    assert share["p_adjusted"].to_numpy() == pytest.approx(holm)


def test_suppressed_in_either_wave_stays_suppressed():
    codes = {"a": 1, "b": 2, "c": 3}
    changes = compute_changes(NOW, run(400, codes), BEFORE, run(400, codes), "2025")
    y = changes.set_index("category").loc["y"]
    assert "suppressed" in y["flags"]
    assert math.isnan(y["change"]) and math.isnan(y["estimate_previous"])


def test_codes_that_differ_are_listed_and_only_matching_codes_compared():
    changes = compute_changes(NOW, run(400, {"a": 1, "b": 2, "c": 3}), BEFORE,
                              run(400, {"a": 1, "b": 4, "d": 3}), "2025").set_index("category")
    assert "codes-differ" in changes.loc["a", "flags"]
    assert not math.isnan(changes.loc["a", "change"])  # a keeps its code: compared
    assert math.isnan(changes.loc["b", "change"])  # b: 4 then, 2 now
    assert "q.b: code 4 in 2025, 2 now" in changes.loc["b", "codes"]
    assert "q.c: new (code 3)" in changes.loc["b", "codes"]
    assert "q.d: only in 2025 (code 3)" in changes.loc["b", "codes"]
    assert math.isnan(changes.loc["mean", "change"])  # a mean rests on every code
    assert "codes-differ" not in changes.loc["x", "flags"]


def test_changed_wording_is_flagged_and_still_compared():
    before = run(400, {"a": 1, "b": 2, "c": 3})
    before["questions"]["q"]["wording"] = "other"
    changes = compute_changes(NOW, run(400, {"a": 1, "b": 2, "c": 3}), BEFORE, before,
                              "2025").set_index("category")
    assert "question-changed" in changes.loc["a", "flags"]
    assert not math.isnan(changes.loc["a", "change"])


def test_without_degrees_of_freedom_the_normal_distribution():
    codes = {"a": 1, "b": 2, "c": 3}
    old, new = run(400, codes), run(400, codes)
    del old["degrees_of_freedom"], new["degrees_of_freedom"]
    a = compute_changes(NOW, new, BEFORE, old, "2025").set_index(
        "category").loc["a"]
    assert a["ci_high"] - a["change"] == pytest.approx(
        stats.norm.ppf(0.975) * a["change_se"])
    assert math.isnan(a["df"])
