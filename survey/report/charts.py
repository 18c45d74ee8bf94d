"""Charts with matplotlib: SVG for HTML and PDF, PNG for slides and the chart pack.

A colour-blind-safe palette (Okabe & Ito), values written at the bars instead of a legend,
intervals drawn on every bar, labels taken literally (mathtext off: a label with `$` in it is
text, not a formula). A chart whose figures are all suppressed is never drawn: callers show
its note instead of an empty axis.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from matplotlib.typing import RcKeyType

from survey.report.document import Chart
from survey.report.numbers import Numbers

BLUE, ORANGE, GREEN, VERMILLION, SKY, GREY = ("#0072B2", "#E69F00", "#009E73", "#D55E00",
                                              "#56B4E9", "#6E6E6E")
INK = "#1A1A1A"
STYLE: dict[RcKeyType, Any] = {
    "font.family": ["Noto Sans", "Noto Sans Arabic", "DejaVu Sans"],
    "font.size": 9,
    "text.parse_math": False,
    "axes.spines.top": False, "axes.spines.right": False,
    "axes.edgecolor": GREY, "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
    "svg.fonttype": "path", "svg.hashsalt": "survey-report",
}
LABEL_WIDTH = 34
WIDTH = 6.6
"""Inches: the text width of an A4 page with the report's margins."""


def _ticks(axis: Any, chart: Chart) -> None:
    """Tick labels as the report's language writes numbers ("2,6" in German, "40 %")."""
    numbers = Numbers(chart.locale)
    axis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda value, _position: numbers.axis(value, chart.style)))


def _wrap(text: str, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _bars(figure: Figure, chart: Chart) -> None:
    axes = figure.add_subplot()
    bars = [b for b in chart.bars if b.estimate is not None][::-1]
    positions = range(len(bars))
    values = [b.estimate or 0.0 for b in bars]
    compare = chart.kind == "compare"
    colours = [SKY if b.low_base else BLUE for b in bars]
    axes.barh(positions, values, height=0.62, color=colours, zorder=2)
    errors = [[max(0.0, (b.estimate or 0) - (b.low or 0)) for b in bars],
              [max(0.0, (b.high or 0) - (b.estimate or 0)) for b in bars]]
    axes.errorbar(values, positions, xerr=errors, fmt="none", ecolor=INK, elinewidth=0.8,
                  capsize=2.5, zorder=3)
    top = max([b.high or b.estimate or 0 for b in bars] + [b.compare or 0 for b in bars])
    if compare:
        marks = [(p, b.compare) for p, b in zip(positions, bars, strict=True)
                 if b.compare is not None]
        axes.scatter([m[1] for m in marks], [m[0] for m in marks], marker="D", s=28,
                     color=ORANGE, edgecolor=INK, linewidth=0.6, zorder=4)
    for position, bar in zip(positions, bars, strict=True):
        end = bar.high or bar.estimate or 0
        if compare and bar.compare is not None:  # past the diamond, never on it
            end = max(end, bar.compare + top * 0.02)
        axes.text(end + top * 0.02, position,
                  f"({bar.text})" if bar.low_base else bar.text, va="center", fontsize="medium",
                  color=INK)
    axes.set_yticks(list(positions), [_wrap(b.label) for b in bars])
    axes.set_xlim(0, top * 1.22 if top > 0 else 1)
    axes.tick_params(axis="y", length=0)
    axes.spines["left"].set_visible(False)
    axes.xaxis.grid(True, color="#DDDDDD", linewidth=0.6, zorder=0)
    _ticks(axes.xaxis, chart)
    if chart.axis:
        axes.set_xlabel(chart.axis)
    if compare and bars:
        own, overall = chart.legend
        axes.text(0, len(bars) - 0.35, f"■ {own}", color=BLUE, fontsize="medium", va="bottom",
                  fontweight="bold")
        axes.text(top * 0.55, len(bars) - 0.35, f"◆ {overall}", color="#A66F00",
                  fontsize="medium", va="bottom", fontweight="bold")


def _quadrant(figure: Figure, chart: Chart) -> None:
    axes = figure.add_subplot()
    xs = [p.x for p in chart.points]
    ys = [p.y for p in chart.points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    axes.axvline(mean_x, color=GREY, linewidth=0.8, linestyle="--", zorder=1)
    axes.axhline(mean_y, color=GREY, linewidth=0.8, linestyle="--", zorder=1)
    colours = [VERMILLION if p.highlight else BLUE for p in chart.points]
    axes.scatter(xs, ys, s=36, color=colours, edgecolor="white", linewidth=0.6, zorder=3)
    pad_x = (max(xs) - min(xs)) * 0.18 or 0.5
    pad_y = (max(ys) - min(ys)) * 0.12 or 0.5
    axes.set_xlim(min(xs) - pad_x * 0.6, max(xs) + pad_x * 1.6)
    axes.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    _label_points(figure, axes, chart)
    places = ((0.01, 0.98, "left", "top"), (0.99, 0.98, "right", "top"),
              (0.01, 0.02, "left", "bottom"), (0.99, 0.02, "right", "bottom"))
    for k, (text, (x, y, ha, va)) in enumerate(zip(chart.corners, places, strict=False)):
        axes.text(x, y, text, transform=axes.transAxes, ha=ha, va=va, fontsize="small",
                  style="italic", color=VERMILLION if k == 0 else GREY)
    _ticks(axes.xaxis, chart)
    _ticks(axes.yaxis, chart)
    axes.set_xlabel(chart.x_axis)
    axes.set_ylabel(chart.y_axis)


_OFFSETS = ((5, 3, "left"), (5, -12, "left"), (-5, 3, "right"), (-5, -12, "right"),
            (5, 14, "left"), (5, -24, "left"), (-5, 14, "right"), (-5, -24, "right"))


def _label_points(figure: Figure, axes: Axes, chart: Chart) -> None:
    """Direct labels beside the points, moved round a point until they overlap nothing."""
    # matplotlib ships no annotations for backend_agg
    renderer = FigureCanvasAgg(figure).get_renderer()  # type: ignore[no-untyped-call]
    figure.draw_without_rendering()
    frame = axes.get_window_extent(renderer)
    taken: list[Bbox] = []
    for point in sorted(chart.points, key=lambda p: not p.highlight):
        for dx, dy, ha in _OFFSETS:
            label = axes.annotate(_wrap(point.label, 22), (point.x, point.y), xytext=(dx, dy),
                                  textcoords="offset points", fontsize="small", ha=ha,
                                  color=VERMILLION if point.highlight else INK,
                                  fontweight="bold" if point.highlight else "normal")
            box = label.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 \
                and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in taken):
                break
            if (dx, dy, ha) != _OFFSETS[-1]:
                label.remove()
        taken.append(box)


def _height(chart: Chart) -> float:
    if chart.kind == "quadrant":
        return 4.6
    lines = sum(max(1, len(textwrap.wrap(b.label, LABEL_WIDTH))) for b in chart.bars
                if b.estimate is not None)
    return 0.9 + 0.24 * lines + 0.12 * len(chart.bars) + (0.3 if chart.kind == "compare" else 0)


def render(chart: Chart, path: Path, *, title: bool = False, width: float = WIDTH,
           dpi: int = 200, font_size: float = 9) -> Path:
    """Draw `chart` to `path` (.svg or .png); with `title` the finding is written above it
    (the chart pack: images used on their own). Slides ask for a larger `font_size`."""
    if chart.empty:
        raise ValueError(f"chart {chart.id} has no published figure; show its note instead")
    with plt.rc_context({**STYLE, "font.size": font_size}):
        height = _height(chart) * font_size / 9 + (0.4 if title else 0)
        figure = Figure(figsize=(width, height), layout="constrained")
        (_quadrant if chart.kind == "quadrant" else _bars)(figure, chart)
        if title:
            figure.suptitle(_wrap(chart.title, 80), x=0.01, ha="left", fontsize="large",
                            fontweight="bold", color=INK)
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=dpi, metadata={"Date": None} if path.suffix == ".svg"
                       else None)
    return path
