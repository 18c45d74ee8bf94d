"""Mapping files with `values:`: a partner's own words mapped once and used for every delivery.

Bad mapping files are refused before any row is read, with file:line and what to change.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from survey.ingest.columns import MappingProblem
from survey.ingest.importer import ingest_file
from survey.ingest.mapping_file import MappingFileError, draft_mapping, load_mapping
from survey.questionnaire.validate import load_questionnaire
from survey.store.store import Store
from tests.ingest.test_partner_workbook import QUESTIONNAIRE
from tests.support import run


@pytest.fixture
def questionnaire(write_questionnaire):
    return load_questionnaire(write_questionnaire(QUESTIONNAIRE))


@pytest.fixture
def store(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield store
    store.close()


def partner_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Nr", "Ortsteil", "Personen", "Sprachen", "Wohl?"])
        writer.writerows(rows)
    return path


ROWS = [["1", "DL-Nord", "2", "dt.", "jo"], ["2", "Nordstadt", "viele", "dt. + russ.", "jo"],
        ["3", "Döbeln-Ost", "3", "russ.", "nee"]]

MAPPING = """\
columns:
  Ortsteil: district
  Personen: household
  Sprachen:
    to: languages
    values:
      dt.: german
      russ.: russian
      dt. + russ.: [german, russian]
  Wohl?: at_home
values:
  district:
    DL-Nord: doebeln_nord
    Nordstadt: Döbeln-Nord
  at_home:
    jo: "yes"
    nee: Nein
"""


def test_a_partners_words_are_mapped_once_and_read_every_time(tmp_path, store, questionnaire):
    (tmp_path / "partner.mapping.yaml").write_text(MAPPING, encoding="utf-8")
    mapping = load_mapping(tmp_path / "partner.mapping.yaml")
    result = ingest_file(store, questionnaire, partner_csv(tmp_path / "march.csv", ROWS),
                         mapping=mapping, user="staff")
    assert (result.accepted, result.quarantined) == (2, 1)
    (problem,) = [line for line in result.lines if line.severity == "error"]
    assert (problem.row, problem.column, problem.value) == (3, "Personen", "viele")
    assert "is not a number, and question 2 (household) takes a number" in problem.message
    with store.engine.connect() as connection:
        answers = {row: json.loads(text) for row, text in connection.exec_driver_sql(
            "SELECT source_row, answers FROM responses WHERE status = 'accepted'")}
    assert answers[2] == {"district": "doebeln_nord", "household": 2, "languages": ["german"],
                          "at_home": "yes"}
    assert answers[4] == {"district": "doebeln_ost", "household": 3, "languages": ["russian"],
                          "at_home": "no"}
    # The next delivery uses the same file.
    april = ingest_file(store, questionnaire, partner_csv(
        tmp_path / "april.csv", [["9", "Nordstadt", "1", "dt. + russ.", "jo"]]),
        mapping=mapping, user="staff")
    assert (april.accepted, april.lines) == (1, [])


def test_the_values_are_part_of_the_column_plan_kept_with_the_batch(tmp_path, store,
                                                                       questionnaire):
    """A quarantined row read again later (the fix screen) reads the partner's words the same."""
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    result = ingest_file(store, questionnaire, partner_csv(tmp_path / "p.csv", ROWS),
                         mapping=load_mapping(tmp_path / "m.yaml"), user="staff")
    by_header = dict(zip([c.name for c in result.table.columns], result.plan.targets,
                         strict=True))
    assert dict(by_header["Ortsteil"].values) == {"dl-nord": "doebeln_nord",
                                                  "nordstadt": "Döbeln-Nord"}
    assert dict(by_header["Sprachen"].values)["dt. + russ."] == ["german", "russian"]
    draft = draft_mapping(result.table, result.plan, questionnaire.id)
    assert "Ortsteil: {to: district, values: {dl-nord: doebeln_nord" in draft
    (tmp_path / "draft.yaml").write_text(draft, encoding="utf-8")
    fresh = Store.open(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    try:
        again = ingest_file(fresh, questionnaire, tmp_path / "p.csv",
                            mapping=load_mapping(tmp_path / "draft.yaml"), dry_run=True)
    finally:
        fresh.close()
    assert (again.accepted, again.quarantined) == (result.accepted, result.quarantined)


@pytest.mark.parametrize(("text", "where", "message"), [
    ("columns:\n  Ortsteil: district\nvalues:\n  district:\n    DL-Nord: purple\n", ":5:",
     "reads 'dl-nord' in column 'Ortsteil' as 'purple', which the question cannot hold "
     "('purple' is not a choice of question 1 (district))"),
    ("columns:\n  Personen:\n    to: household\n    values:\n      viele: many\n", ":5:",
     "reads 'viele' in column 'Personen' as 'many', which the question cannot hold ('many' "
     "is not a number, and question 2 (household) takes a number)"),
    ("columns:\n  Ortsteil: district\n  Nr: district\n", ":3:",
     "column 'Nr' is mapped to 'district', and so is column 'Ortsteil'"),
    ("columns:\n  Wohl?: languages__german\n  Sprachen: languages\n", ":2:",
     "maps both column 'Sprachen' and column 'Wohl?' to 'languages'"),
    ("values:\n  bezirk:\n    Nord: doebeln_nord\n", ":2:",
     "values for 'bezirk', which is not a question of the questionnaire"),
    ("columns:\n  Ortsteil: stadtteil\n", ":2:",
     "maps column 'Ortsteil' to 'stadtteil', which is not a question"),
    ("columns:\n  Sprachen:\n    to: languages\n    values:\n      dt.:\n", ":5:",
     "'dt.' needs a meaning after the colon"),
    ("columns:\n  Sprachen:\n    question: languages\n", ":3:",
     "a column takes 'to:' (its question) and 'values:'"),
])
def test_a_bad_mapping_file_is_refused_with_file_and_line(tmp_path, store, questionnaire, text,
                                                         where, message):
    path = tmp_path / "bad.mapping.yaml"
    path.write_text(text, encoding="utf-8")
    data = partner_csv(tmp_path / "p.csv", ROWS)
    with pytest.raises((MappingFileError, MappingProblem)) as caught:
        ingest_file(store, questionnaire, data, mapping=load_mapping(path), user="staff")
    assert f"{path}{where}" in str(caught.value)
    assert message in str(caught.value)
    assert store.count() == {}


def test_the_command_exits_1_on_a_bad_mapping_and_stores_nothing(tmp_path):
    project = tmp_path / "project"
    assert run("init", project).exit_code == 0
    questionnaire = next((project / "questionnaires").glob("*.yaml"))
    questionnaire.write_text(QUESTIONNAIRE, encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  Ortsteil: district\n  Nr: district\n", encoding="utf-8")
    result = run("ingest", project, partner_csv(tmp_path / "p.csv", ROWS), "--mapping", mapping)
    assert result.exit_code == 1
    assert f"{mapping}:3:" in result.output and "one answer can come from one column" in (
        result.output)
    imports = run("imports", project).output
    assert "p.csv" not in imports


@pytest.mark.parametrize(("text", "line", "problem", "what_to_do", "with_the_data"), [
    # two columns mapped to one question: the same variable, and a whole multiple choice
    # beside one of its options
    ("columns:\n  Ortsteil: district\n  Nr: district\n", 3,
     "column 'Nr' is mapped to 'district', and so is column 'Ortsteil'",
     "map one of them to another question or to 'ignore'", False),
    ("columns:\n  Wohl?: languages__german\n  Sprachen: languages\n", 2,
     "maps both column 'Sprachen' and column 'Wohl?' to 'languages'",
     "map one of them to another question or to 'ignore'", True),
    # a meaning the question cannot hold: not one of its choices; a word for a number
    ("columns:\n  Ortsteil: district\nvalues:\n  district:\n    DL-Nord: purple\n", 5,
     "'purple' is not a choice of question 1 (district)",
     "after the colon write a choice name, code or label of the question", True),
    ("columns:\n  Personen:\n    to: household\n    values:\n      viele: many\n", 5,
     "'many' is not a number, and question 2 (household) takes a number",
     "after the colon write a choice name, code or label of the question, or a value it takes",
     True),
])
def test_the_command_refuses_a_bad_mapping_with_its_place_and_what_to_do(
        tmp_path, stored, text, line, problem, what_to_do, with_the_data):
    """Each refusal names the mapping file with line and column, what is wrong and what to do,
    and the data file when the mapping was checked against its columns (a mapping file at odds
    with itself is refused on loading); exit 1, and the store holds nothing new."""
    project = tmp_path / "project"
    assert run("init", project).exit_code == 0
    next((project / "questionnaires").glob("*.yaml")).write_text(QUESTIONNAIRE,
                                                                 encoding="utf-8")
    good = tmp_path / "good.mapping.yaml"
    good.write_text(MAPPING, encoding="utf-8")
    first = run("ingest", project, partner_csv(tmp_path / "march.csv", ROWS), "--mapping", good)
    assert first.exit_code == 3  # one row quarantined ("viele" people)
    before = stored(project)
    assert before == (3, 1)

    mapping = tmp_path / "bad.mapping.yaml"
    mapping.write_text(text, encoding="utf-8")
    result = run("ingest", project, partner_csv(tmp_path / "april.csv", ROWS), "--mapping",
                 mapping)
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert f"error: {mapping}:{line}:" in output
    assert problem in output and what_to_do in output
    assert ("Nothing of april.csv was stored." in output) == with_the_data
    assert "Traceback" not in output
    assert stored(project) == before
    assert not list(project.glob("imports/april*"))
