"""Check every expression of a questionnaire: syntax, names, types, order, cycles, and rules
that can never be true. Produces the parsed trees the model is built with."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from survey.questionnaire.expressions.parser import ExpressionSyntaxError, parse_expression
from survey.questionnaire.expressions.satisfiable import CURRENT, Domain, can_be_true
from survey.questionnaire.expressions.syntax import Node, references
from survey.questionnaire.expressions.types import (
    BOOLEAN,
    DATE,
    TEXT,
    ExprType,
    Kind,
    TypeEnv,
    infer,
)
from survey.questionnaire.languages import country_names, language_names
from survey.questionnaire.reporter import Reporter
from survey.questionnaire.spec import QuestionType
from survey.questionnaire.structure import article, is_bare_word
from survey.questionnaire.yaml_source import Path_

_CHECKED_EXPRESSIONS = ("relevant", "constraint", "required", "calculate")
_BOOLEAN_RESULTS = ("relevant", "constraint", "required")


@dataclass
class _Symbol:
    """A name expressions can refer to: a question's answer or a grid row."""

    name: str
    index: int
    question: dict[str, Any]
    path: Path_
    type: ExprType | None
    domain: Domain | None
    is_calculation: bool = False
    unresolved: bool = False
    """Its choice list is undefined (already reported): expressions on it are not judged."""


class ExpressionChecker:
    """Parses every expression once (the trees end up in the model) and checks it in place."""

    def __init__(self, data: dict[str, Any], report: Reporter):
        self.data = data
        self.report = report
        self.trees: dict[Path_, Node] = {}
        self.symbols: dict[str, _Symbol] = {}
        self.domains: dict[str, Domain] = {}

    def report_in_expression(self, path: Path_, pos: int, message: str) -> None:
        self.report.in_expression(path, pos, message)

    def run(self, questions: list[tuple[Path_, dict[str, Any]]]) -> None:
        found = self.data.get("choice_lists")
        lists: dict[str, Any] = found if isinstance(found, dict) else {}
        section_starts: dict[Path_, int] = {}
        for index, (path, question) in enumerate(questions):
            section_starts.setdefault(path[:2], index)
            for symbol in self.symbols_of(question, path, index, lists):
                self.symbols[symbol.name] = symbol
        self.domains = {n: s.domain for n, s in self.symbols.items() if s.domain is not None}
        for path, question in questions:
            for key in _CHECKED_EXPRESSIONS:
                value = question.get(key)
                if isinstance(value, str) and not (key == "required" and is_bare_word(value)):
                    self.parse((*path, key), value)
        sections = self.data.get("sections") or []
        for s_index, section in enumerate(sections):
            if isinstance(section, dict) and isinstance(section.get("relevant"), str):
                self.parse(("sections", s_index, "relevant"), section["relevant"])
        order = self.check_calculations(questions)
        for path in order:
            self.check_tree(path, self.trees[path], None, None)
        for index, (path, question) in enumerate(questions):
            current = self.symbols.get(question["id"])
            for key in ("relevant", "constraint", "required"):
                if (*path, key) in self.trees:
                    self.check_tree((*path, key), self.trees[(*path, key)], index,
                                    current if key == "constraint" else None)
        for s_index in range(len(sections)):
            path = ("sections", s_index, "relevant")
            if path in self.trees:
                self.check_tree(path, self.trees[path], section_starts.get(path[:2]), None)

    def parse(self, path: Path_, text: str) -> None:
        try:
            self.trees[path] = parse_expression(text)
        except ExpressionSyntaxError as exc:
            self.report_in_expression(path, exc.pos, f"expression does not parse: "
                                      f"{exc.message}")

    def symbols_of(self, question: dict[str, Any], path: Path_, index: int,
                   lists: dict[str, Any]) -> Iterable[_Symbol]:
        qtype, qid = question.get("type"), question["id"]
        choices = question.get("choices")
        choices = lists.get(choices) if isinstance(choices, str) else choices
        names = tuple(c["name"] for c in choices or [] if isinstance(c, dict)
                      and isinstance(c.get("name"), str))
        exclusive = tuple(c["name"] for c in choices or [] if isinstance(c, dict)
                          and c.get("exclusive") is True and isinstance(c.get("name"), str))
        scale = question.get("scale")
        scale = lists.get(scale) if isinstance(scale, str) else scale
        scale_codes = [c["code"] for c in scale or [] if isinstance(c, dict)
                       and isinstance(c.get("code"), int)]
        low = question.get("min") if isinstance(question.get("min"), int | float) else None
        high = question.get("max") if isinstance(question.get("max"), int | float) else None
        number = ExprType(Kind.NUMBER)
        domain: Domain | None
        match qtype:
            case QuestionType.SINGLE_CHOICE:
                kind, domain = ExprType(Kind.CHOICE, names), Domain(Kind.CHOICE, choices=names)
            case QuestionType.MULTIPLE_CHOICE | QuestionType.RANKING:
                kind = ExprType(Kind.CHOICES, names)
                domain = Domain(Kind.CHOICES, choices=names, exclusive=exclusive)
            case QuestionType.RATING:
                kind = number
                domain = Domain(Kind.NUMBER, min(scale_codes, default=None),
                                max(scale_codes, default=None), True)
            case QuestionType.GRID:
                domain = Domain(Kind.NUMBER, min(scale_codes, default=None),
                                max(scale_codes, default=None), True)
                for item in question.get("items") or []:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        yield _Symbol(f"{qid}__{item['id']}", index, question, path, number,
                                      domain)
                return
            case QuestionType.INTEGER | QuestionType.YEAR:
                kind, domain = number, Domain(Kind.NUMBER, low, high, True)
            case QuestionType.DECIMAL:
                kind, domain = number, Domain(Kind.NUMBER, low, high, False)
            case QuestionType.TEXT | QuestionType.LONG_TEXT:
                kind, domain = TEXT, Domain(Kind.TEXT)
            case QuestionType.DATE:
                kind, domain = DATE, None
            case QuestionType.COUNTRY:
                codes = tuple(country_names("en"))
                kind, domain = ExprType(Kind.CHOICE, codes), Domain(Kind.CHOICE, choices=codes)
            case QuestionType.LANGUAGE:
                codes = tuple(language_names("en"))
                kind, domain = ExprType(Kind.CHOICE, codes), Domain(Kind.CHOICE, choices=codes)
            case QuestionType.CONSENT:
                kind, domain = BOOLEAN, Domain(Kind.BOOLEAN)
            case QuestionType.CALCULATE:
                yield _Symbol(qid, index, question, path, None, None, is_calculation=True)
                return
            case QuestionType.NOTE:
                yield _Symbol(qid, index, question, path, None, None)
                return
            case _:
                yield _Symbol(qid, index, question, path, None, None, unresolved=True)
                return
        if isinstance(question.get("choices"), str) and choices is None:
            yield _Symbol(qid, index, question, path, None, None, unresolved=True)
            return
        yield _Symbol(qid, index, question, path, kind, domain)

    def check_calculations(self, questions: list[tuple[Path_, dict[str, Any]]]) -> list[Path_]:
        """Report circular calculations; return the calculations in evaluation order."""
        calcs = {q["id"]: (*path, "calculate") for path, q in questions
                 if q.get("type") == QuestionType.CALCULATE and (*path, "calculate") in self.trees}
        edges = {name: [r.name for r in references(self.trees[path]) if r.name in calcs]
                 for name, path in calcs.items()}
        order: list[Path_] = []
        state: dict[str, int] = {}  # 1 visiting, 2 done

        def visit(name: str, trail: list[str]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = [*trail[trail.index(name):], name]
                self.report(calcs[cycle[0]], "circular calculation: "
                            + " → ".join(f"${{{n}}}" for n in cycle)
                            + "; a calculation cannot depend on itself")
                return
            state[name] = 1
            for target in edges[name]:
                visit(target, [*trail, name])
            state[name] = 2
            order.append(calcs[name])

        for name in calcs:
            visit(name, [])
        return order

    def question_dependencies(self, name: str, seen: set[str] | None = None) -> set[str]:
        """The questions a name depends on, looking through calculations."""
        seen = seen if seen is not None else set()
        symbol = self.symbols.get(name)
        if symbol is None or name in seen:
            return set()
        seen.add(name)
        if not symbol.is_calculation:
            return {name}
        tree = self.trees.get((*symbol.path, "calculate"))
        result: set[str] = set()
        for ref in references(tree) if tree else []:
            result |= self.question_dependencies(ref.name, seen)
        return result

    def check_tree(self, path: Path_, tree: Node, position: int | None,
                   current: _Symbol | None) -> None:
        key = path[-1]
        env = TypeEnv(lookup=self.lookup, known_names=lambda: list(self.symbols),
                      current=current.type if current else None)
        if key == "constraint" and current is None:
            env.no_current = ("'.' has no single value in a grid, which has one answer per row; "
                              "refer to the rows as ${grid__row}")
        result = infer(tree, env)
        for problem in env.problems:
            self.report_in_expression(path, problem.pos, problem.message)
        if env.problems:
            return
        if key in _BOOLEAN_RESULTS and result is not None and result.kind != Kind.BOOLEAN:
            self.report_in_expression(path, 0, f"'{key}' must be a condition (true or false), "
                                      f"but this expression gives {result.describe()}")
            return
        if key == "calculate":
            symbol = self.symbols[self.question_at(path)["id"]]
            symbol.type = result
            return
        if position is not None:
            self.check_order(path, tree, position)
        domains: Mapping[str, Domain] = self.domains
        if current is not None and current.domain is not None:
            domains = {**self.domains, CURRENT: current.domain}
        if can_be_true(tree, domains) is False:
            what = "skip rule" if key == "relevant" else f"'{key}' rule"
            consequence = ("the question would never be asked" if key == "relevant"
                           else "no answer could pass it")
            self.report_in_expression(path, 0, f"this {what} can never be true, so "
                                      f"{consequence}: check the values it compares")

    def question_at(self, path: Path_) -> dict[str, Any]:
        node: Any = self.data
        for step in path[:-1]:
            node = node[step]
        question: dict[str, Any] = node  # the path ends inside a question mapping
        return question

    def lookup(self, name: str) -> ExprType | str | None:
        symbol = self.symbols.get(name)
        if symbol is None:
            return None
        if symbol.type is not None:
            return symbol.type
        if symbol.is_calculation or symbol.unresolved:
            return ""  # its own definition is wrong and already reported
        return (f"${{{name}}} is {article(str(symbol.question.get('type')))} and has no value "
                "to use in "
                "an expression")

    def check_order(self, path: Path_, tree: Node, position: int) -> None:
        owner = self.question_at(path)
        for ref in references(tree):
            symbol = self.symbols.get(ref.name)
            if symbol is None:
                continue
            if symbol.question is owner and path[-1] != "constraint":
                self.report_in_expression(path, ref.pos, f"${{{ref.name}}} refers to the "
                                          "question itself; use '.' in a constraint, or an "
                                          "earlier question")
                continue
            for dependency in sorted(self.question_dependencies(ref.name)):
                target = self.symbols[dependency]
                if target.question is owner and path[-1] != "constraint":
                    self.report_in_expression(
                        path, ref.pos, f"${{{ref.name}}} is calculated from this question "
                        "itself; a rule cannot depend on the answer it decides about")
                elif target.index >= position and target.question is not owner:
                    subject = (f"${{{ref.name}}}" if ref.name == dependency else
                               f"${{{ref.name}}} is calculated from '{dependency}', which")
                    self.report_in_expression(
                        path, ref.pos, f"{subject} comes later in the questionnaire; skip logic "
                        "and constraints may only use earlier answers")
