"""Export → translator edits → import, in every format, on a copy of the flagship questionnaire.

The YAML must differ exactly in the edited texts (plus the record of their source text), with
every comment and the order of keys kept; a later change of a German text makes the other
languages' translations of it stale, and `export --only-stale` hands out exactly those.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest
from translation_files import EDITORS, copy_flagship, export, run

from survey.questionnaire.translations import FINGERPRINTS_KEY, fingerprint
from survey.questionnaire.yaml_source import load_yaml
from survey.translations.exchange import FILE_SUFFIX
from survey.translations.importer import read_exchange
from survey.translations.texts import load_source

EDITS = {
    "question.gender.label": ("ar", "ما هو نوعك الاجتماعي؟"),
    "question.gender.choice.female.label": ("ar", "امرأة"),
    "question.welcome.label": ("ar", "شكرًا جزيلًا لمشاركتك! يُرجى قراءة معلومات حماية البيانات "
                               "قبل البدء. المشاركة طوعية ومجهولة الهوية، ويمكنك تخطي أي سؤال "
                               "لا تريد الإجابة عنه."),
    "survey.intro": ("ar", "عزيزتي المشاركة، عزيزي المشارك،\n\nنص جديد للمقدمة."),
}
PATHS = {
    "question.gender.label": ("sections", 1, "questions", 2, "label"),
    "question.gender.choice.female.label": ("sections", 1, "questions", 2, "choices", 0,
                                            "label"),
    "question.welcome.label": ("sections", 0, "questions", 0, "label"),
    "survey.intro": ("survey", "intro"),
}


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.fixture(scope="module", params=["xlsx", "po", "xliff"])
def imported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp(request.param)
    questionnaire = copy_flagship(folder)
    before = questionnaire.read_text("utf-8")
    exported = export(questionnaire, "ar", request.param)
    EDITORS[request.param](exported, {key: text for key, (_, text) in EDITS.items()})
    result = run("translations", "import", questionnaire, exported)
    return questionnaire, before, result, request.param


def test_import_reports_exactly_the_changed_texts(imported) -> None:
    _, _, result, _ = imported
    assert result.exit_code == 0, result.output
    assert "changed (4)" in result.output
    for identifier in EDITS:
        assert f"{identifier} [ar]" in result.output
    assert "4 texts changed" in result.output


def test_yaml_differs_exactly_in_the_edited_texts(imported) -> None:
    questionnaire, before, _, _ = imported
    old, new = load_yaml_text_data(before), load_yaml(questionnaire).data
    records = new.pop(FINGERPRINTS_KEY)
    for identifier, (language, text) in EDITS.items():
        _at(old, PATHS[identifier])[language] = text
    assert new == old
    assert records == {identifier: {"ar": fingerprint(_at(old, PATHS[identifier])["de"])}
                       for identifier in EDITS}


def test_comments_order_and_untouched_lines_survive(imported) -> None:
    questionnaire, before, _, _ = imported
    after = questionnaire.read_text("utf-8")
    assert _comments(after)[:len(_comments(before))] == _comments(before)
    old_texts = " ".join(str(_at(load_yaml_text_data(before), PATHS[i])["ar"]) for i in EDITS)
    removed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
               if line.startswith("- ")]
    assert removed, "the edited texts must have changed"
    for line in removed:
        content = line[2:].strip()
        assert content.startswith("ar:") or "ar: أنثى" in content or content in old_texts, line


def load_yaml_text_data(text: str) -> Any:
    from survey.questionnaire.yaml_source import load_yaml_text

    return load_yaml_text(text).data


def test_reimporting_the_same_file_changes_nothing(imported) -> None:
    questionnaire, _, _, file_format = imported
    exported = questionnaire.parent / f"ar{FILE_SUFFIX[file_format]}"
    before = questionnaire.read_bytes()
    result = run("translations", "import", questionnaire, exported)
    assert result.exit_code == 0, result.output
    assert "nothing to change" in result.output
    assert questionnaire.read_bytes() == before


def test_a_changed_german_text_makes_the_other_languages_stale(tmp_path: Path) -> None:
    questionnaire = copy_flagship(tmp_path)
    assert run("translations", "confirm", questionnaire).exit_code == 0
    assert run("validate", "--strict", questionnaire).exit_code == 0
    text = questionnaire.read_text("utf-8")
    changed = {"question.gender.label": ("de: Welches Geschlecht haben Sie?",
                                         "de: Welchem Geschlecht ordnen Sie sich zu?"),
               "question.gender.choice.diverse.label": ("de: Divers\n",
                                                        "de: Divers (nicht binär)\n")}
    for old, new in changed.values():
        assert text.count(old) == 1
        text = text.replace(old, new)
    questionnaire.write_text(text, "utf-8")

    result = run("validate", questionnaire, "--no-coverage")
    assert result.exit_code == 0, result.output
    stale = [line for line in result.output.splitlines() if "is stale" in line]
    assert len(stale) == 2 * 7  # six translations and the easy-German variant
    assert any("the 'fa' text of 'label' of question 'gender' is stale" in line
               for line in stale)
    strict = run("validate", "--strict", questionnaire, "--no-coverage")
    assert strict.exit_code == 1
    assert "error: the 'vi' text of 'label' of choice 'diverse' is stale" in strict.output

    for file_format in ("xlsx", "po", "xliff"):
        exported = export(questionnaire, "ru", file_format, "--only-stale")
        entries = read_exchange(exported).entries
        assert sorted(e.id for e in entries) == sorted(changed)

    status = run("translations", "status", questionnaire)
    assert status.exit_code == 0
    ru = next(line for line in status.output.splitlines() if line.startswith("│ ru"))
    total = len(load_source(questionnaire).texts)
    assert [cell.strip() for cell in ru.split("│")[1:-1]][:5] == \
        ["ru", str(total), str(total - 2), "0", "2"]


def test_sending_a_stale_translation_back_unchanged_confirms_it(tmp_path: Path) -> None:
    questionnaire = copy_flagship(tmp_path)
    run("translations", "confirm", questionnaire, "--lang", "uk")
    text = questionnaire.read_text("utf-8")
    questionnaire.write_text(text.replace("de: Welches Geschlecht haben Sie?",
                                          "de: Welches Geschlecht haben Sie?!"), "utf-8")
    exported = export(questionnaire, "uk", "xlsx", "--only-stale")
    current = read_exchange(exported).entries[0].current
    EDITORS["xlsx"](exported, {"question.gender.label": current})
    result = run("translations", "import", questionnaire, exported)
    assert result.exit_code == 0, result.output
    assert "confirmed as current" in result.output
    assert "is stale" not in run("validate", questionnaire).output


def test_an_interface_text_becomes_this_questionnaires_own_wording(tmp_path: Path) -> None:
    from survey.interface_texts import interface_text
    from survey.questionnaire import load_questionnaire

    questionnaire = copy_flagship(tmp_path)
    exported = export(questionnaire, "fa", "po")
    EDITORS["po"](exported, {"interface.tick_at_most": "حداکثر {count} گزینه را انتخاب کنید."})
    result = run("translations", "import", questionnaire, exported)
    assert result.exit_code == 0, result.output
    model = load_questionnaire(questionnaire)
    assert interface_text("tick_at_most", "fa", model.interface, count=3) == \
        "حداکثر 3 گزینه را انتخاب کنید."
    assert interface_text("tick_at_most", "ru", model.interface, count=3) == \
        interface_text("tick_at_most", "ru", count=3)
