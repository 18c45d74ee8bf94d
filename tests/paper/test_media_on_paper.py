"""Pictures on paper: each printed beside the text it supports, in the form's language; the
renderer reads them and no other file; recordings are for the screen and print nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from paper_pdf import page_images, page_texts
from support import media_questionnaire

from survey.cli import cli

COLOURS = {"street": (200, 30, 30), "flat": (30, 160, 30), "shelter-de": (30, 30, 200),
           "shelter-ar": (230, 200, 20), "sad": (120, 0, 120), "happy": (0, 140, 140)}


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("media")
    questionnaire = media_questionnaire(folder)
    result = CliRunner().invoke(cli, ["paper", str(questionnaire), "--out", str(folder / "out"),
                                      "--bilingual", "de+ar"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["paper", str(questionnaire), "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return {p.stem.rsplit("-", 1)[-1]: p for p in (folder / "out").glob("*.pdf")}


def colours_on(pdf: Path) -> set[str]:
    """Which test pictures appear on the rendered pages (by their one colour)."""
    found = set()
    for image in page_images(pdf, dpi=50, mode="RGB"):
        pixels = {pixel for _, pixel in image.getcolors(1 << 24)}
        for name, colour in COLOURS.items():
            if any(all(abs(a - b) <= 12 for a, b in zip(pixel, colour, strict=True))
                   for pixel in pixels):
                found.add(name)
    return found


@pytest.mark.parametrize(("language", "shelter"), [("de", "shelter-de"), ("ar", "shelter-ar"),
                                                    ("de+ar", "shelter-ar")])
def test_every_picture_is_printed_in_the_forms_language(forms, language, shelter):
    expected = {"street", "flat", "sad", "happy", shelter}
    assert colours_on(forms[language]) == expected
    listed = subprocess.run(["pdfimages", "-list", str(forms[language])], capture_output=True,
                            text=True, check=True).stdout
    assert sum(" image " in line and "stencil" not in line
               for line in listed.splitlines()) == len(expected)


def test_pictures_change_no_text_and_every_box_is_still_in_the_layout(forms):
    text = " ".join(page_texts(forms["de"]))
    for label in ("Wie wohnen Sie?", "Wohnung", "Unterkunft", "schlecht", "mittel", "gut"):
        assert label in text
    layout = json.loads(forms["de"].with_name(
        forms["de"].name.replace(".pdf", ".layout.json")).read_text("utf-8"))
    boxes = [b for page in layout["pages"] for b in page["boxes"]]
    assert {(b["answer"], b["choice"]) for b in boxes} >= {
        ("home_kind", "flat"), ("home_kind", "shelter"), ("mood", "bad"), ("mood", "okay"),
        ("mood", "good")}
