"""The two blocks the translation workflow adds to the format, checked by the validator."""

from __future__ import annotations

from pathlib import Path

from survey.questionnaire import validate_file

BASE = """survey:
  id: t
  version: "1"
  title: {de: Titel, en: Title}
  organisation: Verein
  languages: [de, en]
  default_language: de
sections:
  - id: s
    title: {de: Teil, en: Part}
    questions:
      - id: age
        type: integer
        label: {de: Alter, en: Age}
"""


def messages(tmp_path: Path, extra: str) -> list[str]:
    path = tmp_path / "q.yaml"
    path.write_text(BASE + extra, "utf-8")
    return [f"{d.mark.line}:{d.mark.column}: {d.severity}: {d.message}"
            for d in validate_file(path).diagnostics]


def test_a_damaged_fingerprint_record(tmp_path: Path) -> None:
    assert messages(tmp_path, "translated_from:\n  question.age.label: {en: 12}\n") == [
        "16:23: error: 'question.age.label' in 'translated_from' of questionnaire must be a "
        "mapping of language to an 8-character fingerprint such as {en: 3f2a91c0}; remove the "
        "line if in doubt (survey translations import writes it)"]


def test_a_record_of_a_deleted_text_is_a_warning(tmp_path: Path) -> None:
    assert messages(tmp_path, "translated_from:\n  question.gone.label: {en: 3f2a91c0}\n") == [
        "16:3: warning: 'question.gone.label' in translated_from is not a text of this "
        "questionnaire (any more); remove the line"]


def test_an_interface_text_in_an_undeclared_language(tmp_path: Path) -> None:
    assert messages(tmp_path, "interface:\n  next:\n    fr: Suivant\n") == [
        "17:5: error: interface text 'next' has a text in 'fr', which is not a declared "
        "language"]


def test_an_interface_text_need_not_cover_every_language(tmp_path: Path) -> None:
    assert messages(tmp_path, "interface:\n  tick_all:\n    en: Tick all you like.\n") == []
