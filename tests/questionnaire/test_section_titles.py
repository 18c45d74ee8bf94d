"""Two sections of one title in a language are a warning at the second title (the starter
questionnaire of `survey init`, not the flagship)."""

from __future__ import annotations

from support import run

from survey.questionnaire.validate import validate_file


def test_two_sections_of_one_title_are_named(tmp_path) -> None:
    assert run("init", tmp_path / "p").exit_code == 0
    path = tmp_path / "p" / "questionnaires" / "our-survey.yaml"
    text = path.read_text(encoding="utf-8")
    assert not validate_file(path).warnings
    assert "title: {de: Über Sie, en: About you}" in text
    path.write_text(text.replace("title: {de: Über Sie, en: About you}",
                                 "title: {de: Einverständnis, en: About you}"), encoding="utf-8")
    found = validate_file(path)
    assert not found.errors
    (warning,) = found.warnings
    assert "sections 1 and 2 are both called 'Einverständnis' in 'de'" in warning.message
    assert "our-survey.yaml:76:" in str(warning)  # at the second title
