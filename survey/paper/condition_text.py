"""The "only if …" sentence printed above a conditional question, phrased from its skip rule.

The sentence is built from the rule's tree, the same tree route() evaluates, so the paper form
cannot say something the online form does not do. Parts of a rule that have no plain wording
(arithmetic, calculations, text functions, grid rows) make the whole sentence the generic
"only if this applies to you (see questions …)", which still names every question involved.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TypeGuard

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from survey.interface_texts import interface_text
from survey.questionnaire.expressions.evaluate import Context, evaluate, truthy
from survey.questionnaire.expressions.syntax import (
    COMPARISONS,
    Binary,
    Call,
    Literal,
    Negate,
    Node,
    Ref,
    walk,
)
from survey.questionnaire.languages import (
    base_language,
    country_names,
    is_right_to_left,
    language_names,
)
from survey.questionnaire.model import Question, Questionnaire, Text
from survey.questionnaire.spec import QuestionType

_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
_NEGATED = {"=": "!=", "!=": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_NUMBER_KEYS = {"=": "routing.answer_is", "!=": "routing.answer_is_not",
                ">=": "routing.answer_at_least", ">": "routing.answer_more_than",
                "<=": "routing.answer_at_most", "<": "routing.answer_less_than"}
_TIME_KEYS = _NUMBER_KEYS | {">=": "routing.answer_or_later", ">": "routing.answer_later_than",
                             "<=": "routing.answer_or_earlier", "<": "routing.answer_earlier_than"}
_CHOICE_TYPES = (QuestionType.SINGLE_CHOICE, QuestionType.RATING)
_TICK_TYPES = (QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING)
_NUMBER_TYPES = (QuestionType.INTEGER, QuestionType.DECIMAL)
_FIRST_STRONG_ISOLATE, _POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


@dataclass(frozen=True)
class _Clause:
    """One statement about one printed question: a catalogue template and what fills it."""

    key: str
    question: Question
    values: tuple[str, ...] = ()
    """Texts for {answers}/{value}, already quoted; several are joined by `join`."""
    join: str | None = None


@dataclass(frozen=True)
class _Group:
    op: str
    parts: tuple[_Clause | _Group, ...]


_Phrase = _Clause | _Group

# Clauses about one question that read as one under a parent operator: (key, operator) → how
# their answers are listed. Negated clauses join under "and" ("did not tick A or B" = neither).
_MERGES = {("routing.answered", "or"): "or", ("routing.ticked", "or"): "or",
           ("routing.ticked", "and"): "and", ("routing.not_answered", "and"): "or",
           ("routing.not_ticked", "and"): "or"}


class _Phraser:
    def __init__(self, questionnaire: Questionnaire, language: str):
        self.q = questionnaire
        self.language = language
        self.locale = base_language(language)  # CLDR knows no private-use variant (de-x-easy)
        self.interface = questionnaire.interface
        self.rtl = is_right_to_left(language)

    def text(self, text: Text) -> str:
        return text.get(self.language, self.q.default_language)

    def quoted(self, text: str) -> str:
        return interface_text("routing.quote", self.language, self.interface,
                              text=self.isolated(text))

    def isolated(self, text: str) -> str:
        """Left-to-right runs inside a right-to-left sentence keep their own order only when
        isolated ("18–25" would otherwise print as "25–18"); plain digits need nothing."""
        if self.rtl and not text.isdigit() and any(
                unicodedata.bidirectional(ch) in ("L", "EN") for ch in text):
            return f"{_FIRST_STRONG_ISOLATE}{text}{_POP_DIRECTIONAL_ISOLATE}"
        return text

    def printed(self, node: Node) -> Question | None:
        if not isinstance(node, Ref):
            return None
        question = self.q.answer_index.get(node.name)
        if question is None or question.number is None or question.type == QuestionType.GRID:
            return None
        return question

    # -- the tree to clauses -------------------------------------------------------------

    def phrase(self, node: Node, negated: bool = False) -> _Phrase | None:
        match node:
            case Binary(op="and" | "or" as op, left=left, right=right):
                if negated:
                    op = "or" if op == "and" else "and"
                first, second = self.phrase(left, negated), self.phrase(right, negated)
                if first is None or second is None:
                    return None
                return _grouped(op, (first, second))
            case Call(name="not", args=(operand,)):
                return self.phrase(operand, not negated)
            case Call(name="selected", args=(subject, Literal(value=str(name)))):
                question = self.printed(subject)
                if question is None or question.type not in (*_TICK_TYPES,
                                                             QuestionType.SINGLE_CHOICE):
                    return None
                positive = "routing.ticked" if question.type in _TICK_TYPES \
                    else "routing.answered"
                return self.choice_clause(question, positive, negated, (name,))
            case Ref():
                question = self.printed(node)
                if question is None or question.type != QuestionType.CONSENT:
                    return None
                return _Clause("routing.not_consented" if negated else "routing.consented",
                               question)
            case Binary(op=op, left=left, right=right) if op in COMPARISONS:
                if self.printed(left) is None:
                    left, right, op = right, left, _MIRRORED[op]
                return self.comparison(self.printed(left), _NEGATED[op] if negated else op,
                                       right)
        return None

    def choice_clause(self, question: Question, positive: str, negated: bool,
                      names: tuple[str, ...]) -> _Clause:
        assert question.choices is not None
        labels = {c.name: self.text(c.label) for c in question.choices.choices}
        key = positive.replace("routing.", "routing.not_") if negated else positive
        return _Clause(key, question, tuple(self.quoted(labels[n]) for n in names))

    def comparison(self, question: Question | None, op: str, other: Node) -> _Phrase | None:
        if question is None:
            return None
        if isinstance(other, Literal) and other.value == "" and op in ("=", "!="):
            return _Clause("routing.gave_no_answer" if op == "=" else "routing.gave_answer",
                           question)
        constant = _constant_value(other)
        if constant is None:
            return None
        qtype = question.type
        if qtype == QuestionType.CONSENT and isinstance(constant, bool) and op in ("=", "!="):
            agreed = constant is (op == "=")
            return _Clause("routing.consented" if agreed else "routing.not_consented", question)
        if qtype == QuestionType.SINGLE_CHOICE and op in ("=", "!="):
            assert isinstance(constant, str)  # checked rules compare a choice with its names
            return self.choice_clause(question, "routing.answered", op == "!=", (constant,))
        if qtype == QuestionType.RATING:
            return self.rating_clause(question, op, other)
        if qtype in _NUMBER_TYPES and _is_number(constant):
            value = format_decimal(constant, locale=self.locale, group_separator=False)
            return _Clause(_NUMBER_KEYS[op], question, (self.isolated(value),))
        if qtype == QuestionType.YEAR and _is_number(constant):
            return _Clause(_TIME_KEYS[op], question, (self.isolated(str(constant)),))
        if qtype == QuestionType.DATE and isinstance(constant, str):
            day = date.fromisoformat(constant)
            shown = format_date(day, format="medium", locale=self.locale)
            return _Clause(_TIME_KEYS[op], question, (self.isolated(shown),))
        if op in ("=", "!=") and isinstance(constant, str) and qtype in (
                QuestionType.COUNTRY, QuestionType.LANGUAGE, QuestionType.TEXT,
                QuestionType.LONG_TEXT):
            names = (country_names(self.language) if qtype == QuestionType.COUNTRY
                     else language_names(self.language) if qtype == QuestionType.LANGUAGE
                     else {})
            return _Clause(_NUMBER_KEYS[op], question, (self.quoted(names.get(constant,
                                                                               constant)),))
        return None

    def rating_clause(self, question: Question, op: str, other: Node) -> _Clause | None:
        """A scale point is printed by its label, so a comparison of codes becomes the list of
        labels it lets through ("!=" names the one point it excludes)."""
        assert question.choices is not None
        wanted = "=" if op == "!=" else op
        points = tuple(c.name for c in question.choices.choices if truthy(evaluate(
            Binary(wanted, Literal(c.code, other.pos), other, other.pos), Context({}))))
        if not points:
            return None
        clause = self.choice_clause(question, "routing.answered", op == "!=", points)
        return _Clause(clause.key, question, clause.values, "or" if len(points) > 1 else None)

    # -- clauses to words ----------------------------------------------------------------

    def words(self, phrase: _Phrase, nested: bool = False) -> str:
        if isinstance(phrase, _Group):
            text = format_list([self.words(p, nested=True) for p in phrase.parts],
                               style="or" if phrase.op == "or" else "standard",
                               locale=self.locale)
            return f"({text})" if nested else text
        listed = format_list(list(phrase.values), style="or" if phrase.join == "or"
                             else "standard", locale=self.locale) if phrase.values else ""
        return interface_text(phrase.key, self.language, self.interface,
                              number=phrase.question.number, answers=listed, value=listed)

    def generic(self, tree: Node) -> str:
        numbers = sorted(self.numbers(tree, set()))
        if not numbers:
            return interface_text("routing.applies", self.language, self.interface)
        if len(numbers) == 1:
            return interface_text("routing.applies_see_question", self.language, self.interface,
                                  number=numbers[0])
        return interface_text("routing.applies_see_questions", self.language, self.interface,
                              numbers=format_list([str(n) for n in numbers],
                                                  locale=self.locale))

    def numbers(self, tree: Node, seen: set[str]) -> set[int]:
        """Printed questions a rule depends on, looking through calculations."""
        found: set[int] = set()
        for ref in (n for n in walk(tree) if isinstance(n, Ref)):
            question = self.q.answer_index.get(ref.name)
            if question is None or ref.name in seen:
                continue
            seen.add(ref.name)
            if question.number is not None:
                found.add(question.number)
            elif question.calculate is not None:
                found |= self.numbers(question.calculate.tree, seen)
        return found


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _constant_value(node: Node) -> object | None:
    match node:
        case Literal(value=value):
            return value
        case Negate(operand=Literal(value=int() | float() as value)):
            return -value
        case Call(name="true" | "false" as name, args=()):
            return name == "true"
    return None


def _grouped(op: str, parts: tuple[_Phrase, ...]) -> _Phrase:
    """Flatten `a and (b and c)` and merge clauses about one question ("A or B in 9")."""
    flat: list[_Phrase] = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, _Group) and part.op == op else (part,))
    merged: list[_Phrase] = []
    for part in flat:
        join = _MERGES.get((part.key, op)) if isinstance(part, _Clause) else None
        partner = next((i for i, p in enumerate(merged) if join and isinstance(p, _Clause)
                        and isinstance(part, _Clause) and p.key == part.key
                        and p.question == part.question and p.join in (None, join)
                        and part.join in (None, join)), None)
        if partner is None:
            merged.append(part)
            continue
        earlier = merged[partner]
        assert isinstance(earlier, _Clause) and isinstance(part, _Clause)
        values = earlier.values + tuple(v for v in part.values if v not in earlier.values)
        merged[partner] = _Clause(earlier.key, earlier.question, values, join)
    return merged[0] if len(merged) == 1 else _Group(op, tuple(merged))


def only_if_text(questionnaire: Questionnaire, tree: Node, language: str) -> str:
    """The sentence telling a respondent on paper when to answer a question or section."""
    phraser = _Phraser(questionnaire, language)
    phrase = phraser.phrase(tree)
    if phrase is None:
        return phraser.generic(tree)
    return interface_text("routing.only_if", language, questionnaire.interface,
                          condition=phraser.words(phrase))
