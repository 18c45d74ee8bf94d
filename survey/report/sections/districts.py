"""The area breakdown: the district comparison and one page per area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.report.document import (
    Cell,
    OnePager,
    Section,
    Table,
)
from survey.report.maps import one_pager_map, report_maps

if TYPE_CHECKING:
    from survey.report.build import Builder


def districts_section(builder: Builder) -> Section:
    section = Section("districts", builder.t("headings.districts"))
    if builder.area is None or not builder.needs:
        return section
    section.paragraphs.append(builder.t("districts.intro"))
    section.maps = report_maps(builder)
    for group, label in builder.groups(builder.area):
        chart = builder.compare_chart(builder.needs[0], group, label)
        if chart is None:
            section.paragraphs.append(builder.t("districts.suppressed", group=label,
                                             min_cell=builder.min_cell))
        else:
            section.charts.append(chart)
    return section


def one_pagers(builder: Builder) -> list[OnePager]:
    if builder.area is None or not builder.needs:
        return []
    pages = []
    indicator = builder.needs[0]
    for group, label in builder.groups(builder.area):
        rows = builder.rows(indicator, builder.area, group)
        bases = rows["base_n"].dropna()
        chart = builder.compare_chart(indicator, group, label)
        note = "" if chart is not None else builder.t("districts.suppressed", group=label,
                                                   min_cell=builder.min_cell)
        table = None
        if chart is not None:
            own = rows.set_index("category", drop=False)
            overall = builder.rows(indicator).set_index("category", drop=False)
            table = Table(builder.indicator(indicator), [
                "", label, builder.t("chart.total")], [
                [Cell(b.label), builder.cell(own.loc[b.category]),
                 builder.cell(overall.loc[b.category])] for b in chart.bars],
                builder.table_notes()[:2])
        pages.append(OnePager(
            label, builder.t("one_pager.title", group=label),
            builder.t("one_pager.base", base=builder.n.count(bases.max()), group=label)
            if len(bases) else "", chart, table, note, one_pager_map(builder, group)))
    return pages
