"""Group comparisons: breakdown tables and answers given together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.report.document import (
    Section,
)
from survey.report.labels import PAIR

if TYPE_CHECKING:
    from survey.report.build import Builder

PAIRS_SHOWN = 10


def breakdowns_section(builder: Builder) -> Section:
    section = Section("breakdowns", builder.t("headings.breakdowns"))
    for indicator in builder.needs[:1]:
        items = builder.top_items(indicator)
        for breakdown in builder.breakdowns:
            section.tables.append(builder.matrix(indicator, breakdown, items))
    return section


def cooccurrence_section(builder: Builder) -> Section:
    section = Section("cooccurrence", builder.t("headings.cooccurrence"))
    for indicator in (i for i in builder.ids if builder.kinds[i] == "co_occurrence"):
        rows = builder.rows(indicator)
        pairs = rows[rows["category"].str.contains(PAIR, regex=False)]
        shown = builder.ranked(pairs).head(PAIRS_SHOWN)
        if shown.empty:
            section.paragraphs.append(builder.t("chart.all_suppressed", min_cell=builder.min_cell))
            continue
        section.charts.append(builder.bars_chart(
            f"pairs-{indicator}", builder.t("titles.cooccurrence",
                                         question=builder.question(indicator),
                                         pair=builder.category(shown.iloc[0]),
                                         estimate=builder.figure(shown.iloc[0]).text),
            shown, indicator))
        builder.used.add(indicator)
    return section
