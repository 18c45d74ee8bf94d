"""Pictures and recordings in the questionnaire format: a file beside the questionnaire that
is what its name says, or a clear message at the line that names it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook
from support import media_questionnaire, picture, recording, run

from survey.questionnaire import validate_file
from survey.questionnaire.media import declared_media, media_file


def errors_of(path: Path) -> list[str]:
    return [f"{d.mark.line}: {d.message}" for d in validate_file(path).errors]


def with_image(folder: Path, value: str) -> Path:
    """The media questionnaire with the street picture's reference replaced by `value`."""
    path = media_questionnaire(folder)
    path.write_text(path.read_text("utf-8").replace("image: media/street.png",
                                                     f"image: {value}"), "utf-8")
    return path


def test_media_are_read_into_the_model(tmp_path):
    questionnaire = validate_file(media_questionnaire(tmp_path)).questionnaire
    assert questionnaire is not None
    home = questionnaire.question("home_kind")
    assert home.image.get("ar") == "media/street.png"
    assert home.audio.get("ar") == "media/home-ar.wav"
    assert home.audio.get("de") == "media/home-de.wav"
    shelter = home.choices.choices[1]
    assert shelter.image.get("ar") == "media/shelter-ar.jpg"
    assert not home.choices.choices[0].audio
    assert declared_media(questionnaire) == {
        "media/street.png", "media/home-de.wav", "media/home-ar.wav", "media/flat.png",
        "media/shelter-de.jpg", "media/shelter-ar.jpg", "media/sad.png", "media/happy.png"}
    assert media_file(questionnaire, "housing.yaml") is None, "only named files are served"
    assert media_file(questionnaire, "media/flat.png") == tmp_path / "media" / "flat.png"


IMAGE_LINE = 15
"""The line of the question picture in support.MEDIA_QUESTIONNAIRE."""


@pytest.mark.parametrize(("value", "expected"), [
    ("media/missing.png", "file 'media/missing.png' is not there"),
    ("../outside.png", "must be a path inside the questionnaire's folder"),
    ("/etc/passwd.png", "must be a path inside the questionnaire's folder"),
    ("C:/Bilder/haus.png", "must be a path inside the questionnaire's folder"),
    ("media/notes.txt", "is not a file type the form can show as image; use .png, .jpg"),
    ("media/home-de.wav", "is not a file type the form can show as image"),
    ("media/fake.png", "is not a PNG file inside (renamed from another type?)"),
    ("{en: media/flat.png}", "names a file for 'en', which is not a declared language"),
    ("[media/flat.png]", "must be a file name such as media/house.png"),
    ("''", "is empty; name a file such as media/house.png"),
    ("'media\\flat.png'", "must be written with / between folders, as 'media/flat.png'"),
])
def test_a_wrong_media_file_is_an_error_at_its_line(tmp_path, value, expected):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "notes.txt").write_text("hello", "utf-8")
    picture(tmp_path / "media" / "fake.png", (1, 2, 3), kind="JPEG")
    picture(tmp_path / "outside.png", (1, 2, 3))
    found = errors_of(with_image(tmp_path, value))
    assert any(message.startswith(f"{IMAGE_LINE}:") and expected in message
               for message in found), found


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need rights on Windows")
def test_a_link_that_leads_out_of_the_folder_is_refused(tmp_path):
    project = tmp_path / "project"
    path = media_questionnaire(project)
    secret = picture(tmp_path / "private.png", (0, 0, 0))
    (project / "media" / "link.png").symlink_to(secret)
    path.write_text(path.read_text("utf-8").replace("media/street.png", "media/link.png"),
                    "utf-8")
    assert any("leads outside the questionnaire's folder" in e for e in errors_of(path))


def test_a_large_picture_is_a_warning_that_names_its_size(tmp_path):
    path = media_questionnaire(tmp_path)
    noisy = tmp_path / "media" / "street.png"
    noisy.write_bytes(noisy.read_bytes() + os.urandom(1_200_000))  # PNG ignores trailing bytes
    result = validate_file(path)
    assert not result.errors
    assert any("1.2 MB" in w.message and "phone" in w.message for w in result.warnings)


def test_a_file_for_some_languages_only_is_a_warning_naming_who_gets_none(tmp_path):
    path = with_image(tmp_path, "{ar: media/flat.png}")
    result = validate_file(path)
    assert not result.errors
    assert any("has a file for ar only: respondents in de get none; add one for de" in
               w.message for w in result.warnings), result.warnings


def test_validate_command_names_file_and_line(tmp_path):
    path = with_image(tmp_path, "media/gone.png")
    result = run("validate", path)
    assert result.exit_code == 1
    assert "housing.yaml:15" in result.output
    assert "media/gone.png" in result.output


def _xlsform(folder: Path, image: str, audio_column: bool = True) -> Path:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    header = ["type", "name", "label::Deutsch (de)", "label::English (en)",
              "media::image", "media::audio::Deutsch (de)", "media::video"]
    survey.append(header if audio_column else header[:5])
    survey.append(["select_one home", "home", "Wie wohnen Sie?", "How do you live?",
                   image, "home-de.wav", "clip.mp4"][:len(header) if audio_column else 5])
    survey.append(["text", "town", "Ort?", "Town?", "", "", ""][:len(header) if audio_column
                                                                else 5])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Deutsch (de)", "label::English (en)",
                    "media::image"])
    choices.append(["home", "flat", "Wohnung", "Flat", "flat.png"])
    choices.append(["home", "tent", "Zelt", "Tent", "tent.png"])
    path = folder / "form.xlsx"
    book.save(path)
    return path


def test_xlsform_media_found_beside_the_form_are_carried_over_and_copied(tmp_path):
    source = tmp_path / "kobo"
    picture(source / "media" / "street.png", (200, 30, 30))
    picture(source / "flat.png", (30, 160, 30))
    recording(source / "media" / "home-de.wav")
    form = _xlsform(source, "street.png")
    out = tmp_path / "project" / "questionnaires" / "form.yaml"
    out.parent.mkdir(parents=True)
    result = run("convert", form, "--to", "yaml", "--out", out)
    assert result.exit_code == 0, result.output
    questionnaire = validate_file(out).questionnaire
    assert questionnaire is not None
    home = questionnaire.question("home")
    assert home.image.get("en") == "media/street.png"
    assert home.audio.translations == {"de": "media/home-de.wav"}, "a recording keeps its language"
    assert home.choices.choices[0].image.get("de") == "media/flat.png"
    assert not home.choices.choices[1].image
    for name in ("street.png", "flat.png", "home-de.wav"):
        assert (out.parent / "media" / name).read_bytes() == next(
            source.rglob(name)).read_bytes()
    assert "media::image 'tent.png' not carried over: the file is not in" in result.output
    assert "media::video 'clip.mp4' not carried over" in result.output


def test_xlsform_media_that_would_clash_with_a_file_already_there_write_nothing(tmp_path):
    source = tmp_path / "kobo"
    picture(source / "street.png", (200, 30, 30))
    picture(source / "flat.png", (30, 160, 30))
    form = _xlsform(source, "street.png", audio_column=False)
    out = tmp_path / "out" / "form.yaml"
    picture(out.parent / "media" / "street.png", (1, 1, 1))  # someone's own picture
    before = (out.parent / "media" / "street.png").read_bytes()
    result = run("convert", form, "--to", "yaml", "--out", out)
    assert result.exit_code == 1
    assert "already exists and differs" in result.output
    assert not out.exists()
    assert not (out.parent / "media" / "flat.png").exists()
    assert (out.parent / "media" / "street.png").read_bytes() == before


def test_a_renamed_file_in_an_xlsform_is_listed_not_carried(tmp_path):
    source = tmp_path / "kobo"
    source.mkdir()
    shutil.copyfile(recording(tmp_path / "x.wav"), source / "street.png")
    form = _xlsform(source, "street.png", audio_column=False)
    result = run("convert", form, "--to", "yaml", "--out", tmp_path / "form.yaml")
    assert result.exit_code == 0, result.output
    assert "is not a PNG file inside" in result.output
    assert not validate_file(tmp_path / "form.yaml").questionnaire.question("home").image


def test_media_survive_a_round_trip_through_xlsform(tmp_path):
    source = media_questionnaire(tmp_path)
    form = tmp_path / "housing.xlsx"
    result = run("convert", source, "--to", "xlsform", "--out", form)
    assert result.exit_code == 0, result.output
    assert "upload the files of the questionnaire's media folder" in result.output
    back = tmp_path / "again" / "housing.yaml"
    back.parent.mkdir()
    result = run("convert", form, "--to", "yaml", "--out", back)
    assert result.exit_code == 0, result.output
    before = validate_file(source).questionnaire
    after = validate_file(back).questionnaire
    assert after is not None
    for language in ("de", "ar"):
        for old, new in zip(before.questions, after.questions, strict=True):
            assert new.image.get(language) == old.image.get(language)
            assert new.audio.get(language) == old.audio.get(language)
            for a, b in zip(old.choices.choices, new.choices.choices, strict=True):
                assert b.image.get(language) == a.image.get(language)
    assert declared_media(after) == declared_media(before)
