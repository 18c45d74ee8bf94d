"""Labels of indicators, answers, breakdowns and groups in the report's language.

The results table is labelled in the plan's language; a report in another language takes the
questionnaire's own translations of the same questions and answers. Labels written in the plan
(derived variables, indicator labels given there) exist in one language only and are used as
written.
"""

from __future__ import annotations

import re

from survey.questionnaire.model import Question, Questionnaire
from survey.report.safe_text import clean
from survey.report.texts import Texts
from survey.stats.plan_model import Indicator, Kind, Plan
from survey.stats.plan_variables import Scale, VariableInfo, code_label, questionnaire_variables

PAIR = " & "
_PERCENTILE = re.compile(r"p(\d+(?:\.\d+)?)$")
_PARTS = ("importance", "satisfaction", "gap", "first", "top")


class Labels:
    def __init__(self, plan: Plan, language: str, texts: Texts):
        self.plan = plan
        self.language = language
        self.texts = texts
        self.questionnaire: Questionnaire = plan.questionnaire
        self.own = questionnaire_variables(self.questionnaire, language)
        self.written = questionnaire_variables(self.questionnaire, plan.language)
        self.indicators = {i.id: i for i in plan.indicators}

    def indicator_of(self, indicator_id: str) -> Indicator | None:
        return self.indicators.get(indicator_id.split(".")[0])

    def _question(self, indicator: Indicator) -> Question | None:
        name = indicator.variable or (indicator.ranks[0] if indicator.ranks else None)
        if name is None and indicator.items:
            name = indicator.items[0].variable
        info = self.own.get(name or "")
        return info.variable.question if info is not None and info.variable else None

    def question_of(self, indicator_id: str) -> Question | None:
        indicator = self.indicator_of(indicator_id)
        return None if indicator is None else self._question(indicator)

    def indicator(self, indicator_id: str, fallback: str) -> str:
        """The indicator's label; for the parts of gap and top_ranked with the part's name."""
        indicator = self.indicator_of(indicator_id)
        if indicator is None:
            return clean(fallback)
        label = indicator.label
        question = self._question(indicator)
        if question is not None and label == question.label.get(
                self.plan.language, self.questionnaire.default_language):
            label = question.label.get(self.language, self.questionnaire.default_language)
        part = indicator_id.split(".", 1)[1] if "." in indicator_id else ""
        if part in _PARTS:
            label = f"{label} – {self.texts('categories.' + part)}"
        return clean(label)

    def _item(self, indicator: Indicator, name: str) -> str | None:
        for item in indicator.items:
            if item.name != name:
                continue
            info = self.own.get(item.variable or "")
            if info is not None and info.variable is not None:
                return info.variable.label.get(self.language,
                                               self.questionnaire.default_language)
            question = self._question(indicator)
            if question is not None and question.choices is not None:
                for choice in question.choices.choices:
                    if choice.name == name:
                        return choice.label.get(self.language,
                                                self.questionnaire.default_language)
            return item.label
        return None

    def _category_of(self, info: VariableInfo | None, name: str) -> str | None:
        if info is None:
            return None
        if info.scale == Scale.CODES:
            return code_label(info, name, self.language)
        for category in info.categories:
            if category.name == name:
                return category.label
        return None

    def category(self, indicator_id: str, category: str, fallback: str) -> str:
        indicator = self.indicator_of(indicator_id)
        found: str | None = None
        if category == "mean":
            found = self.texts("categories.mean")
        elif category == "p50":
            found = self.texts("categories.median")
        elif (match := _PERCENTILE.match(category)) is not None:
            found = self.texts("categories.percentile", p=match.group(1))
        elif indicator is not None and indicator.kind == Kind.SHARE:
            found = self._category_of(self.own.get(indicator.variable or ""), category)
        elif indicator is not None and PAIR in category:
            parts = [self._item(indicator, part) for part in category.split(PAIR)]
            found = PAIR.join(parts) if all(parts) else None  # type: ignore[arg-type]
        elif indicator is not None:
            found = self._item(indicator, category)
        return clean(found if found else fallback)

    def breakdown(self, breakdown: str, fallback: str) -> str:
        info = self.own.get(breakdown)
        return clean(info.label if info is not None else fallback)

    def group(self, breakdown: str, group: str, fallback: str) -> str:
        return clean(self._category_of(self.own.get(breakdown), group) or fallback)

    def quadrant(self, quadrant: str) -> str:
        return self.texts("quadrants." + quadrant) if quadrant else ""
