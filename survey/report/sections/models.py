"""The section of models: one table per regression indicator of the plan
(survey.stats.plan.regression), read from the results table like every other figure.

Each row is one characteristic of the model: its odds ratio (binomial) or difference
(gaussian), the interval and the p-value, with the respondents it rests on. A figure that
disclosure control suppressed stays "–". The note names the reference group of each
categorical characteristic (its first category in the plan), says what an odds ratio means
in plain words, and that each figure is adjusted for the others in the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.questionnaire.measurement import Scale
from survey.report.document import Cell, Section, Table
from survey.report.numbers import COUNT, P_VALUE, RATIO
from survey.stats.plan.model import Kind
from survey.stats.plan.regression import formula_variables, is_option
from survey.stats.plan.variables import CATEGORICAL_SCALES

if TYPE_CHECKING:
    from survey.report.build import Builder
    from survey.stats.plan.model import Indicator

class Models:
    def __init__(self, builder: Builder):
        self.b = builder
        self.t = builder.t

    def term(self, indicator: Indicator, name: str) -> str:
        """A coefficient's name ("areacentre", "age_group25-34:years_de") in words."""
        assert indicator.formula is not None
        _, predictors = formula_variables(indicator.formula)
        variables = self.b.plan.variables
        words = []
        for part in name.split(":"):
            found = part
            for variable in sorted(predictors, key=len, reverse=True):
                info = variables[variable]
                label = self.b.labels.breakdown(variable, info.label)
                if part == variable:
                    found = label
                    break
                level = part[len(variable):]
                if part.startswith(variable) and level in info.category_names():
                    category = next(c for c in info.categories if c.name == level)
                    found = f"{label} – {self.b.labels.group(variable, level, category.label)}"
                    break
            words.append(found)
        return " × ".join(words)

    def references(self, indicator: Indicator) -> str:
        assert indicator.formula is not None
        _, predictors = formula_variables(indicator.formula)
        named = []
        for variable in predictors:
            info = self.b.plan.variables[variable]
            if info.scale in CATEGORICAL_SCALES and info.scale != Scale.ORDINAL \
                    and info.categories and not is_option(info):
                first = info.categories[0]
                named.append(f"{self.b.labels.breakdown(variable, info.label)} – "
                              f"{self.b.labels.group(variable, first.name, first.label)}")
        return "; ".join(named)

    def table(self, indicator: Indicator) -> Table:
        rows = self.b.rows(indicator.id)
        odds = indicator.family == "binomial"
        lines = []
        for _, row in rows.iterrows():
            label = self.term(indicator, str(row["category"]))
            if not self.b.published(row):
                lines.append([Cell(label), *[Cell(self.t("table.suppressed"), numeric=True)
                                            for _ in range(4)]])
                continue
            lines.append([Cell(label), Cell(figure=self.b.figure(row, "estimate", RATIO),
                                            numeric=True),
                          self.b.interval(row),
                          Cell(figure=self.b.figure(row, "p_value", P_VALUE), numeric=True),
                          Cell(figure=self.b.figure(row, "unweighted_n", COUNT), numeric=True)])
        columns = ["", self.t("models.odds_ratio" if odds else "models.difference"),
                   self.t("table.interval", level=self.b.level), self.t("models.p"),
                   self.t("models.respondents")]
        notes = [self.t("models.odds_note" if odds else "models.difference_note",
                        indicator=self.b.indicator(indicator.id))]
        if not all(self.b.published(row) for _, row in rows.iterrows()):
            notes.append(self.t("table.suppressed_note", min_cell=self.b.min_cell))
        references = self.references(indicator)
        if references:
            notes.insert(1, self.t("models.reference", groups=references))
        base = rows["base_n"].dropna()
        caption = self.t("models.caption" if odds else "models.caption_difference",
                         indicator=self.b.indicator(indicator.id),
                         n=self.b.n.count(float(base.iloc[0])) if len(base) else "–")
        return Table(caption, columns, lines, notes)


def models_section(builder: Builder) -> Section:
    section = Section("models", builder.t("headings.models"))
    models = Models(builder)
    for indicator in builder.plan.indicators:
        if indicator.kind == Kind.REGRESSION and len(builder.rows(indicator.id)):
            section.tables.append(models.table(indicator))
    return section
