"""The watcher: the last good questionnaire survives a broken, missing or foreign file, every
message has its line, and the preview recovers when the file is right again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from preview_helpers import EXAMPLE, OVERALL_DE, broken, error_line, save, xlsform

from survey.preview import Status, Watcher


@pytest.fixture
def watched(tmp_path: Path) -> Path:
    folder = tmp_path / "author"
    folder.mkdir()
    return Path(shutil.copy(EXAMPLE, folder / "feedback.yaml"))


def watcher(path: Path, tmp_path: Path) -> Watcher:
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    return Watcher(path, scratch)


def overall_label(snapshot) -> str:
    return snapshot.good.questionnaire.question("overall").label.get("de")


def test_a_good_file_is_the_good_version(watched: Path, tmp_path: Path) -> None:
    snapshot = watcher(watched, tmp_path).check()
    assert snapshot.status == Status.OK
    assert snapshot.good is not None and snapshot.good.number == 1
    assert snapshot.good.questionnaire.id == "event_feedback"
    assert snapshot.errors == []
    assert snapshot.headline.startswith("feedback.yaml: no errors")


def test_an_unchanged_file_is_not_checked_again(watched: Path, tmp_path: Path) -> None:
    watching = watcher(watched, tmp_path)
    first = watching.check()
    assert watching.check() is first


def test_a_broken_file_keeps_the_last_good_version_and_says_where(watched: Path,
                                                                 tmp_path: Path) -> None:
    watching = watcher(watched, tmp_path)
    good = watching.check().good
    text = watched.read_text("utf-8")
    save(watched, broken(text))
    snapshot = watching.check()
    assert snapshot.status == Status.ERRORS
    assert snapshot.good is good  # the form and paper stay as they were
    assert overall_label(snapshot) == OVERALL_DE
    (message,) = snapshot.errors
    assert message.line == error_line(text) and message.column is not None
    assert "ratingx" in message.text and "did you mean 'rating'" in message.text
    assert message.snippet is not None and "ratingx" in message.snippet
    assert snapshot.headline.startswith("1 error in feedback.yaml")
    assert "last version without errors" in snapshot.headline

    save(watched, text.replace(OVERALL_DE, "Wie fanden Sie den Abend?"))
    fixed = watching.check()
    assert fixed.status == Status.OK and fixed.errors == []
    assert fixed.good is not None and fixed.good.number == 2
    assert overall_label(fixed) == "Wie fanden Sie den Abend?"


def test_a_yaml_syntax_error_is_a_questionnaire_with_a_mistake(watched: Path,
                                                               tmp_path: Path) -> None:
    watching = watcher(watched, tmp_path)
    watching.check()
    text = watched.read_text("utf-8")
    save(watched, text.replace("sections:\n", "sections: [\n", 1))
    snapshot = watching.check()
    assert snapshot.status == Status.ERRORS
    assert snapshot.errors[0].line is not None and "YAML syntax" in snapshot.errors[0].text
    assert snapshot.good is not None


def test_a_broken_file_without_a_good_version_says_so(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text("survey:\n  id: x\nsections: []\n", encoding="utf-8")
    snapshot = watcher(path, tmp_path).check()
    assert snapshot.status == Status.ERRORS and snapshot.good is None
    assert "no version without errors" in snapshot.headline
    assert all(m.line for m in snapshot.errors)


def test_a_missing_file_keeps_the_last_good_version_and_recovers(watched: Path,
                                                                 tmp_path: Path) -> None:
    watching = watcher(watched, tmp_path)
    good = watching.check().good
    text = watched.read_text("utf-8")
    watched.unlink()  # an editor saving by rename: the file is gone for a moment
    missing = watching.check()
    assert missing.status == Status.MISSING and missing.fingerprint is None
    assert missing.good is good
    assert "feedback.yaml is not there" in missing.headline
    assert "refreshes as soon as it is back" in missing.headline
    save(watched, text.replace(OVERALL_DE, "Zurück?"))
    back = watching.check()
    assert back.status == Status.OK and overall_label(back) == "Zurück?"


@pytest.mark.parametrize("content", [
    b"name,age\nAnna,34\nBoris,51\n",  # a CSV saved as .yaml
    b"- one\n- two\n",  # a YAML list
    b"title: shopping\nitems: [milk, bread]\n",  # YAML, but about something else
    b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n1 0 obj\n",  # a binary file
], ids=["csv", "list", "other-yaml", "binary"])
def test_a_file_that_is_not_a_questionnaire_says_so(watched: Path, tmp_path: Path,
                                                   content: bytes) -> None:
    watching = watcher(watched, tmp_path)
    good = watching.check().good
    watched.write_bytes(content)
    snapshot = watching.check()
    assert snapshot.status == Status.NOT_QUESTIONNAIRE
    assert snapshot.headline.startswith("feedback.yaml is not a questionnaire:")
    assert "survey: and sections:" in snapshot.headline
    assert snapshot.good is good
    watched.write_bytes(EXAMPLE.read_bytes())
    assert watching.check().status == Status.OK


def test_a_folder_in_place_of_the_file_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "q.yaml"
    folder.mkdir()
    snapshot = watcher(folder, tmp_path).check()
    assert snapshot.status == Status.MISSING and "is a folder" in snapshot.headline


def test_an_xlsform_is_converted_in_scratch_never_beside_it(tmp_path: Path) -> None:
    folder = tmp_path / "author"
    folder.mkdir()
    path = xlsform(folder / "work.xlsx")
    watching = watcher(path, tmp_path)
    snapshot = watching.check()
    assert snapshot.status == Status.OK, snapshot.messages
    questionnaire = snapshot.good.questionnaire
    assert questionnaire.id == "work_age"
    assert questionnaire.question("age").label.get(questionnaire.default_language) == \
        "How old are you?"
    assert Path(questionnaire.file).is_relative_to(tmp_path / "scratch")
    assert sorted(p.name for p in folder.iterdir()) == ["work.xlsx"]

    xlsform(path, label="Your age?")
    assert watching.check().good.questionnaire.question("age").label.get("en") == "Your age?"
    path.write_text("not a workbook", encoding="utf-8")
    broken = watching.check()
    assert broken.status == Status.NOT_QUESTIONNAIRE
    assert "not a usable XLSForm" in broken.headline
    assert broken.good is not None and broken.good.number == 2
    assert sorted(p.name for p in folder.iterdir()) == ["work.xlsx"]
