"""Real KoboToolbox/ODK/Ona exports read against the questionnaire converted from their own form.

Every pair of ../shared/fixtures/realworld/kobo-exports/pairs.json: the XLSForm is converted with
`survey convert --to yaml`, each export of it is imported as a dry run, and the outcome must be
what reading the files says: a row is quarantined only for a fault the row really has.

The faults, read in the files (onadata_pizza_tutorial; the form asks pizza_type and
favorite_toppings only when pizza_fan is "yes"):
- good.csv lines 4, 6, 8, 10 answer "no" to pizza_fan and still give a pizza type and toppings;
- bad_data.csv line 3 has age 21.53 and the date "2014-0903" (and pizza_fan "no" with a type),
  line 4 age 22.32, line 5 pizza_fan "no" with a type, lines 6 and 8 the dates "2014-0900" and
  "2014-0902", lines 7 and 9 a broken date and pizza_fan "no" with a type;
- large_csv_upload.csv: 795 of its 800 rows answer "no" to pizza_fan and still give a type.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from survey.ingest.columns import RepeatTable
from survey.ingest.importer import ImportResult, IngestError, ingest_file
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validate import load_questionnaire
from survey.store.store import Store
from tests.support import ROOT, run

REALWORLD = ROOT.parent / "shared" / "fixtures" / "realworld"
PAIRS_FILE = REALWORLD / "kobo-exports" / "pairs.json"
PAIRS = json.loads(PAIRS_FILE.read_text(encoding="utf-8")) if PAIRS_FILE.exists() else []

REFUSED = "refused"
EXPECTED: dict[str, tuple[int, int, int] | str] = {
    # file: (accepted, quarantined, duplicates), or REFUSED
    "transportation.csv": (4, 0, 0),
    "transportation_all.csv": (4, 0, 0),
    "transportation_labels_only.csv": (1, 0, 0),
    "transportation_no_group_names.csv": (1, 0, 0),
    "transportation_export.xls": (4, 0, 0),
    "tutorial.csv": (1, 0, 0),
    "tutorial_w_repeats.csv": (1, 0, 0),
    # One row per child: the second row repeats the submission (same instance id and answers).
    "tutorial_w_repeats_flattened.csv": (1, 0, 1),
    "childrens_survey.csv": (2, 0, 0),
    "children.csv": REFUSED,  # the table of the repeat group "children"
    "childrens_survey.sav": (2, 0, 0),
    "nested_repeats.csv": (2, 0, 0),
    "userone_with_dot_name_fields.csv": (1, 0, 0),
    "good.csv": (5, 4, 0),
    "bad_data.csv": (1, 7, 0),
    "large_csv_upload.csv": (5, 795, 0),
    "osm.csv": (1, 0, 0),
    "site_inspection.jsonl": (2, 0, 0),
}
"""Files of formpack's fixtures not listed here have every row accepted."""

FAULTS = {
    "good.csv": {4: {"skip_logic"}, 6: {"skip_logic"}, 8: {"skip_logic"}, 10: {"skip_logic"}},
    "bad_data.csv": {3: {"type", "required"}, 4: {"type", "required"}, 5: {"skip_logic"},
                     6: {"type"}, 7: {"type", "skip_logic"}, 8: {"type"},
                     9: {"type", "skip_logic"}},
}
"""Rules broken per quarantined row (file line), as read in the files (see above)."""

NOT_CONVERTIBLE = {
    "formpack_nested_grouped_repeatable": "every question of the form is inside a repeat group, "
                                          "which the questionnaire format cannot hold yet",
}


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Questionnaire | str]:
    """Each pair's form converted once: the questionnaire, or why it did not convert."""
    folder = tmp_path_factory.mktemp("converted")
    out: dict[str, Questionnaire | str] = {}
    for pair in PAIRS:
        target = folder / f"{pair['pair']}.yaml"
        result = run("convert", REALWORLD / pair["form"], "--to", "yaml", "--out", target)
        if result.exit_code != 0 or not target.exists():
            out[pair["pair"]] = (result.output.strip().splitlines() or ["no output"])[-1]
        else:
            out[pair["pair"]] = load_questionnaire(target)
    return out


def _answers_by_row(store: Store) -> dict[int, dict]:
    with store.engine.connect() as connection:
        return {row: json.loads(answers) for row, answers in connection.exec_driver_sql(
            "SELECT source_row, answers FROM responses WHERE status = 'accepted'")}


def _dry_run(tmp_path: Path, questionnaire: Questionnaire, path: Path) -> ImportResult:
    store = Store.open(f"sqlite:///{tmp_path / 'scratch.sqlite'}")
    try:
        return ingest_file(store, questionnaire, path, dry_run=True)
    finally:
        store.close()


@pytest.mark.skipif(not PAIRS, reason="../shared/fixtures/realworld is not beside the repository")
@pytest.mark.parametrize("pair", PAIRS, ids=[p["pair"] for p in PAIRS])
def test_every_export_of_a_pair_imports_as_its_rows_deserve(pair, converted, tmp_path):
    questionnaire = converted[pair["pair"]]
    if isinstance(questionnaire, str):
        assert pair["pair"] in NOT_CONVERTIBLE, f"{pair['form']} does not convert: {questionnaire}"
        # the right refusal: the form holds nothing the format can ask, and says so
        assert "has no question the toolkit can take over" in questionnaire, questionnaire
        return
    for data in pair["data"]:
        path = REALWORLD / data
        expected = EXPECTED.get(path.name)
        if expected == REFUSED:
            with pytest.raises(RepeatTable, match="repeat group 'children'"):
                _dry_run(tmp_path, questionnaire, path)
            continue
        result = _dry_run(tmp_path, questionnaire, path)
        got = (result.accepted, result.quarantined, result.duplicates)
        if expected is None:
            expected = (result.rows_in, 0, 0)
        assert got == expected, (path.name, [(line.row, line.message) for line in result.lines
                                             if line.severity == "error"][:10])
        broken: dict[int, set[str]] = {}
        for line in result.lines:
            if line.outcome == "quarantined" and line.severity == "error":
                broken.setdefault(line.row, set()).add(line.rule)
        if path.name in FAULTS:
            assert broken == FAULTS[path.name], path.name
        elif path.name == "large_csv_upload.csv":
            assert set().union(*broken.values()) == {"skip_logic"}


@pytest.mark.skipif(not PAIRS, reason="../shared/fixtures/realworld is not beside the repository")
def test_the_three_exports_of_a_submission_give_the_same_answers(converted, tmp_path):
    """JSON, the XML-names CSV and the labels workbook of one Kobo project hold one set of
    submissions: read through the form's names, labels and 0/1 columns, they agree."""
    for pair in PAIRS:
        questionnaire = converted[pair["pair"]]
        if isinstance(questionnaire, str) or len(pair["data"]) != 3 or not pair[
                "pair"].startswith("formpack_"):
            continue
        answers = []
        for data in pair["data"]:
            store = Store.open(f"sqlite:///{tmp_path / (Path(data).name + '.sqlite')}")
            try:
                ingest_file(store, questionnaire, REALWORLD / data, user="test")
                answers.append(sorted(json.dumps(a, sort_keys=True)
                                      for a in _answers_by_row(store).values()))
            finally:
                store.close()
        assert answers[0] == answers[1] == answers[2], pair["pair"]


@pytest.mark.skipif(not PAIRS, reason="../shared/fixtures/realworld is not beside the repository")
def test_other_texts_placeholders_and_renamed_questions(converted, tmp_path):
    """`fav_emperor_other` is the "please specify" text; `n/a` is a question not asked; `Q1.1`
    is found although the questionnaire calls it q1_1."""
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        or_other = converted["formpack_or_other"]
        ingest_file(store, or_other, REALWORLD / "kobo-exports/formpack_or_other/or_other_xml.csv")
        first = _answers_by_row(store)[2]
        assert first["fav_emperor"] == "other"
        assert first["fav_emperor__other_text"] == "Nero"
        assert first["fav_emperors"] == ["caligula", "other"]
        assert first["fav_emperors__other_text"] == "Commodus"
        tutorial = converted["kobocat_tutorial"]
        result = ingest_file(store, tutorial,
                             REALWORLD / "kobo-exports/kobocat_tutorial/tutorial.csv")
        assert (result.accepted, result.lines) == (1, [])
        userone = converted["kobocat_userone_dot_names"]
        ingest_file(store, userone, REALWORLD / "kobo-exports/kobocat_userone_dot_names/"
                    "userone_with_dot_name_fields.csv")
        with store.engine.connect() as connection:
            (answers,) = connection.exec_driver_sql(
                "SELECT answers FROM responses WHERE questionnaire_id = ?", (userone.id,)).one()
        assert json.loads(answers)["q1_1"] == "Office"
    finally:
        store.close()


@pytest.mark.skipif(not PAIRS, reason="../shared/fixtures/realworld is not beside the repository")
def test_an_export_of_another_form_is_refused_with_what_to_do(converted, tmp_path):
    other = REALWORLD / "kobo-exports/formpack_grouped_translated/grouped_translated_xml.csv"
    with pytest.raises(IngestError) as refused:
        _dry_run(tmp_path, converted["formpack_or_other"], other)
    message = str(refused.value)
    assert message.startswith("grouped_translated_xml.csv: none of its 9 columns matches")
    assert "Is it a file of another survey?" in message and "--questionnaire" in message
