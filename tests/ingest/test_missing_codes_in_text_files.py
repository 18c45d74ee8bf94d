"""A declared missing code typed into a CSV (-2 for "no answer") is that missing value, as
docs/howto-import-returns.md promises, not a number out of range: the row is kept."""

from pathlib import Path

from support import run

from survey.project import Project


def test_a_missing_code_in_a_number_column_is_the_missing_value(tmp_path: Path) -> None:
    root = tmp_path / "project"
    assert run("init", root).exit_code == 0
    returns = root / "returns.csv"
    returns.write_text("serial,consent,area,arrival_year\n"
                       "1,yes,north,-2\n"  # the question's declared missing code: no answer
                       "2,yes,north,-1\n"  # a code the question does not declare: a number
                       "3,yes,north,2016\n", encoding="utf-8")
    made = run("ingest", root, returns)
    assert made.exit_code == 3, made.output  # one row quarantined: -1 is below 1950
    assert "-1 is below" in made.output and "-2" not in made.output
    store = Project(root).store()
    try:
        years = sorted(str(a.get("arrival_year")) for _, a in store.accepted_answers("our_survey"))
    finally:
        store.close()
    assert years == ["2016", "{'missing': 'no_answer'}"]
