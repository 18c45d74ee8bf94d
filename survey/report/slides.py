"""The conference deck (python-pptx) and the chart pack for organisers who build their own.

One finding per slide: the finding as the headline, its chart, what is left out as a footnote,
and the exact figures with their intervals and bases in the speaker notes, with the caveats a
presenter must not forget. A paragraph in Arabic script is marked right-to-left (python-pptx
does not do this itself).
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from survey.report.charts import render
from survey.report.document import Chart, Document
from survey.report.safe_text import is_right_to_left
from survey.report.texts import Texts
from survey.safe_cells import neutralise

SLIDES_FILE = "slides.pptx"
CHART_PACK = "chart-pack"
WIDE = (Inches(13.333), Inches(7.5))
MARGIN = Inches(0.6)
BLUE = (0x0B, 0x3C, 0x5D)
FONT = "Noto Sans"


def _paragraph_text(frame, text: str, size: int, bold: bool = False,
                    first: bool = False, colour: tuple[int, int, int] | None = None) -> None:
    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    if colour is not None:
        run.font.color.rgb = RGBColor(*colour)
    if is_right_to_left(text):
        paragraph._p.get_or_add_pPr().set("rtl", "1")
        paragraph.alignment = PP_ALIGN.RIGHT
    paragraph.space_after = Pt(6)


def _text_box(slide, left: int, top: int, width: int, height: int,
              lines: list[str], size: int, bold: bool = False,
              colour: tuple[int, int, int] | None = None) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for k, line in enumerate(lines):
        _paragraph_text(frame, line, size, bold, first=k == 0, colour=colour)


def _notes(slide, lines: list[str]) -> None:
    frame = slide.notes_slide.notes_text_frame
    frame.text = lines[0] if lines else ""
    for line in lines[1:]:
        frame.add_paragraph().text = line
    for paragraph in frame.paragraphs:
        if is_right_to_left(paragraph.text):
            paragraph._p.get_or_add_pPr().set("rtl", "1")


def _picture(slide, image: Path, top: int, width: int, height: int) -> None:
    """The chart as large as fits, centred."""
    with Image.open(image) as found:
        ratio = found.width / found.height
    w, h = (width, int(width / ratio)) if width / ratio <= height else (int(height * ratio),
                                                                         height)
    slide.shapes.add_picture(str(image), Emu(int((WIDE[0] - w) / 2)), top, w, h)


def write_chart_pack(charts: list[Chart], out: Path) -> Path:
    """chart-pack/: every chart as a titled PNG, and alt-texts.csv to go with them."""
    folder = out / CHART_PACK
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "alt-texts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "alt_text"])
        for chart in charts:
            if chart.empty:
                continue
            name = f"{chart.id}.png"
            render(chart, folder / name, title=True, dpi=150)
            writer.writerow([name, neutralise(chart.title), neutralise(chart.alt)])
    return folder


def write_slides(doc: Document, texts: Texts, out: Path, respondents: str,
                 caveats: list[str], method: list[str]) -> Path:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE
    blank = deck.slide_layouts[6]
    width = WIDE[0] - 2 * MARGIN
    scratch = tempfile.TemporaryDirectory(prefix="slides-")
    images = Path(scratch.name)

    title = deck.slides.add_slide(blank)
    _text_box(title, MARGIN, Inches(0.8), width, Inches(0.5), [doc.organisation], 16, True,
              (0x00, 0x72, 0xB2))
    _text_box(title, MARGIN, Inches(2.0), width, Inches(2.0), [doc.title], 40, True, BLUE)
    _text_box(title, MARGIN, Inches(4.2), width, Inches(1.2),
              [texts("slides.title_note", respondents=respondents), doc.audience], 20)
    if doc.warning:
        _text_box(title, MARGIN, Inches(6.0), width, Inches(1.0), [doc.warning], 12,
                  colour=(0xD5, 0x5E, 0x00))

    for section in doc.sections:
        if section.key == "summary":
            slide = deck.slides.add_slide(blank)
            _text_box(slide, MARGIN, Inches(0.4), width, Inches(0.9), [section.heading], 30,
                      True, BLUE)
            sentences = ["".join(p if isinstance(p, str) else p.text for p in s.parts)
                         for s in section.sentences]
            _text_box(slide, MARGIN, Inches(1.5), width, Inches(5.5),
                      sentences + section.paragraphs[1:], 16)
            _notes(slide, [section.paragraphs[0], *sentences, texts("slides.notes_caveats"),
                           *caveats])
        for chart in section.charts:
            slide = deck.slides.add_slide(blank)
            _text_box(slide, MARGIN, Inches(0.3), width, Inches(1.0), [chart.title], 26, True,
                      BLUE)
            if chart.subtitle:
                _text_box(slide, MARGIN, Inches(1.15), width, Inches(0.4), [chart.subtitle], 13,
                          colour=(0x55, 0x55, 0x55))
            if chart.empty:
                _text_box(slide, MARGIN, Inches(3.0), width, Inches(1.5), [chart.note], 18)
            else:
                image = render(chart, images / f"{chart.id}.png", width=10, dpi=150,
                               font_size=12)
                _picture(slide, image, Inches(1.6), width, Inches(5.1))
                if chart.note:
                    _text_box(slide, MARGIN, Inches(6.85), width, Inches(0.5), [chart.note], 11)
            _notes(slide, [chart.title, texts("slides.notes_figures"), *chart.notes_figures,
                           texts("slides.notes_caveats"), *caveats])

    slide = deck.slides.add_slide(blank)
    _text_box(slide, MARGIN, Inches(0.4), width, Inches(0.9), [texts("slides.methodology")], 30,
              True, BLUE)
    _text_box(slide, MARGIN, Inches(1.5), width, Inches(5.7), method, 13)
    _notes(slide, method + caveats)
    target = out / SLIDES_FILE
    deck.save(str(target))
    scratch.cleanup()
    return target
