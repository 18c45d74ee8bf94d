"""KoboToolbox/ODK/Ona exports, and SPSS/Stata missing codes, read as those tools mean them.

`n/a` is a question not asked, `<q>_other` the "please specify" text, 0/1 columns win over a
label list, a label list is split on the form's labels, a repeat group's table is refused with
a message that says what it is, questions renamed by conversion are found by their original
names, Ona's numbered SPSS variables by their labels, and Stata's `.a` is a missing code.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from survey.ingest.columns import RepeatTable, plan_columns
from survey.ingest.importer import ingest_file
from survey.questionnaire.validate import load_questionnaire
from survey.store.store import Store
from tests.ingest.test_column_validation import assert_same_as_row_by_row
from tests.support import ROOT, run

FORM = """\
format: 1
survey:
  id: kobo_form
  version: "1"
  title: Kobo form
  organisation: Kobo users
  languages: [en]
  default_language: en
choice_lists:
  symmetry:
    - {name: spherical, original: Spherical_1, code: 1, label: Spherical}
    - {name: radial, code: 2, label: Radial}
    - {name: bilateral, code: 3, label: Bilateral symmetry}
  emperors:
    - {name: julius, code: 1, label: Julius Caesar}
    - {name: augustus, code: 2, label: Augustus}
    - {name: other, code: 5, other: true, label: Other}
sections:
  - id: body
    title: Body
    questions:
      - {id: symmetry, original: external/What_kind_of_symmetry, type: multiple_choice,
         choices: symmetry, label: What kind of symmetry do you have?}
      - {id: q1_1, original: group_a/Q1.1, type: integer, label: How many segments?}
      - {id: emperor, type: single_choice, choices: emperors, label: Favourite emperor}
      - {id: fan, type: single_choice, choices: emperors, label: Another emperor,
         relevant: "${q1_1} > 100"}
      - {id: liked, type: multiple_choice, choices: emperors, label: Emperors you like}
"""

KOBO_COLUMNS = ["start", "end", "external/What_kind_of_symmetry",
                "external/What_kind_of_symmetry/Spherical_1",
                "external/What_kind_of_symmetry/radial",
                "external/What_kind_of_symmetry/bilateral", "group_a/Q1.1", "emperor",
                "emperor_other", "fan", "meta/instanceID", "_id", "_uuid", "_submission_time",
                "_index", "__version__", "_validation_status", "_notes", "_tags",
                "formhub/uuid", "_xform_id_string", "_status", "_submitted_by"]
KOBO_ROWS = [
    ["2024-01-01T10:00", "2024-01-01T10:05", "Spherical_1 radial", "1", "1", "0", "7", "other",
     "Nero", "n/a", "uuid:6d1b903a-6d50-4504-bd7b-76c1a5098ed9",
     "1", "6d1b903a-6d50-4504-bd7b-76c1a5098ed9", "2024-01-01T10:06:00", "1", "v1", "{}", "[]",
     "[]", "abc", "form", "submitted_via_web", ""],
    ["2024-01-02T10:00", "2024-01-02T10:05", "bilateral", "0", "0", "1", "n/a", "augustus", "",
     "n/a", "uuid:d314118a-17c2-4ba4-aac3-634930535ad6", "2",
     "d314118a-17c2-4ba4-aac3-634930535ad6", "2024-01-02T10:06:00", "2", "v1", "{}", "[]", "[]",
     "abc", "form", "submitted_via_web", ""],
]


@pytest.fixture
def form(write_questionnaire):
    return load_questionnaire(write_questionnaire(FORM))


@pytest.fixture
def store(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield store
    store.close()


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def accepted_answers(store: Store) -> dict[int, dict]:
    with store.engine.connect() as connection:
        return {row: json.loads(text) for row, text in connection.exec_driver_sql(
            "SELECT source_row, answers FROM responses WHERE status = 'accepted'")}


def test_a_kobo_export_reads_with_its_conventions(tmp_path, store, form):
    path = write_csv(tmp_path / "export.csv", KOBO_COLUMNS, KOBO_ROWS)
    result = ingest_file(store, form, path, user="staff")
    assert (result.accepted, result.quarantined, result.lines) == (2, 0, [])
    assert result.plan.unmapped == []  # Kobo's bookkeeping columns are not "problems"
    answers = accepted_answers(store)
    assert answers[2] == {"symmetry": ["spherical", "radial"], "q1_1": 7, "emperor": "other",
                          "emperor__other_text": "Nero"}
    assert answers[3] == {"symmetry": ["bilateral"], "emperor": "augustus"}  # n/a: not asked


def test_the_01_columns_are_read_and_the_list_kept_only_in_the_raw_record(form):
    headers = [(h, None) for h in KOBO_COLUMNS]
    plan = plan_columns(form, headers)
    by_header = dict(zip(KOBO_COLUMNS, plan.targets, strict=True))
    assert by_header["external/What_kind_of_symmetry"].how.startswith("list of symmetry")
    assert by_header["external/What_kind_of_symmetry/radial"].choice == "radial"
    assert by_header["group_a/Q1.1"].name == "q1_1"
    assert by_header["_uuid"].target == "meta" and by_header["_id"].target == "ignore"


def test_a_label_list_is_split_on_the_forms_labels_not_on_spaces(tmp_path, store, form):
    header = ["What kind of symmetry do you have?", "Q1.1", "Favourite emperor"]
    rows = [["Spherical Bilateral symmetry", "3", "Julius Caesar"],
            ["Radial Bilateral  symmetry", "4", "Augustus"],
            ["Spherical Round", "5", "Augustus"]]
    result = ingest_file(store, form, write_csv(tmp_path / "labels.csv", header, rows),
                         user="staff")
    answers = accepted_answers(store)
    assert answers[2]["symmetry"] == ["spherical", "bilateral"]
    assert answers[3]["symmetry"] == ["radial", "bilateral"]
    assert answers[2]["q1_1"] == 3  # "Q1.1" without its group, whatever the case
    (problem,) = [line for line in result.lines if line.severity == "error"]
    assert problem.row == 4
    assert problem.message == ("'Spherical Round': 'Round' is not a choice of question 1 "
                               "(symmetry)")


@pytest.mark.parametrize("links", [
    ["_index", "_parent_table_name", "_parent_index"],
    ["_index", "_submission__id", "_submission__uuid"],
])
def test_a_repeat_groups_table_is_refused_and_says_what_it_is(tmp_path, store, form, links):
    header = ["children/name", "children/age", *links]
    path = write_csv(tmp_path / "children.csv", header, [["Mike", "5", "1", "form", "1"]])
    with pytest.raises(RepeatTable) as refused:
        ingest_file(store, form, path, user="staff")
    message = str(refused.value)
    assert "repeat group 'children'" in message
    assert "one row per repeated item" in message and "cannot hold repeat groups yet" in message
    assert "import the export's main table" in message
    assert store.count() == {}


def test_ona_main_table_with_parent_columns_is_not_a_repeat(tmp_path, store, form):
    """Ona writes `_parent_index` -1 in the main table too; its questions are not in a group."""
    header = ["Q1.1", "emperor", "_index", "_parent_table_name", "_parent_index"]
    path = write_csv(tmp_path / "main.csv", header, [["3", "julius", "1", "", "-1"]])
    assert ingest_file(store, form, path, user="staff").accepted == 1


def test_repeat_columns_of_a_wide_export_are_kept_in_the_raw_record_only(form):
    headers = [("group_a/Q1.1", None), ("children[1]/childs_name", None),
               ("children[2]/childs_name", None)]
    plan = plan_columns(form, headers)
    assert plan.repeats == ["children[1]/childs_name", "children[2]/childs_name"]
    assert plan.unmapped == []


def test_onas_numbered_spss_variables_are_matched_by_their_labels(tmp_path, store, form):
    frame = pd.DataFrame({"var1": [7.0, 2.0], "var2": ["julius", "augustus"],
                          "var3": ["1", "2"]})
    path = tmp_path / "ona.sav"
    pyreadstat.write_sav(frame, path, column_labels=["group_a/Q1.1", "emperor", "_index"])
    result = ingest_file(store, form, path, user="staff")
    assert (result.accepted, result.quarantined) == (2, 0)
    assert accepted_answers(store)[1] == {"q1_1": 7, "emperor": "julius"}


TAGGED_NA = ROOT.parent / "shared" / "fixtures" / "realworld" / "data" / "haven__tagged-na-int.dta"


@pytest.mark.skipif(not TAGGED_NA.exists(), reason="realworld fixtures not beside the repository")
def test_stata_extended_missing_values_are_missing_codes_never_text(tmp_path, store,
                                                                    write_questionnaire):
    """haven's tagged-na file: x is 1 to 5, then .a (labelled "apple"), .h and .z."""
    declared = write_questionnaire("""\
format: 1
survey: {id: tagged, version: "1", title: Tagged, organisation: Haven, languages: [en],
         default_language: en}
missing_values:
  - {name: apple, code: -901, label: apple}
  - {name: missing_h, code: -902, label: missing .h, original: .h}
sections:
  - id: s
    title: S
    questions:
      - {id: x, type: integer, missing: [apple, missing_h], label: x}
""", "declared.yaml")
    result = ingest_file(store, load_questionnaire(declared), TAGGED_NA, user="staff")
    answers = accepted_answers(store)
    assert [answers[row]["x"] for row in range(1, 6)] == [1, 2, 3, 4, 5]
    assert answers[6]["x"] == {"missing": "apple"}  # by the file's value label
    assert answers[7]["x"] == {"missing": "missing_h"}  # by its original name .h
    assert "x" not in answers[8]  # .z: no missing value of the question matches
    (warning,) = result.lines
    assert (warning.row, warning.severity) == (8, "warning")
    assert ".z is a missing code of the file" in warning.message
    assert "read as not answered" in warning.message


def test_the_column_checks_agree_with_row_by_row_reading(tmp_path, store, form):
    header = ["What kind of symmetry do you have?", "Q1.1", "Favourite emperor", "emperor_other"]
    rows = [["Spherical Bilateral symmetry", "3", "Julius Caesar", ""],
            ["Radial", "n/a", "Other", "Nero"], ["Spherical Round", "5", "Augustus", ""],
            ["Radail", "4", "Augustus", ""], ["Radial", "101", "Augustus", "Nero"]]
    assert_same_as_row_by_row(store, form, write_csv(tmp_path / "labels.csv", header, rows))


def test_the_text_in_an_other_choices_column_is_the_please_specify_answer(tmp_path, store, form):
    """Some exports write the specified text into `q/other` itself instead of a tick."""
    header = ["Q1.1", "liked/julius", "liked/augustus", "liked/other"]
    rows = [["1", "1", "0", "Nero"], ["2", "0", "1", "0"], ["3", "1", "0", "True"]]
    path = write_csv(tmp_path / "other.csv", header, rows)
    result = ingest_file(store, form, path, user="staff")
    assert (result.accepted, result.lines) == (3, [])
    answers = accepted_answers(store)
    assert answers[2]["liked"] == ["julius", "other"]
    assert answers[2]["liked__other_text"] == "Nero"
    assert answers[3]["liked"] == ["augustus"]
    assert answers[4] == {"q1_1": 3, "liked": ["julius", "other"]}
    again = Store.open(f"sqlite:///{tmp_path / 'again.sqlite'}")
    try:
        assert_same_as_row_by_row(again, form, path)
    finally:
        again.close()


def test_two_questions_with_one_original_name_in_two_groups_stay_apart(write_questionnaire):
    form = load_questionnaire(write_questionnaire("""\
format: 1
survey: {id: two, version: "1", title: Two, organisation: Us, languages: [en],
         default_language: en}
sections:
  - id: s
    title: S
    questions:
      - {id: age, original: mother/age, type: integer, label: Age of the mother}
      - {id: age_2, original: father/age, type: integer, label: Age of the father}
      - {id: name, original: Name, type: text, label: Name}
""", "two.yaml"))
    headers = ["Mother/AGE", "father/age", "age", "NAME", "group/name"]
    plan = plan_columns(form, [(h, None) for h in headers])
    assert [(t.target, t.name) for t in plan.targets] == [
        ("answer", "age"), ("answer", "age_2"), ("ignore", ""), ("answer", "name"),
        ("ignore", "")]
    # "age" is the id of the mother's age, "group/name" ends in a question's name: both repeat
    # a column already read, so they are set aside, not read twice.
    assert plan.redundant == ["age", "group/name"]


def test_the_command_refuses_a_repeat_table_with_exit_1(tmp_path, stored):
    project = tmp_path / "project"
    assert run("init", project).exit_code == 0
    next((project / "questionnaires").glob("*.yaml")).write_text(FORM, encoding="utf-8")
    path = write_csv(tmp_path / "children.csv",
                     ["children/name", "children/age", "_index", "_parent_table_name",
                      "_parent_index"], [["Mike", "5", "1", "kobo_form", "1"]])
    result = run("ingest", project, path)
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "repeat group 'children'" in output
    assert "tied to its submission by _parent_table_name, _parent_index" in output
    assert "import the export's main table (one row per submission)" in output
    assert "Nothing of children.csv was stored" in output
    assert stored(project) == (0, 0)
    assert not list(project.glob("imports/children*"))
