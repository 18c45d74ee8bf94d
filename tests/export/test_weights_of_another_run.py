"""results/ holds the last analysis run, which may be of another questionnaire of the project:
an export takes its weights only when the run was of the questionnaire exported."""

import json
from pathlib import Path

from starter_project import starter_project
from support import run

from survey.export.run import export_project


def test_weights_of_another_questionnaires_run_are_left_out(tmp_path: Path) -> None:
    root = starter_project(tmp_path / "project")
    assert run("analyse", root).exit_code == 0
    run_file = root / "results" / "run.json"
    record = json.loads(run_file.read_text(encoding="utf-8"))
    assert record["questionnaire"] == "our_survey"
    run_file.write_text(json.dumps({**record, "questionnaire": "another_survey"}),
                        encoding="utf-8")
    other = export_project(root, "csv", out_dir=tmp_path / "a")
    assert other.weights is None
    assert "weight" not in [c.name for c in other.table.columns]

    run_file.write_text(json.dumps(record), encoding="utf-8")
    own = export_project(root, "csv", out_dir=tmp_path / "b")
    assert own.weights == root / "results" / "weights.csv"
