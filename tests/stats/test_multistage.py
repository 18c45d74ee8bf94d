"""Two-stage designs refuse bad input with a DesignError naming the column; their figures are
compared with R live in test_against_r."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from survey.stats.design import DesignError, LonelyPsu, make_design
from survey.stats.estimate import mean


def members() -> pd.DataFrame:
    """Three organisations (PSUs) of 10, 8 and 12 members; 3, 2 and 1 members sampled."""
    return pd.DataFrame({
        "org": [1, 1, 1, 2, 2, 3], "member": [11, 12, 13, 21, 22, 31],
        "orgs": [20] * 6, "size": [10, 10, 10, 8, 8, 12], "y": [1.0, 2, 4, 3, 5, 6]})


def two_stage(data: pd.DataFrame, **options: object) -> object:
    return make_design(data, **{"cluster": ["org", "member"], "fpc": ["orgs", "size"],
                                **options})


def test_a_second_stage_fpc_that_varies_within_a_psu_is_refused() -> None:
    data = members()
    data.loc[1, "size"] = 11
    with pytest.raises(DesignError, match="'size' must be the same within each PSU; it "
                                          "varies within PSU 1 of 'org'"):
        two_stage(data)


def test_an_ssu_id_in_two_psus_is_refused_unless_nested() -> None:
    data = members()
    data["member"] = [1, 2, 3, 1, 2, 1]  # numbered within each organisation
    with pytest.raises(DesignError, match=r"'member' has id 1 in more than one PSU \('org' 1 "
                                          r"and 2\).*nested, as R's nest=TRUE\), pass nest=True"):
        two_stage(data)
    nested = two_stage(data, nest=True)
    unique = two_stage(members())
    y = data["y"].to_numpy()
    assert mean(nested, y).se[0] == pytest.approx(mean(unique, y).se[0], rel=1e-12)


@pytest.mark.parametrize("column,value,message", [
    ("size", 2, "gives PSU 1 a population of 2 SSUs, but 3 were sampled"),
    ("orgs", 2, "'orgs' gives a sampling fraction outside"),
])
def test_a_population_smaller_than_the_sample_is_refused(column: str, value: int,
                                                          message: str) -> None:
    data = members()
    data.loc[data["org"] == 1, column] = value
    if column == "orgs":
        data[column] = value
    with pytest.raises(DesignError, match=message):
        two_stage(data)


def test_a_second_stage_fpc_without_a_first_stage_one_is_refused() -> None:
    with pytest.raises(DesignError, match="'size' has no first-stage one"):
        two_stage(members(), fpc=[None, "size"])


def test_more_than_two_stages_are_refused() -> None:
    data = members().assign(person=range(6))
    with pytest.raises(DesignError, match=r"3 cluster columns given .*one or two stages"):
        make_design(data, cluster=["org", "member", "person"])


def test_more_fpc_columns_than_stages_are_refused() -> None:
    with pytest.raises(DesignError, match="2 finite-population columns for 1 stage"):
        make_design(members(), cluster="org", fpc=["orgs", "size"])


def test_counts_at_one_stage_and_fractions_at_the_other_are_refused() -> None:
    data = members().assign(size=0.5)
    with pytest.raises(DesignError, match="mixes population counts"):
        two_stage(data)


def test_weights_need_the_second_stage_fpc_to_be_derived() -> None:
    with pytest.raises(DesignError, match="no weight column, and the second stage has no fpc"):
        two_stage(members(), fpc="orgs")


def test_a_missing_ssu_column_is_named() -> None:
    with pytest.raises(DesignError, match="the cluster column 'person' is not in the data"):
        make_design(members(), cluster=["org", "person"])


def test_lonely_rules_at_the_second_stage() -> None:
    """Organisation 3 has one sampled member: "fail" refuses the design, "average" the
    variance; "adjust" adds that member's uncentred total, so its SE is the largest."""
    data = members()
    y = data["y"].to_numpy()
    with pytest.raises(DesignError, match="1 PSU\\(s\\) have a single SSU"):
        two_stage(data, lonely=LonelyPsu.FAIL)
    with pytest.raises(DesignError, match="no SSU to average over"):
        mean(two_stage(data, lonely=LonelyPsu.AVERAGE), y)
    se = {rule: mean(two_stage(data, lonely=rule), y).se[0]
          for rule in (LonelyPsu.ADJUST, LonelyPsu.CERTAINTY, LonelyPsu.REMOVE)}
    assert se[LonelyPsu.CERTAINTY] == se[LonelyPsu.REMOVE] < se[LonelyPsu.ADJUST]
    census = data.assign(size=np.where(data["org"] == 3, 1, data["size"]))
    assert np.isfinite(mean(two_stage(census, lonely=LonelyPsu.AVERAGE), y).se[0])
