"""How the figures were made, and the annex of every figure with its interval."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.report.document import (
    Cell,
    Section,
    Table,
)

if TYPE_CHECKING:
    from survey.report.build import Builder


def methodology_section(builder: Builder) -> Section:
    """What the toolkit knows (counts, weighting, intervals, disclosure), and what the
    project says about its fieldwork; nothing about the survey is assumed."""
    run, n, facts = builder.run, builder.n, builder.facts
    section = Section("methodology", builder.t("headings.methodology"))
    section.paragraphs.append(builder.t("methodology.reached",
                                     respondents=n.count(run["respondents"])))
    if facts.invited:
        section.paragraphs.append(builder.t(
            "methodology.response_rate", invited=n.count(facts.invited),
            respondents=n.count(run["respondents"]),
            rate=n.rounded_percent(run["respondents"] / facts.invited)))
    if facts.fieldwork:
        section.paragraphs.append(builder.t("methodology.fieldwork",
                                         fieldwork=facts.fieldwork.rstrip(".")))
    if facts.recruitment:
        section.paragraphs.append(facts.recruitment)
    returns = builder.results.returns
    if not returns.empty:
        statuses = ("accepted", "quarantined", "duplicate", "withdrawn")
        rows = [[Cell(builder.t(f"modes.{r['mode']}") if r["mode"] in builder.t.raw("modes")
                      else r["mode"]), Cell(builder.language_name(r["language"])),
                 *(Cell(n.count(r[s]), numeric=True) for s in statuses)]
                for _, r in returns.iterrows()]
        section.tables.append(Table(builder.t("headings.methodology"), [
            builder.t("table.mode"), builder.t("table.language"),
            *(builder.t(f"table.{s}") for s in statuses)], rows))
    if run.get("weighted"):
        margins = ", ".join(" × ".join(builder.breakdown_label(v) for v in m)
                            for m in run.get("margins", []))
        section.paragraphs.append(
            builder.t("methodology.weighting_population", population=facts.population,
                   margins=margins) if facts.population
            else builder.t("methodology.weighting", margins=margins))
        if facts.weighting_source:
            section.paragraphs.append(builder.t(
                "methodology.weighting_source",
                source=facts.weighting_source.strip().rstrip(".")))
        section.paragraphs.append(builder.t(
            "methodology.weighting_precision", respondents=n.count(run["respondents"]),
            effective_n=n.count(run["effective_n"]),
            design_effect=n.decimal(run["design_effect"])))
    else:
        section.paragraphs.append(builder.t("methodology.weighting_none"))
    section.paragraphs += [
        builder.t("methodology.intervals", level=builder.level),
        builder.t("methodology.significance", alpha=n.decimal(float(run["alpha"])),
               correction=builder.correction()),
        builder.t("methodology.disclosure", min_cell=builder.min_cell, low_base=builder.low_base),
        builder.t("methodology.free_text" if run.get("free_text") == "scrub"
               else "methodology.free_text_excluded")]
    if facts.limitations:
        section.paragraphs.append(facts.limitations)
    return section


def annex_section(builder: Builder) -> Section:
    section = Section("annex", builder.t("headings.annex"))
    section.paragraphs.append(builder.t("table.annex_note"))
    for indicator in (i for i in builder.ids if builder.kinds[i] != "regression"):  # own table
        rows = [[Cell(builder.category(row)), builder.cell(row), builder.interval(row),
                 builder.base(row)] for _, row in builder.rows(indicator).iterrows()]
        section.tables.append(Table(builder.indicator(indicator), [
            builder.t("table.category"), builder.t("table.estimate"),
            builder.t("table.interval", level=builder.level), builder.t("table.base")], rows,
            builder.table_notes()[:2]))
    return section
