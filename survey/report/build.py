"""From the results table to the report document: which findings lead, in what words.

Which indicators are "needs" follows from their kind: `top_ranked` (its `.top` part) leads,
then `needs`; `gap` gives the importance–satisfaction quadrant; `co_occurrence` the pairs; the
plan's first breakdown is the area breakdown of the district comparison and the one-pagers;
medians, quantiles and the weighting margins describe who answered. Everything else is a
topic, grouped by the questionnaire section its question belongs to.

What a finding says is held to the figures: a headline is worded by the indicator's kind
(need, satisfaction, agreement, share, mean), names its question, names every item whose
interval overlaps the leader's, and is left out when nothing is published or all is zero.
What the report says about the survey itself comes from the project (reports/report.yaml).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime
from string import Formatter
from typing import Any

import pandas as pd
from babel.dates import format_date
from babel.lists import format_list

from survey.paper.routing_text import routing_texts
from survey.questionnaire.languages import is_right_to_left, language_name
from survey.questionnaire.spec import QuestionType
from survey.report.document import (
    Bar,
    Cell,
    Chart,
    Document,
    Figure,
    OnePager,
    Point,
    Section,
    Sentence,
    Table,
)
from survey.report.errors import ReportError
from survey.report.labels import PAIR, Labels
from survey.report.load_results import Results
from survey.report.maps import AreaShapes, one_pager_map, report_maps
from survey.report.models_section import models_section
from survey.report.numbers import (
    COUNT,
    MEAN,
    PERCENT,
    PERCENT_ROUNDED,
    RATIO,
    SCALE,
    WHOLE,
    YEAR,
    Numbers,
)
from survey.report.project_facts import Facts, quote_id
from survey.report.safe_text import clean
from survey.report.texts import Texts
from survey.report.waves_section import changes_section
from survey.stats.plan_model import PROPORTION_KINDS, Plan
from survey.stats.results import TOTAL
from survey.stats.run_record import RUN_FILE

AUDIENCES = ("council", "organisation", "conference")
TESTED_KINDS = ("share", "mean", "multi")
"""Indicator kinds whose groups the analysis compares (banner letters); needs ranks are
not compared between groups."""
ORDER = {
    "council": ("foreword", "summary", "recommendations", "changes", "districts", "needs",
                "quadrant", "breakdowns", "models", "cooccurrence", "topics", "profile",
                "open_answers", "methodology", "annex", "questionnaire", "imprint"),
    "organisation": ("foreword", "summary", "recommendations", "changes", "profile", "topics",
                     "needs", "quadrant", "districts", "breakdowns", "models", "cooccurrence",
                     "open_answers", "methodology", "annex", "questionnaire", "imprint"),
}
ORDER["conference"] = ORDER["council"]
SHARE_KINDS = {k.value for k in PROPORTION_KINDS}
TOP_ITEMS = 5
"""Items per area chart and per breakdown table: a council reads five, the XLSX has all."""
SUMMARY_FINDINGS = 7
"""A mayor reads one page: at most this many findings."""
WHOLE_TYPES = (QuestionType.INTEGER, QuestionType.YEAR)
SATISFACTION_WORDS = ("good", "satisf", "gut", "zufrieden")
AGREEMENT_WORDS = ("agree", "zustimm")
NEED_WORDS = ("need", "urgent", "bedarf", "dringend")
PAIRS_SHOWN = 10


def _key(row: Any) -> str:
    return f"{row['indicator']}|{row['breakdown']}|{row['group']}|{row['category']}"


class Builder:
    def __init__(self, results: Results, plan: Plan, labels: Labels, texts: Texts,
                 numbers: Numbers, audience: str, facts: Facts | None = None):
        self.facts = facts or Facts(labels.language)
        self.results = results
        self.table = results.table
        self.run = results.run
        self.plan = plan
        self.labels = labels
        self.t = texts
        self.n = numbers
        self.audience = audience
        self.min_cell = int(self.run["min_cell"])
        self.low_base = int(self.run["low_base"])
        self.level = numbers.level(float(self.run["level"]))
        self.charts: list[Chart] = []
        self.compared: dict[tuple[str, str], Chart | None] = {}
        self.used: set[str] = set()
        first = self.table.drop_duplicates("indicator")
        ids = list(first["indicator"])
        self.kinds = dict(zip(ids, first["kind"], strict=True))
        self.ids = ids
        self.needs = ([i for i in ids if i.endswith(".top") and self.kinds[i] == "top_ranked"]
                      + [i for i in ids if self.kinds[i] == "needs"])
        breakdowns = [b for b in self.run.get("breakdowns", [])
                      if (self.table["breakdown"] == b).any()]
        self.area = breakdowns[0] if breakdowns else None
        self.breakdowns = breakdowns
        self.area_shapes: AreaShapes | None = None
        """The area breakdown's boundaries (survey.report.maps), when the project has them."""

    # -- rows and figures ------------------------------------------------------------------

    def rows(self, indicator: str, breakdown: str = TOTAL, group: str | None = None
             ) -> pd.DataFrame:
        t = self.table
        chosen = (t["indicator"] == indicator) & (t["breakdown"] == breakdown)
        if group is not None:
            chosen &= t["group"] == group
        return t[chosen]

    def share(self, indicator: str) -> bool:
        return self.kinds[indicator] in SHARE_KINDS

    def published(self, row: Any) -> bool:
        return not self.results.is_suppressed(row) and not math.isnan(row["estimate"])

    def ranked(self, rows: pd.DataFrame) -> pd.DataFrame:
        """The published rows, the largest estimate first."""
        shown = rows.loc[[self.published(r) for _, r in rows.iterrows()]]
        return shown.sort_values("estimate", ascending=False)

    def style(self, indicator: str) -> str:
        """How the indicator's figures are written: a share as a percentage, a year as
        digits alone, a median of whole numbers whole, a mean rating with its scale."""
        kind = self.kinds[indicator]
        if kind in SHARE_KINDS:
            return PERCENT
        if kind == "regression":
            return RATIO
        if kind == "gap":
            return MEAN
        question = self.labels.question_of(indicator)
        qtype = question.type if question is not None else None
        if kind in ("median", "quantiles"):
            if qtype == QuestionType.YEAR:
                return YEAR
            values = self.rows(indicator)["estimate"].dropna()
            if qtype in WHOLE_TYPES or (len(values) and (values == values.round()).all()):
                return WHOLE
            return MEAN
        ends = self.scale_ends(indicator)
        return f"{SCALE}{self.n.format(ends[1][0], WHOLE)}" if ends else MEAN

    def scale_ends(self, indicator: str) -> tuple[tuple[float, str], tuple[float, str]] | None:
        """The lowest and highest point of a rating's scale with their labels, for a mean of
        a rating; None for other numbers."""
        base = self.labels.indicator_of(indicator)
        info = self.labels.own.get(base.variable or "") if base is not None else None
        if info is None or self.kinds[indicator] != "mean":
            return None
        points = [(c.code, c.label) for c in info.categories if c.code is not None]
        if len(points) < 2:
            return None
        low, high = min(points), max(points)
        return (float(low[0]), clean(low[1])), (float(high[0]), clean(high[1]))

    def figure(self, row: Any, column: str = "estimate", style: str | None = None) -> Figure:
        value = row[column]
        if column in ("base_n", "unweighted_n"):
            style = COUNT
        elif style is None:
            style = self.style(row["indicator"])
            if column != "estimate" and style.startswith(SCALE):
                style = MEAN
        return Figure(self.n.format(value, style), f"{_key(row)}|{column}", style)

    def text(self, value: float, indicator: str) -> str:
        """A figure of `indicator` without its scale: for interval bounds and chart labels."""
        style = self.style(indicator)
        return self.n.format(value, MEAN if style.startswith(SCALE) else style)

    def wording(self, indicator: str) -> str:
        """How headlines speak of the indicator: need, satisfaction, agreement, share or
        mean. The project says so in report.yaml (wording:); otherwise it follows the kind,
        and for a grid counted from a point of its scale, the scale's words."""
        base = indicator.split(".")[0]
        if base in self.facts.wording:
            return self.facts.wording[base]
        kind = self.kinds[indicator]
        if kind in ("mean", "median", "quantiles", "gap"):
            return "mean"
        if kind in ("top_ranked", "co_occurrence"):
            return "need"
        if kind != "needs":
            return "share"
        found = self.labels.indicator_of(indicator)
        if found is None or found.at_least is None:
            return "need"
        question = self.labels.question_of(indicator)
        choices = question.choices.choices if question is not None and question.choices else []
        names = " ".join(c.name.lower() for c in choices)
        for words, wording in ((SATISFACTION_WORDS, "satisfaction"),
                               (AGREEMENT_WORDS, "agreement"), (NEED_WORDS, "need")):
            if any(w in names for w in words):
                return wording
        return "share"

    def question(self, indicator: str) -> str:
        """The indicator's question in plain words, ended so a headline can follow it."""
        base = indicator.split(".")[0]
        label = (self.indicator(base) if self.kinds.get(indicator) == "gap"
                 else self.indicator(indicator)).strip()
        return label if label.endswith(("?", ":", ".", "!", "؟")) else f"{label}:"

    def listing(self, items: list[str]) -> str:
        """Answers named in a sentence or headline, each in the language's quotation marks
        ("„Spielplätze“, „Einkaufen“ und „Busse und Bahnen“"), so an answer with "und" in it
        reads as one."""
        return format_list([self.t("quoted", item=item) for item in items],
                           locale=self.n.locale)

    def leaders(self, rows: pd.DataFrame) -> list[Any]:
        """The leading published row and those whose intervals overlap with it; [] when
        nothing is published or every published figure is zero (no headline then)."""
        shown = self.ranked(rows)
        if shown.empty or not shown["estimate"].iloc[0] > 0:
            return []
        top = shown.iloc[0]
        tied = [r for _, r in shown.iloc[1:].iterrows()
                if r["ci_high"] >= top["ci_low"] and r["estimate"] > 0]
        return [top, *tied[:2]]

    def category(self, row: Any) -> str:
        return self.labels.category(row["indicator"], row["category"], row["category_label"])

    def indicator(self, indicator: str) -> str:
        label = self.rows(indicator)["indicator_label"]
        return self.labels.indicator(indicator, label.iloc[0] if len(label) else indicator)

    def group_label(self, row: Any) -> str:
        if row["breakdown"] == TOTAL:
            return self.t("table.total")
        return self.labels.group(row["breakdown"], row["group"], row["group_label"])

    def breakdown_label(self, breakdown: str) -> str:
        label = self.table.loc[self.table["breakdown"] == breakdown, "breakdown_label"]
        return self.labels.breakdown(breakdown, label.iloc[0] if len(label) else breakdown)

    def bar(self, row: Any, compare: Any = None) -> Bar:
        if not self.published(row):
            return Bar(self.category(row), None, row["category"])
        indicator = row["indicator"]
        extra: dict[str, Any] = {}
        if compare is not None and self.published(compare):
            extra = {"compare": float(compare["estimate"]),
                     "compare_text": self.text(compare["estimate"], indicator)}
        return Bar(self.category(row), float(row["estimate"]), row["category"],
                   float(row["ci_low"]),
                   float(row["ci_high"]), self.text(row["estimate"], indicator),
                   self.results.is_low_base(row), **extra)

    def exact(self, label: str, row: Any) -> str:
        """A line of speaker notes: the figure, its interval and its base."""
        if not self.published(row):
            return f"{label}: {self.t('table.suppressed')}"
        indicator = row["indicator"]
        return (f"{label}: {self.figure(row).text} "
                f"[{self.text(row['ci_low'], indicator)}; {self.text(row['ci_high'], indicator)}]"
                f", n = {self.n.count(row['base_n'])}")

    # -- charts ----------------------------------------------------------------------------

    def bars_chart(self, chart_id: str, title: str, rows: pd.DataFrame, indicator: str,
                   sort: bool = True) -> Chart:
        bars = [self.bar(row) for _, row in rows.iterrows()]
        shown = [b for b in bars if b.estimate is not None]
        if sort:
            shown.sort(key=lambda b: -(b.estimate or 0))
        hidden = [b.label for b in bars if b.estimate is None]
        items = [self.t("chart.alt_item", label=b.label, estimate=b.text,
                        low=self.text(b.low or 0, indicator),
                        high=self.text(b.high or 0, indicator)) for b in shown]
        items += [self.t("chart.alt_suppressed", label=label) for label in hidden]
        subtitle = self.indicator(indicator)
        chart = Chart(chart_id, "bars", title, self.t("chart.alt_bars", title=title,
                                                       items="; ".join(items)),
                      subtitle=subtitle if subtitle not in title else "",
                      share=self.share(indicator), style=self.style(indicator),
                      locale=self.n.locale, bars=shown,
                      axis=self.t("chart.share_axis") if self.share(indicator) else "",
                      note=self.suppressed_note(hidden, bool(shown)),
                      notes_figures=[self.exact(self.category(r), r) for _, r in rows.iterrows()],
                      additive=self.kinds[indicator] == "share")
        self.charts.append(chart)
        return chart

    def suppressed_note(self, hidden: list[str], any_shown: bool) -> str:
        if not any_shown:
            return self.t("chart.all_suppressed", min_cell=self.min_cell)
        return self.t("chart.some_suppressed", items=", ".join(hidden)) if hidden else ""

    def ranked_title(self, rows: pd.DataFrame) -> str:
        """The leading item, or the items that share first place (overlapping intervals),
        worded as the indicator's kind says; the plain question when nothing leads."""
        indicator = rows["indicator"].iloc[0]
        leaders = self.leaders(rows)
        if not leaders:
            return self.indicator(indicator)
        question = self.question(indicator)
        if len(leaders) > 1:
            return self.t("titles.tied", question=question,
                          items=self.listing([self.category(r) for r in leaders]))
        wording = self.wording(indicator)
        key = wording if wording in ("need", "satisfaction", "agreement") else "share_ranked"
        return self.t(f"titles.{key}", question=question, item=self.category(leaders[0]))

    # -- sections --------------------------------------------------------------------------

    def rounded(self, row: Any) -> Figure:
        """A summary figure: shares as whole percentages, others as the table writes them."""
        style = self.style(row["indicator"])
        return self.figure(row, style=PERCENT_ROUNDED if style == PERCENT else style)

    def finding(self, indicator: str) -> Sentence | None:
        """One plain sentence for the summary: the leading answer of the indicator (or the
        two that lead together), rounded; None when nothing leads."""
        wording = self.wording(indicator)
        question = self.indicator(indicator)
        kind = self.kinds[indicator]
        if kind in ("mean", "median", "quantiles"):
            rows = self.rows(indicator)
            rows = rows[rows["category"].isin(("mean", "p50"))]
            shown = self.ranked(rows)
            if shown.empty:
                return None
            row = shown.iloc[0]
            ends = self.scale_ends(indicator)
            if row["category"] != "p50" and ends is not None:
                (low, low_label), (high, high_label) = ends
                return self.sentence("summary.mean_scale", {
                    "estimate": self.rounded(row), "question": question,
                    "low": self.n.format(low, WHOLE), "low_label": low_label,
                    "high": self.n.format(high, WHOLE), "high_label": high_label})
            return self.sentence("summary.median" if row["category"] == "p50"
                                 else "summary.mean",
                                 {"estimate": self.rounded(row), "question": question})
        leaders = self.leaders(self.rows(indicator))
        if not leaders:
            return None
        top = leaders[0]
        if len(leaders) > 1:
            other = leaders[1]
            return self.sentence("summary.tied", {
                "item": self.category(top), "estimate": self.rounded(top),
                "other": self.category(other), "other_estimate": self.rounded(other),
                "question": question})
        key = wording if wording in ("need", "satisfaction", "agreement") else "share"
        return self.sentence(f"summary.{key}", {"item": self.category(top),
                                                "estimate": self.rounded(top),
                                                "question": question})

    def summary(self) -> Section:
        """One page for a mayor: who answered, at most seven findings as sentences with
        rounded figures (the intervals are in the annex), what the quadrant says."""
        section = Section("summary", self.t("headings.summary"))
        section.paragraphs.append(self.t("summary.intro",
                                         respondents=self.n.count(self.run["respondents"]),
                                         level=self.level))
        gaps = self.gaps()
        order = {s.id: k for k, s in enumerate(self.plan.questionnaire.sections)}
        others = [i for i in self.ids if i not in self.needs
                  and self.kinds[i] in ("share", "multi", "mean", "median", "quantiles")]
        others.sort(key=lambda i: order.get(self.section_of(i), len(order)))
        room = SUMMARY_FINDINGS - len(gaps)
        for indicator in [*self.needs, *others]:
            if len(section.sentences) >= room:
                break
            sentence = self.finding(indicator)
            if sentence is not None:
                section.sentences.append(sentence)
        for gap in gaps:
            focus = self.rows(gap)
            focus = focus[focus["quadrant"] == "concentrate here"]
            section.sentences.append(Sentence([
                self.t("summary.actionable",
                       items=self.listing([self.category(r) for _, r in focus.iterrows()]))
                if len(focus) else self.t("summary.none_actionable")]))
        section.paragraphs.append(self.t("summary.annex"))
        return section

    def recommendations_section(self) -> Section:
        section = Section("recommendations", self.t("headings.recommendations"))
        section.sentences = [Sentence([clean(r)]) for r in self.facts.recommendations]
        return section

    def foreword_section(self) -> Section:
        section = Section("foreword", self.t("headings.foreword"))
        if self.facts.foreword:
            section.paragraphs = [p.strip() for p in self.facts.foreword.split("\n\n")
                                  if p.strip()]
        return section

    def imprint_section(self) -> Section:
        section = Section("imprint", self.t("headings.imprint"))
        for text in (self.facts.imprint, self.facts.contact):
            section.paragraphs += [p.strip() for p in text.split("\n\n") if p.strip()]
        return section

    def sentence(self, key: str, values: dict[str, str | Figure]) -> Sentence:
        """A template filled with figures kept as figures, so they stay traceable."""
        template = str(self.t.raw(key))
        parts: list[str | Figure] = []
        for literal, name, _spec, _conv in Formatter().parse(template):
            if literal:
                parts.append(literal)
            if name:
                parts.append(values[name])
        return Sentence(parts)

    def needs_section(self) -> Section:
        section = Section("needs", self.t("headings.needs"))
        for indicator in self.needs:
            rows = self.rows(indicator)
            section.charts.append(self.bars_chart(f"needs-{indicator}", self.ranked_title(rows),
                                                  rows, indicator))
            self.used.add(indicator)
        return section

    def gaps(self) -> list[str]:
        return [i for i in self.ids if self.kinds[i] == "gap" and i.endswith(".gap")]

    def quadrant_section(self) -> Section:
        section = Section("quadrant", self.t("headings.quadrant"))
        for gap in self.gaps():
            base = gap.rsplit(".", 1)[0]
            importance = self.rows(f"{base}.importance").set_index("category")
            satisfaction = self.rows(f"{base}.satisfaction").set_index("category")
            gaps = self.rows(gap)
            points, lines, rows = [], [], []
            for _, row in gaps.iterrows():
                cat = row["category"]
                imp, sat = importance.loc[cat], satisfaction.loc[cat]
                label = self.category(row)
                quadrant = self.labels.quadrant(row["quadrant"])
                cells = [Cell(label)]
                for source in (imp, sat, row):
                    full = source if source is row else pd.Series(
                        {**source.to_dict(), "category": cat})
                    cells.append(Cell(figure=self.figure(full), numeric=True)
                                 if self.published(full) else Cell(self.t("table.suppressed")))
                rows.append([*cells, Cell(quadrant)])
                if not (self.published(row) and self.published(imp) and self.published(sat)):
                    continue
                points.append(Point(label, float(sat["estimate"]), float(imp["estimate"]),
                                    quadrant, row["quadrant"] == "concentrate here"))
                lines.append(self.t("chart.alt_point", label=label,
                                    importance=self.n.format(imp["estimate"], MEAN),
                                    satisfaction=self.n.format(sat["estimate"], MEAN),
                                    quadrant=quadrant))
            focus = [p.label for p in points if p.highlight]
            question = self.question(gap)
            title = (self.t("titles.quadrant", question=question, items=self.listing(focus))
                     if focus else self.t("titles.quadrant_none", question=question))
            chart = Chart(f"quadrant-{base}", "quadrant", title,
                          self.t("chart.alt_quadrant", title=title, items="; ".join(lines)),
                          share=False, style=MEAN, locale=self.n.locale,
                          points=points, x_axis=self.t("chart.satisfaction"),
                          corners=tuple(self.labels.quadrant(q) for q in (
                              "concentrate here", "keep up the good work", "low priority",
                              "possible overkill")),
                          y_axis=self.t("chart.importance"),
                          note="" if points else self.t("chart.all_suppressed",
                                                        min_cell=self.min_cell),
                          notes_figures=lines)
            self.charts.append(chart)
            section.charts.append(chart)
            section.tables.append(Table(self.indicator(base.split(".")[0]), [
                "", self.t("categories.importance"), self.t("categories.satisfaction"),
                self.t("categories.gap"), ""], rows))
            self.used |= {gap, f"{base}.importance", f"{base}.satisfaction"}
        return section

    def top_items(self, indicator: str) -> list[str]:
        return list(self.ranked(self.rows(indicator))["category"].head(TOP_ITEMS))

    def groups(self, breakdown: str) -> list[tuple[str, str]]:
        rows = self.table[self.table["breakdown"] == breakdown]
        seen = dict.fromkeys(zip(rows["group"], rows["group_label"], strict=True))
        return [(g, self.labels.group(breakdown, g, label)) for g, label in seen]

    def compare_chart(self, indicator: str, group: str, label: str) -> Chart | None:
        """The area's top needs against the overall figures; None when all is suppressed."""
        if (indicator, group) not in self.compared:
            self.compared[indicator, group] = self._compare_chart(indicator, group, label)
        return self.compared[indicator, group]

    def _compare_chart(self, indicator: str, group: str, label: str) -> Chart | None:
        own = self.rows(indicator, self.area or "", group)
        overall = self.rows(indicator).set_index("category")
        top = self.ranked(own).head(TOP_ITEMS)
        if top.empty:
            return None
        bars = [self.bar(r, overall.loc[r["category"]].to_dict() | {
            "category": r["category"], "indicator": indicator}) for _, r in top.iterrows()]
        hidden = [self.category(r) for _, r in own.iterrows() if not self.published(r)]
        total = self.t("chart.total")
        leaders = self.leaders(own)
        question = self.question(indicator)
        if not leaders:
            title = f"{question} {label}"
        elif len(leaders) > 1:
            title = self.t("titles.district_tied", question=question, group=label,
                           items=self.listing([self.category(r) for r in leaders]))
        else:
            title = self.t("titles.district", question=question, group=label,
                           item=self.category(leaders[0]))
        items = [self.t("chart.alt_compare_item", label=b.label, group=label, own=b.text,
                        total=total, overall=b.compare_text) for b in bars]
        chart = Chart(f"area-{indicator}-{group}", "compare", title,
                      self.t("chart.alt_compare", group=label, total=total, title=title,
                             items="; ".join(items)),
                      share=self.share(indicator), style=self.style(indicator),
                      locale=self.n.locale, bars=bars, legend=(label, total),
                      axis=self.t("chart.share_axis") if self.share(indicator) else "",
                      note=self.suppressed_note(hidden, True),
                      notes_figures=[self.exact(f"{label} – {self.category(r)}", r)
                                     for _, r in top.iterrows()]
                      + [self.exact(f"{total} – {self.category(r)}",
                                    overall.loc[r["category"]].to_dict()
                                    | {"category": r["category"], "indicator": indicator,
                                       "breakdown": TOTAL, "group": TOTAL})
                         for _, r in top.iterrows()])
        self.charts.append(chart)
        return chart

    def districts_section(self) -> Section:
        section = Section("districts", self.t("headings.districts"))
        if self.area is None or not self.needs:
            return section
        section.paragraphs.append(self.t("districts.intro"))
        section.maps = report_maps(self)
        for group, label in self.groups(self.area):
            chart = self.compare_chart(self.needs[0], group, label)
            if chart is None:
                section.paragraphs.append(self.t("districts.suppressed", group=label,
                                                 min_cell=self.min_cell))
            else:
                section.charts.append(chart)
        return section

    def matrix(self, indicator: str, breakdown: str, categories: Iterable[str]) -> Table:
        """Items by groups, with significance letters and low-base marks."""
        groups = self.groups(breakdown)
        by_group = {g: self.rows(indicator, breakdown, g) for g, _ in groups}
        letters = {g: found["group_letter"].iloc[0] for g, found in by_group.items()}
        totals = self.rows(indicator).set_index("category")
        rows = []
        for category in categories:
            total = totals.loc[category]
            label = self.labels.category(indicator, category, total["category_label"])
            line = [Cell(label), self.cell(total.to_dict() | {"category": category})]
            for group, _ in groups:
                found = by_group[group]
                found = found[found["category"] == category]
                line.append(self.cell(found.iloc[0]) if len(found) else Cell())
            rows.append(line)
        tested = self.kinds.get(indicator) in TESTED_KINDS
        columns = ["", self.t("table.total"),
                   *(f"{label} ({letters[g]})" if letters[g] and tested else label
                     for g, label in groups)]
        return Table(self.t("titles.by_group", indicator=self.indicator(indicator),
                            breakdown=self.breakdown_label(breakdown)), columns, rows,
                     self.table_notes(tested))

    def cell(self, row: Any) -> Cell:
        if not self.published(row):
            return Cell(self.t("table.suppressed"), numeric=True)
        return Cell(figure=self.figure(row), letters=str(row.get("letters", "") or ""),
                    low_base=self.results.is_low_base(row), numeric=True)

    def table_notes(self, tested: bool = True) -> list[str]:
        """`tested`: the groups of the table's figures were compared (banner letters); else
        the note says they were not, so no letter is read as "no difference"."""
        return [self.t("table.suppressed_note", min_cell=self.min_cell),
                self.t("table.low_base_note", low_base=self.low_base),
                self.t("table.letters_note",
                       level_alpha=f"α = {self.n.decimal(float(self.run['alpha']))}",
                       correction=self.correction()) if tested
                else self.t("table.not_tested_note")]

    def correction(self) -> str:
        name = str(self.run["correction"])
        return self.t(f"corrections.{name}") if name in self.t.raw("corrections") else name

    def breakdowns_section(self) -> Section:
        section = Section("breakdowns", self.t("headings.breakdowns"))
        for indicator in self.needs[:1]:
            items = self.top_items(indicator)
            for breakdown in self.breakdowns:
                section.tables.append(self.matrix(indicator, breakdown, items))
        return section

    def cooccurrence_section(self) -> Section:
        section = Section("cooccurrence", self.t("headings.cooccurrence"))
        for indicator in (i for i in self.ids if self.kinds[i] == "co_occurrence"):
            rows = self.rows(indicator)
            pairs = rows[rows["category"].str.contains(PAIR, regex=False)]
            shown = self.ranked(pairs).head(PAIRS_SHOWN)
            if shown.empty:
                section.paragraphs.append(self.t("chart.all_suppressed", min_cell=self.min_cell))
                continue
            section.charts.append(self.bars_chart(
                f"pairs-{indicator}", self.t("titles.cooccurrence",
                                             question=self.question(indicator),
                                             pair=self.category(shown.iloc[0]),
                                             estimate=self.figure(shown.iloc[0]).text),
                shown, indicator))
            self.used.add(indicator)
        return section

    def profile_section(self) -> Section:
        section = Section("profile", self.t("headings.profile"))
        cells = self.run.get("margin_cells") or []
        if cells:
            section.paragraphs.append(self.t("profile.intro"))
            totals: dict[str, float] = {}
            for cell in cells:
                totals[cell["margin"]] = totals.get(cell["margin"], 0.0) + cell["achieved"]
            by_margin: dict[str, list[list[Cell]]] = {}
            for cell in cells:
                margin, category = cell["margin"], cell["category"]
                label = self.group_name(margin, category)
                count = int(cell["respondents"])
                shown = count >= self.min_cell
                by_margin.setdefault(margin, []).append([
                    Cell(label),
                    Cell(self.n.count(count) if shown else self.t("table.suppressed"),
                         numeric=True),
                    Cell(self.n.percent(cell["target"] / totals[margin]), numeric=True),
                    Cell(self.n.percent(cell["achieved"] / totals[margin]), numeric=True)])
            for margin, rows in by_margin.items():
                section.tables.append(Table(self.margin_label(margin), [
                    self.t("table.group"), self.t("table.respondents"),
                    self.t("table.population"), self.t("table.weighted_share")], rows))
        figures = [i for i in self.ids if self.kinds[i] in ("median", "quantiles", "mean")]
        rows, notes = [], []
        for indicator in figures:
            for _, row in self.rows(indicator).iterrows():
                rows.append([Cell(self.indicator(indicator)), Cell(self.category(row)),
                             self.cell(row), self.interval(row), self.base(row)])
            self.used.add(indicator)
            ends = self.scale_ends(indicator)
            if ends is not None:
                (low, low_label), (high, high_label) = ends
                notes.append(f"{self.question(indicator)} " + self.t(
                    "numbers.scale_ends", low=self.n.format(low, WHOLE), low_label=low_label,
                    high=self.n.format(high, WHOLE), high_label=high_label))
        if rows:
            section.tables.append(Table(self.t("profile.figures"), [
                "", "", self.t("table.estimate"),
                self.t("table.interval", level=self.level), self.t("table.base")], rows,
                notes))
        return section

    def group_name(self, variable: str, group: str) -> str:
        found = self.table[(self.table["breakdown"] == variable) & (self.table["group"] == group)]
        return self.labels.group(variable, group,
                                 found["group_label"].iloc[0] if len(found) else group)

    def margin_label(self, margin: str) -> str:
        return " × ".join(self.breakdown_label(v) for v in margin.split(" × "))

    def interval(self, row: Any) -> Cell:
        if not self.published(row):
            return Cell(self.t("table.suppressed"), numeric=True)
        low, high = self.figure(row, "ci_low"), self.figure(row, "ci_high")
        return Cell(f"{low.text} – {high.text}", numeric=True)

    def base(self, row: Any) -> Cell:
        if not self.published(row) or math.isnan(row["base_n"]):
            return Cell(self.t("table.suppressed"), numeric=True)
        return Cell(figure=self.figure(row, "base_n"), numeric=True)

    def section_of(self, indicator: str) -> str:
        question = self.labels.question_of(indicator)
        return question.section if question is not None else ""

    def topics_section(self) -> Section:
        section = Section("topics", self.t("headings.topics"))
        order = {s.id: k for k, s in enumerate(self.plan.questionnaire.sections)}
        topics = [i for i in self.ids if i not in self.used and self.kinds[i] in
                  ("share", "multi")]
        topics.sort(key=lambda i: order.get(self.section_of(i), len(order)))
        for indicator in topics:
            rows = self.rows(indicator)
            kind = self.kinds[indicator]
            published = self.ranked(rows)
            leaders = self.leaders(rows)
            if published.empty or not leaders:
                title = self.indicator(indicator)
            elif kind == "share" and len(leaders) == 1:
                title = self.t("titles.share", question=self.question(indicator),
                               category=self.category(leaders[0]),
                               estimate=self.figure(leaders[0]).text)
            else:
                title = self.ranked_title(rows)
            chart = self.bars_chart(f"topic-{indicator}", title, rows, indicator,
                                    sort=kind == "multi")
            section.charts.append(chart)
        return section

    def approved_quotes(self) -> list[tuple[str, str, str]]:
        """(question, answer, translation) of every quote report.yaml approves for this
        language, as scrubbed in open-answers.csv. An id that is not there (never was, or
        the scrubbing changed the answer's text) is an error, so nothing unapproved and
        nothing unscrubbed is printed."""
        answers = self.results.open_answers
        known: dict[str, tuple[str, str]] = {}
        if answers is not None:
            for _, row in answers.iterrows():
                known.setdefault(quote_id(row["question"], row["answer"]),
                                 (row["question"], row["answer"]))
        wrong = [q for q in self.facts.quotes if q.id not in known]
        if wrong:
            why = ("the plan does not publish open answers (disclosure: free_text: scrub)"
                   if answers is None else "no scrubbed open answer has this id (the answer "
                   "is not in the results, or scrubbing changed its text)")
            raise ReportError("\n".join(f"{q.where}: quote '{q.id}' cannot be printed: {why}; "
                                         "survey report --check lists the quotes to choose "
                                         "from" for q in wrong))
        found = []
        for quote in self.facts.quotes:
            question, answer = known[quote.id]
            found.append((self.open_question(question, answers), answer, quote.translation))
        return found

    def open_question(self, question: str, answers: pd.DataFrame | None) -> str:
        label = self.labels.own.get(question)
        if label is not None and label.variable is not None:
            return clean(label.label)
        if answers is not None:
            found = answers.loc[answers["question"] == question, "question_label"]
            if len(found):
                return self.labels.plan_text(found.iloc[0])
        return question

    def open_answers_section(self) -> Section:
        section = Section("open_answers", self.t("headings.open_answers"))
        quotes = self.approved_quotes()
        if not quotes:
            return section
        section.paragraphs.append(self.t("open_answers.intro"))
        by_question: dict[str, list[str]] = {}
        for question, answer, translation in quotes:
            note = self.t("open_answers.translation", text=clean(translation))
            shown = clean(answer) + (f" ({note})" if translation else "")
            by_question.setdefault(question, []).append(shown)
        section.quotes = list(by_question.items())
        return section

    def methodology_section(self) -> Section:
        """What the toolkit knows (counts, weighting, intervals, disclosure), and what the
        project says about its fieldwork; nothing about the survey is assumed."""
        run, n, facts = self.run, self.n, self.facts
        section = Section("methodology", self.t("headings.methodology"))
        section.paragraphs.append(self.t("methodology.reached",
                                         respondents=n.count(run["respondents"])))
        if facts.invited:
            section.paragraphs.append(self.t(
                "methodology.response_rate", invited=n.count(facts.invited),
                respondents=n.count(run["respondents"]),
                rate=n.rounded_percent(run["respondents"] / facts.invited)))
        if facts.fieldwork:
            section.paragraphs.append(self.t("methodology.fieldwork",
                                             fieldwork=facts.fieldwork.rstrip(".")))
        if facts.recruitment:
            section.paragraphs.append(facts.recruitment)
        returns = self.results.returns
        if not returns.empty:
            statuses = ("accepted", "quarantined", "duplicate", "withdrawn")
            rows = [[Cell(self.t(f"modes.{r['mode']}") if r["mode"] in self.t.raw("modes")
                          else r["mode"]), Cell(self.language_name(r["language"])),
                     *(Cell(n.count(r[s]), numeric=True) for s in statuses)]
                    for _, r in returns.iterrows()]
            section.tables.append(Table(self.t("headings.methodology"), [
                self.t("table.mode"), self.t("table.language"),
                *(self.t(f"table.{s}") for s in statuses)], rows))
        if run.get("weighted"):
            margins = ", ".join(" × ".join(self.breakdown_label(v) for v in m)
                                for m in run.get("margins", []))
            section.paragraphs.append(
                self.t("methodology.weighting_population", population=facts.population,
                       margins=margins) if facts.population
                else self.t("methodology.weighting", margins=margins))
            if facts.weighting_source:
                section.paragraphs.append(self.t(
                    "methodology.weighting_source",
                    source=facts.weighting_source.strip().rstrip(".")))
            section.paragraphs.append(self.t(
                "methodology.weighting_precision", respondents=n.count(run["respondents"]),
                effective_n=n.count(run["effective_n"]),
                design_effect=n.decimal(run["design_effect"])))
        else:
            section.paragraphs.append(self.t("methodology.weighting_none"))
        section.paragraphs += [
            self.t("methodology.intervals", level=self.level),
            self.t("methodology.significance", alpha=n.decimal(float(run["alpha"])),
                   correction=self.correction()),
            self.t("methodology.disclosure", min_cell=self.min_cell, low_base=self.low_base),
            self.t("methodology.free_text" if run.get("free_text") == "scrub"
                   else "methodology.free_text_excluded")]
        if facts.limitations:
            section.paragraphs.append(facts.limitations)
        return section

    def method_points(self) -> list[str]:
        """The method in a few short lines, for a slide; the full text goes to its notes."""
        run, n = self.run, self.n
        points = [self.t("slides.method_reached", respondents=n.count(run["respondents"]))]
        if self.facts.fieldwork:
            points.append(self.t("methodology.fieldwork",
                                 fieldwork=self.facts.fieldwork.rstrip(".")))
        if run.get("weighted"):
            margins = ", ".join(" × ".join(self.breakdown_label(v) for v in m)
                                for m in run.get("margins", []))
            points.append(self.t("slides.method_weighted", margins=margins))
        else:
            points.append(self.t("slides.method_unweighted"))
        points += [self.t("slides.method_intervals", level=self.level),
                   self.t("slides.method_disclosure", min_cell=self.min_cell,
                          low_base=self.low_base)]
        return points

    def language_name(self, code: str) -> str:
        if code in ("unknown", "other"):
            return self.t(f"languages.{code}", min_cell=self.min_cell)
        return language_name(code, self.labels.language)

    def annex_section(self) -> Section:
        section = Section("annex", self.t("headings.annex"))
        section.paragraphs.append(self.t("table.annex_note"))
        for indicator in (i for i in self.ids if self.kinds[i] != "regression"):  # own table
            rows = [[Cell(self.category(row)), self.cell(row), self.interval(row),
                     self.base(row)] for _, row in self.rows(indicator).iterrows()]
            section.tables.append(Table(self.indicator(indicator), [
                self.t("table.category"), self.t("table.estimate"),
                self.t("table.interval", level=self.level), self.t("table.base")], rows,
                self.table_notes()[:2]))
        return section

    def questionnaire_section(self) -> Section:
        """The questionnaire as respondents saw it: numbered questions, their answers and
        the routing in the words of the paper form; no ids, codes or expressions."""
        section = Section("questionnaire", self.t("headings.questionnaire"))
        if not self.facts.questionnaire_appendix:
            return section
        questionnaire, language = self.plan.questionnaire, self.labels.language
        fallback = questionnaire.default_language
        routing = routing_texts(questionnaire, language)
        section.paragraphs.append(self.t("questionnaire.intro"))
        lines: list[tuple[int, str, str]] = []
        for part in questionnaire.sections:
            lines.append((0, clean(part.title.get(language, fallback)), "heading"))
            if part.id in routing.section_only_if:
                lines.append((0, clean(routing.section_only_if[part.id]), "routing"))
            for question in part.questions:
                if question.type == QuestionType.CALCULATE:
                    continue
                lines += self.question_lines(question, routing)
        section.outline = [line for line in lines if line[1]]
        return section

    def question_lines(self, question: Any, routing: Any) -> list[tuple[int, str, str]]:
        language, fallback = self.labels.language, self.plan.questionnaire.default_language
        label = clean(question.label.get(language, fallback))
        lines: list[tuple[int, str, str]] = []
        if question.id in routing.only_if:
            lines.append((1, clean(routing.only_if[question.id]), "routing"))
        number = f"{question.number}. " if question.number is not None else ""
        lines.append((0 if not number else 1, number + label,
                      "question" if number else "text"))
        hint = clean(question.hint.get(language, fallback))
        if hint:
            lines.append((2, hint, "meta"))
        kind = {QuestionType.INTEGER: "number", QuestionType.DECIMAL: "number",
                QuestionType.YEAR: "year", QuestionType.DATE: "date",
                QuestionType.TEXT: "text", QuestionType.LONG_TEXT: "text",
                QuestionType.COUNTRY: "country", QuestionType.LANGUAGE: "language",
                QuestionType.MULTIPLE_CHOICE: "multiple",
                QuestionType.RANKING: "ranking"}.get(question.type)
        if kind is not None:
            lines.append((2, self.t(f"questionnaire.{kind}"), "meta"))
        if question.type == QuestionType.GRID:
            lines.append((2, self.t("questionnaire.grid"), "meta"))
            lines += [(3, clean(item.label.get(language, fallback)), "text")
                      for item in question.items]
        jumps = routing.after_choice.get(question.id, {})
        if question.choices is not None and question.type not in (QuestionType.CONSENT,):
            for choice in question.choices.choices:
                answer = clean(choice.label.get(language, fallback))
                jump = jumps.get(choice.name)
                lines.append((2, f"☐ {answer}" + (f" {clean(jump)}" if jump else ""), "text"))
        for missing in question.missing:
            answer = clean(missing.label.get(language, fallback))
            jump = jumps.get(missing.name)
            lines.append((2, f"☐ {answer}" + (f" {clean(jump)}" if jump else ""), "text"))
        return lines

    def one_pagers(self) -> list[OnePager]:
        if self.area is None or not self.needs:
            return []
        pages = []
        indicator = self.needs[0]
        for group, label in self.groups(self.area):
            rows = self.rows(indicator, self.area, group)
            bases = rows["base_n"].dropna()
            chart = self.compare_chart(indicator, group, label)
            note = "" if chart is not None else self.t("districts.suppressed", group=label,
                                                       min_cell=self.min_cell)
            table = None
            if chart is not None:
                own = rows.set_index("category", drop=False)
                overall = self.rows(indicator).set_index("category", drop=False)
                table = Table(self.indicator(indicator), [
                    "", label, self.t("chart.total")], [
                    [Cell(b.label), self.cell(own.loc[b.category]),
                     self.cell(overall.loc[b.category])] for b in chart.bars],
                    self.table_notes()[:2])
            pages.append(OnePager(
                label, self.t("one_pager.title", group=label),
                self.t("one_pager.base", base=self.n.count(bases.max()), group=label)
                if len(bases) else "", chart, table, note, one_pager_map(self, group)))
        return pages


def make_builder(results: Results, plan: Plan, language: str, texts: Texts,
                 audience: str, facts: Facts | None = None) -> Builder:
    return Builder(results, plan, Labels(plan, language, texts), texts,
                   Numbers(language, str(texts.raw("numbers.of_scale"))), audience, facts)


def data_date(results: Results, language: str) -> str:
    """When the results were made (run.json), as the report's language writes a date."""
    made = datetime.fromtimestamp((results.folder / RUN_FILE).stat().st_mtime, tz=UTC)
    return format_date(made.date(), format="long", locale=language)


def build_document(builder: Builder) -> Document:
    """The whole report; raises ReportError (before anything is written) when the plan's
    labels lack the report's language or report.yaml approves a quote that is not there."""
    results, plan, texts, audience = builder.results, builder.plan, builder.t, builder.audience
    facts = builder.facts
    language = builder.labels.language
    makers = {"summary": builder.summary, "districts": builder.districts_section,
              "needs": builder.needs_section, "quadrant": builder.quadrant_section,
              "breakdowns": builder.breakdowns_section,
              "cooccurrence": builder.cooccurrence_section, "profile": builder.profile_section,
              "topics": builder.topics_section, "open_answers": builder.open_answers_section,
              "methodology": builder.methodology_section, "annex": builder.annex_section,
              "questionnaire": builder.questionnaire_section,
              "foreword": builder.foreword_section,
              "recommendations": builder.recommendations_section,
              "imprint": builder.imprint_section,
              "changes": lambda: changes_section(builder),
              "models": lambda: models_section(builder)}
    # Needs, quadrant and profile first claim their indicators; topics take the rest.
    made = {key: makers[key]() for key in ("summary", "needs", "quadrant", "profile",
                                           "cooccurrence", "districts", "breakdowns", "topics",
                                           "open_answers", "methodology", "annex",
                                           "questionnaire", "foreword", "recommendations",
                                           "imprint", "changes", "models")}
    sections = [made[key] for key in ORDER[audience]
                if made[key].paragraphs or made[key].charts or made[key].tables
                or made[key].sentences or made[key].quotes or made[key].outline]
    one_pagers = builder.one_pagers()
    questionnaire = plan.questionnaire
    fallback = questionnaire.default_language
    run = results.run
    title = run["title"]
    if language != plan.language:
        title = builder.labels.translated.get(title, {}).get(
            language, questionnaire.survey.title.get(language, fallback))
    builder.labels.check_translations()
    date = data_date(results, language)
    cover = [texts("fieldwork", fieldwork=facts.fieldwork)] if facts.fieldwork else []
    if facts.authors:
        cover.append(texts("authors", authors=format_list(list(facts.authors),
                                                          locale=language)))
    return Document(
        language=language, direction="rtl" if is_right_to_left(language) else "ltr",
        title=clean(title),
        subtitle=texts("report"),
        organisation=clean(facts.organisation
                           or questionnaire.survey.organisation.get(language, fallback)),
        audience=texts(f"audience.{audience}"),
        prepared_by=texts("prepared_by", date=date),
        warning=texts("illustrative_warning") if run.get("illustrative") else "",
        cover=cover, min_cell=builder.min_cell, sections=sections, one_pagers=one_pagers,
        all_charts=builder.charts)
