"""Which questions a page shows, and the logic data the browser needs to refine that.

Without JavaScript the server decides: a question is shown when the routing, applied to the
answers of the other pages, asks it, or when its rule depends on an answer given on the same
page (it may become relevant while the respondent fills the page in). The browser then hides
what its evaluator finds irrelevant; the server checks everything again on submission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from survey.questionnaire.answer_checks import stored_value
from survey.questionnaire.expressions.syntax import Binary, Node, references, to_json
from survey.questionnaire.model import Expression, Question, Questionnaire, Section
from survey.questionnaire.routing import route_stored
from survey.questionnaire.spec import QuestionType

CHOICE_CODES = frozenset({QuestionType.RATING, QuestionType.GRID})
"""Types whose answers the expression language compares by code, not by name."""


def _depends_on(questionnaire: Questionnaire, rule: Expression | None, ids: set[str]) -> bool:
    """Whether `rule` reads an answer of a question in `ids`, directly or through calculations."""
    if rule is None:
        return False
    stack, seen = [rule.tree], set()
    while stack:
        for ref in references(stack.pop()):
            question = questionnaire.answer_index.get(ref.name)
            if question is None or question.id in seen:
                continue
            seen.add(question.id)
            if question.id in ids:
                return True
            if question.calculate is not None:
                stack.append(question.calculate.tree)
            if question.relevant is not None:
                stack.append(question.relevant.tree)
    return False


def page_answers(section: Section, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers of the other pages: what the routing of this page may rely on."""
    own = {name for q in section.questions for name in q.answer_names}
    return {name: value for name, value in answers.items() if name not in own}


def shown_questions(questionnaire: Questionnaire, section: Section,
                    answers: Mapping[str, Any], today: dt.date | None = None) -> list[Question]:
    """The questions (notes included, calculations not) the page of `section` shows."""
    asked = set(route_stored(questionnaire, page_answers(section, answers), today).asked)
    own = {q.id for q in section.questions}
    section_open = _depends_on(questionnaire, section.relevant, own)
    shown = []
    for question in section.questions:
        if question.type == QuestionType.CALCULATE:
            continue
        if question.id in asked or section_open or _depends_on(
                questionnaire, question.relevant, own):
            shown.append(question)
    return shown


def asked_by_own_page(questionnaire: Questionnaire, section: Section,
                      question: Question) -> bool:
    """Whether `question`'s rule reads an answer given on its own page: without JavaScript it
    is shown, with that rule in words ("Only if …")."""
    own = {q.id for q in section.questions}
    return _depends_on(questionnaire, question.relevant, own)


def next_page(questionnaire: Questionnaire, answers: Mapping[str, Any], after: int,
              step: int = 1, today: dt.date | None = None) -> int | None:
    """The next page (section index) in direction `step` that shows something, or None."""
    index = after + step
    while 0 <= index < len(questionnaire.sections):
        if shown_questions(questionnaire, questionnaire.sections[index], answers, today):
            return index
        index += step
    return None


def relevance(section: Section, question: Question) -> Node | None:
    """Section and question rules combined into one tree, as the browser evaluates them."""
    rules = [r.tree for r in (section.relevant, question.relevant) if r is not None]
    if not rules:
        return None
    tree = rules[0]
    for rule in rules[1:]:
        tree = Binary("and", tree, rule, 0)
    return tree


def tree_json(rule: Expression | Node | None) -> dict[str, Any] | None:
    """A rule's tree as the browser's evaluator reads it (None: no rule)."""
    if rule is None:
        return None
    return to_json(rule.tree if isinstance(rule, Expression) else rule)


def question_logic(section: Section, questions: list[Question], language: str,
                   default: str) -> dict[str, Any]:
    """Per question of `section`: its type, answer names, rules and limits, for the browser."""
    entries: dict[str, Any] = {}
    for question in questions:
        required = question.required
        entries[question.id] = {
            "type": str(question.type),
            "answer_names": [] if question.type == QuestionType.NOTE else list(
                question.answer_names),
            "relevant": tree_json(relevance(section, question)),
            "required": required if isinstance(required, bool) else tree_json(required),
            "constraint": tree_json(question.constraint),
            "constraint_message": question.constraint_message.get(language, default),
            "min": question.min, "max": question.max,
            "min_selected": question.min_selected, "max_selected": question.max_selected,
            "max_length": question.max_length,
            "exclusive": [c.name for c in question.choices.choices if c.exclusive]
            if question.choices else [],
        }
    return entries


def choice_codes(questionnaire: Questionnaire) -> dict[str, dict[str, int]]:
    """The codes the expression language compares answers of CHOICE_CODES types by."""
    return {q.id: dict(q.choice_codes)
            for q in questionnaire.questions if q.type in CHOICE_CODES and q.choices}


def logic_data(questionnaire: Questionnaire, section: Section, questions: list[Question],
               answers: Mapping[str, Any], language: str,
               messages: Mapping[str, str]) -> dict[str, Any]:
    """The content of the page's `survey-logic` element (the page contract with form.js)."""
    earlier = page_answers(section, answers)
    routed = route_stored(questionnaire, earlier)
    calculations = {q.id: q for q in questionnaire.questions if q.type == QuestionType.CALCULATE}
    own = {q.id for q in section.questions}
    computed = {name: stored_value(value) for name, value in routed.values.items()
                if name in calculations and not _depends_on(
                    questionnaire, calculations[name].calculate, own)}
    return {
        "language": language,
        "questions": question_logic(section, questions, language,
                                    questionnaire.default_language),
        "answers": {name: value for name, value in earlier.items()
                    if (asked := questionnaire.answer_index.get(name)) is not None
                    and routed.is_asked(asked.id)} | computed,
        "calculations": {name: tree_json(q.calculate) for name, q in calculations.items()
                         if name not in computed},
        "codes": choice_codes(questionnaire),
        "messages": dict(messages),
    }
