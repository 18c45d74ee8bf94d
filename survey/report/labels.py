"""Labels of indicators, answers, breakdowns and groups in the report's language.

The results table is labelled in the plan's language; a report in another language takes the
questionnaire's own translations of the same questions and answers. Labels written in the plan
(derived variables, indicator labels given there) are translated where the plan writes them per
language (`label: {de: …, en: …}`); one written in a single language is a missing translation,
which stops a report in another language before anything is written, so a report never mixes
languages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from survey.questionnaire.measurement import Scale
from survey.questionnaire.model import Question, Questionnaire
from survey.report.errors import ReportError
from survey.report.safe_text import clean
from survey.report.texts import Texts
from survey.stats.plan.model import Indicator, Kind, Plan, PlanError
from survey.stats.plan.reader import read_yaml
from survey.stats.plan.variables import VariableInfo, code_label, questionnaire_variables

PAIR = " & "
_PERCENTILE = re.compile(r"p(\d+(?:\.\d+)?)$")
_PARTS = ("importance", "satisfaction", "gap", "first", "top")
_WORD = re.compile(r"[^\W\d_]{2,}")
"""A text without a word ("16-24", "B1-B2", "65+") reads the same in every language."""


def plan_texts(plan: Plan) -> tuple[dict[str, dict[str, str]], set[str]]:
    """The texts the plan file writes itself: those written per language, by their text in the
    plan's language, and those written in one language only."""
    try:
        data = read_yaml(Path(plan.file), "plan").data
    except (PlanError, OSError):
        return {}, set()
    translated: dict[str, dict[str, str]] = {}
    single: set[str] = set()

    def add(value: Any) -> None:
        if isinstance(value, str):
            single.add(value)
        elif (isinstance(value, dict) and plan.language in value
              and all(isinstance(v, str) for v in value.values())):
            translated[value[plan.language]] = {str(k): v for k, v in value.items()}

    if not isinstance(data, dict):
        return translated, single
    add(data.get("title"))
    previous = data.get("previous_wave")
    if isinstance(previous, dict):
        add(previous.get("label"))
    for key in ("derived", "indicators"):
        for entry in data.get(key) or []:
            if not isinstance(entry, dict):
                continue
            add(entry.get("label"))
            given = entry.get("labels")
            for value in (given.values() if isinstance(given, dict)
                          else given if isinstance(given, list) else []):
                add(value)
    return translated, single


class Labels:
    def __init__(self, plan: Plan, language: str, texts: Texts):
        self.plan = plan
        self.language = language
        self.texts = texts
        self.questionnaire: Questionnaire = plan.questionnaire
        self.own = questionnaire_variables(self.questionnaire, language)
        self.written = questionnaire_variables(self.questionnaire, plan.language)
        self.indicators = {i.id: i for i in plan.indicators}
        self.translated, self.single = plan_texts(plan)
        self.untranslated: set[str] = set()
        """Texts of the plan used in this report that have no text in its language."""

    def plan_text(self, text: str) -> str:
        """A text as the plan writes it, in the report's language where the plan has it."""
        if self.language == self.plan.language:
            return text
        found = self.translated.get(text, {}).get(self.language)
        if found is not None:
            return found
        if (text in self.single or text in self.translated) and _WORD.search(text):
            self.untranslated.add(text)
        return text

    def check_translations(self) -> None:
        """Raise, naming every plan text the report used without a translation."""
        if self.untranslated:
            shown = ", ".join(f"'{t}'" for t in sorted(self.untranslated))
            raise ReportError(
                f"{self.plan.file}: the report in '{self.language}' needs these plan labels "
                f"in '{self.language}', which the plan writes only in '{self.plan.language}': "
                f"{shown}. Write each as label: {{{self.plan.language}: …, {self.language}: …}} "
                f"(docs/howto-reports.md), or make the report in '{self.plan.language}'")

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
        variable = indicator.variable or ""
        if question is not None and label == question.label.get(
                self.plan.language, self.questionnaire.default_language):
            label = question.label.get(self.language, self.questionnaire.default_language)
        elif (variable in self.own and variable in self.written
              and label == self.written[variable].label):
            label = self.own[variable].label
        else:
            label = self.plan_text(label)
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
            return self.plan_text(item.label)
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
        return clean(found if found else self.plan_text(fallback))

    def breakdown(self, breakdown: str, fallback: str) -> str:
        info = self.own.get(breakdown)
        return clean(info.label if info is not None else self.plan_text(fallback))

    def group(self, breakdown: str, group: str, fallback: str) -> str:
        return clean(self._category_of(self.own.get(breakdown), group)
                     or self.plan_text(fallback))

    def quadrant(self, quadrant: str) -> str:
        return self.texts("quadrants." + quadrant) if quadrant else ""
