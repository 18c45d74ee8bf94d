"""From the results table to the report document: which findings lead, in what words.

Which indicators are "needs" follows from their kind: `top_ranked` (its `.top` part) leads,
then `needs`; `gap` gives the importance–satisfaction quadrant; `co_occurrence` the pairs; the
plan's first breakdown is the area breakdown of the district comparison and the one-pagers;
medians, quantiles and the weighting margins describe who answered. Everything else is a
topic, grouped by the questionnaire section its question belongs to.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from string import Formatter
from typing import Any

import pandas as pd

from survey.questionnaire.languages import is_right_to_left, language_name
from survey.questionnaire.outline import outline
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
from survey.report.labels import PAIR, Labels
from survey.report.load_results import Results
from survey.report.numbers import Numbers
from survey.report.safe_text import clean
from survey.report.texts import Texts
from survey.stats.plan_model import PROPORTION_KINDS, Plan
from survey.stats.results import TOTAL

AUDIENCES = ("council", "organisation", "conference")
ORDER = {
    "council": ("summary", "districts", "needs", "quadrant", "breakdowns", "cooccurrence",
                "topics", "profile", "open_answers", "methodology", "annex", "questionnaire"),
    "organisation": ("summary", "profile", "topics", "needs", "quadrant", "districts",
                     "breakdowns", "cooccurrence", "open_answers", "methodology", "annex",
                     "questionnaire"),
}
ORDER["conference"] = ORDER["council"]
SHARE_KINDS = {k.value for k in PROPORTION_KINDS}
TOP_ITEMS = 5
"""Items per area chart and per breakdown table: a council reads five, the XLSX has all."""
SUMMARY_ITEMS = 3
PAIRS_SHOWN = 10
OPEN_ANSWERS_SHOWN = 12


def _key(row: Any) -> str:
    return f"{row['indicator']}|{row['breakdown']}|{row['group']}|{row['category']}"


class Builder:
    def __init__(self, results: Results, plan: Plan, labels: Labels, texts: Texts,
                 numbers: Numbers, audience: str):
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

    def figure(self, row: Any, column: str = "estimate") -> Figure:
        value = row[column]
        if column in ("base_n", "unweighted_n"):
            text = self.n.count(value)
        else:
            text = self.n.figure(value, self.share(row["indicator"]))
        return Figure(text, f"{_key(row)}|{column}")

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
        share = self.share(row["indicator"])
        extra: dict[str, Any] = {}
        if compare is not None and self.published(compare):
            extra = {"compare": float(compare["estimate"]),
                     "compare_text": self.n.figure(compare["estimate"], share)}
        return Bar(self.category(row), float(row["estimate"]), row["category"],
                   float(row["ci_low"]),
                   float(row["ci_high"]), self.n.figure(row["estimate"], share),
                   self.results.is_low_base(row), **extra)

    def exact(self, label: str, row: Any) -> str:
        """A line of speaker notes: the figure, its interval and its base."""
        if not self.published(row):
            return f"{label}: {self.t('table.suppressed')}"
        share = self.share(row["indicator"])
        return (f"{label}: {self.n.figure(row['estimate'], share)} "
                f"[{self.n.figure(row['ci_low'], share)}; {self.n.figure(row['ci_high'], share)}]"
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
                        low=self.n.figure(b.low or 0, self.share(indicator)),
                        high=self.n.figure(b.high or 0, self.share(indicator))) for b in shown]
        items += [self.t("chart.alt_suppressed", label=label) for label in hidden]
        subtitle = self.indicator(indicator)
        chart = Chart(chart_id, "bars", title, self.t("chart.alt_bars", title=title,
                                                       items="; ".join(items)),
                      subtitle=subtitle if subtitle != title else "",
                      share=self.share(indicator), bars=shown,
                      axis=self.t("chart.share_axis") if self.share(indicator) else "",
                      note=self.suppressed_note(hidden, bool(shown)),
                      notes_figures=[self.exact(self.category(r), r) for _, r in rows.iterrows()])
        self.charts.append(chart)
        return chart

    def suppressed_note(self, hidden: list[str], any_shown: bool) -> str:
        if not any_shown:
            return self.t("chart.all_suppressed", min_cell=self.min_cell)
        return self.t("chart.some_suppressed", items=", ".join(hidden)) if hidden else ""

    def ranked_title(self, rows: pd.DataFrame) -> str:
        """The leading item, or the items that share first place (overlapping intervals)."""
        shown = self.ranked(rows)
        if shown.empty:
            return self.indicator(rows["indicator"].iloc[0])
        top = shown.iloc[0]
        tied = [r for _, r in shown.iloc[1:].iterrows() if r["ci_high"] >= top["ci_low"]]
        if not tied:
            return self.t("titles.ranked_single", item=self.category(top))
        names = [self.category(top), *(self.category(r) for r in tied[:2])]
        return self.t("titles.ranked_tied", items=", ".join(names))

    # -- sections --------------------------------------------------------------------------

    def summary(self) -> Section:
        section = Section("summary", self.t("headings.summary"))
        section.paragraphs.append(self.t("summary.intro",
                                         respondents=self.n.count(self.run["respondents"]),
                                         level=self.level))
        for k, indicator in enumerate(self.needs):
            ranked = self.ranked(self.rows(indicator))
            for _, row in ranked.head(SUMMARY_ITEMS if k == 0 else 1).iterrows():
                section.sentences.append(self.sentence("summary.priority", {
                    "item": self.category(row), "indicator": self.indicator(indicator),
                    "level": self.level, "estimate": self.figure(row),
                    "low": self.figure(row, "ci_low"), "high": self.figure(row, "ci_high"),
                    "base": self.figure(row, "base_n")}))
        for gap in self.gaps():
            focus = self.rows(gap)
            focus = focus[focus["quadrant"] == "concentrate here"]
            section.paragraphs.append(
                self.t("summary.actionable", items=", ".join(self.category(r) for _, r in
                                                             focus.iterrows()))
                if len(focus) else self.t("summary.none_actionable"))
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
                                    importance=self.n.decimal(imp["estimate"]),
                                    satisfaction=self.n.decimal(sat["estimate"]),
                                    quadrant=quadrant))
            focus = [p.label for p in points if p.highlight]
            title = (self.t("titles.quadrant", items=", ".join(focus)) if focus
                     else self.t("titles.quadrant_none"))
            chart = Chart(f"quadrant-{base}", "quadrant", title,
                          self.t("chart.alt_quadrant", title=title, items="; ".join(lines)),
                          subtitle=self.indicator(base.split(".")[0]),
                          share=False, points=points, x_axis=self.t("chart.satisfaction"),
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
        title = self.t("titles.district", item=bars[0].label, group=label)
        items = [self.t("chart.alt_compare_item", label=b.label, group=label, own=b.text,
                        total=total, overall=b.compare_text) for b in bars]
        chart = Chart(f"area-{indicator}-{group}", "compare", title,
                      self.t("chart.alt_compare", group=label, total=total, title=title,
                             items="; ".join(items)),
                      subtitle=self.indicator(indicator),
                      share=self.share(indicator), bars=bars, legend=(label, total),
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
        columns = ["", self.t("table.total"),
                   *(f"{label} ({letters[g]})" if letters[g] else label for g, label in groups)]
        return Table(self.t("titles.by_group", indicator=self.indicator(indicator),
                            breakdown=self.breakdown_label(breakdown)), columns, rows,
                     self.table_notes())

    def cell(self, row: Any) -> Cell:
        if not self.published(row):
            return Cell(self.t("table.suppressed"), numeric=True)
        return Cell(figure=self.figure(row), letters=str(row.get("letters", "") or ""),
                    low_base=self.results.is_low_base(row), numeric=True)

    def table_notes(self) -> list[str]:
        return [self.t("table.suppressed_note", min_cell=self.min_cell),
                self.t("table.low_base_note", low_base=self.low_base),
                self.t("table.letters_note",
                       level_alpha=f"α = {self.n.decimal(float(self.run['alpha']))}",
                       correction=self.run["correction"])]

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
        rows = []
        for indicator in figures:
            for _, row in self.rows(indicator).iterrows():
                rows.append([Cell(self.indicator(indicator)), Cell(self.category(row)),
                             self.cell(row), self.interval(row), self.base(row)])
            self.used.add(indicator)
        if rows:
            section.tables.append(Table(self.t("profile.figures"), [
                "", "", self.t("table.estimate"),
                self.t("table.interval", level=self.level), self.t("table.base")], rows))
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
        return Cell(f"{self.figure(row, 'ci_low').text} – {self.figure(row, 'ci_high').text}",
                    numeric=True)

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
            if published.empty:
                title = self.indicator(indicator)
            else:
                top = published.iloc[0]
                title = self.t("titles.share" if kind == "share" else "titles.multi",
                               category=self.category(top), estimate=self.figure(top).text)
            chart = self.bars_chart(f"topic-{indicator}", title, rows, indicator,
                                    sort=kind == "multi")
            section.charts.append(chart)
        return section

    def open_answers_section(self) -> Section:
        section = Section("open_answers", self.t("headings.open_answers"))
        answers = self.results.open_answers
        if answers is None or answers.empty:
            return section
        section.paragraphs.append(self.t("open_answers.intro"))
        for question, found in answers.groupby("question", sort=False):
            label = self.labels.own.get(str(question))
            heading = (label.variable.question.label.get(self.labels.language,
                                                         self.plan.questionnaire.default_language)
                       if label is not None and label.variable is not None
                       else found["question_label"].iloc[0])
            section.quotes.append((clean(heading),
                                   list(found["answer"].drop_duplicates()
                                        .head(OPEN_ANSWERS_SHOWN))))
        return section

    def methodology_section(self) -> Section:
        run, n = self.run, self.n
        section = Section("methodology", self.t("headings.methodology"))
        section.paragraphs.append(self.t("methodology.reached",
                                         respondents=n.count(run["respondents"])))
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
            section.paragraphs.append(self.t(
                "methodology.weighting", margins=margins, source=run.get("margins_source", ""),
                respondents=n.count(run["respondents"]), effective_n=n.count(run["effective_n"]),
                design_effect=n.decimal(run["design_effect"])))
        else:
            section.paragraphs.append(self.t("methodology.weighting_none"))
        section.paragraphs += [
            self.t("methodology.intervals", level=self.level),
            self.t("methodology.significance", alpha=n.decimal(float(run["alpha"])),
                   correction=run["correction"]),
            self.t("methodology.disclosure", min_cell=self.min_cell, low_base=self.low_base),
            self.t("methodology.free_text" if run.get("free_text") == "scrub"
                   else "methodology.free_text_excluded"),
            self.t("methodology.limitations")]
        return section

    def language_name(self, code: str) -> str:
        if code in ("unknown", "other"):
            return self.t(f"languages.{code}", min_cell=self.min_cell)
        return language_name(code, self.labels.language)

    def annex_section(self) -> Section:
        section = Section("annex", self.t("headings.annex"))
        section.paragraphs.append(self.t("table.annex_note"))
        for indicator in self.ids:
            rows = [[Cell(self.category(row)), self.cell(row), self.interval(row),
                     self.base(row)] for _, row in self.rows(indicator).iterrows()]
            section.tables.append(Table(self.indicator(indicator), [
                self.t("table.category"), self.t("table.estimate"),
                self.t("table.interval", level=self.level), self.t("table.base")], rows,
                self.table_notes()[:2]))
        return section

    def questionnaire_section(self) -> Section:
        section = Section("questionnaire", self.t("headings.questionnaire"))
        section.paragraphs.append(self.t("questionnaire.intro"))
        section.outline = [(line.indent, clean(line.text), line.style)
                           for line in outline(self.plan.questionnaire, self.labels.language)]
        return section

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
                if len(bases) else "", chart, table, note))
        return pages


def make_builder(results: Results, plan: Plan, language: str, texts: Texts,
                 audience: str) -> Builder:
    return Builder(results, plan, Labels(plan, language, texts), texts, Numbers(language),
                   audience)


def build_document(builder: Builder) -> Document:
    results, plan, texts, audience = builder.results, builder.plan, builder.t, builder.audience
    language = builder.labels.language
    makers = {"summary": builder.summary, "districts": builder.districts_section,
              "needs": builder.needs_section, "quadrant": builder.quadrant_section,
              "breakdowns": builder.breakdowns_section,
              "cooccurrence": builder.cooccurrence_section, "profile": builder.profile_section,
              "topics": builder.topics_section, "open_answers": builder.open_answers_section,
              "methodology": builder.methodology_section, "annex": builder.annex_section,
              "questionnaire": builder.questionnaire_section}
    # Needs, quadrant and profile first claim their indicators; topics take the rest.
    made = {key: makers[key]() for key in ("summary", "needs", "quadrant", "profile",
                                           "cooccurrence", "districts", "breakdowns", "topics",
                                           "open_answers", "methodology", "annex",
                                           "questionnaire")}
    sections = [made[key] for key in ORDER[audience]
                if made[key].paragraphs or made[key].charts or made[key].tables
                or made[key].sentences or made[key].quotes or made[key].outline]
    questionnaire = plan.questionnaire
    fallback = questionnaire.default_language
    run = results.run
    return Document(
        language=language, direction="rtl" if is_right_to_left(language) else "ltr",
        title=(run["title"] if language == plan.language
               else questionnaire.survey.title.get(language, fallback)),
        subtitle=texts("report"),
        organisation=questionnaire.survey.organisation.get(language, fallback),
        audience=texts(f"audience.{audience}"),
        prepared_by=texts("prepared_by", plan=run["plan_file"], questionnaire=run["questionnaire"],
                          version=run["questionnaire_version"]),
        warning=texts("illustrative_warning") if run.get("illustrative") else "",
        min_cell=builder.min_cell, sections=sections, one_pagers=builder.one_pagers(),
        all_charts=builder.charts)
