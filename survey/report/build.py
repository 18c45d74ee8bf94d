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
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from string import Formatter
from typing import Any

import pandas as pd
from babel.dates import format_date
from babel.lists import format_list

from survey.questionnaire.languages import is_right_to_left, language_name
from survey.questionnaire.spec import QuestionType
from survey.report.document import (
    Bar,
    Cell,
    Chart,
    Document,
    Figure,
    Section,
    Sentence,
    Table,
)
from survey.report.labels import Labels
from survey.report.load_results import Results
from survey.report.maps import AreaShapes
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
from survey.report.project_facts import Facts
from survey.report.safe_text import clean
from survey.report.sections.breakdowns import breakdowns_section, cooccurrence_section
from survey.report.sections.changes import changes_section
from survey.report.sections.districts import districts_section
from survey.report.sections.districts import one_pagers as one_pagers_of
from survey.report.sections.front_matter import (
    foreword_section,
    imprint_section,
    recommendations_section,
)
from survey.report.sections.methodology import annex_section, methodology_section
from survey.report.sections.models import models_section
from survey.report.sections.needs import needs_section, quadrant_section
from survey.report.sections.open_answers import open_answers_section
from survey.report.sections.profile import profile_section
from survey.report.sections.questionnaire import questionnaire_section
from survey.report.sections.summary import summary
from survey.report.sections.topics import topics_section
from survey.report.texts import Texts
from survey.stats.plan.model import PROPORTION_KINDS, Plan
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
WHOLE_TYPES = (QuestionType.INTEGER, QuestionType.YEAR)
SATISFACTION_WORDS = ("good", "satisf", "gut", "zufrieden")
AGREEMENT_WORDS = ("agree", "zustimm")
NEED_WORDS = ("need", "urgent", "bedarf", "dringend")


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

    def gaps(self) -> list[str]:
        return [i for i in self.ids if self.kinds[i] == "gap" and i.endswith(".gap")]

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

    def matrix(self, indicator: str, breakdown: str, categories: Iterable[str]) -> Table:
        """Items by groups, with significance letters and low-base marks."""
        groups = self.groups(breakdown)
        by_group = {g: self.rows(indicator, breakdown, g) for g, _ in groups}
        letters = {g: found["group_letter"].iloc[0] for g, found in by_group.items()}
        totals = self.rows(indicator).set_index("category")
        rows = []
        for category in categories:
            total = totals.loc[category]
            assert isinstance(total, pd.Series)  # a row: a result has each category once
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

    def group_name(self, variable: str, group: str) -> str:
        found = self.table[(self.table["breakdown"] == variable) & (self.table["group"] == group)]
        return self.labels.group(variable, group,
                                 found["group_label"].iloc[0] if len(found) else group)

    def margin_label(self, margin: str) -> str:
        return " × ".join(self.breakdown_label(v) for v in margin.split(" × "))

    def interval(self, row: Any) -> Cell:
        if not self.published(row):
            return Cell(self.t("table.suppressed"), numeric=True)
        if pd.isna(row["ci_low"]) or pd.isna(row["ci_high"]):
            return Cell("–", numeric=True)  # not computable (e.g. a median of a few answers)
        low, high = self.figure(row, "ci_low"), self.figure(row, "ci_high")
        return Cell(f"{low.text} – {high.text}", numeric=True)

    def base(self, row: Any) -> Cell:
        if not self.published(row) or math.isnan(row["base_n"]):
            return Cell(self.t("table.suppressed"), numeric=True)
        return Cell(figure=self.figure(row, "base_n"), numeric=True)

    def section_of(self, indicator: str) -> str:
        question = self.labels.question_of(indicator)
        return question.section if question is not None else ""

    def open_question(self, question: str, answers: pd.DataFrame | None) -> str:
        label = self.labels.own.get(question)
        if label is not None and label.variable is not None:
            return clean(label.label)
        if answers is not None:
            found = answers.loc[answers["question"] == question, "question_label"]
            if len(found):
                return self.labels.plan_text(found.iloc[0])
        return question

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
    makers: dict[str, Callable[[Builder], Section]] = {
        "summary": summary, "districts": districts_section, "needs": needs_section,
        "quadrant": quadrant_section, "breakdowns": breakdowns_section,
        "cooccurrence": cooccurrence_section, "profile": profile_section,
        "topics": topics_section, "open_answers": open_answers_section,
        "methodology": methodology_section, "annex": annex_section,
        "questionnaire": questionnaire_section, "foreword": foreword_section,
        "recommendations": recommendations_section, "imprint": imprint_section,
        "changes": changes_section, "models": models_section}
    # Needs, quadrant and profile first claim their indicators; topics take the rest.
    made = {key: makers[key](builder) for key in ("summary", "needs", "quadrant", "profile",
                                           "cooccurrence", "districts", "breakdowns", "topics",
                                           "open_answers", "methodology", "annex",
                                           "questionnaire", "foreword", "recommendations",
                                           "imprint", "changes", "models")}
    sections = [made[key] for key in ORDER[audience]
                if made[key].paragraphs or made[key].charts or made[key].tables
                or made[key].sentences or made[key].quotes or made[key].outline]
    one_pagers = one_pagers_of(builder)
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
