"""Language variants (de-x-easy: easy language) and the plain-language privacy summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import run

from survey.audio.texts import spoken_texts
from survey.questionnaire import validate_file
from survey.questionnaire.languages import describe_language, language_name, ordered_languages
from survey.questionnaire.validate import PRIVACY_SUMMARY_WORDS

QUESTIONNAIRE = """\
survey:
  id: easy
  version: "1"
  title: {de: Nachbarschaft, en: Neighbourhood, de-x-easy: Ihre Nachbarschaft}
  organisation: Nachbarschaftshilfe e. V.
  privacy:
    de: Die Verarbeitung erfolgt gemäß Art. 6 Abs. 1 lit. a DSGVO.
    en: Processing is based on Art. 6(1)(a) GDPR.
  privacy_summary:
    de: Die Teilnahme ist freiwillig. Wir fragen nicht nach Ihrem Namen.
    en: Taking part is voluntary. We do not ask for your name.
    de-x-easy: Sie müssen nicht mitmachen. Wir fragen nicht nach Ihrem Namen.
  languages: LANGUAGES
  default_language: de
sections:
  - id: start
    title: {de: Start, en: Start}
    questions:
      - id: consent
        type: consent
        required: true
        label: {de: Ich bin einverstanden., en: I agree., de-x-easy: Ich mache mit.}
      - id: home
        type: single_choice
        label: {de: Wie wohnen Sie?, en: How do you live?}
        choices:
          - {name: flat, code: 1, label: {de: Wohnung, en: Flat, de-x-easy: In einer Wohnung}}
          - {name: shelter, code: 2, label: {de: Unterkunft, en: Shelter}}
"""


def write(tmp_path: Path, languages: str = "[de, en, de-x-easy]", text: str = QUESTIONNAIRE
          ) -> Path:
    path = tmp_path / "easy.yaml"
    path.write_text(text.replace("LANGUAGES", languages), encoding="utf-8")
    return path


def errors_of(path: Path) -> list[str]:
    return [str(d) for d in validate_file(path).errors]


# -- bad input ----------------------------------------------------------------------------------

def test_a_variant_of_an_undeclared_language_names_the_base_and_what_to_do(tmp_path):
    path = write(tmp_path, "[en, de-x-easy]").read_text().replace("default_language: de",
                                                                   "default_language: en")
    path = write(tmp_path, text=path)
    assert any(f"{path}:13:" in e and "'de-x-easy' is a variant of 'de', which is not "
               "declared; add 'de' to languages" in e for e in errors_of(path))


@pytest.mark.parametrize(("tag", "says"), [
    ("de-x-", "not a well-formed language variant"),
    ("de-x-Easy", "not a well-formed language variant"),
    ("de-x-muchtoolong", "one to eight lower-case letters or digits"),
    ("xx-x-easy", "'xx-x-easy' is a variant of 'xx', but 'xx' is not a language code"),
    ("de-simple", "write a variant of 'de' as a private-use tag, such as de-x-easy"),
])
def test_a_malformed_tag_is_refused_at_its_place(tmp_path, tag, says):
    path = write(tmp_path, f"[de, en, {tag}]")
    errors = errors_of(path)
    assert any(says in e and f"{path}:13:" in e for e in errors), errors


def test_a_variant_declared_twice_is_an_error(tmp_path):
    errors = errors_of(write(tmp_path, "[de, en, de-x-easy, de-x-easy]"))
    assert any("language 'de-x-easy' is declared twice" in e for e in errors), errors


def test_a_variant_cannot_be_the_default_language(tmp_path):
    text = QUESTIONNAIRE.replace("default_language: de", "default_language: de-x-easy")
    errors = errors_of(write(tmp_path, text=text))
    assert any("default language 'de-x-easy' is a variant" in e for e in errors), errors


def test_a_privacy_summary_in_an_undeclared_language_is_an_error(tmp_path):
    text = QUESTIONNAIRE.replace("    de-x-easy: Sie müssen", "    fr: Vous pouvez. Sie müssen")
    errors = errors_of(write(tmp_path, text=text))
    assert any("'privacy_summary' of survey 'easy' has a text in 'fr', which is not a declared "
               "language" in e for e in errors), errors


def test_a_long_privacy_summary_is_a_warning(tmp_path):
    long = " ".join(["Wort"] * (PRIVACY_SUMMARY_WORDS + 1))
    text = QUESTIONNAIRE.replace("Die Teilnahme ist freiwillig. Wir fragen nicht nach Ihrem Namen.",
                                 long)
    result = validate_file(write(tmp_path, text=text))
    assert not result.errors
    assert any(f"privacy summary in 'de' has {PRIVACY_SUMMARY_WORDS + 1} words" in str(w)
               for w in result.warnings)


# -- what works ---------------------------------------------------------------------------------

def test_a_partly_written_variant_is_a_warning_with_its_coverage(tmp_path):
    path = write(tmp_path)
    result = validate_file(path)
    assert not result.errors
    assert result.coverage is not None
    assert result.coverage.translated["de-x-easy"] == 5
    assert [str(w) for w in result.warnings] == [
        f"{path}:13:23: warning: 'de-x-easy' has its own text for 5 of "
        f"{result.coverage.total} texts ({result.coverage.percent('de-x-easy'):.0f} %); the "
        f"other {result.coverage.total - 5} show the 'de' text (survey translations export "
        "lists them)"]


def test_the_validate_and_translations_tables_name_the_variant(tmp_path):
    path = write(tmp_path)
    shown = run("validate", path)
    assert shown.exit_code == 0, shown.output
    assert "de-x-easy (variant of de)" in shown.output
    status = run("translations", "status", path)
    assert status.exit_code == 0, status.output
    assert "de-x-easy (variant of de)" in status.output
    assert describe_language("de") == "de"


def test_a_missing_variant_text_falls_back_to_the_base_not_to_english(tmp_path):
    questionnaire = validate_file(write(tmp_path)).questionnaire
    assert questionnaire is not None
    home = questionnaire.question("home")
    assert home.label.get("de-x-easy", "en") == "Wie wohnen Sie?"
    assert [c.label.get("de-x-easy") for c in home.choices.choices] == [
        "In einer Wohnung", "Unterkunft"]
    assert questionnaire.survey.title.get("de-x-easy") == "Ihre Nachbarschaft"
    assert questionnaire.survey.privacy.get("de-x-easy") == questionnaire.survey.privacy.get("de")


def test_variants_follow_their_base_language_and_are_named_with_it(tmp_path):
    questionnaire = validate_file(write(tmp_path, "[en, de, ar, de-x-easy]"),
                                  allow_incomplete=True).questionnaire
    assert questionnaire is not None
    assert questionnaire.languages == ("en", "de", "de-x-easy", "ar")
    assert ordered_languages(["de", "en-x-easy", "en", "de-x-easy"]) == (
        "de", "de-x-easy", "en", "en-x-easy")
    assert language_name("de-x-easy", "de-x-easy") == "Deutsch – Leichte Sprache"
    assert language_name("de-x-easy", "en") == "German – Easy Read"
    assert language_name("de-x-kids", "de") == "Deutsch (kids)"
    assert language_name("de", "de-x-easy") == "Deutsch"


def test_audio_speaks_the_privacy_summary_instead_of_the_full_notice(tmp_path):
    questionnaire = validate_file(write(tmp_path)).questionnaire
    assert questionnaire is not None
    spoken, _ = spoken_texts(questionnaire, ("de", "de-x-easy"))
    privacy = [(s.language, s.text) for s in spoken if s.where.startswith("privacy")]
    assert privacy == [
        ("de", "Die Teilnahme ist freiwillig. Wir fragen nicht nach Ihrem Namen."),
        ("de-x-easy", "Sie müssen nicht mitmachen. Wir fragen nicht nach Ihrem Namen.")]
    assert all("DSGVO" not in s.text for s in spoken)


def test_audio_speaks_the_full_notice_without_a_summary(tmp_path):
    text = QUESTIONNAIRE.split("  privacy_summary:")[0] + "  languages:" + \
        QUESTIONNAIRE.split("  languages:")[1]
    questionnaire = validate_file(write(tmp_path, text=text)).questionnaire
    assert questionnaire is not None
    spoken, _ = spoken_texts(questionnaire, ("de",))
    assert [s.where for s in spoken if "DSGVO" in s.text] == ["privacy notice"]


def test_audio_dry_run_lists_the_summary(tmp_path):
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    write(folder)
    shown = run("audio", tmp_path, "--dry-run", "--language", "de-x-easy")
    assert shown.exit_code == 0, shown.output
    assert "de-x-easy" in shown.output
