"""SVG pictures and alt text in the questionnaire format: an unsafe SVG or a picture whose alt
text misses a declared language is an error at its line that names what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from picture_questionnaire import QUESTIONNAIRE, picture_questionnaire

from survey.questionnaire import validate_file
from survey.questionnaire.media import media_type

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48">'
HOUSE_LINE = 23
"""The line of the housing choice's picture file in picture_questionnaire.QUESTIONNAIRE."""


def messages(path: Path, errors: bool = True) -> list[str]:
    result = validate_file(path)
    found = result.errors if errors else result.warnings
    return [f"{d.mark.line}:{d.mark.column}: {d.message}" for d in found]


def with_house(folder: Path, svg: str) -> Path:
    """The picture questionnaire with its house pictogram replaced by `svg`."""
    path = picture_questionnaire(folder)
    (folder / "media" / "pictograms" / "housing.svg").write_text(svg, "utf-8")
    return path


def test_the_pictures_and_their_alt_texts_are_read_into_the_model(tmp_path):
    result = validate_file(picture_questionnaire(tmp_path))
    assert not result.errors and not result.warnings, result.diagnostics
    need = result.questionnaire.question("need")
    assert need.image.get("ar") == "media/pictograms/contacts.svg"
    assert need.image_alt.get("ar") == "شخصان" and need.image_alt.get("en") == "Two people"
    house, jobs = need.choices.choices
    assert house.image_alt.get("de") == "Ein Haus"
    assert jobs.image_alt.neutral == "", "alt: '' marks a decorative picture"
    assert media_type("media/pictograms/jobs.svg") == "image/svg+xml"


@pytest.mark.parametrize(("svg", "expected"), [
    (f'{SVG_OPEN}<script>alert(1)</script></svg>', "holds element <script>"),
    (f'{SVG_OPEN}<rect width="4" height="4" onload="alert(1)"/></svg>',
     "holds attribute onload= on <rect>"),
    ('<svg xmlns="http://www.w3.org/2000/svg" onclick="x()"></svg>', "attribute onclick="),
    (f'{SVG_OPEN}<image href="https://tracker.example/p.png" width="4" height="4"/></svg>',
     'attribute href="https://tracker.example/p.png" on <image>'),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     '<use xlink:href="other.svg#a"/></svg>', 'attribute href="other.svg#a" on <use>'),
    (f'{SVG_OPEN}<rect fill="url(https://x.example/f)" width="4" height="4"/></svg>',
     "url(https://x.example/f)"),
    (f'{SVG_OPEN}<style>@import "https://x.example/a.css";</style></svg>', "<style>: @import"),
    (f'{SVG_OPEN}<image href="data:text/html;base64,PHNjcmlwdD4=" width="1" height="1"/>'
     '</svg>', 'attribute href="data:text/html'),
    (f'{SVG_OPEN}<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
     '</foreignObject></svg>', "holds element <foreignObject>"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
     f'{SVG_OPEN}<text>&b;</text></svg>', "declares a DOCTYPE or entities"),
    (f'<?xml-stylesheet href="https://x.example/a.css"?>{SVG_OPEN}</svg>',
     "holds <?xml-stylesheet?>"),
    (f'{SVG_OPEN}<rect width="4"></svg>', "is not well-formed XML"),
    ('<html><body>not a picture</body></html>', "is not an SVG picture: its first element is "
     "<html>"),
    ("PNG pretending", "is not an SVG file inside"),
    (f'{SVG_OPEN}<set attributeName="href" to="javascript:alert(1)"/></svg>',
     '<set attributeName="href">'),
])
def test_an_unsafe_or_broken_svg_is_refused_naming_the_file_and_what_is_wrong(
        tmp_path, svg, expected):
    found = messages(with_house(tmp_path, svg))
    assert any(m.startswith(f"{HOUSE_LINE}:") and "'media/pictograms/housing.svg'" in m
               and expected in m for m in found), found


def test_a_drawing_with_internal_references_and_embedded_pictures_is_accepted(tmp_path):
    svg = (f'{SVG_OPEN}<defs><linearGradient id="g"><stop offset="0"/></linearGradient>'
           '<path id="p" d="M0 0h4"/></defs><use href="#p"/>'
           '<rect fill="url(#g)" style="stroke: url(\'#g\')" width="4" height="4"/>'
           '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/></svg>')
    assert messages(with_house(tmp_path, svg)) == []


def test_a_question_picture_without_alt_in_a_declared_language_is_an_error(tmp_path):
    text = QUESTIONNAIRE.replace("alt: {de: Zwei Menschen, en: Two people, ar: شخصان}",
                                 "alt: {de: Zwei Menschen}")
    found = messages(picture_questionnaire(tmp_path, text))
    assert found == ["17:16: 'image' of question 'need' has no alt text in en, ar: add en: ..., "
                     "ar: ... under alt: (what the picture shows, for screen readers), or "
                     "alt: \"\" if it is decoration only"]


def test_a_choice_picture_with_alt_text_needs_it_in_every_language(tmp_path):
    text = QUESTIONNAIRE.replace("alt: {de: Ein Haus, en: A house, ar: منزل}",
                                 "alt: {de: Ein Haus, en: A house, fr: Une maison}")
    found = messages(picture_questionnaire(tmp_path, text))
    assert any(m.startswith("24:") and "has no alt text in ar" in m for m in found), found
    assert any("alt text" in m and "given for 'fr', which is not a declared language" in m
               for m in found), found


def test_one_alt_text_for_several_languages_is_an_error(tmp_path):
    text = QUESTIONNAIRE.replace("alt: {de: Zwei Menschen, en: Two people, ar: شخصان}",
                                 "alt: Zwei Menschen")
    found = messages(picture_questionnaire(tmp_path, text))
    assert any(m.startswith("17:") and "one text for all languages; give it per language "
               "(de: ..., en: ..., ar: ...)" in m for m in found), found


def test_a_wrong_key_in_a_picture_is_named(tmp_path):
    text = QUESTIONNAIRE.replace("alt: {de: Ein Haus", "alt_text: {de: Ein Haus")
    found = messages(picture_questionnaire(tmp_path, text))
    assert any("unknown key 'alt_text'" in m for m in found), found


def test_the_short_form_on_a_question_still_works_and_warns_of_the_missing_alt(tmp_path):
    text = QUESTIONNAIRE.replace(
        "image:\n          file: media/pictograms/contacts.svg\n"
        "          alt: {de: Zwei Menschen, en: Two people, ar: شخصان}",
        "image: media/pictograms/contacts.svg")
    path = picture_questionnaire(tmp_path, text)
    assert messages(path) == []
    assert any("has no alt text: screen-reader users hear nothing of it; write it as {file: "
               "media/pictograms/contacts.svg, alt: {de: ..., en: ..., ar: ...}}" in m
               for m in messages(path, errors=False))
    assert validate_file(path).questionnaire.question("need").image_alt.get("de") == ""


def test_every_flagship_pictogram_is_a_safe_svg(tmp_path):
    from picture_questionnaire import PICTOGRAMS

    from survey.questionnaire.svg_safety import svg_problem
    names = sorted(p.stem for p in PICTOGRAMS.glob("*.svg"))
    assert len(names) == 14
    assert [name for name in names if svg_problem(PICTOGRAMS / f"{name}.svg")] == []
