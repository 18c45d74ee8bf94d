"""Running analysis plans: the flagship plan on generated respondents, checked against the
statistics library directly, plus every way the data can make a plan fail or fall short."""

import random
import re
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from flagship_sample import respondents
from openpyxl import load_workbook
from support import QUESTIONNAIRES, ROOT

from survey.questionnaire.validate import load_questionnaire
from survey.stats.design import make_design
from survey.stats.estimate import mean
from survey.stats.intervals import IntervalMethod, proportion_interval
from survey.stats.needs import co_occurrence, importance_satisfaction, rank_needs, top_ranked
from survey.stats.plan import PlanError, load_plan
from survey.stats.plan.model import Recode
from survey.stats.result_columns import ESTIMATE_COLUMNS
from survey.stats.run_plan import AnalysisResult, run_plan, write_outputs
from survey.stats.weighting import Margin, rake
from survey.store.dataset import Dataset

QUESTIONNAIRE = load_questionnaire(QUESTIONNAIRES / "zusammen.yaml")
FLAGSHIP = load_plan(ROOT / "analysis" / "needs-assessment.yaml", QUESTIONNAIRE)
FIGURES = ["estimate", "se", "ci_low", "ci_high"]
MARGINS = (Path(__file__).parent / "crossed-margins.yaml").read_text(encoding="utf-8")
"""A district × region cross-classification: the cases where cells can be empty."""
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
  - id: region
    recode: birth_country
    groups: {eu: [PL, RO, BG, ES], europe_other: [UA, RU, TR], mena: [SY, AF, IQ, IR],
             asia: [VN, IN, CN, PK], germany: [DE]}
    other: other
"""


def plan_file(folder: Path, text: str, margins: str = MARGINS) -> Path:
    (folder / "saxony-margins.yaml").write_text(margins, encoding="utf-8")
    path = folder / "plan.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def messages(error: PlanError, folder: Path) -> list[str]:
    return [str(d).replace(f"{folder}/", "") for d in error.diagnostics]


@pytest.fixture(scope="module")
def records() -> list[tuple[str, dict]]:
    return respondents(600)


@pytest.fixture(scope="module")
def sample(records: list[tuple[str, dict]]) -> Dataset:
    return Dataset.from_answers(QUESTIONNAIRE, records)


@pytest.fixture(scope="module")
def complete_records() -> list[tuple[str, dict]]:
    return respondents(600, seed=11, complete=True)


@pytest.fixture(scope="module")
def complete(complete_records: list[tuple[str, dict]]) -> Dataset:
    return Dataset.from_answers(QUESTIONNAIRE, complete_records)


@pytest.fixture(scope="module")
def steps(sample: Dataset) -> list[tuple[str, int, int]]:
    return []


@pytest.fixture(scope="module")
def result(sample: Dataset, steps: list[tuple[str, int, int]]) -> AnalysisResult:
    return run_plan(FLAGSHIP, sample, lambda *step: steps.append(step))


# --- the flagship plan ------------------------------------------------------------------------


def test_every_blank_figure_has_a_flag(result: AnalysisResult) -> None:
    table = result.results
    blank = table[FIGURES].isna().any(axis=1)
    assert blank.any()
    assert (table.loc[blank, "flags"] != "").all()
    assert not table["flags"].str.contains("not_computable").any()


def test_no_published_cell_counts_fewer_than_min_cell(result: AnalysisResult) -> None:
    table = result.results
    published = table[~table["flags"].str.contains("suppressed|no_data")]
    assert len(published) > len(table) / 2
    assert (published["base_n"] >= 10).all()
    counts = published["unweighted_n"]
    assert ((counts == 0) | (counts >= 10)).all()
    assert not published[FIGURES].isna().any().any()


def test_suppressed_cells_are_blank(result: AnalysisResult) -> None:
    table = result.results
    hidden = table[table["flags"].str.contains("suppressed")]
    assert hidden["flags"].str.contains("suppressed-secondary").any()
    assert hidden[[*FIGURES, "unweighted_n", "weighted_n", "base_n"]].isna().all().all()
    assert (hidden[["letters", "rank", "quadrant"]] == "").all().all()


def test_weights_sum_to_the_margin_totals(result: AnalysisResult, sample: Dataset) -> None:
    weights = result.weights
    assert list(weights.index) == list(sample.values.index)
    assert weights["weight"].sum() == pytest.approx(330_000, rel=1e-9)
    assert (weights["base_weight"] == 1).all()
    margins = result.diagnostics.margins
    assert np.allclose(margins["achieved"], margins["target"], rtol=1e-7)
    assert margins.groupby("margin")["respondents"].sum().tolist() == [600, 600, 600]
    assert margins["imputed"].sum() > 0  # missing districts, countries, 'diverse'
    d = result.diagnostics
    assert 1 < d.weights.design_effect < 2 and d.iterations > 0 and d.largest_gap < 1e-8


def test_every_kind_and_breakdown_is_in_the_table(result: AnalysisResult) -> None:
    table = result.results
    assert set(ESTIMATE_COLUMNS) <= set(table.columns)
    assert set(table["kind"]) == {i.kind.value for i in FLAGSHIP.indicators}
    assert list(dict.fromkeys(table["breakdown"])) == ["total", "district_group", "region",
                                                       "gender_group", "age_group",
                                                       "years_group", "german_level"]
    gap = table[table["indicator"] == "support_gap.gap"]
    assert set(gap["quadrant"]) - {""} <= {"concentrate here", "keep up the good work",
                                           "low priority", "possible overkill"}
    needs = table[(table["indicator"] == "work_barriers") & (table["breakdown"] == "total")]
    assert needs["rank"].str.fullmatch(r"\d+(-\d+)?").all()
    leipzig = table[(table["breakdown"] == "district_group") & (table["group"] == "leipzig")]
    assert set(leipzig["group_label"]) == {"Leipzig"} and set(leipzig["group_letter"]) == {"a"}
    assert table["letters"].str.len().max() > 0
    assert result.diagnostics.k_anonymity is not None


def test_progress_reports_every_step(result: AnalysisResult,
                                    steps: list[tuple[str, int, int]]) -> None:
    total = len(FLAGSHIP.indicators) + 4
    assert [done for _, done, _ in steps] == list(range(total + 1))
    assert {t for _, _, t in steps} == {total}
    assert steps[-1][0] == "done"


def test_outputs_are_written_and_read_back(result: AnalysisResult, tmp_path: Path) -> None:
    written = write_outputs(result, tmp_path / "out")
    assert [p.name for p in written] == ["results.csv", "results.xlsx", "weights.csv",
                                         "diagnostics.md"]
    csv = pd.read_csv(tmp_path / "out" / "results.csv", keep_default_na=False)
    assert len(csv) == len(result.results)
    assert list(csv.columns) == list(result.results.columns)
    book = load_workbook(tmp_path / "out" / "results.xlsx")
    sheet = book["results"]
    assert sheet.max_row - 1 == len(result.results)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert [c.value for c in sheet[1]] == list(result.results.columns)
    estimate = list(result.results.columns).index("estimate") + 1
    assert sheet.cell(2, estimate).number_format == "0.0%"
    assert set(book.sheetnames) == {"results", "diagnostics", "margins", "warnings"}
    assert not any(cell.data_type == "f" for ws in book for row in ws.iter_rows()
                   for cell in row)
    summary = (tmp_path / "out" / "diagnostics.md").read_text(encoding="utf-8")
    assert "ILLUSTRATIVE" in summary and "Kish design effect" in summary
    weights = pd.read_csv(tmp_path / "out" / "weights.csv")
    assert len(weights) == 600 and list(weights.columns) == ["submission_id", "base_weight",
                                                            "weight"]


# --- agreement with the statistics library ----------------------------------------------------


def test_a_domain_estimate_equals_survey_stats_on_the_same_design(
        complete_records: list[tuple[str, dict]], complete: Dataset) -> None:
    result = run_plan(FLAGSHIP, complete)
    region = next(d for d in FLAGSHIP.derived if d.id == "region")
    assert isinstance(region, Recode)
    answers = [a for _, a in complete_records]
    group = ["leipzig" if a["district"] == "leipzig" else
             a["district"] if a["district"] in ("dresden", "chemnitz") else "rest"
             for a in answers]
    origin = [region.mapping.get(a["birth_country"], "other") for a in answers]
    frame = pd.DataFrame({"district_group": group, "region": origin,
                          "gender_group": [a["gender"] for a in answers]})
    assert FLAGSHIP.weighting is not None
    raked = rake(frame, None, [Margin(m.name, {" × ".join(k): v for k, v in m.targets.items()})
                               for m in FLAGSHIP.weighting.margins],
                 max_iterations=200, trim=(0.2, 5))
    assert np.allclose(result.weights["weight"], raked.weights, rtol=1e-9)
    design = raked.design(make_design(pd.DataFrame({"w": raked.weights}), "w"))
    knows = np.array([{"yes": 1.0, "no": 0.0}.get(a.get("knows_council"), np.nan)
                      for a in answers])
    leipzig = np.array(group) == "leipzig"
    direct = mean(design, knows, leipzig)
    low, high = proportion_interval(IntervalMethod.LOGIT, direct.values[0], direct.se[0],
                                    int((leipzig & ~np.isnan(knows)).sum()),
                                    design.domain_degrees_of_freedom(leipzig))
    row = result.results.set_index(["indicator", "breakdown", "group", "category"]).loc[
        ("knows_council", "district_group", "leipzig", "yes")]
    assert row["estimate"] == pytest.approx(direct.values[0], rel=1e-10)
    assert row["se"] == pytest.approx(direct.se[0], rel=1e-8)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-8)
    assert row["base_n"] == int((leipzig & ~np.isnan(knows)).sum())


def test_estimates_do_not_depend_on_row_order(records: list[tuple[str, dict]],
                                              result: AnalysisResult) -> None:
    """Imputation for weighting included: it draws from the submission id, not the row."""
    shuffled = list(records)
    random.Random(3).shuffle(shuffled)
    again = run_plan(FLAGSHIP, Dataset.from_answers(QUESTIONNAIRE, shuffled))
    numbers = [*FIGURES, "weighted_n"]
    pd.testing.assert_frame_equal(result.results.drop(columns=numbers),
                                  again.results.drop(columns=numbers))
    assert np.allclose(result.results[numbers].astype(float),
                       again.results[numbers].astype(float),
                       rtol=1e-9, atol=1e-12, equal_nan=True)
    assert np.allclose(result.weights["weight"],
                       again.weights.loc[result.weights.index, "weight"], rtol=1e-9)


def test_needs_indicators_equal_the_needs_functions(sample: Dataset, tmp_path: Path) -> None:
    plan = load_plan(plan_file(tmp_path, """\
        questionnaire: zusammen
        indicators:
          - {id: important, kind: needs, question: imp, at_least: important}
          - {id: urgent, kind: top_ranked, question: urgent}
          - {id: pairs, kind: co_occurrence, question: urgent, items: [german, jobs, housing]}
          - {id: gap, kind: gap, importance: imp, satisfaction: sat, items: [jobs, housing]}
        """), QUESTIONNAIRE)
    table = run_plan(plan, sample).results.set_index(["indicator", "category"])
    design = make_design(pd.DataFrame(index=range(len(sample.values))))
    values = sample.values.reset_index(drop=True)
    areas = [c.name for c in QUESTIONNAIRE.question("urgent").choices.choices]
    imp = {a: np.where(values[f"imp__{a}"].isna(), np.nan, values[f"imp__{a}"] >= 3)
           for a in areas}
    for need in rank_needs(design, imp):
        row = table.loc[("important", need.area)]
        assert (row["estimate"], row["ci_high"]) == pytest.approx((need.share, need.ci_high))
        assert row["rank"] == need.rank
    code_to_area = {float(c.code): c.name
                    for c in QUESTIONNAIRE.question("urgent").choices.choices}
    ranks = [values[f"urgent__rank{k}"].map(code_to_area) for k in (1, 2, 3)]
    for _, expected in top_ranked(design, ranks, areas).iterrows():
        assert table.loc[("urgent.first", expected["area"]), "estimate"] == pytest.approx(
            expected["first"])
        assert table.loc[("urgent.top", expected["area"]), "se"] == pytest.approx(
            expected["top_se"])
    named = {a: pd.concat(ranks, axis=1).eq(a).any(axis=1).where(ranks[0].notna())
             .to_numpy(dtype=float) for a in ("german", "jobs", "housing")}
    joint = co_occurrence(design, named)
    assert table.loc[("pairs", "german & jobs"), "estimate"] == pytest.approx(
        joint.loc["german", "jobs"])
    assert table.loc[("pairs", "housing"), "estimate"] == pytest.approx(
        joint.loc["housing", "housing"])
    gaps = importance_satisfaction(
        design, {a: values[f"imp__{a}"].to_numpy() for a in ("jobs", "housing")},
        {a: values[f"sat__{a}"].to_numpy() for a in ("jobs", "housing")}).set_index("area")
    assert table.loc[("gap.gap", "jobs"), "estimate"] == pytest.approx(gaps.loc["jobs", "gap"])
    assert table.loc[("gap.gap", "jobs"), "quadrant"] == gaps.loc["jobs", "quadrant"]


# --- what the data can do to a plan -----------------------------------------------------------


def test_an_all_missing_indicator_and_a_one_group_breakdown_are_warned_about(
        sample: Dataset, tmp_path: Path) -> None:
    plan = load_plan(plan_file(tmp_path, """\
        questionnaire: zusammen
        breakdowns: [consent, district]
        indicators:
          - {id: recognition, kind: share, variable: recog_result}
          - {id: children, kind: mean, variable: n_children}
        """), QUESTIONNAIRE)
    result = run_plan(plan, sample)
    assert [str(w).replace(f"{tmp_path}/", "") for w in result.warnings] == [
        "plan.yaml:2:14: warning: breakdown 'consent' has only the group 'ja' in the data; it "
        "is left out",
        "plan.yaml:4:5: warning: indicator 'recognition': none of the 600 respondents answered "
        "it (every value is empty or a declared missing value); its rows are blank and flagged "
        "no_data",
        "plan.yaml:5:5: warning: indicator 'children': none of the 600 respondents answered it "
        "(every value is empty or a declared missing value); its rows are blank and flagged "
        "no_data",
    ]
    table = result.results
    assert set(table["breakdown"]) == {"total", "district"}
    assert (table["flags"] == "no_data").all()
    assert table[FIGURES].isna().all().all()


def test_impossible_targets_name_the_empty_cell(sample: Dataset, tmp_path: Path) -> None:
    path = plan_file(tmp_path, "questionnaire: zusammen\n" + GROUPS + """\
weighting:
  method: rake
  margins: saxony-margins.yaml
  unknown: impute
indicators:
  - {id: a, kind: share, variable: knows_council}
""")
    no_chemnitz = Dataset(QUESTIONNAIRE, *(
        frame[(sample.values["district"] != 1).to_numpy()]
        for frame in (sample.values, sample.missing)))
    with pytest.raises(PlanError) as caught:
        run_plan(load_plan(path, QUESTIONNAIRE), no_chemnitz)
    assert messages(caught.value, tmp_path) == [
        "plan.yaml:17:3: error: the weights cannot be computed: no respondent in district_group "
        "× region 'chemnitz × asia' but the target is 3,000 (and 4 other categories): merge it "
        "with a neighbour"]


def test_a_zero_target_with_respondents_is_refused(sample: Dataset, tmp_path: Path) -> None:
    margins = MARGINS.replace("germany: 4000}", "germany: 0}").replace(
        "population: 330000", "population: 326000")
    path = plan_file(tmp_path, "questionnaire: zusammen\n" + GROUPS + """\
weighting: {method: rake, margins: saxony-margins.yaml, unknown: impute}
indicators:
  - {id: a, kind: share, variable: knows_council}
""", margins)
    with pytest.raises(PlanError) as caught:
        run_plan(load_plan(path, QUESTIONNAIRE), sample)
    assert messages(caught.value, tmp_path) == [
        "plan.yaml:16:12: error: the weights cannot be computed: 8 respondents in district_group "
        "× region 'leipzig × germany' but the target is 0: drop them or correct the target"]


def test_unknown_weighting_variables_stop_the_run_unless_imputed(sample: Dataset,
                                                                 tmp_path: Path) -> None:
    path = plan_file(tmp_path, "questionnaire: zusammen\n" + GROUPS + """\
weighting: {method: rake, margins: saxony-margins.yaml}
indicators:
  - {id: a, kind: share, variable: knows_council}
""")
    with pytest.raises(PlanError) as caught:
        run_plan(load_plan(path, QUESTIONNAIRE), sample)
    assert messages(caught.value, tmp_path) == [
        "saxony-margins.yaml:21:5: error: 31 respondents have no answer for district_group × "
        "region (the first is submission r00046), so they cannot be weighted: set 'unknown: "
        "impute' under weighting, or recode the missing answers into a category with a target"]


def test_a_stratum_with_one_cluster_fails_or_is_adjusted(complete: Dataset,
                                                         tmp_path: Path) -> None:
    text = "questionnaire: zusammen\n" + GROUPS + """\
design: {strata: district_group, cluster: district, lonely_psu: fail}
indicators:
  - {id: a, kind: share, variable: knows_council}
"""
    with pytest.raises(PlanError) as caught:
        run_plan(load_plan(plan_file(tmp_path, text), QUESTIONNAIRE), complete)
    assert messages(caught.value, tmp_path) == [
        "plan.yaml:16:9: error: the design cannot be used: 3 stratum/strata have a single PSU; "
        "merge them with a neighbouring stratum or use lonely PSU 'adjust'"]
    adjusted = run_plan(load_plan(plan_file(tmp_path, text.replace("fail", "adjust")),
                                  QUESTIONNAIRE), complete)
    assert adjusted.diagnostics.lonely_strata == 3
    assert adjusted.diagnostics.degrees_of_freedom == 13 - 4
    assert not adjusted.results[FIGURES].isna().any().any()


def test_a_design_variable_must_be_known_for_everyone(sample: Dataset, tmp_path: Path) -> None:
    path = plan_file(tmp_path, "questionnaire: zusammen\n" + GROUPS + """\
design: {strata: district_group}
indicators:
  - {id: a, kind: share, variable: knows_council}
""")
    with pytest.raises(PlanError) as caught:
        run_plan(load_plan(path, QUESTIONNAIRE), sample)
    assert messages(caught.value, tmp_path) == [
        "plan.yaml:16:9: error: district_group is unknown for 12 respondents (the first is "
        "submission r00046), but every respondent needs a stratum: choose a variable everyone "
        "answered, or recode the missing answers into a group"]


def test_data_of_another_questionnaire_are_refused(tmp_path: Path) -> None:
    other = load_questionnaire(QUESTIONNAIRES / "examples" / "all-types.yaml")
    data = Dataset.from_answers(other, [("a", {})])
    with pytest.raises(PlanError, match="the plan is for questionnaire 'zusammen' but the data "
                                        f"are answers to '{other.id}'"):
        run_plan(FLAGSHIP, data)


# --- free text and spreadsheets ---------------------------------------------------------------


def test_free_text_is_scrubbed_and_neutralised(sample: Dataset, tmp_path: Path) -> None:
    plan = load_plan(plan_file(tmp_path, """\
        questionnaire: zusammen
        indicators:
          - {id: a, kind: share, variable: knows_council}
        disclosure: {free_text: scrub, known_names: [Petrova]}
        """), QUESTIONNAIRE)
    result = run_plan(plan, sample)
    answers = result.open_answers
    assert answers is not None and set(answers["question"]) == {"problem"}
    text = " ".join(answers["answer"])
    assert "@" not in text and "4567890" not in text and "Petrova" not in text
    assert "[e-mail]" in text and "[phone]" in text and "[name]" in text
    written = write_outputs(result, tmp_path / "out")
    assert written[-1].name == "open-answers.csv"
    assert "'=HYPERLINK" in written[-1].read_text(encoding="utf-8")


# --- the documented example -------------------------------------------------------------------


def test_the_documented_example_plan_loads_and_runs(complete: Dataset, tmp_path: Path) -> None:
    text = (ROOT / "docs" / "analysis-plan.md").read_text(encoding="utf-8")
    for name, block in re.findall(r"<!-- example: \w+ \(([\w.-]+)\) -->\n```yaml\n(.*?)```",
                                  text, re.S):
        (tmp_path / name).write_text(block, encoding="utf-8")
    plan = load_plan(tmp_path / "example-plan.yaml", QUESTIONNAIRE)
    assert plan.warnings == ()
    result = run_plan(plan, complete)
    table = result.results
    assert set(table["indicator"]) >= {"knows_council", "gaps.gap", "urgent.first",
                                       "urgent_pairs"}
    assert set(table.loc[table["indicator"] == "urgent_pairs", "breakdown"]) == {
        "total", "district_group"}
    assert (table[table[FIGURES].isna().any(axis=1)]["flags"] != "").all()
    assert result.weights["weight"].sum() == pytest.approx(100_000)
    assert table.loc[table["indicator"] == "knows_council", "category_label"].tolist()[:2] == [
        "Yes", "No"]
