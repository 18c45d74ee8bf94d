"""What a respondent sees on the printed flagship, in every language and German+Arabic, checked
on the PDF itself: poppler's word positions against the layout file, pypdf's text in reading
order, and the fonts the PDF embeds.

Each test names a fault readers met on paper: answer codes drawn over the tick boxes, grid
headings running into each other, phone numbers and negative codes reversed in right-to-left
text, a Latin-script name with its full stop at the wrong end, Latin and Persian digits mixed on
one Farsi page, German text right-aligned on the German+Arabic form, slanted Arabic.
"""

from __future__ import annotations

import json
import re
import unicodedata
from itertools import pairwise
from pathlib import Path

import pytest
from paper_pdf import (
    Word,
    normalise,
    page_texts,
    page_words,
    words_over_boxes,
    words_over_words,
)
from pypdf import PdfReader

from survey.paper.geometry import MARGIN_SIDE, MARGIN_TOP
from survey.paper.overrides import OverrideError, Overrides
from survey.paper.produce import MadeForm, make_form, make_forms
from survey.questionnaire import Questionnaire, load_questionnaire

FLAGSHIP = Path(__file__).resolve().parents[2] / "questionnaires" / "zusammen.yaml"
LABELS = ("de", "de-x-easy", "en", "ru", "uk", "ar", "fa", "vi", "de+ar")
RIGHT_TO_LEFT = ("ar", "fa", "de+ar")
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire(FLAGSHIP)


@pytest.fixture(scope="module")
def forms(questionnaire: Questionnaire, tmp_path_factory) -> dict[str, MadeForm]:
    out = tmp_path_factory.mktemp("paper")
    variants = [tuple(label.split("+")) for label in LABELS]
    return dict(zip(LABELS, make_forms(questionnaire, variants, out), strict=True))


@pytest.fixture(scope="module")
def words(forms: dict[str, MadeForm]) -> dict[str, list[list[Word]]]:
    return {label: page_words(form.pdf) for label, form in forms.items()}


def layout(form: MadeForm) -> dict:
    return json.loads(form.layout.read_text("utf-8"))


@pytest.mark.parametrize("label", LABELS)
def test_no_text_is_drawn_over_a_box(forms, words, label):
    """Codes and labels sit beside the boxes, never on them, whatever the direction."""
    found = layout(forms[label])
    assert sum(len(page["boxes"]) for page in found["pages"]) > 300
    assert words_over_boxes(found, words[label]) == []


@pytest.mark.parametrize("label", LABELS)
def test_no_word_runs_into_another(words, label):
    """Grid headings wrap inside their column; no text is printed over other text."""
    assert words_over_words(words[label]) == []


@pytest.mark.parametrize("label", LABELS)
def test_grid_headings_stay_inside_their_columns(forms, words, questionnaire, label):
    """Each heading of the satisfaction grid (the longest headings) keeps to its own column."""
    pages = layout(forms[label])["pages"]
    page = next(p for p in pages if any(b["answer"].startswith("sat__") for b in p["boxes"]))
    first_row = sorted((b for b in page["boxes"] if b["answer"] == "sat__german"),
                       key=lambda b: b["x"])
    centres = [b["x"] + b["w"] / 2 for b in first_row]
    pitch = centres[1] - centres[0]
    edges = [c - pitch / 2 for c in centres] + [centres[-1] + pitch / 2]
    top = first_row[0]["y"]
    heads = [w for w in words[label][page["page"] - 1]
             if top - 14 < w.y0 and w.y1 <= top + 0.5 and edges[0] < (w.x0 + w.x1) / 2 < edges[-1]
             and not w.only_marks]
    assert len(heads) >= len(centres)
    straddling = [w for w in heads if not any(
        left - 0.3 <= w.x0 and w.x1 <= right + 0.3 for left, right in pairwise(edges))]
    assert straddling == []


def _line_of(words: list[Word], word: Word) -> list[Word]:
    """The words on the same printed line as `word`, left to right."""
    middle = (word.y0 + word.y1) / 2
    return sorted((w for w in words if w.y0 < middle < w.y1), key=lambda w: w.x0)


@pytest.mark.parametrize("label", LABELS)
def test_phone_numbers_read_left_to_right(forms, words, label):
    """+49 351 0000000 and 0351 0000000 keep their digit groups in order, in any script."""
    seen = 0
    for page in words[label]:
        for word in page:
            if word.text.strip(".,،") == "0351":
                line = [w.text.strip(".,،") for w in _line_of(page, word)]
                at = line.index("0351")
                assert line[at + 1] == "0000000" or line[at + 1] == "0000001", line
                seen += 1
            if word.text == "+49":
                line = [w.text for w in _line_of(page, word)]
                at = line.index("+49")
                assert line[at + 1:at + 3] == ["351", "0000000"], line
    assert seen >= 2
    text = normalise("\n".join(page_texts(forms[label].pdf)))
    assert "0351 0000000" in text
    assert "0000000 0351" not in text


@pytest.mark.parametrize("label", LABELS)
def test_negative_codes_read_minus_first(forms, words, label):
    """A missing-value code prints as -2 beside its box, also in right-to-left rows."""
    pages = layout(forms[label])["pages"]
    negative = [(page["page"], box) for page in pages for box in page["boxes"]
                if box.get("code", "").startswith("-")]
    assert len(negative) > 20
    for number, box in negative:
        near = [w.text for w in words[label][number - 1]
                if abs((w.y0 + w.y1) / 2 - (box["y"] + box["h"] / 2)) < 2
                and box["x"] - 6 < w.x0 and w.x1 < box["x"] + box["w"] + 6]
        assert box["code"] in near, (number, box, near)
    reversed_codes = re.compile(r"(?<![\w-])\d+-(?![\w-])")
    for number, page in enumerate(words[label], start=1):
        assert [w.text for w in page if reversed_codes.fullmatch(w.text)] == [], number
    extracted = "\n".join(page_texts(forms[label].pdf))
    assert not re.search(r"(?<![\w-])[12]-(?=\s|$)", extracted)


def test_a_plain_organisation_name_keeps_its_full_stop_at_the_end(questionnaire, tmp_path):
    """An organisation name given once for all languages reads left to right on Arabic
    covers and headers."""
    folder = tmp_path / "reports" / "paper"
    folder.mkdir(parents=True)
    (folder / "organisation.yaml").write_text("name: Netzwerk Willkommen Döbeln e. V.\n",
                                              encoding="utf-8")
    (tmp_path / "out").mkdir()
    made = make_form(questionnaire, ("ar",), tmp_path / "out", overrides=Overrides(folder))
    found = 0
    for page in page_words(made.pdf):
        for word in page:
            if word.text.endswith("Netzwerk"):
                line = " ".join(w.text for w in _line_of(page, word))
                assert "Netzwerk Willkommen Döbeln e. V." in line, line
                assert ".Netzwerk" not in line, line
                found += 1
    assert found >= 2


def test_farsi_prints_one_digit_system_by_default(forms, words):
    """Latin digits throughout (the digits respondents write into the boxes), including
    numbers the translation wrote in Persian digits."""
    digits = {ch for page in words["fa"] for w in page for ch in w.text if ch.isdigit()}
    assert digits and digits <= set("0123456789")
    assert not set(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS) & set(
        "".join(page_texts(forms["fa"].pdf)))


def test_persian_digits_can_be_chosen_for_farsi(questionnaire, tmp_path):
    """With native digits, everything a Farsi reader reads uses Persian digits; only the
    office's answer codes, the page id and words with Latin letters (e-mail addresses,
    levels such as B2) keep Latin digits."""
    folder = tmp_path / "reports" / "paper"
    folder.mkdir(parents=True)
    (folder / "settings.yaml").write_text("digits:\n  fa: native\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    made = make_form(questionnaire, ("fa",), tmp_path / "out", overrides=Overrides(folder))
    data = layout(made)
    codes = {box["code"] for page in data["pages"] for box in page["boxes"] if "code" in box}
    pages = page_words(made.pdf)
    latin = {w.text for page in pages for w in page
             if w.y1 > MARGIN_TOP - 2  # the page id above stays machine-readable
             and any(ch in "0123456789" for ch in w.text)
             and not any(unicodedata.bidirectional(ch) == "L" for ch in w.text)} - codes
    assert latin == set(), sorted(latin)[:20]
    persian = " ".join(w.text for page in pages for w in page)
    assert "۳۷" in persian and "۰۳۵۱" in persian


def test_each_language_of_a_bilingual_form_keeps_its_own_alignment(forms, questionnaire):
    """On German+Arabic pages (which run right to left) German question labels start at
    the left, where German is read from."""
    pages = page_words(forms["de+ar"].pdf)
    starts = []
    for question in ("gender", "birth_country", "status", "sat", "german"):
        german = questionnaire.question(question).label.get("de").split()
        for page in pages:
            for word in page:
                if word.text == german[0]:
                    line = _line_of(page, word)
                    if [w.text for w in line[:len(german)]] == german[:len(line)]:
                        starts.append(line[0].x0)
    assert len(starts) >= 4
    assert max(starts) < MARGIN_SIDE + 12, starts


@pytest.mark.parametrize("label", RIGHT_TO_LEFT)
def test_arabic_script_is_never_slanted(forms, label):
    """Italic is an emphasis of Latin type; Arabic script has no italic, and a slanted
    Naskh is hard to read. Instructions in Arabic script use other emphasis."""
    fonts = {str(font.get_object()["/BaseFont"]) for page in PdfReader(forms[label].pdf).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("Arabic" in f for f in fonts)
    assert [f for f in fonts if "Arabic" in f and ("Italic" in f or "Oblique" in f)] == []


@pytest.mark.parametrize("label", LABELS)
def test_front_matter_shares_its_pages(forms, label):
    """Cover, return instructions, contact and privacy notice are packed together and the
    questions follow on: the first question is on page 2 (page 3 for two languages)."""
    first = min(page["page"] for page in layout(forms[label])["pages"] if page["boxes"])
    assert first <= (3 if "+" in label else 2)


def test_long_choice_lists_print_in_two_columns(forms, questionnaire):
    """A long list whose labels fit half the width (here: the districts of Saxony, and the
    most urgent topics) takes two columns of boxes."""
    for answer in ("district", "urgent"):
        boxes = [b for page in layout(forms["de"])["pages"] for b in page["boxes"]
                 if b["answer"] == answer and b["kind"] in ("tick", "digit")]
        assert len({round(b["x"]) for b in boxes}) == 2, answer


NEGATIVE_IN_TEXT = """\
survey:
  id: codes
  version: "1"
  title: {de: Codes, ar: رموز}
  organisation: {de: Verein, ar: جمعية}
  languages: [de, ar]
  default_language: de
sections:
  - id: main
    title: {de: Teil A, ar: الجزء أ}
    questions:
      - id: worked
        type: single_choice
        label: {de: "Haben Sie gearbeitet?", ar: "هل عملت؟"}
        hint: {de: "Im Büro wird -2 eingetragen, wenn Sie nichts ankreuzen.",
               ar: "يكتب المكتب -2 إذا لم تضع أي علامة. للاستفسار: 0351 0000000."}
        choices:
          - {name: "yes", code: 1, label: {de: Ja, ar: نعم}}
          - {name: "no", code: 2, label: {de: Nein, ar: لا}}
"""


def test_negative_numbers_in_right_to_left_text_keep_their_sign_first(tmp_path):
    """"-2" in Arabic text is drawn (and read back) as -2, not 2-."""
    source = tmp_path / "codes.yaml"
    source.write_text(NEGATIVE_IN_TEXT, encoding="utf-8")
    (tmp_path / "out").mkdir()
    made = make_form(load_questionnaire(source), ("ar",), tmp_path / "out")
    texts = [w.text for page in page_words(made.pdf) for w in page]
    assert "-2" in texts
    assert "2-" not in texts
    assert normalise("0351 0000000") in normalise("\n".join(page_texts(made.pdf)))


def test_an_unknown_digit_system_is_refused_with_the_file_named(questionnaire, tmp_path):
    folder = tmp_path / "reports" / "paper"
    folder.mkdir(parents=True)
    (folder / "settings.yaml").write_text("digits:\n  fa: persian\n", encoding="utf-8")
    with pytest.raises(OverrideError, match=r"settings\.yaml: digits of 'fa' is 'persian'; "
                                            r"use latin or native"):
        Overrides(folder).digits()
