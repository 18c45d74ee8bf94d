"""Checking the indicators of an analysis plan: kind, the keys each kind takes, the variable or
question it reads, its items, interval method and breakdowns."""

from __future__ import annotations

from typing import Any

from survey.questionnaire.diagnostics import did_you_mean
from survey.questionnaire.model import Question, VariableRole, question_variables
from survey.questionnaire.spec import QuestionType
from survey.questionnaire.yaml_source import Path_
from survey.stats.intervals import IntervalMethod
from survey.stats.plan.lookups import CATEGORIES, NUMBERS, PlanLookups
from survey.stats.plan.model import Breakdown, Indicator, Item, Kind
from survey.stats.plan.reader import listing, or_else
from survey.stats.plan.regression import FAMILIES, FormulaError, formula_variables, is_option
from survey.stats.plan.variables import CATEGORICAL_SCALES, NUMERIC_SCALES

INDICATOR_KEYS = ("id", "kind", "label", "breakdowns")
KIND_KEYS: dict[Kind, tuple[str, ...]] = {
    Kind.SHARE: ("variable", "ci"),
    Kind.MEAN: ("variable",),
    Kind.MEDIAN: ("variable",),
    Kind.QUANTILES: ("variable", "probabilities"),
    Kind.MULTI: ("question", "items", "ci"),
    Kind.NEEDS: ("question", "items", "at_least", "ci"),
    Kind.GAP: ("importance", "satisfaction", "items"),
    Kind.TOP_RANKED: ("question", "items", "ci"),
    Kind.CO_OCCURRENCE: ("question", "items", "at_least", "ci"),
    Kind.REGRESSION: ("formula", "family", "event"),
}
CI_METHODS = {"logit": IntervalMethod.LOGIT, "korn_graubard": IntervalMethod.KORN_GRAUBARD,
              "wilson": IntervalMethod.WILSON}
DEFAULT_QUANTILES = (0.25, 0.5, 0.75)
NEED_SOURCES = (QuestionType.MULTIPLE_CHOICE, QuestionType.GRID, QuestionType.RANKING)


class IndicatorChecks(PlanLookups):
    """The indicator checks of the plan checker (plan_checks.py)."""

    def indicators(self, entries: Any, breakdowns: list[Breakdown],
                   weighted: bool) -> list[Indicator]:
        if not isinstance(entries, list) or not entries:
            if entries is not None:
                self.error(("indicators",), "indicators must be a list ('- id: ...')")
            return []
        taken: set[str] = set()
        all_keys = tuple(dict.fromkeys(INDICATOR_KEYS + sum(KIND_KEYS.values(), ())))
        result = []
        for index, raw in enumerate(entries):
            path: Path_ = ("indicators", index)
            entry = self.mapping(raw, path, "an indicator", all_keys, ("id", "kind"))
            if entry is None:
                continue
            new = self.new_id(entry, path, "an indicator", taken)
            if "kind" not in entry:
                continue
            kind = self.option(entry, "kind", path, f"indicator '{new}'", tuple(Kind), "")
            if not kind:
                continue
            kind = Kind(kind)
            for key in entry:
                if key in all_keys and key not in INDICATOR_KEYS + KIND_KEYS[kind]:
                    owners = [k.value for k, keys in KIND_KEYS.items() if key in keys]
                    self.error((*path, key), f"'{key}' does not apply to kind {kind} (it "
                               f"belongs to {', '.join(owners)})", at_key=True)
            indicator = self.indicator(entry, path, new or "?", kind, breakdowns, weighted)
            if indicator is not None and new is not None:
                result.append(indicator)
        return result

    def indicator(self, entry: dict[str, Any], path: Path_, new: str, kind: Kind,
                  breakdowns: list[Breakdown], weighted: bool) -> Indicator | None:
        what = f"indicator '{new}'"
        method = IntervalMethod.LOGIT
        if "ci" in entry:
            method = CI_METHODS[self.option(entry, "ci", path, what, tuple(CI_METHODS),
                                            "logit")]
            if method == IntervalMethod.WILSON and weighted:
                self.error((*path, "ci"), "ci: wilson is for unweighted simple random samples; "
                           "this plan weights or has a design: use logit or korn_graubard")
        chosen: tuple[str, ...] | None = None
        if kind == Kind.REGRESSION:
            chosen = ()  # adjusted for what the formula names, not broken down
            if entry.get("breakdowns"):
                self.error((*path, "breakdowns"), f"{what} is estimated for all respondents; "
                           "to compare groups, name the breakdown variable in its formula")
        elif "breakdowns" in entry:
            names = [b.variable for b in breakdowns]
            picked = []
            for word_path, name in self.words(entry, "breakdowns", path, what):
                if name not in names:
                    self.error(word_path, f"'{name}' is not among the plan's breakdowns "
                               f"({listing(names) or 'none'}){did_you_mean(name, names)}")
                else:
                    picked.append(name)
            chosen = tuple(picked)
        parts = self.parts(entry, path, what, kind)
        if parts is None:
            return None
        label = self.text(entry, "label", path, what, parts.pop("label"))
        assert label is not None
        return Indicator(new, kind, label, self.place(path), method=method, breakdowns=chosen,
                         **parts)

    def parts(self, entry: dict[str, Any], path: Path_, what: str,
              kind: Kind) -> dict[str, Any] | None:
        """The kind-specific fields of an indicator, and its default label."""
        if kind in (Kind.SHARE, Kind.MEAN, Kind.MEDIAN, Kind.QUANTILES):
            if "variable" not in entry:
                self.error(path, f"{what} of kind {kind} needs 'variable'")
                return None
            scales, wanted = ((CATEGORICAL_SCALES, CATEGORIES) if kind == Kind.SHARE
                              else (NUMERIC_SCALES, NUMBERS))
            info = self.lookup(entry["variable"], (*path, "variable"), f"kind {kind}", scales,
                               wanted)
            probabilities = self.probabilities(entry, path, what, kind)
            if info is None or probabilities is None:
                return None
            return {"variable": info.name, "probabilities": probabilities, "label": info.label}
        if kind == Kind.GAP:
            return self.gap(entry, path, what)
        if kind == Kind.REGRESSION:
            return self.regression(entry, path, what)
        types = {Kind.MULTI: (QuestionType.MULTIPLE_CHOICE,),
                 Kind.TOP_RANKED: (QuestionType.RANKING,)}.get(kind, NEED_SOURCES)
        if "question" not in entry:
            self.error(path, f"{what} of kind {kind} needs 'question'")
            return None
        question = self.question(entry["question"], (*path, "question"), f"kind {kind}", types)
        if question is None:
            return None
        ranks = tuple(v.name for v in question_variables(question)
                      if v.role == VariableRole.RANK)
        available = self.items_of(question)
        at_least = self.at_least(entry, path, what, question)
        if at_least is False:
            return None
        default = available
        if kind in (Kind.NEEDS, Kind.CO_OCCURRENCE, Kind.TOP_RANKED) and question.choices:
            # "None of these" is no need, and "other, please specify" none a council can act on
            left_out = {c.name for c in question.choices.choices if c.exclusive or c.other}
            default = [item for item in available if item.name not in left_out]
        items = self.select(entry, path, what, available, default,
                            2 if kind == Kind.CO_OCCURRENCE else 1)
        if items is None:
            return None
        return {"items": items, "ranks": ranks, "at_least": at_least,
                "label": self.text_of(question.label)}

    def probabilities(self, entry: dict[str, Any], path: Path_, what: str,
                      kind: Kind) -> tuple[float, ...] | None:
        if kind == Kind.MEDIAN:
            return (0.5,)
        if kind != Kind.QUANTILES:
            return ()
        value = entry.get("probabilities", list(DEFAULT_QUANTILES))
        if not isinstance(value, list) or not value or not all(
                isinstance(p, int | float) and not isinstance(p, bool) and 0 < p < 1
                for p in value) or len(set(value)) != len(value):
            self.error((*path, "probabilities"), f"probabilities of {what} must be a list of "
                       "different numbers between 0 and 1, such as [0.25, 0.5, 0.75]")
            return None
        return tuple(sorted(float(p) for p in value))

    def items_of(self, question: Question) -> list[Item]:
        if question.type == QuestionType.GRID:
            return [Item(i.id, self.text_of(i.label), f"{question.id}__{i.id}")
                    for i in question.items]
        assert question.choices is not None
        if question.type == QuestionType.RANKING:
            return [Item(c.name, self.text_of(c.label), code=float(c.code))
                    for c in question.choices.choices]
        return [Item(c.name, self.text_of(c.label), f"{question.id}__{c.name}")
                for c in question.choices.choices]

    def at_least(self, entry: dict[str, Any], path: Path_, what: str,
                 question: Question) -> float | bool | None:
        """The grid code from which a row counts as a need; False after a problem."""
        if question.type != QuestionType.GRID:
            if "at_least" in entry:
                self.error((*path, "at_least"), f"at_least only applies to a grid question; "
                           f"'{question.id}' is a {question.type} question", at_key=True)
                return False
            return None
        assert question.choices is not None
        scale = {c.name: float(c.code) for c in question.choices.choices}
        value = entry.get("at_least")
        if value not in scale:
            where = (*path, "at_least") if "at_least" in entry else path
            self.error(where, f"{what} counts a grid row as a need from an answer on: give "
                       f"at_least: one of {', '.join(scale)}"
                       f"{did_you_mean(str(value), list(scale)) if value else ''}")
            return False
        return scale[value]

    def select(self, entry: dict[str, Any], path: Path_, what: str, available: list[Item],
               default: list[Item], minimum: int) -> tuple[Item, ...] | None:
        """The items named under 'items', else `default` (needs leave out 'none of these' and
        'other')."""
        if "items" not in entry:
            return tuple(default)
        by_name = {item.name: item for item in available}
        chosen: list[Item] = []
        fine = True
        for word_path, name in self.words(entry, "items", path, what):
            if name not in by_name:
                self.error(word_path, f"'{name}' is not an item here" + or_else(
                    name, by_name, f" (items: {listing(list(by_name))})"))
                fine = False
            elif by_name[name] in chosen:
                self.error(word_path, f"item '{name}' is listed twice")
                fine = False
            else:
                chosen.append(by_name[name])
        if fine and len(chosen) < minimum:
            self.error((*path, "items"), f"{what} needs at least {minimum} items")
            fine = False
        return tuple(chosen) if fine else None

    def regression(self, entry: dict[str, Any], path: Path_,
                   what: str) -> dict[str, Any] | None:
        """formula (plan variables) and family; the outcome must suit the family."""
        if not isinstance(entry.get("formula"), str):
            self.error(path, f"{what} of kind regression needs 'formula', e.g. "
                       "'formula: housing_need ~ age_group + years_de'")
            return None
        try:
            outcome, predictors = formula_variables(entry["formula"])
        except FormulaError as error:
            self.error((*path, "formula"), str(error))
            return None
        where = (*path, "formula")
        found = self.variables.get(outcome)
        default = "gaussian" if (found is not None and found.scale in NUMERIC_SCALES
                                 and not is_option(found)) else "binomial"
        family = self.option(entry, "family", path, what, FAMILIES, default)
        event = None
        if family == "binomial":
            info = self.lookup(outcome, where, "the outcome of a binomial model",
                               CATEGORICAL_SCALES, CATEGORIES)
            if info is not None and not is_option(info):
                names = info.category_names()
                event = entry.get("event")
                if event not in names:
                    self.error((*path, "event") if "event" in entry else path,
                               f"{what} needs 'event': the category of '{outcome}' whose odds "
                               f"the model explains, one of {listing(list(names)) or 'none'}"
                               + (f" (found {event!r})" if "event" in entry else ""))
                    info = None
        else:
            info = self.lookup(outcome, where, "the outcome of a gaussian model",
                               NUMERIC_SCALES, NUMBERS)
        known = [self.lookup(name, where, "a predictor", CATEGORICAL_SCALES | NUMERIC_SCALES,
                             "categories or numbers") for name in predictors]
        if info is None or None in known:
            return None
        if "event" in entry and event is None:
            kind = "an option (ticked counts as 1)" if is_option(info) else "a number"
            self.error((*path, "event"), f"'event' applies to a binomial model of a "
                       f"category; '{outcome}' is {kind}")
        return {"formula": " ".join(entry["formula"].split()), "family": family,
                "event": event, "variable": outcome, "label": info.label}

    def gap(self, entry: dict[str, Any], path: Path_, what: str) -> dict[str, Any] | None:
        questions = []
        for key in ("importance", "satisfaction"):
            if key not in entry:
                self.error(path, f"{what} of kind gap needs '{key}': a grid question")
                continue
            questions.append(self.question(entry[key], (*path, key), f"gap {key}",
                                           (QuestionType.GRID,)))
        if len(questions) != 2 or None in questions:
            return None
        importance, satisfaction = questions
        assert importance is not None and satisfaction is not None
        assert importance.choices is not None and satisfaction.choices is not None
        if len(importance.choices.choices) != len(satisfaction.choices.choices):
            self.error((*path, "satisfaction"), f"importance ('{importance.id}') and "
                       f"satisfaction ('{satisfaction.id}') must be rated on scales of the same "
                       "length, or their gap means nothing")
            return None
        rated = {i.id for i in satisfaction.items}
        both = [Item(i.id, self.text_of(i.label), f"{importance.id}__{i.id}",
                     f"{satisfaction.id}__{i.id}") for i in importance.items if i.id in rated]
        alone = sorted({i.id for i in importance.items} ^ rated)
        if alone and "items" not in entry:
            self.warn(path, f"rows {listing(alone)} are not in both grids and are left out of "
                      f"{what}")
        items = self.select(entry, path, what, both, both, 1)
        if items is None:
            return None
        return {"items": items, "label": self.text_of(importance.label)}
