"""The section "What changed since <label>": the changes table (changes.csv, written by
`survey analyse` when the plan names a previous wave) for all respondents, in words a council
reads without overclaiming.

A change is called clear only when the changes table marks it significant (its p-value,
adjusted for the answers of one question, is under alpha); every other compared figure is
"no clear change", which covers each one whose interval includes zero. Figures suppressed in
either wave stay suppressed; answers coded differently, and questions worded differently, are
named. Every figure carries its cell: the current estimate its results-table cell
(`indicator|breakdown|group|category|estimate`), the earlier estimate and the change their
changes-table cell (`changes:indicator|…|column`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd
from babel.numbers import format_decimal

from survey.report.document import Cell, Figure, Section, Sentence, Table
from survey.stats.disclosure import SUPPRESSED
from survey.stats.results import TOTAL
from survey.stats.waves import CODES_DIFFER, QUESTION_CHANGED

if TYPE_CHECKING:
    from survey.report.build import Builder

CHANGES_REF = "changes:"
POINTS, POINTS_BARE, SIGNED = "points", "points_bare", "signed"
"""A change of a share in percentage points (with and without the unit), of a number."""
SLIDE_ROWS = 8
_SIGNED = "+#,##0.0;-#,##0.0"
_ZERO = "#,##0.0"


def signed(value: float, locale: str) -> str:
    """+4,2 / -0,3; a change that rounds to zero is written 0,0 without a sign."""
    if round(value, 1) == 0:
        return format_decimal(0.0, _ZERO, locale=locale)
    return format_decimal(value, _SIGNED, locale=locale)


class Changes:
    """Builds the section from a Builder whose results carry a changes table."""

    def __init__(self, builder: Builder):
        self.b = builder
        self.t = builder.t
        table = builder.results.changes
        self.table = table if table is not None else pd.DataFrame()
        wave = builder.plan.previous_wave
        self.label = builder.labels.plan_text(wave.label) if wave is not None else ""

    def change_text(self, value: float, indicator: str, unit: bool = True) -> str:
        if self.b.share(indicator):
            number = signed(value * 100, self.b.n.locale)
            return self.t("changes.points", value=number) if unit else number
        return signed(value, self.b.n.locale)

    def figure(self, row: Any, column: str) -> Figure:
        key = f"{row['indicator']}|{row['breakdown']}|{row['group']}|{row['category']}"
        indicator = row["indicator"]
        if column == "estimate":
            return Figure(self.b.n.format(row[column], self.b.style(indicator)),
                          f"{key}|estimate", self.b.style(indicator))
        if column == "estimate_previous":
            return Figure(self.b.n.format(row[column], self.b.style(indicator)),
                          f"{CHANGES_REF}{key}|{column}", self.b.style(indicator))
        share = self.b.share(indicator)
        unit = column == "change"
        style = (POINTS if unit else POINTS_BARE) if share else SIGNED
        return Figure(self.change_text(row[column], indicator, unit),
                      f"{CHANGES_REF}{key}|{column}", style)

    @staticmethod
    def compared(row: Any) -> bool:
        return not math.isnan(row["change"])

    @staticmethod
    def clear(row: Any) -> bool:
        significant: str = row["significant"]
        return significant == "yes"

    def verdict(self, row: Any) -> str:
        if not self.compared(row):
            flags = row["flags"].split(",")
            return self.t("changes.suppressed_cell" if SUPPRESSED in flags
                          else "changes.not_compared")
        if self.clear(row):
            return self.t("changes.clear_up" if row["change"] > 0 else "changes.clear_down")
        return self.t("changes.no_clear_change")

    def sentence(self, row: Any) -> Sentence:
        indicator = row["indicator"]
        return self.b.sentence("changes.up" if row["change"] > 0 else "changes.down", {
            "label": self.label, "item": self.b.category(row),
            "question": self.b.indicator(indicator),
            "before": self.figure(row, "estimate_previous"),
            "now": self.figure(row, "estimate"), "change": self.figure(row, "change"),
            "level": self.b.level, "low": self.figure(row, "ci_low"),
            "high": self.figure(row, "ci_high")})

    def cells(self, row: Any) -> list[Cell]:
        answer = Cell(self.b.category(row))
        if not self.compared(row):
            dash = Cell(self.t("table.suppressed"), numeric=True)
            return [answer, dash, dash, dash, dash, Cell(self.verdict(row))]
        if math.isnan(row["ci_low"]):
            interval = Cell(self.t("table.suppressed"), numeric=True)
        else:
            interval = Cell(f"{self.figure(row, 'ci_low').text} – "
                            f"{self.figure(row, 'ci_high').text}", numeric=True)
        return [answer, Cell(figure=self.figure(row, "estimate_previous"), numeric=True),
                Cell(figure=self.figure(row, "estimate"), numeric=True),
                Cell(figure=self.figure(row, "change"), numeric=True), interval,
                Cell(self.verdict(row))]

    def rows(self) -> pd.DataFrame:
        """The changes for all respondents, of indicators this report shows, in its order."""
        t = self.table
        if t.empty:
            return t
        chosen = t[(t["breakdown"] == TOTAL) & t["indicator"].isin(self.b.ids)]
        order = {ident: k for k, ident in enumerate(self.b.ids)}
        return chosen.iloc[sorted(range(len(chosen)),
                                  key=lambda k: order[chosen["indicator"].iloc[k]])]

    def section(self) -> Section:
        section = Section("changes", self.t("changes.heading", label=self.label))
        rows = self.rows()
        if rows.empty:
            return section
        compared = rows[[self.compared(r) for _, r in rows.iterrows()]]
        clear = compared[[self.clear(r) for _, r in compared.iterrows()]]
        section.paragraphs.append(self.t("changes.intro", label=self.label,
                                         compared=self.b.n.count(len(compared)),
                                         clear=self.b.n.count(len(clear)), level=self.b.level))
        ordered = clear.assign(size=clear["change"].abs() / clear["change_se"]) \
            .sort_values("size", ascending=False, kind="stable")
        section.sentences = [self.sentence(r) for _, r in ordered.iterrows()]
        if clear.empty:
            section.paragraphs.append(self.t("changes.none_clear", label=self.label))
        section.paragraphs += self.flagged(rows)
        section.paragraphs.append(self.t(
            "changes.method", label=self.label, correction=self.b.correction(),
            df=self.b.n.count(compared["df"].min()) if compared["df"].notna().any()
            else "∞"))
        columns = [self.t("table.category"), self.label, self.t("changes.now"),
                   self.t("changes.change"), self.t("table.interval", level=self.b.level),
                   self.t("changes.assessment")]
        notes = [self.t("changes.suppressed_note", min_cell=self.b.min_cell)]
        for indicator in dict.fromkeys(rows["indicator"]):
            shown = rows[rows["indicator"] == indicator]
            section.tables.append(Table(self.b.indicator(indicator), columns,
                                        [self.cells(r) for _, r in shown.iterrows()], notes))
        section.slide_table = Table(
            section.heading, [self.t("table.category"), self.label, self.t("changes.now"),
                              self.t("changes.change")],
            [[Cell(f"{self.b.category(r)} ({self.b.indicator(r['indicator'])})"),
              *self.cells(r)[1:4]] for _, r in ordered.head(SLIDE_ROWS).iterrows()],
            [self.t("changes.none_clear", label=self.label)] if clear.empty else [])
        return section

    def flagged(self, rows: pd.DataFrame) -> list[str]:
        """Questions worded differently; answers coded differently (not compared)."""
        found = []
        worded = [self.b.indicator(i) for i in dict.fromkeys(
            rows.loc[rows["flags"].str.contains(QUESTION_CHANGED, regex=False), "indicator"])]
        if worded:
            found.append(self.t("changes.wording", label=self.label,
                                items=self.b.listing(worded)))
        coded = rows[rows["flags"].str.contains(CODES_DIFFER, regex=False)
                     & rows["change"].isna()]
        if not coded.empty:
            parts = []
            for indicator in dict.fromkeys(coded["indicator"]):
                items = [self.b.category(r) for _, r in
                         coded[coded["indicator"] == indicator].iterrows()]
                parts.append(f"{self.b.indicator(indicator)}: {self.b.listing(items)}")
            found.append(self.t("changes.codes", label=self.label, items="; ".join(parts)))
        return found


def changes_section(builder: Builder) -> Section:
    return Changes(builder).section()
