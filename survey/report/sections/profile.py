"""Who answered: medians, quantiles and the weighting margins."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.report.document import (
    Cell,
    Section,
    Table,
)
from survey.report.numbers import (
    WHOLE,
)

if TYPE_CHECKING:
    from survey.report.build import Builder


def profile_section(builder: Builder) -> Section:
    section = Section("profile", builder.t("headings.profile"))
    cells = builder.run.get("margin_cells") or []
    if cells:
        section.paragraphs.append(builder.t("profile.intro"))
        totals: dict[str, float] = {}
        for cell in cells:
            totals[cell["margin"]] = totals.get(cell["margin"], 0.0) + cell["achieved"]
        by_margin: dict[str, list[list[Cell]]] = {}
        for cell in cells:
            margin, category = cell["margin"], cell["category"]
            label = builder.group_name(margin, category)
            count = int(cell["respondents"])
            shown = count >= builder.min_cell
            by_margin.setdefault(margin, []).append([
                Cell(label),
                Cell(builder.n.count(count) if shown else builder.t("table.suppressed"),
                     numeric=True),
                Cell(builder.n.percent(cell["target"] / totals[margin]), numeric=True),
                Cell(builder.n.percent(cell["achieved"] / totals[margin]), numeric=True)])
        for margin, rows in by_margin.items():
            section.tables.append(Table(builder.margin_label(margin), [
                builder.t("table.group"), builder.t("table.respondents"),
                builder.t("table.population"), builder.t("table.weighted_share")], rows))
    figures = [i for i in builder.ids if builder.kinds[i] in ("median", "quantiles", "mean")]
    rows, notes = [], []
    for indicator in figures:
        for _, row in builder.rows(indicator).iterrows():
            rows.append([Cell(builder.indicator(indicator)), Cell(builder.category(row)),
                         builder.cell(row), builder.interval(row), builder.base(row)])
        builder.used.add(indicator)
        ends = builder.scale_ends(indicator)
        if ends is not None:
            (low, low_label), (high, high_label) = ends
            notes.append(f"{builder.question(indicator)} " + builder.t(
                "numbers.scale_ends", low=builder.n.format(low, WHOLE), low_label=low_label,
                high=builder.n.format(high, WHOLE), high_label=high_label))
    if rows:
        section.tables.append(Table(builder.t("profile.figures"), [
            "", "", builder.t("table.estimate"),
            builder.t("table.interval", level=builder.level), builder.t("table.base")], rows,
            notes))
    return section
