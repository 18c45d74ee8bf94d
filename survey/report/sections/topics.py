"""Every other indicator, grouped by the questionnaire section its question is in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.report.document import (
    Section,
)

if TYPE_CHECKING:
    from survey.report.build import Builder


def topics_section(builder: Builder) -> Section:
    section = Section("topics", builder.t("headings.topics"))
    order = {s.id: k for k, s in enumerate(builder.plan.questionnaire.sections)}
    topics = [i for i in builder.ids if i not in builder.used and builder.kinds[i] in
              ("share", "multi")]
    topics.sort(key=lambda i: order.get(builder.section_of(i), len(order)))
    for indicator in topics:
        rows = builder.rows(indicator)
        kind = builder.kinds[indicator]
        published = builder.ranked(rows)
        leaders = builder.leaders(rows)
        if published.empty or not leaders:
            title = builder.indicator(indicator)
        elif kind == "share" and len(leaders) == 1:
            title = builder.t("titles.share", question=builder.question(indicator),
                           category=builder.category(leaders[0]),
                           estimate=builder.figure(leaders[0]).text)
        else:
            title = builder.ranked_title(rows)
        chart = builder.bars_chart(f"topic-{indicator}", title, rows, indicator,
                                sort=kind == "multi")
        section.charts.append(chart)
    return section
