"""The report as a format-free document: sections of sentences, charts and tables.

HTML/PDF, slides, XLSX and one-pagers all render this one structure, so a figure reads the
same everywhere. Every printed figure is a Figure carrying the results-table cell it comes
from (`ref`), which is how the tests prove that each number is the table's number.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    text: str
    """Formatted for the report's language."""
    ref: str = ""
    """`indicator|breakdown|group|category|column` of the results table; '' for run figures."""
    style: str = ""
    """How it is written (survey.report.numbers: percent, percent0, mean, year, scale:4 ...)."""


@dataclass(frozen=True)
class Cell:
    text: str = ""
    figure: Figure | None = None
    letters: str = ""
    low_base: bool = False
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Bar:
    label: str
    estimate: float | None
    """None when suppressed or without data."""
    category: str = ""
    low: float | None = None
    high: float | None = None
    text: str = ""
    low_base: bool = False
    compare: float | None = None
    """The overall figure the bar is compared with (one-pagers, area charts)."""
    compare_text: str = ""


@dataclass(frozen=True)
class Point:
    label: str
    x: float
    y: float
    quadrant: str
    highlight: bool


@dataclass(frozen=True)
class Chart:
    id: str
    kind: str
    """bars, compare or quadrant."""
    title: str
    alt: str
    subtitle: str = ""
    """What is measured (the indicator), under the finding."""
    share: bool = True
    style: str = "percent"
    """How the values are written (survey.report.numbers), on the axis too."""
    locale: str = "en"
    bars: list[Bar] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    axis: str = ""
    x_axis: str = ""
    y_axis: str = ""
    legend: tuple[str, str] = ("", "")
    corners: tuple[str, ...] = ()
    """Quadrant names: top left (important, unsatisfying), top right, bottom left, right."""
    note: str = ""
    """What is left out (suppressed); with no bars at all, the note replaces the chart."""
    notes_figures: list[str] = field(default_factory=list)
    """Exact figures for speaker notes."""
    additive: bool = False
    """The categories exclude each other (a single choice), so shares of some of them add up
    to the share of their union: slides may sum the smallest into one bar."""

    @property
    def empty(self) -> bool:
        return not (any(b.estimate is not None for b in self.bars) or self.points)


@dataclass(frozen=True)
class MapArea:
    """One area of a map: its figure, or why it has none."""

    area: str
    """The group of the area breakdown."""
    label: str
    value: float | None
    text: str
    """The figure as the report writes it; '' without one."""
    status: str = "data"
    """data, suppressed (disclosure control: hatched) or missing (no figure: grey)."""
    colour: str = ""
    ref: str = ""
    """The results-table cell (indicator|breakdown|group|category|estimate)."""


@dataclass(frozen=True)
class MapChart:
    """A choropleth of one figure per area (survey.report.maps draws it as SVG)."""

    id: str
    title: str
    alt: str
    areas: list[MapArea]
    shapes: dict[str, list[list[list[tuple[float, float]]]]]
    """Area -> its polygons, each a list of rings of (longitude, latitude)."""
    legend: list[tuple[str, str]]
    """(fill: a colour or "hatch", text) per entry, in the report's language."""
    legend_title: str = ""
    subtitle: str = ""
    note: str = ""
    """The attribution of the boundaries, and what the map leaves out."""
    highlight: str = ""
    """The area a one-pager is about, outlined."""
    source: str = ""
    """The attribution, written into the map itself (one-pagers; the report has it below)."""
    kind: str = "map"


@dataclass
class Sentence:
    """A summary sentence: its text split around the figures it states."""

    parts: list[str | Figure]


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    quotes: list[tuple[str, list[str]]] = field(default_factory=list)
    outline: list[tuple[int, str, str]] = field(default_factory=list)
    """(indent, text, style) lines of the questionnaire outline."""
    slide_table: Table | None = None
    """A short table for the section's slide (the changes since the previous wave)."""
    maps: list[MapChart] = field(default_factory=list)
    """Choropleths of the area figures (survey.report.maps), before the charts."""


@dataclass
class OnePager:
    group: str
    title: str
    base: str
    chart: Chart | None
    table: Table | None
    note: str
    map: MapChart | None = None
    """The areas' figures of the leading need, this area outlined."""


@dataclass
class Document:
    language: str
    direction: str
    title: str
    subtitle: str
    organisation: str
    audience: str
    prepared_by: str
    warning: str
    cover: list[str] = field(default_factory=list)
    """Lines under the title: date, fieldwork, authors (only those the project gave)."""
    min_cell: int = 10
    sections: list[Section] = field(default_factory=list)
    one_pagers: list[OnePager] = field(default_factory=list)
    all_charts: list[Chart] = field(default_factory=list)
