"""`survey audio` with the real engine: files that play, a cache that speaks only what
changed, a manifest that stays inside the project, and recordings that win."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from speech_project import QUESTIONNAIRE, TEXTS_PER_LANGUAGE, opus_seconds, speech_project
from support import run

from survey.audio import make_speech, spoken_file, spoken_media_file
from survey.questionnaire.validate import validate_file

LANGUAGES = ("de", "en", "ar")


def load(path: Path):
    result = validate_file(path)
    assert result.questionnaire is not None, result.diagnostics
    return result.questionnaire


def manifest(path: Path) -> dict:
    return json.loads((path.parent / "media/speech/neighbours/manifest.json").read_text("utf-8"))


@pytest.fixture
def spoken(tmp_path: Path) -> Path:
    path = speech_project(tmp_path)
    summary = make_speech(load(path))
    assert {lang: f.spoken for lang, f in summary.languages.items()} == dict.fromkeys(
        LANGUAGES, TEXTS_PER_LANGUAGE)
    return path


def test_every_text_gets_a_file_that_plays(spoken):
    entries = manifest(spoken)["texts"]
    assert len(entries) == 3 * TEXTS_PER_LANGUAGE
    for entry in entries:
        file = spoken.parent / entry["file"]
        assert file.read_bytes()[:4] == b"OggS"
        assert opus_seconds(file) == pytest.approx(entry["seconds"], abs=0.15)
        assert 0.3 < entry["seconds"] < 10
        assert file.stat().st_size < 4000 * entry["seconds"] + 1000  # 16 kbit/s and headers
    arabic = {e["text"]: e for e in entries if e["language"] == "ar"}
    assert arabic["كيف تسكن؟"]["voice"] == "ar"
    english = {e["text"] for e in entries if e["language"] == "en"}
    assert english >= {"How do you live?", "One answer.", "Flat", "Shelter", "I agree.",
                       "Taking part is voluntary and anonymous."}


def test_manifest_paths_stay_inside_the_project(spoken):
    folder = spoken.parent.resolve()
    for entry in manifest(spoken)["texts"]:
        assert not Path(entry["file"]).is_absolute() and ".." not in entry["file"]
        assert (folder / entry["file"]).resolve().is_relative_to(folder / "media/speech")
    questionnaire = load(spoken)
    assert spoken_media_file(questionnaire, "neighbours.yaml") is None
    assert spoken_media_file(questionnaire, "../neighbours.yaml") is None
    file = spoken_file(questionnaire, "ar", "شقة")
    assert spoken_media_file(questionnaire, file) == (folder / file)


def test_a_rerun_reuses_every_file(spoken):
    before = {p: p.stat().st_mtime_ns for p in spoken.parent.rglob("*.opus")}
    summary = make_speech(load(spoken))
    assert {f.reused for f in summary.languages.values()} == {TEXTS_PER_LANGUAGE}
    assert sum(f.spoken + f.removed for f in summary.languages.values()) == 0
    assert before == {p: p.stat().st_mtime_ns for p in spoken.parent.rglob("*.opus")}


def test_a_changed_text_is_the_only_one_spoken_and_its_old_file_goes(spoken):
    old = spoken_file(load(spoken), "en", "Flat")
    spoken.write_text(QUESTIONNAIRE.replace("en: Flat,", "en: Apartment,"), "utf-8")
    summary = make_speech(load(spoken))
    figures = summary.languages["en"]
    assert (figures.spoken, figures.reused, figures.removed) == (1, TEXTS_PER_LANGUAGE - 1, 1)
    assert summary.languages["de"].spoken == summary.languages["ar"].spoken == 0
    assert not (spoken.parent / old).exists()
    assert (spoken.parent / spoken_file(load(spoken), "en", "Apartment")).is_file()


def test_one_language_leaves_the_others_alone(spoken):
    summary = make_speech(load(spoken), ("ar",), force=True)
    assert list(summary.languages) == ["ar"]
    assert summary.languages["ar"].spoken == TEXTS_PER_LANGUAGE
    assert len(manifest(spoken)["texts"]) == 3 * TEXTS_PER_LANGUAGE


def test_a_recording_wins(tmp_path):
    path = speech_project(tmp_path, QUESTIONNAIRE.replace(
        "        hint:", "        audio: {de: media/home-de.ogg}\n        hint:"))
    (path.parent / "media").mkdir()
    (path.parent / "media/home-de.ogg").write_bytes(b"OggS" + bytes(60))
    summary = make_speech(load(path))
    assert summary.languages["de"].spoken == TEXTS_PER_LANGUAGE - 1
    assert summary.languages["en"].spoken == TEXTS_PER_LANGUAGE


def test_dry_run_writes_nothing_and_estimates(tmp_path):
    path = speech_project(tmp_path)
    result = run("audio", tmp_path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would speak ar neighbours" not in result.output
    assert "would speak ar home: question: كيف تسكن؟" in result.output
    assert f"would speak {3 * TEXTS_PER_LANGUAGE} texts: about" in result.output
    assert not (path.parent / "media").exists()


def test_the_command_prints_a_summary_per_language(tmp_path):
    speech_project(tmp_path)
    assert run("audio", tmp_path).exit_code == 0
    result = run("audio", tmp_path)
    assert result.exit_code == 0
    assert "spoke 0 texts" in result.output
    rows = {cells[0]: cells[1:] for line in result.output.splitlines() if "│" in line
            for cells in [[c.strip() for c in line.split("│")[1:-1]]]}
    assert rows == {"de": ["de", "0", "6", "0", "0"], "en": ["en-gb", "0", "6", "0", "0"],
                    "ar": ["ar", "0", "6", "0", "0"]}
