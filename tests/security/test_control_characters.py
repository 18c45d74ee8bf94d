"""Control and bidi-override characters never reach the questionnaire from a translation
file, nor the staff member's terminal from anything the command prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "translations"))

from translation_files import EDITORS, copy_flagship, export, run

from survey.control_characters import CONTROLS
from survey.questionnaire.yaml_source import load_yaml

SURVEY_COMMAND = Path(sys.executable).with_name("survey")
HOSTILE = {  # what each format can carry at all (XML 1.0 and XLSX forbid most C0 controls)
    "po": "Wohnung\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2K\x00 \u202egnudliB\u202c\x9b31m",
    "xliff": "Wohnung \u202egnudliB\u202c\u2066x\u2069\x9b31m\x85",
    "xlsx": "Wohnung \u202egnudliB\u202c\u2067x\u2069\x9b2J\x90",
}


@pytest.mark.parametrize("file_format", ["po", "xliff", "xlsx"])
def test_imported_translations_lose_their_control_characters(tmp_path, file_format):
    questionnaire = copy_flagship(tmp_path)
    exported = export(questionnaire, "ar", file_format)
    EDITORS[file_format](exported, {"question.gender.label": HOSTILE[file_format]})
    result = run("translations", "import", questionnaire, exported)
    assert result.exit_code == 0, result.output
    assert "control or bidi-override character(s) removed" in result.output
    stored = load_yaml(questionnaire).data["sections"][1]["questions"][2]["label"]["ar"]
    for character in "\x1b\x00\x07\x9b\x85\x90\u202e\u202c\u2066\u2067\u2069":
        assert character not in stored
    assert stored.startswith("Wohnung") and "gnudliB" in stored  # the visible text is kept
    assert not CONTROLS.search(questionnaire.read_text("utf-8"))


@pytest.mark.parametrize("arguments", [
    ["translations", "import", "questionnaires/zusammen.yaml",
     "evil\x1b]0;owned\x07\x1b[1A\x1b[2K\u202eop.xlf"],
    ["validate", "no\x1b[2Jsuch\u202e.yaml"],
    ["serve", "/no/project\x1b]52;c;cm0=\x07"],
], ids=["rich message", "diagnostic", "usage error"])
def test_nothing_the_command_prints_carries_control_characters(arguments):
    """The real `survey` command, as a staff member runs it; its messages quote the names."""
    root = Path(__file__).resolve().parents[2]
    finished = subprocess.run([str(SURVEY_COMMAND), *arguments], cwd=root, capture_output=True,
                              timeout=120, env=os.environ | {"COLUMNS": "200"})
    printed = (finished.stdout + finished.stderr).decode("utf-8")
    assert finished.returncode != 0 and printed.strip()
    assert not CONTROLS.search(printed), repr(printed)
    assert "owned" in printed or "such" in printed or "project" in printed  # still named
