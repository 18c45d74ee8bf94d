"""The summary: the findings a mayor reads on one page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.report.document import (
    Section,
    Sentence,
)
from survey.report.numbers import (
    WHOLE,
)

if TYPE_CHECKING:
    from survey.report.build import Builder

SUMMARY_FINDINGS = 7
"""A mayor reads one page: at most this many findings."""


def finding(builder: Builder, indicator: str) -> Sentence | None:
    """One plain sentence for the summary: the leading answer of the indicator (or the
    two that lead together), rounded; None when nothing leads."""
    wording = builder.wording(indicator)
    question = builder.indicator(indicator)
    kind = builder.kinds[indicator]
    if kind in ("mean", "median", "quantiles"):
        rows = builder.rows(indicator)
        rows = rows[rows["category"].isin(("mean", "p50"))]
        shown = builder.ranked(rows)
        if shown.empty:
            return None
        row = shown.iloc[0]
        ends = builder.scale_ends(indicator)
        if row["category"] != "p50" and ends is not None:
            (low, low_label), (high, high_label) = ends
            return builder.sentence("summary.mean_scale", {
                "estimate": builder.rounded(row), "question": question,
                "low": builder.n.format(low, WHOLE), "low_label": low_label,
                "high": builder.n.format(high, WHOLE), "high_label": high_label})
        return builder.sentence("summary.median" if row["category"] == "p50"
                             else "summary.mean",
                             {"estimate": builder.rounded(row), "question": question})
    leaders = builder.leaders(builder.rows(indicator))
    if not leaders:
        return None
    top = leaders[0]
    if len(leaders) > 1:
        other = leaders[1]
        return builder.sentence("summary.tied", {
            "item": builder.category(top), "estimate": builder.rounded(top),
            "other": builder.category(other), "other_estimate": builder.rounded(other),
            "question": question})
    key = wording if wording in ("need", "satisfaction", "agreement") else "share"
    return builder.sentence(f"summary.{key}", {"item": builder.category(top),
                                            "estimate": builder.rounded(top),
                                            "question": question})


def summary(builder: Builder) -> Section:
    """One page for a mayor: who answered, at most seven findings as sentences with
    rounded figures (the intervals are in the annex), what the quadrant says."""
    section = Section("summary", builder.t("headings.summary"))
    section.paragraphs.append(builder.t("summary.intro",
                                     respondents=builder.n.count(builder.run["respondents"]),
                                     level=builder.level))
    gaps = builder.gaps()
    order = {s.id: k for k, s in enumerate(builder.plan.questionnaire.sections)}
    others = [i for i in builder.ids if i not in builder.needs
              and builder.kinds[i] in ("share", "multi", "mean", "median", "quantiles")]
    others.sort(key=lambda i: order.get(builder.section_of(i), len(order)))
    room = SUMMARY_FINDINGS - len(gaps)
    for indicator in [*builder.needs, *others]:
        if len(section.sentences) >= room:
            break
        sentence = finding(builder, indicator)
        if sentence is not None:
            section.sentences.append(sentence)
    for gap in gaps:
        focus = builder.rows(gap)
        focus = focus[focus["quadrant"] == "concentrate here"]
        section.sentences.append(Sentence([
            builder.t("summary.actionable",
                   items=builder.listing([builder.category(r) for _, r in focus.iterrows()]))
            if len(focus) else builder.t("summary.none_actionable")]))
    section.paragraphs.append(builder.t("summary.annex"))
    return section
