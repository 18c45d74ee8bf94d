"""`survey paper --lang de-x-easy`: an easy-language variant prints its own forms, whose QR
codes and layout file name the variant, so scanning finds the form again."""

from __future__ import annotations

from pathlib import Path

import pytest
from paper_pdf import page_images, page_texts, qr_texts
from support import run

from survey.paper.qr import parse_payload
from survey.project import Project
from survey.scan.known_forms import KnownForms

EASY_CONSENT = "Ich mache mit. Sie dürfen meine Antworten benutzen."
EASY_AREA = "Wo wohnen Sie?"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter project with a few easy-German texts, printed in de-x-easy (2 copies)."""
    root = tmp_path_factory.mktemp("easy") / "project"
    assert run("init", root).exit_code == 0
    path = root / "questionnaires" / "our-survey.yaml"
    text = path.read_text("utf-8").replace("  languages: [de, en]",
                                           "  languages: [de, en, de-x-easy]")
    text = text.replace(
        "          en: I have read the privacy notice. I agree that my answers are analysed "
        "anonymously.",
        "          en: I have read the privacy notice. I agree that my answers are analysed "
        f"anonymously.\n          de-x-easy: {EASY_CONSENT}")
    text = text.replace("          en: Which part of town do you live in?",
                        f"          en: Which part of town do you live in?\n"
                        f"          de-x-easy: {EASY_AREA}")
    path.write_text(text, "utf-8")
    shown = run("paper", path, "--lang", "de-x-easy", "--copies", "2", "--out", root / "paper")
    assert shown.exit_code == 0, shown.output
    return root


def test_the_variant_prints_its_own_texts_and_the_base_texts_elsewhere(printed):
    pdfs = sorted((printed / "paper").glob("*.pdf"))
    assert [p.name for p in pdfs] == ["our_survey-0.1-de-x-easy-000001-000002.pdf"]
    text = " ".join(" ".join(page.split()) for page in page_texts(pdfs[0]))
    assert EASY_CONSENT in text
    assert EASY_AREA in text
    assert "Unsere Befragung" in text  # no easy title: the German one, not the English
    assert "Our survey" not in text


def test_qr_codes_and_layout_name_the_variant_and_scanning_finds_the_form(printed):
    pdf = next((printed / "paper").glob("*.pdf"))
    ids = [parse_payload(t) for image in page_images(pdf, dpi=150, first=1, last=2)
           for t in qr_texts(image)]
    assert ids and {i.language for i in ids} == {"de-x-easy"}
    assert ids[0].serial == "000001"
    forms = KnownForms.of(Project(printed))
    assert not forms.problems
    layout = forms.layout(ids[0])
    assert layout["language"] == "de-x-easy"
    assert (printed / "paper" / "our_survey-0.1-de-x-easy-000001-000002.layout.json").exists()
