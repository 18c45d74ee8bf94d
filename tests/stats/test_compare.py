"""Group comparisons: corrections against their textbook definitions, letters, design tests."""


import numpy as np
import pandas as pd
import pytest
from support import API

from survey.stats.compare import Correction, adjust, compare_groups
from survey.stats.design import make_design
from survey.stats.estimate import mean

CLUS1 = pd.read_csv(API / "apiclus1.csv")

P = np.array([0.01, 0.04, 0.03, 0.20])


def test_holm_adjustment() -> None:
    # sorted 0.01, 0.03, 0.04, 0.20 -> 4*0.01, 3*0.03, max(0.09, 2*0.04), max(0.09, 1*0.20)
    assert adjust(P, Correction.HOLM) == pytest.approx([0.04, 0.09, 0.09, 0.20])


def test_benjamini_hochberg_adjustment() -> None:
    # sorted p*m/rank: 0.04, 0.06, 0.0533.., 0.20 -> running minimum from the top
    assert adjust(P, Correction.BENJAMINI_HOCHBERG) == pytest.approx(
        [0.04, 0.05333333, 0.05333333, 0.20])


def test_no_correction_and_clipping() -> None:
    assert adjust(P, Correction.NONE).tolist() == P.tolist()
    assert adjust(np.array([0.6, 0.7]), Correction.HOLM).max() == 1.0


def test_group_means_match_domain_estimates_and_letters_mark_higher_groups() -> None:
    design = make_design(CLUS1, weights="pw", cluster="dnum", fpc="fpc")
    y = CLUS1["api00"].to_numpy(dtype=float)
    result = compare_groups(design, y, CLUS1["stype"])
    assert result.groups == ("E", "H", "M")
    for index, level in enumerate(result.groups):
        domain = mean(design, y, domain=(CLUS1["stype"] == level).to_numpy())
        assert result.estimate.values[index] == pytest.approx(domain.values[0])
        assert result.estimate.se[index] == pytest.approx(domain.se[0])
    assert result.estimate.values[0] > result.estimate.values[1]
    assert len(result.pairs) == 3 and result.group_letters == ("a", "b", "c")
    for k, (i, j) in enumerate(result.pairs):
        higher = i if result.estimate.values[i] > result.estimate.values[j] else j
        lower = j if higher == i else i
        marked = result.group_letters[lower] in result.letters[higher]
        assert marked == (result.adjusted[k] < 0.05)


def test_a_clear_difference_gets_a_letter_and_no_difference_none() -> None:
    rng = np.random.default_rng(7)
    n = 600
    group = pd.Series(np.repeat(["x", "y", "z"], n // 3))
    y = np.concatenate([rng.binomial(1, 0.2, n // 3), rng.binomial(1, 0.6, n // 3),
                        rng.binomial(1, 0.21, n // 3)]).astype(float)
    data = pd.DataFrame({"w": rng.uniform(0.5, 1.5, n)})
    result = compare_groups(make_design(data, weights="w"), y, group)
    assert result.letters == ("", "ac", "")
