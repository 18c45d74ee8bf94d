"""Large-print forms (`survey paper --large-print`) for readers with low vision, checked on the
PDF: sizes of every text drawn, boxes and writing lines in the layout file, nothing drawn over
a box or over other text, a project's style.css unable to shrink them, and --partner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from paper_pdf import page_words, text_sizes, words_over_boxes, words_over_words

from survey.cli import cli
from survey.paper.overrides import Overrides
from survey.paper.produce import MadeForm, make_form, make_forms
from survey.questionnaire import Questionnaire, load_questionnaire
from survey.questionnaire.spec import QuestionType

FLAGSHIP = Path(__file__).resolve().parents[2] / "questionnaires" / "zusammen.yaml"
LABELS = ("de", "de-x-easy", "en", "ru", "uk", "ar", "fa", "vi", "de+ar")
BODY, SMALLEST = 14.0, 11.0
TICK, DIGIT_W, DIGIT_H, PER_LINE = 7.0, 8.5, 10.5, 11.0
"""Least size in mm of a tick box, a digit box, and of each writing line of a write-in."""


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire(FLAGSHIP)


@pytest.fixture(scope="module")
def forms(questionnaire: Questionnaire, tmp_path_factory) -> dict[str, MadeForm]:
    out = tmp_path_factory.mktemp("large")
    variants = [tuple(label.split("+")) for label in LABELS]
    serials = [[f"{n:06d}"] for n in range(1, len(LABELS) + 1)]
    return dict(zip(LABELS, make_forms(questionnaire, variants, out, serials,
                                       large_print=True), strict=True))


def layout(form: MadeForm) -> dict:
    return json.loads(form.layout.read_text("utf-8"))


def label_starts(questionnaire: Questionnaire, languages: list[str]) -> list[str]:
    """Question labels and the labels of choices printed beside a box, in `languages`."""
    texts = []
    for section in questionnaire.sections:
        for q in section.questions:
            if q.type in (QuestionType.CALCULATE, QuestionType.NOTE):
                continue
            texts += [q.label.get(lang) for lang in languages]
            if q.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
                texts += [c.label.get(lang) for c in q.choices.choices for lang in languages]
    return [t for t in texts if t]


@pytest.mark.parametrize("label", LABELS)
def test_text_is_14_pt_and_nothing_is_under_11_pt(forms, questionnaire, label):
    """Questions and choices at 14 pt or more; codes, captions, the privacy notice, page id,
    footer and serial number at 11 pt or more."""
    sizes = text_sizes(forms[label].pdf)
    small = [(page, text, size) for page, drawn in enumerate(sizes, start=1)
             for text, size in drawn if size < SMALLEST - 0.01]
    assert small == []
    labels = label_starts(questionnaire, label.split("+"))
    body: dict[str, float] = {}  # the largest a label's start is drawn (routing quotes it)
    for drawn in sizes:
        for text, size in drawn:
            if len(text.strip()) >= 6 and any(t.startswith(text.strip()) for t in labels):
                body[text.strip()] = max(size, body.get(text.strip(), 0.0))
    assert len(body) > 60
    assert {text: size for text, size in body.items() if size < BODY - 0.01} == {}
    assert any(text == "000001" or (text.isdigit() and len(text) == 6) for drawn in sizes
               for text, _ in drawn)  # the stamped serial is measured too


@pytest.mark.parametrize("label", LABELS)
def test_boxes_and_writing_lines_are_larger(forms, label):
    boxes = [b for page in layout(forms[label])["pages"] for b in page["boxes"]]
    ticks = [b for b in boxes if b["kind"] in ("tick", "grid-cell")]
    digits = [b for b in boxes if b["kind"] == "digit" and "position" in b]  # not ranks
    fields = [b for b in boxes if b["kind"] == "text"]
    assert len(ticks) > 250 and digits and fields
    assert min(min(b["w"], b["h"]) for b in ticks) >= TICK - 0.05
    assert min(b["w"] for b in digits) >= DIGIT_W - 0.05
    assert min(b["h"] for b in digits) >= DIGIT_H - 0.05
    assert min(b["h"] for b in fields) >= PER_LINE - 1.05
    assert max(b["h"] for b in fields) >= 3 * PER_LINE - 0.05  # a long answer's lines
    assert layout(forms[label])["large_print"] is True


@pytest.mark.parametrize("label", LABELS)
def test_nothing_is_drawn_over_a_box_or_other_text(forms, label):
    words = page_words(forms[label].pdf)
    assert words_over_boxes(layout(forms[label]), words) == []
    assert words_over_words(words) == []


def test_a_large_print_form_is_kept_beside_the_standard_one(questionnaire, tmp_path):
    standard = make_form(questionnaire, ("de",), tmp_path)
    assert layout(standard)["large_print"] is False
    made = make_form(questionnaire, ("de",), tmp_path, large_print=True)
    assert made.pdf.name.endswith("-large.pdf") and made.pdf != standard.pdf
    assert standard.pdf.exists() and made.pages > standard.pages


SHRINKING_STYLE = """\
html, html[lang] { font-size: 6pt; }
.qlabel, .question .qlabel, .options td.label { font-size: 7pt; }
.code, .grid td.cell .code, .instruction, .privacy { font-size: 4pt; }
.box, .options .box { width: 3mm; height: 3mm; }
.digit { width: 4mm; height: 5mm; }
.write-in { height: 5mm; }
:root { --accent: #7a1d4f; }
"""


def test_a_project_style_cannot_shrink_large_print(questionnaire, tmp_path):
    """A project's style.css still sets the colours, but sizes stay large."""
    folder = tmp_path / "reports" / "paper"
    folder.mkdir(parents=True)
    (folder / "style.css").write_text(SHRINKING_STYLE, encoding="utf-8")
    (tmp_path / "out").mkdir()
    made = make_form(questionnaire, ("ar",), tmp_path / "out", overrides=Overrides(folder),
                     large_print=True)
    sizes = [size for drawn in text_sizes(made.pdf) for _, size in drawn]
    assert min(sizes) >= SMALLEST - 0.01
    boxes = [b for page in layout(made)["pages"] for b in page["boxes"]]
    assert min(b["w"] for b in boxes if b["kind"] == "tick") >= TICK - 0.05
    assert min(b["h"] for b in boxes if "position" in b) >= DIGIT_H - 0.05
    words = page_words(made.pdf)
    assert words_over_boxes(layout(made), words) == []
    assert words_over_words(words) == []


def test_large_print_with_partner_and_copies_from_the_command_line(tmp_path):
    """A project made by survey init, its partner's serials recorded, large print."""
    runner = CliRunner()
    root = tmp_path / "project"
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    (root / "partners.yaml").write_text(
        "partners:\n  - id: leipzig-ru\n    name: Kulturverein Leipzig\n", encoding="utf-8")
    questionnaire = next((root / "questionnaires").glob("*.yaml"))
    result = runner.invoke(cli, ["paper", str(questionnaire), "--copies", "2", "--partner",
                                 "leipzig-ru", "--large-print", "--bilingual", "de+en"])
    assert result.exit_code == 0, result.output
    assert "recorded for partner 'leipzig-ru'" in result.output
    pdf = next((root / "paper").glob("*-de+en-large-*.pdf"))
    sizes = [size for drawn in text_sizes(pdf) for _, size in drawn]
    assert min(sizes) >= SMALLEST - 0.01 and max(sizes) >= BODY
    data = json.loads(pdf.with_name(pdf.name.removesuffix(".pdf") + ".layout.json")
                      .read_text("utf-8"))
    assert data["large_print"] is True and data["copies"]["count"] == 2
