"""`survey paper` end to end on a small questionnaire: copies and serials, hostile texts,
project overrides, and every kind of bad input (clear message, exit 1, no file left)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from paper_pdf import missing_labels, page_images, page_texts, qr_texts
from pypdf import PdfReader

from survey.cli import cli
from survey.interface_texts import interface_text
from survey.paper import fonts
from survey.paper.overrides import Overrides
from survey.paper.qr import parse_payload
from survey.paper.render import OwnAssetsOnly

SMALL = """\
survey:
  id: hostile
  version: "1"
  title: {de: "Titel <script>alert(1)</script>", ar: "عنوان <b>عريض</b>"}
  organisation: {de: "Verein &amp; Co", ar: "جمعية &amp;"}
  return_instructions: {de: "Bitte abgeben </p><p>", ar: "يرجى التسليم"}
  languages: [de, ar]
  default_language: de
sections:
  - id: main
    title: {de: "Teil <i>A</i>", ar: "الجزء أ"}
    questions:
      - id: works
        type: single_choice
        label: {de: "Arbeiten Sie? <img src='file:///etc/passwd'>", ar: "هل تعمل؟"}
        choices:
          - {name: "yes", code: 1, label: {de: "Ja & gern", ar: "نعم"}}
          - {name: "no", code: 2, label: {de: "<b>Nein</b>", ar: "لا"}}
      - id: job
        type: text
        relevant: ${works} = 'yes'
        label: {de: "Welche Arbeit?", ar: "ما هو عملك؟"}
      - id: born
        type: year
        min: 1920
        max: 2010
        label: {de: "Geburtsjahr", ar: "سنة الميلاد"}
"""


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["paper", *map(str, args)])
    return result.exit_code, result.output


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "questionnaires" / "hostile.yaml"
    path.parent.mkdir()
    path.write_text(SMALL, encoding="utf-8")
    return path


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_copies_carry_unique_serials_in_their_qr_codes(small, tmp_path):
    out = tmp_path / "out"
    code, output = run(small, "--lang", "de", "--copies", "3", "--serial-start", "998",
                       "--out", out)
    assert code == 0, output
    pdf = out / "hostile-1-de-000998-001000.pdf"
    layout = json.loads((out / "hostile-1-de-000998-001000.layout.json").read_text())
    pages = layout["pages_per_copy"]
    assert layout["copies"] == {"count": 3, "serials": ["000998", "001000"]}
    assert len(PdfReader(pdf).pages) == 3 * pages
    ids = [parse_payload(text) for image in page_images(pdf) for text in qr_texts(image)]
    assert [(i.serial, i.page) for i in ids] == [
        (serial, page) for serial in ("000998", "000999", "001000")
        for page in range(1, pages + 1)]
    assert {(i.questionnaire, i.version, i.language) for i in ids} == {("hostile", "1", "de")}
    covers = page_texts(pdf)[::pages]
    assert [("000998" in t, "000999" in t, "001000" in t) for t in covers] == [
        (True, False, False), (False, True, False), (False, False, True)]
    withdraw = " ".join(interface_text("withdraw_with_number", "de").split()[:6])
    assert all(withdraw in " ".join(t.split()) for t in covers), \
        "the cover says the number withdraws the answers"


def test_a_form_without_serials_promises_no_withdrawal_number(small, tmp_path):
    code, output = run(small, "--lang", "de", "--out", tmp_path / "o")
    assert code == 0, output
    text = " ".join(page_texts(tmp_path / "o" / "hostile-1-de.pdf")[0].split())
    assert "Notieren Sie sich diese Nummer" not in text


def test_hostile_texts_are_printed_literally(small, tmp_path):
    code, output = run(small, "--lang", "de", "--bilingual", "de+ar", "--out", tmp_path / "o")
    assert code == 0, output
    text = " ".join(page_texts(tmp_path / "o" / "hostile-1-de.pdf"))
    for literal in ("<script>alert(1)</script>", "Verein &amp; Co", "<b>Nein</b>",
                    "Ja & gern", "Teil <i>A</i>", "<img src='file:///etc/passwd'>",
                    "</p><p>"):
        assert literal in text
    bilingual = " ".join(page_texts(tmp_path / "o" / "hostile-1-de+ar.pdf"))
    assert missing_labels(["عنوان <b>عريض</b>", "Titel <script>alert(1)</script>"],
                          bilingual) == []
    assert "&amp;" in bilingual


def test_the_renderer_fetches_only_its_own_assets(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    fetcher = OwnAssetsOnly([logo])
    assert fetcher.fetch(logo.resolve().as_uri()).read() == logo.read_bytes()
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    for url in ("file:///etc/passwd", "https://example.org/x.png", "ftp://example.org/a",
                (tmp_path / "other.png").as_uri()):
        with pytest.raises(ValueError, match="only its own assets"):
            fetcher.fetch(url)


def test_a_project_changes_logo_colours_address_and_one_block(small, tmp_path):
    look = small.parent.parent / "reports" / "paper"
    look.mkdir(parents=True)
    (look / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        '<rect width="40" height="20" fill="#c00"/></svg>', encoding="utf-8")
    (look / "style.css").write_text(":root { --accent: #00aa00; }", encoding="utf-8")
    (look / "organisation.yaml").write_text(
        "name: {de: Eigener Verein, ar: جمعيتنا}\naddress: Hauptstraße 5, 04109 Leipzig\n",
        encoding="utf-8")
    (look / "form.html").write_text(
        '{% extends "layout.html" %}{% block how_to %}<p>Unser Hinweis</p>{% endblock %}',
        encoding="utf-8")
    code, output = run(small, "--lang", "de", "--out", tmp_path / "o")
    assert code == 0, output
    pdf = tmp_path / "o" / "hostile-1-de.pdf"
    text = " ".join(page_texts(pdf))
    assert "Eigener Verein" in text and "Hauptstraße 5, 04109 Leipzig" in text
    assert "Unser Hinweis" in text and "Verein &amp; Co" not in text
    cover = page_images(pdf, dpi=40, first=1, last=1, mode="RGB")[0]
    colours = {colour for _, colour in cover.getcolors(maxcolors=1_000_000)}
    assert (0, 170, 0) in colours  # the project's accent colour
    assert any(r > 180 and g < 40 and b < 40 for r, g, b in colours)  # the red logo


def test_a_broken_organisation_file_is_named(small, tmp_path):
    look = small.parent.parent / "reports" / "paper"
    look.mkdir(parents=True)
    (look / "organisation.yaml").write_text("nmae: Verein\n", encoding="utf-8")
    code, output = run(small, "--out", tmp_path / "o")
    assert code == 1
    assert "organisation.yaml: unknown key 'nmae'" in output
    assert files_in(tmp_path / "o") == []


@pytest.mark.parametrize(("args", "message"), [
    (["--lang", "fr"], "--lang fr: 'fr' is not one of its languages; the questionnaire "
                       "'hostile' has de, ar"),
    (["--lang", "ua"], "did you mean 'uk'"),
    (["--bilingual", "de-ar"], "give two languages joined by '+'"),
    (["--bilingual", "de+de"], "the two languages must differ"),
    (["--bilingual", "de+en"], "--bilingual en: 'en' is not one of its languages"),
    (["--bilingual", "de+ar+fa"], "give two languages joined by '+'"),
    (["--copies", "2", "--serial-start", "999999"], "overflow the 6-digit serial number"),
    (["--copies", "0"], "--copies must be at least 1"),
    (["--serial-start", "5"], "--serial-start needs --copies"),
    (["--copies", "1", "--serial-start", "0"], "--serial-start must be at least 1"),
])
def test_bad_requests_print_what_to_change_and_write_nothing(small, tmp_path, args, message):
    out = tmp_path / "o"
    code, output = run(small, *args, "--out", out)
    assert code == 1
    assert message in " ".join(output.split())
    assert files_in(out) == []


def test_an_unwritable_out_folder_is_refused(small, tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")
    code, output = run(small, "--out", blocker / "forms")
    assert code == 1
    assert f"cannot write forms to {blocker / 'forms'}" in " ".join(output.split())
    code, output = run(small, "--out", blocker)
    assert code == 2 and "is a file" in output  # click checks the option itself


def test_an_invalid_questionnaire_gets_the_validator_messages_and_no_pdf(small, tmp_path):
    small.write_text(SMALL.replace("type: year", "type: yaer"), encoding="utf-8")
    code, output = run(small, "--out", tmp_path / "o")
    assert code == 1
    assert "hostile.yaml:" in output and "did you mean 'year'" in output
    assert "no form printed" in output
    assert files_in(tmp_path / "o") == []


def test_a_language_without_fonts_names_the_package(small, tmp_path, monkeypatch):
    """With only a Latin font installed, Arabic cannot be printed: say so before rendering."""
    latin = next(Path("/usr/share/fonts").rglob("NotoSans-Regular.ttf"), None)
    if latin is None:
        pytest.skip("Noto Sans (fonts-noto-core) is not installed")
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / latin.name).symlink_to(latin)
    config = tmp_path / "fonts.conf"
    config.write_text(f"<?xml version='1.0'?><fontconfig><dir>{tmp_path / 'fonts'}</dir>"
                      f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    fonts._covered_ranges.cache_clear()
    try:
        code, output = run(small, "--lang", "ar", "--out", tmp_path / "o")
    finally:
        monkeypatch.delenv("FONTCONFIG_FILE")
        fonts._covered_ranges.cache_clear()
    assert code == 1
    flat = " ".join(output.split())
    assert "no installed font can print the Arabic ('ar') texts" in flat
    assert "sudo apt-get install fonts-noto-core" in flat
    assert files_in(tmp_path / "o") == []


def test_overrides_are_found_beside_the_questionnaires_folder(small):
    assert Overrides.for_questionnaire(small).folder is None
    (small.parent.parent / "reports" / "paper").mkdir(parents=True)
    assert Overrides.for_questionnaire(small).folder == small.parent.parent / "reports" / "paper"


def test_help_names_every_option():
    result = CliRunner().invoke(cli, ["paper", "--help"])
    for option in ("--lang", "--bilingual", "--copies", "--serial-start", "--out"):
        assert option in result.output


def test_a_text_showing_an_earlier_answer_prints_a_blank_line(tmp_path):
    path = tmp_path / "questionnaires" / "piped.yaml"
    path.parent.mkdir()
    path.write_text(SMALL.replace('label: {de: "Geburtsjahr", ar: "سنة الميلاد"}',
                                  'label: {de: "Geburtsjahr (Arbeit: ${job})", '
                                  'ar: "سنة الميلاد (${job})"}'), encoding="utf-8")
    code, output = run(path, "--lang", "de", "--lang", "ar", "--out", tmp_path / "o")
    assert code == 0, output
    for language in ("de", "ar"):
        text = "".join(page_texts(tmp_path / "o" / f"hostile-1-{language}.pdf"))
        assert "__________" in text and "${" not in text and "job}" not in text
