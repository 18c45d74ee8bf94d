"""Which printed questions one answer skips, decided from the same skip-rule trees as route().

A paper form cannot hide questions, so it prints "go to question N" after an answer that makes
the next questions impossible. With that one answer known and every other answer unknown, a
question is skipped only when its rule (with its section's rule) can never be true; anything
the check cannot decide counts as possibly asked, so the printed jump is never wrong.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from survey.questionnaire.expressions.evaluate import Context, evaluate
from survey.questionnaire.expressions.satisfiable import Domain, can_be_true
from survey.questionnaire.expressions.syntax import Binary, Call, Current, Literal, Node, Ref, walk
from survey.questionnaire.expressions.types import Kind
from survey.questionnaire.languages import country_names, language_names
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.spec import QuestionType


@dataclass(frozen=True)
class Jump:
    skipped: tuple[Question, ...]
    """The printed questions right after the answered one that cannot be asked."""
    target: Question | None
    """The first printed question after them that may be asked; None: the end of the form."""


def _number_domain(low: Any, high: Any, integral: bool) -> Domain:
    numeric = (int, float)
    return Domain(Kind.NUMBER, low if isinstance(low, numeric) else None,
                  high if isinstance(high, numeric) else None, integral)


def _question_domains(question: Question) -> Iterator[tuple[str, Domain]]:
    names = tuple(c.name for c in question.choices.choices) if question.choices else ()
    codes = [c.code for c in question.choices.choices] if question.choices else []
    match question.type:
        case QuestionType.SINGLE_CHOICE:
            yield question.id, Domain(Kind.CHOICE, choices=names)
        case QuestionType.MULTIPLE_CHOICE | QuestionType.RANKING:
            assert question.choices is not None  # a valid choice question has its choices
            exclusive = tuple(c.name for c in question.choices.choices if c.exclusive)
            yield question.id, Domain(Kind.CHOICES, choices=names, exclusive=exclusive)
        case QuestionType.RATING:
            yield question.id, _number_domain(min(codes), max(codes), True)
        case QuestionType.GRID:
            for name in question.answer_names:
                yield name, _number_domain(min(codes), max(codes), True)
        case QuestionType.INTEGER | QuestionType.YEAR:
            yield question.id, _number_domain(question.min, question.max, True)
        case QuestionType.DECIMAL:
            yield question.id, _number_domain(question.min, question.max, False)
        case QuestionType.TEXT | QuestionType.LONG_TEXT:
            yield question.id, Domain(Kind.TEXT)
        case QuestionType.COUNTRY:
            yield question.id, Domain(Kind.CHOICE, choices=tuple(country_names("en")))
        case QuestionType.LANGUAGE:
            yield question.id, Domain(Kind.CHOICE, choices=tuple(language_names("en")))
        case QuestionType.CONSENT:
            yield question.id, Domain(Kind.BOOLEAN)


def answer_domains(questionnaire: Questionnaire) -> dict[str, Domain]:
    """The answers each name can take, as the satisfiability check needs them (dates and
    calculations have none, so rules on them stay undecided)."""
    return {name: domain for q in questionnaire.questions
            for name, domain in _question_domains(q)}


def _fold(node: Node, known: Mapping[str, Any]) -> Node:
    """`node` with every part that depends only on known answers replaced by its value.

    What is left refers only to unknown answers, so the satisfiability check can judge it.
    """
    if all(_settled(part, known) for part in walk(node)):
        value = evaluate(node, Context(known))
        if isinstance(value, bool):
            return Call("true" if value else "false", (), node.pos)
        if value is None:
            return Literal("", node.pos)
        if isinstance(value, int | float | str):
            return Literal(value, node.pos)
    match node:
        case Binary(op="and" | "or" as op, left=left, right=right):
            return _logical(op, _fold(left, known), _fold(right, known), node.pos)
        case Binary(op=op, left=left, right=right):
            return Binary(op, _fold(left, known), _fold(right, known), node.pos)
        case Call(name="not", args=(operand,)):
            inner = _fold(operand, known)
            if _constant(inner) is not None:
                return Call("false" if _constant(inner) else "true", (), node.pos)
            return Call("not", (inner,), node.pos)
        case Call(name=name, args=args):
            return Call(name, tuple(_fold(a, known) for a in args), node.pos)
    return node


def _settled(node: Node, known: Mapping[str, Any]) -> bool:
    """Whether this node's value is fixed by the known answers alone."""
    if isinstance(node, Ref):
        return node.name in known
    return not (isinstance(node, Current) or (isinstance(node, Call) and node.name == "today"))


def _constant(node: Node) -> bool | None:
    if isinstance(node, Call) and node.name in ("true", "false") and not node.args:
        return node.name == "true"
    return None


def _logical(op: str, left: Node, right: Node, pos: int) -> Node:
    """`left op right`, shortened where one side is already decided."""
    absorbing = op == "or"  # true absorbs "or", false absorbs "and"
    for side, other in ((left, right), (right, left)):
        value = _constant(side)
        if value is absorbing:
            return side
        if value is not None:
            return other
    return Binary(op, left, right, pos)


def may_hold(rule: Node, known: Mapping[str, Any], domains: Mapping[str, Domain]) -> bool:
    """False only when `rule` is false for every value of the answers not in `known`."""
    folded = _fold(rule, known)
    decided = _constant(folded)
    if decided is not None:
        return decided
    unknown = {name: d for name, d in domains.items() if name not in known}
    return can_be_true(folded, unknown) is not False


def _all_of(*rules: Node | None) -> Node | None:
    present = [r for r in rules if r is not None]
    if not present:
        return None
    tree = present[0]
    for rule in present[1:]:
        tree = Binary("and", tree, rule, rule.pos)
    return tree


class SkipFinder:
    """Works out jumps for one questionnaire, sharing its domains and rules between answers."""

    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        self.domains = answer_domains(questionnaire)
        section_rules = {q.id: s.relevant for s in questionnaire.sections for q in s.questions}
        self.rules: dict[str, Node | None] = {
            q.id: _all_of(*(e.tree for e in (section_rules[q.id], q.relevant) if e))
            for q in questionnaire.questions}
        self.position = {q.id: i for i, q in enumerate(questionnaire.questions)}

    def jump(self, question: Question, value: Any) -> Jump:
        """What answering `question` with `value` (as the evaluator sees it) skips.

        The question's own rule held, or it would not have been asked, so it is added to every
        later rule: an answer inside a branch can rule out the other branch.
        """
        own_rule = self.rules[question.id]
        known: dict[str, Any] = {question.id: value}
        skipped: list[Question] = []
        for later in self.questionnaire.questions[self.position[question.id] + 1:]:
            rule = _all_of(own_rule, self.rules[later.id])
            if rule is None or may_hold(rule, known, self.domains):
                if later.number is not None:
                    return Jump(tuple(skipped), later)
                continue
            known.update(dict.fromkeys((later.id, *later.answer_names)))
            if later.number is not None:
                skipped.append(later)
        return Jump(tuple(skipped), None)
