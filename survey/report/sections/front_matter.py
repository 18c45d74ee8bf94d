"""Foreword, recommendations and imprint: the project's own words from report.yaml."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.report.document import (
    Section,
    Sentence,
)
from survey.report.safe_text import clean

if TYPE_CHECKING:
    from survey.report.build import Builder


def foreword_section(builder: Builder) -> Section:
    section = Section("foreword", builder.t("headings.foreword"))
    if builder.facts.foreword:
        section.paragraphs = [p.strip() for p in builder.facts.foreword.split("\n\n")
                              if p.strip()]
    return section


def recommendations_section(builder: Builder) -> Section:
    section = Section("recommendations", builder.t("headings.recommendations"))
    section.sentences = [Sentence([clean(r)]) for r in builder.facts.recommendations]
    return section


def imprint_section(builder: Builder) -> Section:
    section = Section("imprint", builder.t("headings.imprint"))
    for text in (builder.facts.imprint, builder.facts.contact):
        section.paragraphs += [p.strip() for p in text.split("\n\n") if p.strip()]
    return section
