"""The flagship questionnaire on paper, in all seven languages and German+Arabic, read back.

The forms are made once for the module: text is extracted with pypdf, pages are rendered by
pdftoppm and their QR codes decoded with zxing-cpp, as a scanning office would.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from paper_pdf import (
    darkest,
    looks_like_drawn_box,
    missing_labels,
    normalise,
    page_images,
    page_texts,
    qr_texts,
)

from survey.paper.geometry import CORNER_MARK_SIZE, PAGE_WIDTH, corner_mark_centres
from survey.paper.produce import MadeForm, make_form
from survey.paper.qr import PageId
from survey.questionnaire import Questionnaire, QuestionType, load_questionnaire
from survey.questionnaire.languages import country_names, language_names

FLAGSHIP = Path(__file__).resolve().parents[2] / "questionnaires" / "zusammen.yaml"
LANGUAGES = ("de", "en", "ru", "uk", "ar", "fa", "vi")
SCANNED = ("de", "ar", "de+ar")


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire(FLAGSHIP)


@pytest.fixture(scope="module")
def forms(questionnaire: Questionnaire, tmp_path_factory) -> dict[str, MadeForm]:
    out = tmp_path_factory.mktemp("paper")
    made = {lang: make_form(questionnaire, (lang,), out) for lang in LANGUAGES}
    made["de+ar"] = make_form(questionnaire, ("de", "ar"), out)
    return made


@pytest.fixture(scope="module")
def scans(forms: dict[str, MadeForm]) -> dict[str, list]:
    return {label: page_images(forms[label].pdf) for label in SCANNED}


LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
"""Forms print Latin digits in every language unless a project chooses the native ones."""


def printed_labels(questionnaire: Questionnaire, language: str) -> list[str]:
    """Every question, choice and grid-row label, and section title, in `language`, with
    the digits the form prints."""
    texts = [s.title.get(language) for s in questionnaire.sections]
    for q in questionnaire.questions:
        if q.type in (QuestionType.CALCULATE, QuestionType.NOTE):
            continue
        texts.append(q.label.get(language))
        texts += [c.label.get(language) for c in (q.choices.choices if q.choices else ())]
        texts += [m.label.get(language) for m in q.missing]
        texts += [item.label.get(language) for item in q.items]
        names = {QuestionType.COUNTRY: country_names,
                 QuestionType.LANGUAGE: language_names}.get(q.type)
        if names:
            texts += [names(language)[code] for code in q.priority]
    return [text.translate(LATIN_DIGITS) for text in texts]


def layout(form: MadeForm) -> dict:
    return json.loads(form.layout.read_text("utf-8"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_question_and_choice_label_is_printed(forms, questionnaire, language):
    text = "\n".join(page_texts(forms[language].pdf))
    assert missing_labels(printed_labels(questionnaire, language), text) == []


def test_arabic_text_is_extracted_in_logical_order(forms, questionnaire):
    text = normalise("\n".join(page_texts(forms["ar"].pdf)))
    label = normalise(questionnaire.question("gender").label.get("ar"))
    assert label in text
    assert " ".join(reversed(label.split())) not in text


def test_bilingual_form_prints_both_languages(forms, questionnaire):
    text = "\n".join(page_texts(forms["de+ar"].pdf))
    for language in ("de", "ar"):
        assert missing_labels(printed_labels(questionnaire, language), text) == []


@pytest.mark.parametrize("label", SCANNED)
def test_every_page_carries_its_qr_page_id(forms, scans, questionnaire, label):
    pages = scans[label]
    assert len(pages) == forms[label].pages
    for number, image in enumerate(pages, start=1):
        expected = PageId(questionnaire.id, questionnaire.survey.version, label, number)
        assert qr_texts(image) == [expected.payload()], f"page {number}"


@pytest.mark.parametrize("label", SCANNED)
def test_layout_boxes_land_on_drawn_boxes(forms, scans, label):
    pages = layout(forms[label])["pages"]
    misplaced = [(page["page"], box["answer"], box.get("choice"), box.get("position"))
                 for page in pages for box in page["boxes"]
                 if not looks_like_drawn_box(scans[label][page["page"] - 1], box)]
    assert sum(len(page["boxes"]) for page in pages) > 300
    assert misplaced == []


@pytest.mark.parametrize("label", SCANNED)
def test_corner_marks_are_solid_squares_on_every_page(forms, scans, label):
    data = layout(forms[label])
    half = CORNER_MARK_SIZE / 2 - 0.5
    for image in scans[label]:
        for x, y in corner_mark_centres():
            assert darkest(image, x - half, y - half, x + half, y + half) < 80
            inside = image.crop((round((x - half) / 25.4 * 150), round((y - half) / 25.4 * 150),
                                 round((x + half) / 25.4 * 150), round((y + half) / 25.4 * 150)))
            assert inside.getextrema()[1] < 80
    assert [(c["x"], c["y"]) for c in data["corner_marks"]["centres"]] == corner_mark_centres()


def test_every_answer_has_a_box_and_no_question_is_split_over_pages(forms, questionnaire):
    pages_of: dict[str, set[int]] = defaultdict(set)
    for page in layout(forms["de"])["pages"]:
        for box in page["boxes"]:
            pages_of[questionnaire.answer_index[box["answer"]].id].add(page["page"])
    asked = {q.id for q in questionnaire.questions
             if q.type not in (QuestionType.CALCULATE, QuestionType.NOTE)}
    assert set(pages_of) == asked
    assert {q: p for q, p in pages_of.items() if len(p) > 1} == {}


@pytest.mark.parametrize(("language", "start_side"), [("de", "left"), ("ar", "right"),
                                                      ("fa", "right"), ("de+ar", "right")])
def test_boxes_start_on_the_side_the_language_is_read_from(forms, language, start_side):
    """The first choice of every list sits at the start of the line: mirrored right to left."""
    firsts = {}
    for page in layout(forms[language])["pages"]:
        for box in page["boxes"]:
            if box["kind"] == "tick":
                firsts.setdefault(box["answer"], box)
    assert len(firsts) > 20
    for box in firsts.values():
        centre = box["x"] + box["w"] / 2
        assert (centre < PAGE_WIDTH / 3) if start_side == "left" else (
            centre > PAGE_WIDTH * 2 / 3), box


def test_digit_boxes_run_left_to_right_also_in_arabic(forms):
    digits = [b for page in layout(forms["ar"])["pages"] for b in page["boxes"]
              if b["answer"] == "birth_year"]
    assert [b["position"] for b in sorted(digits, key=lambda b: b["x"])] == [0, 1, 2, 3]


def test_routing_is_printed_beside_the_answer_that_skips(forms):
    pages = [normalise(text) for text in page_texts(forms["de"].pdf)]
    assert any(normalise("In Rente → weiter mit Frage 17") in text for text in pages)


@pytest.mark.parametrize(("language", "words"), [("de", "Seite {n} von {total}"),
                                                 ("vi", "Trang {n}/{total}")])
def test_pages_are_numbered_x_of_y(forms, language, words):
    texts = page_texts(forms[language].pdf)
    for number, text in enumerate(texts, start=1):
        assert words.format(n=number, total=len(texts)) in text


def test_layout_file_describes_the_pdf(forms, questionnaire):
    data = layout(forms["de+ar"])
    assert (data["questionnaire"], data["version"], data["language"]) == (
        "zusammen", questionnaire.survey.version, "de+ar")
    assert data["page_size"] == {"w": 210.0, "h": 297.0}
    assert data["pages_per_copy"] == forms["de+ar"].pages == len(data["pages"])
    assert data["copies"] is None


def test_files_are_named_by_questionnaire_version_and_language(forms):
    assert {f.pdf.name for f in forms.values()} == {
        f"zusammen-2026.1-{label}.pdf" for label in (*LANGUAGES, "de+ar")}
    assert not [p for p in Path(forms["de"].pdf.parent).iterdir() if p.name.startswith(".")]
