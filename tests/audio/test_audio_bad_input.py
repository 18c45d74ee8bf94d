"""What `survey audio` says when the machine, the project or a text is not as it should be."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from speech_project import QUESTIONNAIRE, opus_seconds, speech_project
from support import run

from survey.audio import AudioError, make_speech
from survey.audio.engine import speak
from survey.questionnaire.validate import validate_file


def run_without(path: str, project: Path) -> subprocess.CompletedProcess[str]:
    """`survey audio PROJECT` in a fresh Python whose PATH is `path` only."""
    return subprocess.run([sys.executable, "-c", "from survey.cli import main; main()", "audio",
                           str(project)], capture_output=True, text=True, check=False,
                          env={**os.environ, "PATH": path, "COLUMNS": "200"})


def test_no_speech_engine_names_both_debian_packages(tmp_path):
    speech_project(tmp_path)
    done = run_without(str(tmp_path / "nothing-here"), tmp_path)
    assert done.returncode == 1
    assert "espeak-ng, opusenc not found" in done.stderr
    assert "apt-get install espeak-ng opus-tools" in done.stderr
    assert "Traceback" not in done.stderr


def test_no_encoder_names_opus_tools(tmp_path):
    speech_project(tmp_path)
    only = tmp_path / "bin"
    only.mkdir()
    (only / "espeak-ng").symlink_to("/usr/bin/espeak-ng")
    done = run_without(str(only), tmp_path)
    assert done.returncode == 1
    assert "opusenc not found: install the Debian package opus-tools" in done.stderr


def test_a_project_without_a_questionnaire(tmp_path):
    (tmp_path / "questionnaires").mkdir()
    result = run("audio", tmp_path)
    assert result.exit_code == 1
    assert "no valid questionnaire" in result.output


def test_a_folder_that_is_no_project(tmp_path):
    result = run("audio", tmp_path)
    assert result.exit_code == 1
    assert "has no questionnaires/ folder; is it a survey project?" in result.output


def test_an_unwritable_media_folder(tmp_path):
    path = speech_project(tmp_path)
    (path.parent / "media").write_text("a file where the folder should be")
    result = run("audio", tmp_path)
    assert result.exit_code == 1
    assert "cannot write the speech files into" in result.output
    assert "media/speech/neighbours" in result.output


def test_an_unknown_language_option(tmp_path):
    speech_project(tmp_path)
    result = run("audio", tmp_path, "--language", "fr")
    assert result.exit_code == 1
    assert "--language fr is not a language of questionnaire 'neighbours'; it has de, en, ar" \
        in result.output


def test_a_language_espeak_cannot_speak_is_listed_not_an_error(tmp_path):
    tigrinya = re.sub(r"(ar: [^}\n]*)}", r"\1, ti: ሰላም}", QUESTIONNAIRE).replace(
        "languages: [de, en, ar]", "languages: [de, en, ar, ti]").replace(
        "ar: المشاركة طوعية ومجهولة الهوية.", "ar: المشاركة طوعية ومجهولة الهوية.\n    ti: ሰላም")
    speech_project(tmp_path, tigrinya)
    result = run("audio", tmp_path, "--language", "ti", "--language", "ar")
    assert result.exit_code == 0, result.output
    assert "espeak-ng has no voice for 'ti': 1 text is not spoken in it" in result.output
    assert not (tmp_path / "questionnaires/media/speech/neighbours/ti").exists()
    assert len(list((tmp_path / "questionnaires/media/speech/neighbours/ar").iterdir())) == 6


@pytest.mark.parametrize("hostile", ["-h", "--stdout -w /tmp/spoken.wav", "-v xx",
                                     "Ja\x1b[2J\x00\x07 bitte\u202e", "-- -q Hallo"])
def test_hostile_text_is_spoken_never_read_as_an_option(hostile, tmp_path):
    speech = speak(hostile, "de")
    assert speech.opus.startswith(b"OggS")
    path = tmp_path / "said.opus"
    path.write_bytes(speech.opus)
    assert opus_seconds(path) > 0.1
    assert not Path("/tmp/spoken.wav").exists()


def test_a_hostile_choice_label_in_a_questionnaire(tmp_path):
    path = speech_project(tmp_path, QUESTIONNAIRE.replace("en: Flat,", "en: \"--help\","))
    summary = make_speech(validate_file(path).questionnaire, ("en",))
    assert summary.languages["en"].spoken == 6


def test_a_broken_manifest_says_what_to_do(tmp_path):
    path = speech_project(tmp_path)
    manifest = path.parent / "media/speech/neighbours/manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text('{"texts": [{"language": "de", "text": "x", "file": "../../etc/passwd",'
                        ' "voice": "de", "seconds": 1}]}')
    with pytest.raises(ValueError, match=r"names the file '\.\./\.\./etc/passwd'.*delete the "
                       r"manifest"):
        make_speech(validate_file(path).questionnaire)


def test_audio_error_is_a_value_error():
    assert issubclass(AudioError, ValueError)
