"""The questionnaire's rules over whole columns: which rows `check_answers` would pass untouched.

This is a sieve, not a second rule book. A row it calls clean is one for which `check_answers`
finds no problem at all, and its validated answers are then the answers it holds plus the
calculated values; every other row goes through `check_answers` itself, which words the
messages. The routing walk below follows `route` step by step, per row, so that calculations
are worked out for the same rows, at the same point of the walk, as there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from survey.ingest import json_text
from survey.questionnaire.answer_checks import answer_problems, stored_value
from survey.questionnaire.answers import for_expressions
from survey.questionnaire.expressions.evaluate import is_empty
from survey.questionnaire.expressions.evaluate_columns import (
    Columns,
    Factor,
    evaluate_columns,
    where,
)
from survey.questionnaire.expressions.syntax import references
from survey.questionnaire.model import Expression, Question, Questionnaire
from survey.questionnaire.spec import QuestionType

_NOT_ANSWERABLE = (QuestionType.CALCULATE, QuestionType.NOTE)


@dataclass(frozen=True)
class ColumnCheck:
    clean: np.ndarray
    """Rows `check_answers` passes without any problem, error or warning."""
    validated: list[str]
    """The validated answers of each clean row as JSON text (meaningless on other rows)."""


class _Walk:
    """`route` for many rows at once: what each row is asked, and its calculated values."""

    def __init__(self, questionnaire: Questionnaire, answers: Mapping[str, Factor],
                 answered: Mapping[str, np.ndarray], today: Factor):
        self.rows = len(today.codes)
        self.none = Factor.constant(None, self.rows)
        self.calculations = {q.id: q for q in questionnaire.questions
                             if q.type == QuestionType.CALCULATE}
        self.known: dict[str, Factor] = {}
        """Values seen so far; None on the rows where `route` has not got the name."""
        self.present: dict[str, np.ndarray] = {}
        self.hidden: dict[str, np.ndarray] = {}
        self.asked: dict[str, np.ndarray] = {}
        self.columns = Columns(self.lookup, today, undecided=np.zeros(self.rows, bool))
        everyone = np.ones(self.rows, bool)
        for section in questionnaire.sections:
            shown = self.holds(section.relevant, everyone)
            for question in section.questions:
                asked = shown & self.holds(question.relevant, shown)
                self._hide(question.id, ~asked)
                if question.type == QuestionType.CALCULATE:
                    self._work_out(question, asked & ~self._present(question.id))
                    continue
                self.asked[question.id] = asked
                for name in question.answer_names:
                    if name in answers:
                        self._set(name, asked & answered[name], answers[name])
        for name, question in self.calculations.items():
            self._work_out(question, ~self.hidden[name] & ~self._present(name))

    def holds(self, rule: Expression | None, mask: np.ndarray) -> np.ndarray:
        if rule is None:
            return mask.copy()
        held: np.ndarray = mask & evaluate_columns(rule.tree, self.columns, mask).truth()
        return held

    def lookup(self, name: str, mask: np.ndarray) -> Factor:
        question = self.calculations.get(name)
        if question is not None:
            self._work_out(question, mask & ~self._present(name) & ~self.hidden.get(
                name, np.zeros(self.rows, bool)))
        return self.value(name)

    def value(self, name: str) -> Factor:
        return self.known.get(name, self.none)

    def _present(self, name: str) -> np.ndarray:
        return self.present.get(name, np.zeros(self.rows, bool))

    def _set(self, name: str, mask: np.ndarray, factor: Factor) -> None:
        self.known[name] = where(mask, factor, self.value(name))
        self.present[name] = self._present(name) | mask

    def _hide(self, name: str, mask: np.ndarray) -> None:
        self.hidden[name] = self.hidden.get(name, np.zeros(self.rows, bool)) | mask
        if name in self.known:
            self.known[name] = where(mask, self.none, self.known[name])
            self.present[name] &= ~mask

    def _work_out(self, question: Question, mask: np.ndarray) -> None:
        if not mask.any():
            return
        assert question.calculate is not None
        self._set(question.id, mask, self.none)  # as in `route`: guards against cycles
        self._set(question.id, mask, evaluate_columns(question.calculate.tree, self.columns,
                                                      mask))


def check_columns(questionnaire: Questionnaire, answers: Mapping[str, Factor], today: Factor,
                  answers_json: list[str]) -> ColumnCheck:
    """`answers` in the stored form (None: not answered); `today` is each row's day of answering;
    `answers_json` is each row's answers as JSON text."""
    index = questionnaire.answer_index
    rows = len(today.codes)
    answered = {name: f.per_value(lambda v: v is not None, bool) for name, f in answers.items()}
    bad = np.zeros(rows, bool)
    for name, factor in answers.items():
        question = index.get(name)
        if question is None or question.type in _NOT_ANSWERABLE:
            bad |= answered[name]
        else:
            def fails(v: Any, n: str = name) -> bool:
                return v is not None and _fails(lambda: bool(answer_problems(questionnaire, n, v)))
            bad |= factor.per_value(fails, bool)
    walk = _Walk(questionnaire, {name: Factor(f.codes, [for_expressions(index.get(name), v)
                                                         for v in f.values])
                                 for name, f in answers.items()}, answered, today)
    final = Columns(lambda name, _mask: walk.value(name), today,
                    undecided=walk.columns.undecided)
    for question in questionnaire.questions:
        if question.type != QuestionType.CALCULATE:
            bad |= _asked_problems(question, walk, final, answers, answered)
    bad |= walk.columns.undecided
    def member_of(name: str) -> Callable[[Any], str]:
        return lambda v: "" if v is None else json_text.member(name, stored_value(v))
    calculated = {name: walk.value(name).per_value(member_of(name))
                  for name in walk.calculations}
    if not any((m != "").any() for m in calculated.values()):
        return ColumnCheck(~bad, answers_json)
    members = {name: json_text.members(name, factor) for name, factor in answers.items()}
    members.update(calculated)
    return ColumnCheck(~bad, json_text.objects([members[n] for n in sorted(members)], rows))


def _asked_problems(question: Question, walk: _Walk, final: Columns,
                    answers: Mapping[str, Factor],
                    answered: Mapping[str, np.ndarray]) -> np.ndarray:
    """Rows where `check_answers` finds a problem with this question (given usable answers)."""
    rows = walk.rows
    asked = walk.asked[question.id]
    bad = np.zeros(rows, bool)
    given = np.zeros(rows, bool)
    for name in question.answer_names:
        if name in answered:
            bad |= answered[name] & ~asked  # answered, but the routing skips it
            if name not in question.other_text_names:
                given |= answered[name]
    required = question.required
    if isinstance(required, bool):
        needed = asked & required
    else:
        needed = asked & evaluate_columns(required.tree, final, asked).truth()
    bad |= needed & ~given
    if question.type == QuestionType.CONSENT and question.id in answers:
        bad |= asked & answers[question.id].per_value(lambda v: v is False, bool)
    if question.constraint is not None:
        current = walk.value(question.id)
        checked = asked & current.per_value(lambda v: v is not None, bool)
        for ref in references(question.constraint.tree):
            checked &= ~walk.value(ref.name).per_value(is_empty, bool)
        if checked.any():
            rule = Columns(final.lookup, final.today, current, final.undecided)
            bad |= checked & ~evaluate_columns(question.constraint.tree, rule, checked).truth()
    chosen = answers.get(question.id)
    for name in question.other_text_names:
        if name in answered:
            choice = name.removeprefix(f"{question.id}__").removesuffix("_text")
            def picks(v: Any, c: str = choice) -> bool:
                return not _fails(lambda: c not in _picked(v))
            picked = chosen.per_value(picks, bool) if chosen is not None else np.zeros(rows, bool)
            bad |= answered[name] & asked & ~picked
    return bad


def _picked(chosen: Any) -> set[Any]:
    """As `_check_other_texts` reads the chosen answer."""
    return {chosen} if isinstance(chosen, str) else set(chosen or [])


def _fails(test: Callable[[], bool]) -> bool:
    """A test that raises on a row's value leaves that row to `check_answers`."""
    try:
        return test()
    except Exception:
        return True
