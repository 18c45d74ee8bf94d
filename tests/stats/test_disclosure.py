"""Disclosure control on the results table: nothing small or derivable is published."""

import numpy as np
import pandas as pd
import pytest

from survey.stats.design import make_design
from survey.stats.disclosure import (
    LOW_BASE,
    SECONDARY,
    SUPPRESSED,
    DisclosureRules,
    apply_disclosure,
    k_anonymity,
    scrub,
)
from survey.stats.results import as_table, categorical_rows

RULES = DisclosureRules(min_cell=5, low_base=30)


def district_table() -> pd.DataFrame:
    """Need for housing advice by district, with one small district."""
    rng = np.random.default_rng(3)
    district = ["Dresden"] * 120 + ["Leipzig"] * 90 + ["Görlitz"] * 12
    need = list(rng.choice(["yes", "no"], 120, p=[0.4, 0.6])) + \
        list(rng.choice(["yes", "no"], 90, p=[0.5, 0.5])) + ["yes"] * 3 + ["no"] * 9
    data = pd.DataFrame({"district": district, "need": need, "w": rng.uniform(0.5, 2, 222)})
    design = make_design(data, weights="w")
    rows = categorical_rows(design, "need", data["need"], ("no", "yes"))
    rows += categorical_rows(design, "need", data["need"], ("no", "yes"), "district",
                             data["district"])
    return as_table(rows)


def test_small_cells_are_blank_and_flagged_and_cannot_be_derived() -> None:
    table = apply_disclosure(district_table(), RULES)
    goerlitz = table[table["group"] == "Görlitz"].set_index("category")
    assert goerlitz.loc["yes", "flags"].startswith(SUPPRESSED)
    assert np.isnan(goerlitz.loc["yes", "estimate"]) and np.isnan(goerlitz.loc["yes",
                                                                             "unweighted_n"])
    # 'no' in Görlitz would reveal 'yes' as base minus 'no': it is suppressed too
    assert SECONDARY in goerlitz.loc["no", "flags"]
    # and within 'yes' across districts, another district is hidden so the total cannot
    # reveal Görlitz
    yes = table[(table["breakdown"] == "district") & (table["category"] == "yes")]
    assert (yes["flags"].str.contains("suppressed")).sum() >= 2


def test_no_published_cell_counts_fewer_than_the_threshold() -> None:
    table = apply_disclosure(district_table(), RULES)
    published = table[~table["flags"].str.contains("suppressed")]
    counts = published["unweighted_n"]
    assert ((counts == 0) | (counts >= RULES.min_cell)).all()
    assert not published["estimate"].isna().any()


def test_every_line_has_zero_or_at_least_two_suppressed_cells() -> None:
    table = apply_disclosure(district_table(), RULES)
    hidden = table["flags"].str.contains("suppressed")
    for keys in (["indicator", "breakdown", "group"], ["indicator", "breakdown", "category"]):
        for _, line in hidden.groupby([table[k] for k in keys]):
            assert line.sum() != 1


def test_low_bases_are_flagged_but_published() -> None:
    table = apply_disclosure(district_table(), DisclosureRules(min_cell=2, low_base=100))
    leipzig = table[table["group"] == "Leipzig"]
    assert (leipzig["flags"] == LOW_BASE).all()
    assert not leipzig["estimate"].isna().any()


def test_scrub_removes_contacts_and_titled_names() -> None:
    text = ("Bitte Frau Petrova anrufen: 0351 4567890 oder +49 (351) 456-78-90, "
            "mail ana.petrova@example.org. Herr Nguyen Van hat geholfen, Aylin auch.")
    assert scrub(text, known_names=("Aylin",)) == (
        "Bitte [name] anrufen: [phone] oder [phone], mail [e-mail]. [name] hat geholfen, "
        "[name] auch.")


def test_scrub_keeps_years_and_counts() -> None:
    assert scrub("Seit 2015 in Dresden, 3 Kinder, 20 Stunden") == \
        "Seit 2015 in Dresden, 3 Kinder, 20 Stunden"


def test_k_anonymity_lists_rare_key_combinations() -> None:
    data = pd.DataFrame({"origin": ["ER"] * 3 + ["SY"] * 10, "gender": ["f"] * 3 + ["m"] * 10,
                         "district": ["Görlitz"] * 3 + ["Dresden"] * 10})
    risky = k_anonymity(data, ["origin", "gender", "district"], k=5)
    assert risky.to_dict("records") == [
        {"origin": "ER", "gender": "f", "district": "Görlitz", "respondents": 3}]
    with pytest.raises(KeyError, match="key variables not in the data: age"):
        k_anonymity(data, ["origin", "age"])


def test_a_small_category_of_a_model_hides_only_its_own_coefficient() -> None:
    """Coefficients of a regression are no parts of a total: hiding one (too few people in
    its category) gives no reason to hide another."""
    table = pd.DataFrame({
        "indicator": ["model"] * 3, "kind": ["regression"] * 3, "breakdown": ["total"] * 3,
        "group": ["total"] * 3, "category": ["areab", "areac", "age"],
        "estimate": [1.2, 0.8, 1.01], "se": [0.1, 0.2, 0.01], "ci_low": [1.0, 0.5, 0.99],
        "ci_high": [1.5, 1.2, 1.03], "unweighted_n": [3, 40, 200], "weighted_n": [3.0, 40, 200],
        "base_n": [200] * 3, "deff": [np.nan] * 3, "n_effective": [np.nan] * 3,
        "p_value": [0.2, 0.3, 0.01], "letters": [""] * 3, "flags": [""] * 3})
    shown = apply_disclosure(table, DisclosureRules(min_cell=10, low_base=30))
    assert shown["flags"].tolist() == ["suppressed", "", ""]
    assert shown["estimate"].isna().tolist() == [True, False, False]
