"""Needs ranked, and the importance–satisfaction quadrant."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from survey.report.document import (
    Cell,
    Chart,
    Point,
    Section,
    Table,
)
from survey.report.numbers import (
    MEAN,
)

if TYPE_CHECKING:
    from survey.report.build import Builder


def needs_section(builder: Builder) -> Section:
    section = Section("needs", builder.t("headings.needs"))
    for indicator in builder.needs:
        rows = builder.rows(indicator)
        section.charts.append(builder.bars_chart(f"needs-{indicator}", builder.ranked_title(rows),
                                              rows, indicator))
        builder.used.add(indicator)
    return section


def quadrant_section(builder: Builder) -> Section:
    section = Section("quadrant", builder.t("headings.quadrant"))
    for gap in builder.gaps():
        base = gap.rsplit(".", 1)[0]
        importance = builder.rows(f"{base}.importance").set_index("category")
        satisfaction = builder.rows(f"{base}.satisfaction").set_index("category")
        gaps = builder.rows(gap)
        points, lines, rows = [], [], []
        for _, row in gaps.iterrows():
            cat = row["category"]
            imp, sat = importance.loc[cat], satisfaction.loc[cat]
            label = builder.category(row)
            quadrant = builder.labels.quadrant(row["quadrant"])
            cells = [Cell(label)]
            for source in (imp, sat, row):
                full = source if source is row else pd.Series(
                    {**source.to_dict(), "category": cat})
                cells.append(Cell(figure=builder.figure(full), numeric=True)
                             if builder.published(full) else Cell(builder.t("table.suppressed")))
            rows.append([*cells, Cell(quadrant)])
            if not (builder.published(row) and builder.published(imp) and builder.published(sat)):
                continue
            points.append(Point(label, float(sat["estimate"]), float(imp["estimate"]),
                                quadrant, row["quadrant"] == "concentrate here"))
            lines.append(builder.t("chart.alt_point", label=label,
                                importance=builder.n.format(imp["estimate"], MEAN),
                                satisfaction=builder.n.format(sat["estimate"], MEAN),
                                quadrant=quadrant))
        focus = [p.label for p in points if p.highlight]
        question = builder.question(gap)
        title = (builder.t("titles.quadrant", question=question, items=builder.listing(focus))
                 if focus else builder.t("titles.quadrant_none", question=question))
        chart = Chart(f"quadrant-{base}", "quadrant", title,
                      builder.t("chart.alt_quadrant", title=title, items="; ".join(lines)),
                      share=False, style=MEAN, locale=builder.n.locale,
                      points=points, x_axis=builder.t("chart.satisfaction"),
                      corners=tuple(builder.labels.quadrant(q) for q in (
                          "concentrate here", "keep up the good work", "low priority",
                          "possible overkill")),
                      y_axis=builder.t("chart.importance"),
                      note="" if points else builder.t("chart.all_suppressed",
                                                    min_cell=builder.min_cell),
                      notes_figures=lines)
        builder.charts.append(chart)
        section.charts.append(chart)
        section.tables.append(Table(builder.indicator(base.split(".")[0]), [
            "", builder.t("categories.importance"), builder.t("categories.satisfaction"),
            builder.t("categories.gap"), ""], rows))
        builder.used |= {gap, f"{base}.importance", f"{base}.satisfaction"}
    return section
