"""The conference deck (python-pptx) and the chart pack for organisers who build their own.

One finding per slide: the finding as the headline, its chart, what is left out as a footnote,
and the exact figures with their intervals and bases in the speaker notes, with the caveats a
presenter must not forget. The summary and the method are a few short lines; their full text
is in the speaker notes. A paragraph in Arabic script is marked right-to-left (python-pptx
does not do this itself).

Bar charts are native PowerPoint charts with their figures inside (Edit Data), so organisers
can restyle and translate them: at most eight bars, labels of 14 pt, numbers in the report
language's format. Only the importance–satisfaction quadrant stays a picture: a native chart
cannot put each point's name beside it, nor draw the mean lines and the quadrant names.
Intervals are not drawn on native bars; they are in the notes.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PIL import Image
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from survey.report.charts import render
from survey.report.document import Bar, Cell, Chart, Document, Section
from survey.report.numbers import spreadsheet_format
from survey.report.safe_text import is_right_to_left
from survey.report.texts import Texts
from survey.safe_cells import neutralise

SLIDES_FILE = "slides.pptx"
CHART_PACK = "chart-pack"
WIDE = (Inches(13.333), Inches(7.5))
MARGIN = Inches(0.6)
BLUE = (0x0B, 0x3C, 0x5D)
FONT = "Noto Sans"
MOST_BARS = 8
"""Bars per chart a hall can read; more categories: the seven largest and the rest."""
LABEL_SIZE = 14
SUMMARY_POINTS = 4
"""Findings on the summary slide; all of them are in its notes."""
BAR_COLOURS = ((0x00, 0x72, 0xB2), (0xE6, 0x9F, 0x00))
LOW_BASE_COLOUR = (0x56, 0xB4, 0xE9)
_rgb: Callable[[int, int, int], RGBColor] = RGBColor
"""RGBColor with the signature python-pptx leaves unannotated."""


# python-pptx's own annotations are partial and in places wrong (add_chart is said to return a
# Chart; positions must be a Length, not the int that arithmetic on lengths gives), so its
# slides and text frames are Any here.
def _paragraph_text(frame: Any, text: str, size: int, bold: bool = False,
                    first: bool = False, colour: tuple[int, int, int] | None = None) -> None:
    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    if colour is not None:
        run.font.color.rgb = _rgb(*colour)
    if is_right_to_left(text):
        paragraph._p.get_or_add_pPr().set("rtl", "1")
        paragraph.alignment = PP_ALIGN.RIGHT
    paragraph.space_after = Pt(6)


def _text_box(slide: Any, left: int, top: int, width: int, height: int,
              lines: list[str], size: int, bold: bool = False,
              colour: tuple[int, int, int] | None = None) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for k, line in enumerate(lines):
        _paragraph_text(frame, line, size, bold, first=k == 0, colour=colour)


def _notes(slide: Any, lines: list[str]) -> None:
    frame = slide.notes_slide.notes_text_frame
    frame.text = lines[0] if lines else ""
    for line in lines[1:]:
        frame.add_paragraph().text = line
    for paragraph in frame.paragraphs:
        if is_right_to_left(paragraph.text):
            paragraph._p.get_or_add_pPr().set("rtl", "1")


def _picture(slide: Any, image: Path, top: int, width: int, height: int) -> None:
    """The chart as large as fits, centred."""
    with Image.open(image) as found:
        ratio = found.width / found.height
    w, h = (width, int(width / ratio)) if width / ratio <= height else (int(height * ratio),
                                                                         height)
    slide.shapes.add_picture(str(image), Emu(int((WIDE[0] - w) / 2)), top, w, h)


class _TextCells(CategoryWorkbookWriter):
    """The chart's workbook with every label written as text: a category such as
    "=HYPERLINK(...)" must never become a formula in the data organisers open."""

    def _write_cat_column(self, worksheet: Any, col: int, level: Iterable[tuple[int, Any]],
                          num_format: Any) -> None:
        worksheet.set_column(col, col, 10)
        for offset, name in level:
            worksheet.write_string(offset + 1, col, str(name), num_format)

    def _write_series(self, workbook: Any, worksheet: Any) -> None:
        offset = self._chart_data.categories.depth
        for k, series in enumerate(self._chart_data):
            num_format = workbook.add_format({"num_format": series.number_format})
            worksheet.write_string(0, k + offset, str(series.name))
            worksheet.write_column(1, k + offset, series.values, num_format)


class _ChartData(CategoryChartData):
    @property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return _TextCells(self)  # type: ignore[no-untyped-call]  # pptx leaves it unannotated


def chart_bars(chart: Chart, texts: Texts) -> tuple[list[Bar], list[Bar], Bar | None]:
    """(bars drawn, bars left out, the bar summing those left out or None). A chart of more
    than eight bars keeps the seven largest (in their order) and, when its categories
    exclude each other, one bar summing the rest ("other answers (N)"); shares of answers
    that can be chosen together do not add up, so they are listed in a footnote instead."""
    bars = [b for b in chart.bars if b.estimate is not None]
    if len(bars) <= MOST_BARS:
        return bars, [], None
    largest = sorted(bars, key=lambda b: -(b.estimate or 0))[:MOST_BARS - 1]
    kept = [b for b in bars if b in largest]
    rest = [b for b in bars if b not in largest]
    if not chart.additive:
        return kept, rest, None
    other = Bar(texts("slides.other_answers", count=len(rest)),
                sum(b.estimate or 0 for b in rest), "", low_base=any(b.low_base for b in rest))
    return kept, rest, other


def _native_chart(slide: Any, chart: Chart, texts: Texts, top: int, width: int,
                  height: int) -> list[Bar]:
    """The chart as a native bar chart; returns the bars it leaves out."""
    bars, rest, other = chart_bars(chart, texts)
    shown = bars + ([other] if other is not None else [])
    number_format = spreadsheet_format(chart.locale, chart.style)
    data = _ChartData(number_format=number_format)  # type: ignore[no-untyped-call]  # as above
    data.categories = [b.label for b in shown]
    compare = chart.kind == "compare"
    own, overall = chart.legend if compare else (chart.subtitle or chart.title, "")
    # python-pptx leaves the chart data's methods unannotated
    data.add_series(own, [b.estimate for b in shown], number_format)  # type: ignore[no-untyped-call]
    if compare:
        data.add_series(overall, [b.compare for b in shown],  # type: ignore[no-untyped-call]
                        number_format)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, MARGIN, top, width, height,
                                   data)
    native = frame.chart
    native.font.size = Pt(LABEL_SIZE)
    native.font.name = FONT
    native.has_title = False  # the slide's title says it; a one-series chart would repeat it
    native.has_legend = compare
    if compare:
        native.legend.position = XL_LEGEND_POSITION.TOP
        native.legend.include_in_layout = False
        native.legend.font.size = Pt(LABEL_SIZE)
    categories = native.category_axis
    categories.reverse_order = True  # the first bar at the top, as in the report
    categories.tick_labels.font.size = Pt(LABEL_SIZE)
    categories.format.line.color.rgb = _rgb(0x6E, 0x6E, 0x6E)
    values = native.value_axis
    values.minimum_scale = 0
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _rgb(0xDD, 0xDD, 0xDD)
    values.tick_labels.font.size = Pt(LABEL_SIZE)
    values.tick_labels.number_format = number_format
    values.tick_labels.number_format_is_linked = False
    if chart.axis:
        values.has_title = True
        values.axis_title.text_frame.text = chart.axis
        values.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(LABEL_SIZE)
    plot = native.plots[0]
    plot.gap_width = 60
    plot.overlap = 0
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(LABEL_SIZE)
    for series, colour in zip(plot.series, BAR_COLOURS, strict=False):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(*colour)
    for k, bar in enumerate(shown):
        if bar.low_base:
            point = plot.series[0].points[k]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(*LOW_BASE_COLOUR)
    return rest


def _table_slide(slide: Any, section: Section, width: int, caveats: list[str],
                 texts: Texts) -> None:
    """A section's short table as a native table (the changes since the previous wave); its
    paragraphs and findings in the notes."""
    table = section.slide_table
    assert table is not None
    _text_box(slide, MARGIN, Inches(0.3), width, Inches(1.0), [table.caption], 26, True, BLUE)
    if not table.rows:
        _text_box(slide, MARGIN, Inches(2.5), width, Inches(2.0), table.notes, 22)
    else:
        shape = slide.shapes.add_table(len(table.rows) + 1, len(table.columns), MARGIN,
                                       Inches(1.5), width, Inches(0.5) * (len(table.rows) + 1))
        grid = shape.table
        grid.columns[0].width = int(width * 0.52)
        for k in range(1, len(table.columns)):
            grid.columns[k].width = int(width * 0.48 / (len(table.columns) - 1))
        for row, cells in enumerate([[Cell(c) for c in table.columns], *table.rows]):
            for column, cell in enumerate(cells):
                frame = grid.cell(row, column).text_frame
                text = cell.figure.text if cell.figure is not None else cell.text
                _paragraph_text(frame, text, LABEL_SIZE, bold=row == 0, first=True)
                if cell.numeric:
                    frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    sentences = ["".join(p if isinstance(p, str) else p.text for p in s.parts)
                 for s in section.sentences]
    _notes(slide, [section.heading, *section.paragraphs[:1], *sentences,
                   *section.paragraphs[1:], texts("slides.notes_caveats"), *caveats])


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
                 caveats: list[str], method: list[str], method_points: list[str]) -> Path:
    """The deck: title, summary, one slide per chart, method. `method` is the report's
    method section (for the notes), `method_points` its few lines for the slide."""
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
        if section.slide_table is not None:
            _table_slide(deck.slides.add_slide(blank), section, width, caveats, texts)
        if section.key == "summary":
            slide = deck.slides.add_slide(blank)
            _text_box(slide, MARGIN, Inches(0.4), width, Inches(0.9), [section.heading], 30,
                      True, BLUE)
            sentences = ["".join(p if isinstance(p, str) else p.text for p in s.parts)
                         for s in section.sentences]
            _text_box(slide, MARGIN, Inches(1.5), width, Inches(5.5),
                      [f"• {line}" for line in sentences[:SUMMARY_POINTS]], 20)
            _notes(slide, [section.paragraphs[0], texts("slides.notes_summary"), *sentences,
                           *section.paragraphs[1:], texts("slides.notes_caveats"), *caveats])
        for chart in section.charts:
            slide = deck.slides.add_slide(blank)
            _text_box(slide, MARGIN, Inches(0.3), width, Inches(1.0), [chart.title], 26, True,
                      BLUE)
            if chart.subtitle:
                _text_box(slide, MARGIN, Inches(1.15), width, Inches(0.4), [chart.subtitle], 14,
                          colour=(0x55, 0x55, 0x55))
            footnotes = [chart.note] if chart.note else []
            if chart.empty:
                _text_box(slide, MARGIN, Inches(3.0), width, Inches(1.5), [chart.note], 18)
                footnotes = []
            elif chart.kind == "quadrant":
                image = render(chart, images / f"{chart.id}.png", width=10, dpi=150,
                               font_size=12)
                _picture(slide, image, Inches(1.6), width, Inches(5.1))
            else:
                rest = _native_chart(slide, chart, texts, Inches(1.6), width, Inches(5.1))
                if rest and not chart.additive:
                    footnotes.append(texts("slides.not_shown", count=len(rest),
                                           items=", ".join(b.label for b in rest)))
            if footnotes:
                _text_box(slide, MARGIN, Inches(6.75), width, Inches(0.6), footnotes, 12)
            _notes(slide, [chart.title, chart.alt, texts("slides.notes_figures"),
                           *chart.notes_figures, texts("slides.notes_caveats"), *caveats])

    slide = deck.slides.add_slide(blank)
    _text_box(slide, MARGIN, Inches(0.4), width, Inches(0.9), [texts("slides.methodology")], 30,
              True, BLUE)
    _text_box(slide, MARGIN, Inches(1.5), width, Inches(5.7),
              [f"• {line}" for line in method_points], 20)
    _notes(slide, [texts("slides.notes_method"), *method, texts("slides.notes_caveats"),
                   *caveats])
    target = out / SLIDES_FILE
    deck.save(str(target))
    scratch.cleanup()
    return target
