"""Importing files into a real SQLite store: outcomes, provenance, re-import, rollback."""

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from survey.ingest.columns import MappingProblem
from survey.ingest.importer import IngestError, ingest_file, rollback_batch
from survey.ingest.mapping_file import draft_mapping, load_mapping
from survey.ingest.report import write_report
from survey.questionnaire.validate import load_questionnaire
from survey.store.dataset import load_dataset
from survey.store.store import Store
from tests.support import QUESTIONNAIRES

HEADER = ["Nr", "consent", "birth_year", "gender", "birth_country", "arrival_year",
          "counselling", "problem"]
ROWS = [
    ["1", "ja", "1980", "weiblich", "Syrien", "2015", "Migrationsberatung (MBE, JMD)", ""],
    ["2", "да", "1975", "Мужской", "UA", "2022", "", ""],
    ["3", "1", "1890", "female", "SY", "2016", "", ""],  # birth year out of range
    ["4", "yes", "1990", "Xylophon", "SY", "2016", "", ""],  # not a choice at all
    ["5", "ja", "1985", "2", "DE", "2001", "", ""],  # answered a skipped question
    ["6", "", "1985", "2", "SY", "2016", "", ""],  # no consent
    ["7", "ja", "1970", "male", "AF", "2015", "", '=HYPERLINK("http://x.example","click")'],
]


@pytest.fixture(scope="module")
def flagship():
    return load_questionnaire(QUESTIONNAIRES / "zusammen.yaml")


@pytest.fixture
def store(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield store
    store.close()


def write_csv(path: Path, rows, header=HEADER, delimiter=";", encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_every_row_is_accepted_or_quarantined_with_its_reason(tmp_path, store, flagship):
    path = write_csv(tmp_path / "partner.csv", ROWS)
    result = ingest_file(store, flagship, path, user="anna")
    assert (result.rows_in, result.accepted, result.quarantined, result.duplicates) == (7, 3, 4, 0)
    assert result.rows_in == result.accepted + result.quarantined + result.duplicates
    errors = {(line.row, line.rule) for line in result.lines if line.severity == "error"}
    assert errors == {(4, "range"), (5, "choice"), (6, "skip_logic"), (7, "required")}
    typo = next(line for line in result.lines if line.rule == "choice")
    assert (typo.column, typo.value) == ("gender", "Xylophon")
    assert "write a code, a choice name or a label" in typo.fix
    assert "under 'values:' in a mapping file" in typo.fix
    assert store.count(flagship.id) == {"accepted": 3, "quarantined": 4}


def test_labels_in_any_language_become_the_same_answer(tmp_path, store, flagship):
    ingest_file(store, flagship, write_csv(tmp_path / "p.csv", ROWS[:2]), user="anna")
    data = load_dataset(store, flagship).values
    assert sorted(data["gender"]) == [1.0, 2.0]  # weiblich → female, Мужской → male
    assert sorted(data["birth_country"]) == ["SY", "UA"]
    assert sorted(data["counselling__migration"].fillna(-9)) == [-9.0, 1.0]


def test_provenance_and_raw_values_are_kept(tmp_path, store, flagship):
    path = write_csv(tmp_path / "partner.csv", ROWS)
    result = ingest_file(store, flagship, path, user="anna")
    quarantined = [r for r in store.engine.connect().exec_driver_sql(
        "SELECT submission_id, source_row FROM responses WHERE status='quarantined'")]
    response = store.response(next(sid for sid, row in quarantined if row == 5))
    assert response["raw"]["gender"] == "Xylophon"
    assert response["source_file"] == "partner.csv"
    assert response["source_hash"] == result.file_hash
    assert response["batch_id"] == result.batch_id
    assert response["entered_by"] == "anna"
    assert response["answers"] == {}


def test_formula_text_is_stored_as_text_and_neutralised_in_the_report(tmp_path, store,
                                                                       flagship):
    result = ingest_file(store, flagship, write_csv(tmp_path / "p.csv", ROWS[6:]), user="a")
    sid = next(iter(load_dataset(store, flagship).values.index))
    assert store.response(sid)["answers"]["problem"].startswith("=HYPERLINK(")
    report = write_report(result, tmp_path / "report.xlsx")
    cells = [c.value for row in load_workbook(report)["Summary"].iter_rows() for c in row]
    assert not any(isinstance(c, str) and c.startswith("=") for c in cells)


def test_importing_the_same_file_again_changes_nothing(tmp_path, store, flagship):
    path = write_csv(tmp_path / "partner.csv", ROWS)
    first = ingest_file(store, flagship, path, user="anna")
    again = ingest_file(store, flagship, path, user="anna")
    assert again.already["id"] == first.batch_id
    assert again.rows_in == 0
    assert store.count(flagship.id) == {"accepted": 3, "quarantined": 4}


def test_rollback_removes_the_batch_and_allows_a_new_import(tmp_path, store, flagship):
    path = write_csv(tmp_path / "partner.csv", ROWS)
    first = ingest_file(store, flagship, path, user="anna")
    assert rollback_batch(store, first.batch_id) == 7
    assert store.count(flagship.id) == {}
    with pytest.raises(IngestError, match="already rolled back"):
        rollback_batch(store, first.batch_id)
    second = ingest_file(store, flagship, path, user="anna")
    assert second.accepted == 3


def test_same_respondent_in_another_file_is_a_duplicate(tmp_path, store, flagship):
    rows = [["1", "ja", "1980", "weiblich", "SY", "2015", "social", "Wohnung fehlt"]]
    ingest_file(store, flagship, write_csv(tmp_path / "a.csv", rows), user="a")
    kobo = [["", "yes", "1980", "female", "SY", "2015", "social", "Wohnung fehlt"]]
    result = ingest_file(store, flagship, write_csv(tmp_path / "b.csv", kobo, delimiter=","),
                         user="b")
    assert (result.accepted, result.duplicates) == (0, 1)
    assert result.rows_in == result.accepted + result.quarantined + result.duplicates


def test_two_respondents_with_their_own_ids_may_answer_alike(tmp_path, store, flagship):
    """A file that names each respondent keeps both of two identical returns, with a warning:
    on a short form two people often answer alike, and dropping one would lose a person."""
    rows = [["21", "ja", "1980", "weiblich", "SY", "2015", "", ""],
            ["22", "ja", "1980", "weiblich", "SY", "2015", "", ""]]
    result = ingest_file(store, flagship, write_csv(tmp_path / "a.csv", rows), user="a")
    assert (result.accepted, result.duplicates) == (2, 0)
    assert [line.rule for line in result.lines] == ["same_answers"]


def test_same_id_twice_in_a_file_with_other_answers_is_quarantined(tmp_path, store, flagship):
    rows = [["9", "ja", "1980", "weiblich", "SY", "2015", "", ""],
            ["9", "ja", "1981", "weiblich", "SY", "2015", "", ""]]
    result = ingest_file(store, flagship, write_csv(tmp_path / "a.csv", rows), user="a")
    assert (result.accepted, result.quarantined) == (1, 1)
    assert [line.rule for line in result.lines] == ["duplicate_id"]


def test_dry_run_stores_nothing_and_drafts_a_mapping(tmp_path, store, flagship):
    path = write_csv(tmp_path / "p.csv", ROWS, header=["Nr", "Einwilligung?", *HEADER[2:]])
    result = ingest_file(store, flagship, path, user="a", dry_run=True)
    assert store.count() == {}
    assert result.plan.unmapped == ["Einwilligung?"]
    draft = tmp_path / "p.mapping.yaml"
    draft.write_text(draft_mapping(result.table, result.plan, flagship.id).replace(
        "Einwilligung?: ignore", "Einwilligung?: consent"), encoding="utf-8")
    fixed = ingest_file(store, flagship, path, user="a", mapping=load_mapping(draft))
    assert fixed.accepted == 3


def test_mapping_to_an_unknown_question_is_refused(tmp_path, store, flagship):
    path = write_csv(tmp_path / "p.csv", ROWS)
    with pytest.raises(MappingProblem, match="'gender' to 'sex'"):
        ingest_file(store, flagship, path, user="a", mapping={"gender": "sex"})


def test_columns_of_another_questionnaire_are_refused(tmp_path, store, flagship):
    path = write_csv(tmp_path / "other.csv", [["1", "2", "3"]],
                     header=["Zufriedenheit Catering", "Raum", "Anreise"])
    with pytest.raises(IngestError, match="none of its 3 columns matches a question"):
        ingest_file(store, flagship, path, user="a")
    assert store.count() == {} and store.batches() == []


def test_question_texts_and_kobo_paths_are_recognised(tmp_path, store, flagship):
    header = ["В каком году вы родились?", "about/gender", "start/consent",
              "needs/counselling", "needs/counselling/social", "_uuid"]
    rows = [["1980", "female", "yes", "social migration", "1",
             "3f1b8c1e-1111-4a2b-9c3d-1234567890ab"]]
    result = ingest_file(store, flagship, write_csv(tmp_path / "kobo.csv", rows, header=header,
                                                    delimiter=","), user="k")
    targets = [t.name for t in result.plan.targets]
    assert targets[:4] == ["birth_year", "gender", "consent", "counselling"]
    assert result.plan.redundant == ["needs/counselling/social"]
    assert result.accepted == 1
    answers = json.loads(store.engine.connect().exec_driver_sql(
        "SELECT answers FROM responses").scalar())
    assert answers["counselling"] == ["social", "migration"]
