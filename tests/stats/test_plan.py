"""Loading analysis plans: every problem at once, at file:line:column, with what to do."""

import textwrap
from pathlib import Path

import pytest
from support import QUESTIONNAIRES, ROOT

from survey.questionnaire.validate import load_questionnaire
from survey.stats.plan import PlanError, load_plan, read_questionnaire_id
from survey.stats.plan.model import Cut, Kind, Recode

QUESTIONNAIRE = load_questionnaire(QUESTIONNAIRES / "zusammen.yaml")
FLAGSHIP = ROOT / "analysis" / "needs-assessment.yaml"
GROUPS = """\
derived:
  - id: district_group
    recode: district
    groups: {leipzig: [leipzig], dresden: [dresden], chemnitz: [chemnitz]}
    other: rest
  - id: gender_group
    recode: gender
    groups: {female: [female], male: [male]}
    unknown: [diverse]
"""


def write(folder: Path, plan: str, margins: str | None = None) -> Path:
    if margins is not None:
        (folder / "margins.yaml").write_text(textwrap.dedent(margins), encoding="utf-8")
    path = folder / "plan.yaml"
    path.write_text(textwrap.dedent(plan), encoding="utf-8")
    return path


def problems(folder: Path, plan: str, margins: str | None = None) -> list[str]:
    with pytest.raises(PlanError) as caught:
        load_plan(write(folder, plan, margins), QUESTIONNAIRE)
    return [str(d).replace(f"{folder}/", "") for d in caught.value.diagnostics]


def test_the_flagship_plan_loads_without_warnings() -> None:
    plan = load_plan(FLAGSHIP, QUESTIONNAIRE)
    assert plan.warnings == ()
    assert [b.variable for b in plan.breakdowns] == [
        "district_group", "region", "gender_group", "age_group", "years_group", "german_level"]
    assert plan.disclosure.rules.min_cell == 10 and plan.disclosure.rules.low_base == 30
    assert plan.weighting is not None and plan.weighting.illustrative
    assert [sum(m.targets.values()) for m in plan.weighting.margins] == [330_000] * 3
    assert {i.kind for i in plan.indicators} == set(Kind)
    assert read_questionnaire_id(FLAGSHIP) == "zusammen"


def test_derived_variables_are_resolved() -> None:
    plan = load_plan(FLAGSHIP, QUESTIONNAIRE)
    by_id = {d.id: d for d in plan.derived}
    age = by_id["age_group"]
    assert isinstance(age, Cut) and age.groups == ("16-24", "25-34", "35-49", "50-64", "65+")
    years = by_id["years_group"]
    assert isinstance(years, Cut) and years.groups == ("0-1", "2-4", "5-9", "10-19", "20+")
    region = by_id["region"]
    assert isinstance(region, Recode) and region.other == "other"
    assert region.mapping["UA"] == "europe_other" and region.mapping["DE"] == "germany"
    gender = by_id["gender_group"]
    assert isinstance(gender, Recode) and gender.mapping["diverse"] is None
    assert plan.variables["district_group"].category_names() == (
        "leipzig", "dresden", "chemnitz", "rest")


def test_unknown_variables_keys_and_wrong_kinds_are_reported_together(tmp_path: Path) -> None:
    assert problems(tmp_path, """\
        questionnaire: zusammen
        breakdown: [district]
        breakdowns: [distrct, age, barriers]
        indicators:
          - id: a
            kind: mean
            variable: gender
          - id: b
            kind: share
            variable: knows_council
            at_least: important
          - id: c
            kind: average
            variable: age
          - id: Bad-id
            kind: share
            variable: problem
        """) == [
        "plan.yaml:2:1: error: unknown key 'breakdown' in the plan; did you mean 'breakdowns'?",
        "plan.yaml:3:14: error: unknown variable 'distrct'; did you mean 'district'?",
        "plan.yaml:3:23: error: a breakdown needs categories (a choice question, a rating or a "
        "derived variable), but 'age' is a number; cut it into groups under 'derived' (cut: "
        "age) and use that",
        "plan.yaml:3:28: error: 'barriers' is a multiple_choice question, not one variable; its "
        "variables are barriers__german, barriers__recognition, barriers__permit, "
        "barriers__discrimination, ... (5 in all); for its options use kind multi or needs "
        "with question: barriers",
        "plan.yaml:7:15: error: kind mean needs numbers or an ordered rating, but 'gender' is "
        "categorical; use kind share for the shares of its categories",
        "plan.yaml:11:5: error: 'at_least' does not apply to kind share (it belongs to needs, "
        "co_occurrence)",
        "plan.yaml:13:11: error: kind of indicator 'c' must be one of share, mean, median, "
        "quantiles, multi, needs, gap, top_ranked, co_occurrence, regression, found 'average'",
        "plan.yaml:15:9: error: the id of an indicator must be lower-case letters, digits and "
        "single '_' between them, starting with a letter (e.g. arrival_year), found 'Bad-id'",
        "plan.yaml:17:15: error: kind share needs categories (a choice question, a rating or a "
        "derived variable), but 'problem' is free text; free text is never tabulated "
        "(disclosure: free_text: scrub lists it apart)",
    ]


def test_an_unknown_variable_without_a_close_name_says_where_names_come_from(
        tmp_path: Path) -> None:
    assert problems(tmp_path, """\
        questionnaire: zusammen
        indicators:
          - {id: a, kind: share, variable: xyzzy}
        """) == [
        "plan.yaml:3:36: error: unknown variable 'xyzzy': name a variable of questionnaire "
        "'zusammen' or one defined under 'derived'"]


def test_question_kinds_check_the_question(tmp_path: Path) -> None:
    assert problems(tmp_path, """\
        questionnaire: zusammen
        indicators:
          - {id: a, kind: multi, question: urgent}
          - {id: b, kind: needs, question: imp}
          - {id: c, kind: needs, question: barriers, at_least: yes}
          - {id: d, kind: gap, importance: imp, satisfaction: housing_sat}
          - {id: e, kind: top_ranked, question: urgent, items: [german, jbs]}
          - {id: f, kind: co_occurrence, question: urgent, items: [german]}
        """) == [
        "plan.yaml:3:36: error: kind multi needs a multiple_choice question, but 'urgent' is a "
        "ranking question",
        "plan.yaml:4:5: error: indicator 'b' counts a grid row as a need from an answer on: give "
        "at_least: one of not_important, less_important, important, very_important",
        "plan.yaml:5:46: error: at_least only applies to a grid question; 'barriers' is a "
        "multiple_choice question",
        "plan.yaml:6:55: error: gap satisfaction needs a grid question, but 'housing_sat' is a "
        "rating question",
        "plan.yaml:7:65: error: 'jbs' is not an item here; did you mean 'jobs'?",
        "plan.yaml:8:59: error: indicator 'f' needs at least 2 items",
    ]


def test_derived_variables_are_checked(tmp_path: Path) -> None:
    assert problems(tmp_path, """\
        questionnaire: zusammen
        derived:
          - id: grp
            recode: district
            groups: {city: [leipzig, dresdn, 3]}
          - id: agec
            cut: age
            breaks: [10, 30, 20]
          - id: gender
            recode: gender
            breaks: [1]
        indicators:
          - {id: a, kind: share, variable: grp}
        """) == [
        "plan.yaml:5:13: error: 'grp' has only one group; a derived variable needs at least two",
        "plan.yaml:5:30: error: 'dresdn' is not a category of district; did you mean 'dresden'?",
        "plan.yaml:5:38: error: '3' is not a category of district; write the category name "
        "'leipzig', not its code",
        "plan.yaml:8:22: error: breaks of 'agec' must increase: 20 follows 30",
        "plan.yaml:9:9: error: 'gender' is already taken; give a derived variable another id",
        "plan.yaml:11:5: error: 'breaks' does not go with recode:",
    ]


def test_categories_left_out_of_a_recode_are_a_warning(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path, """\
        questionnaire: zusammen
        derived:
          - id: city
            recode: district
            groups: {leipzig: [leipzig], dresden: [dresden]}
        breakdowns: [city]
        indicators:
          - {id: a, kind: share, variable: knows_council}
        """), QUESTIONNAIRE)
    assert [str(w).replace(f"{tmp_path}/", "") for w in plan.warnings] == [
        "plan.yaml:5:13: warning: 'chemnitz', 'bautzen', 'erzgebirge', 'goerlitz', "
        "'lk_leipzig', 'meissen', 'mittelsachsen', 'nordsachsen', ... (11 in all) of district "
        "are in no group of 'city' and count as unknown; add them to a group or to 'unknown:', "
        "or set 'other:'"]


def test_a_derived_variable_with_one_group_is_refused_and_not_reported_again(
        tmp_path: Path) -> None:
    assert problems(tmp_path, """\
        questionnaire: zusammen
        derived:
          - id: one
            recode: district
            groups: {leipzig: [leipzig]}
        breakdowns: [one]
        indicators:
          - {id: a, kind: share, variable: knows_council}
        """) == [
        "plan.yaml:5:13: error: 'one' has only one group; a derived variable needs at least two",
    ]


def test_plan_settings_are_checked(tmp_path: Path) -> None:
    assert problems(tmp_path, """\
        questionnaire: other
        language: ua
        alpha: 5
        correction: bonferroni
        indicators:
          - {id: a, kind: share, variable: knows_council, ci: wilson}
        design: {strata: district, lonely_psu: drop}
        disclosure: {min_cell: 10, low_base: 5, free_text: publish}
        """) == [
        "plan.yaml:1:16: error: this plan is for questionnaire 'other', but the questionnaire "
        f"given is 'zusammen' ({QUESTIONNAIRE.file})",
        "plan.yaml:2:11: error: language of the plan must be one of de, en, ru, uk, ar, fa, vi, "
        "found 'ua'",
        "plan.yaml:3:8: error: alpha of the plan must be a number between 0 and 0.5, such as "
        "0.05, found 5",
        "plan.yaml:4:13: error: correction of the plan must be one of holm, bh, none, found "
        "'bonferroni'",
        "plan.yaml:6:55: error: ci: wilson is for unweighted simple random samples; this plan "
        "weights or has a design: use logit or korn_graubard",
        "plan.yaml:7:40: error: lonely_psu of design must be one of adjust, average, certainty, "
        "remove, fail, found 'drop'",
        "plan.yaml:8:38: error: low_base (5) must be at least min_cell (10): a base under "
        "min_cell is suppressed, not flagged",
        "plan.yaml:8:52: error: free_text of disclosure must be one of exclude, scrub, found "
        "'publish'",
    ]


def test_files_that_are_not_plans_say_so(tmp_path: Path) -> None:
    assert problems(tmp_path, "") == [
        "plan.yaml:1:1: error: file is empty; an analysis plan needs at least 'questionnaire:' "
        "and 'indicators:' (see docs/analysis-plan.md)"]
    assert problems(tmp_path, "questionnaire: zusammen\nindicators: [\n") == [
        "plan.yaml:3:1: error: YAML syntax error: did not find expected node content (while "
        "parsing a flow node); check the indentation, and that quotes and brackets are closed, "
        "on this line or the lines above"]
    assert problems(tmp_path, "a: &x 1\nb: *x\n") == [
        "plan.yaml:2:4: error: YAML alias '*x' is not allowed in an analysis plan; write the "
        "value out"]
    assert problems(tmp_path, "- 1\n") == [
        "plan.yaml:1:1: error: the plan must be a mapping of keys (format, questionnaire, "
        "title, language, derived, weighting, design, indicators, breakdowns, alpha, "
        "correction, disclosure, previous_wave), found a list ('- ' items)"]


WEIGHTED = GROUPS + """\
weighting:
  method: rake
  margins: margins.yaml
indicators:
  - {id: a, kind: share, variable: knows_council}
"""


def test_margins_that_do_not_add_up_are_reported_in_the_margins_file(tmp_path: Path) -> None:
    assert problems(tmp_path, "questionnaire: zusammen\n" + WEIGHTED, """\
        source: test figures
        margins:
          - variables: [district_group, regio]
            counts: {leipzig: {eu: 5}}
          - variables: [gender_group]
            shares: {female: 0.5, male: 0.4}
          - variables: [district_group]
            counts: {leipzig: 10, dresden: -1, chemnitz: 2, rest: 3, lepzig: 4}
        """) == [
        "margins.yaml:3:33: error: unknown variable 'regio': a margin names variables of the "
        "questionnaire or derived ones of the plan",
        "margins.yaml:6:13: error: the shares of gender_group sum to 0.9, not 1: give each "
        "category's fraction of the population (0.25 for 25%)",
        "margins.yaml:7:17: error: 'district_group' is already in margin 1; each variable may "
        "appear in one margin only",
        "margins.yaml:8:36: error: the target of dresden must be a count of 0 or more, found -1",
        "margins.yaml:8:62: error: 'lepzig' is not a category of district_group; did you mean "
        "'leipzig'?",
    ]


def test_margins_must_describe_one_population_and_every_category(tmp_path: Path) -> None:
    assert problems(tmp_path, "questionnaire: zusammen\n" + WEIGHTED, """\
        source: test figures
        population: 1000
        margins:
          - variables: [district_group, gender_group]
            counts:
              leipzig: {female: 100, male: 100}
              dresden: {female: 100, male: 100}
              chemnitz: {female: 100}
          - variables: [region]
            shares: {eu: 0.5, europe_other: 0.5, mena: 0, asia: 0, germany: 0, other: 0}
        """) == [
        "margins.yaml:6:7: error: no target for chemnitz × male, rest × female, rest × male in "
        "the margin of district_group × gender_group: give every category a population count "
        "(0 if there is nobody in it)",
        "margins.yaml:9:17: error: unknown variable 'region': a margin names variables of the "
        "questionnaire or derived ones of the plan",
    ]
    assert problems(tmp_path, "questionnaire: zusammen\n" + WEIGHTED, """\
        source: test figures
        margins:
          - variables: [district_group]
            counts: {leipzig: 300, dresden: 200, chemnitz: 100, rest: 400}
          - variables: [gender_group]
            counts: {female: 500, male: 600}
        """) == [
        "margins.yaml:6:13: error: the counts of gender_group sum to 1,100 but the counts of "
        "district_group is 1,000 (10.0% apart): all margins must describe the same population "
        "(within 0.1%)"]


def test_a_missing_margins_file_is_named(tmp_path: Path) -> None:
    assert problems(tmp_path, "questionnaire: zusammen\n" + WEIGHTED.replace(
        "margins.yaml", "nowhere.yaml")) == [
        "plan.yaml:13:12: error: margins file 'nowhere.yaml' not found (looked for "
        "nowhere.yaml); the path is relative to the plan's folder"]


def test_trimming_bounds_are_checked(tmp_path: Path) -> None:
    plan = "questionnaire: zusammen\n" + WEIGHTED.replace(
        "  margins: margins.yaml", "  margins: margins.yaml\n  trim: {lower: 2, upper: 3}")
    assert problems(tmp_path, plan, """\
        source: test
        margins:
          - variables: [gender_group]
            counts: {female: 1, male: 1}
        """) == [
        "plan.yaml:14:17: error: lower of trim must be a multiple of the mean weight from 0 to "
        "1, such as 0.3, found 2"]
