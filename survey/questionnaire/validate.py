"""Check a questionnaire file completely and, when it is sound, build its typed model.

Every problem is collected (not just the first) and pinned to file:line:column, then reported
in file order, so staff fix a file in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from survey.questionnaire.build import build_questionnaire
from survey.questionnaire.diagnostics import (
    Diagnostic,
    QuestionnaireError,
    Severity,
    did_you_mean,
)
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
from survey.questionnaire.languages import check_language, country_names, language_names
from survey.questionnaire.model import OTHER_TEXT_TYPES, Questionnaire
from survey.questionnaire.spec import QuestionType
from survey.questionnaire.structure import (
    StructureChecker,
    article,
    describe_value,
    is_bare_word,
    object_name,
)
from survey.questionnaire.yaml_source import Path_, SourceMap, load_yaml

MAX_VARIABLE_NAME = 32
FORMAT_VERSION = 1
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Coverage:
    """How many of the questionnaire's texts exist in each declared language."""

    languages: tuple[str, ...]
    total: int
    translated: dict[str, int]

    def percent(self, language: str) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.translated[language] / self.total

    @property
    def complete(self) -> bool:
        return all(self.translated[lang] == self.total for lang in self.languages)


@dataclass
class ValidationResult:
    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    coverage: Coverage | None = None
    questionnaire: Questionnaire | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.WARNING]


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


_CHECKED_EXPRESSIONS = ("relevant", "constraint", "required", "calculate")
_BOOLEAN_RESULTS = ("relevant", "constraint", "required")
MISSING_TRANSLATIONS_LISTED = 12


class _Validator:
    def __init__(self, data: Any, source: SourceMap, allow_incomplete: bool):
        self.data = data
        self.source = source
        self.allow_incomplete = allow_incomplete
        self.diagnostics: list[Diagnostic] = []
        self.texts: list[tuple[Path_, Any, str]] = []
        self.trees: dict[Path_, Node] = {}
        self.symbols: dict[str, _Symbol] = {}
        self.coverage: Coverage | None = None
        self.domains: dict[str, Domain] = {}

    # -- reporting -------------------------------------------------------------------------

    def report(self, path: Path_, message: str, at_key: bool = False,
               severity: Severity = Severity.ERROR) -> None:
        mark = self.source.key(path) if at_key else self.source.value(path)
        self.diagnostics.append(Diagnostic(self.source.file, mark, message, severity))

    def report_in_expression(self, path: Path_, pos: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.source.file, self.source.inside(path, pos),
                                           message))

    # -- driver ----------------------------------------------------------------------------

    def run(self) -> None:
        if not isinstance(self.data, dict):
            self.report((), "a questionnaire must be a mapping with 'survey:' and "
                        f"'sections:' at the top, found {describe_value(self.data)}")
            return
        structure = StructureChecker(self.report)
        structure.kind_text = self.collect_text(structure.kind_text)  # type: ignore[method-assign]
        structure.check_object("questionnaire", self.data, ())
        if self.data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
            self.report(("format",), f"format {self.data['format']} is not known to this "
                        f"version of the toolkit, which reads format {FORMAT_VERSION}")
        languages = self.check_languages()
        missing = self.check_missing_values()
        lists = self.check_choice_lists(missing)
        questions = self.check_sections(lists, missing)
        self.check_expressions(questions)
        self.check_translations(languages)

    def collect_text(self, check: Any) -> Any:
        def collecting(key: Any, value: Any, path: Path_, what: str) -> None:
            self.texts.append((path, value, what))
            check(key, value, path, what)
        return collecting

    # -- survey metadata --------------------------------------------------------------------

    def check_languages(self) -> list[str]:
        survey = self.data.get("survey")
        if not isinstance(survey, dict):
            return []
        raw = survey.get("languages")
        if not isinstance(raw, list):
            return []
        if not raw:
            self.report(("survey", "languages"), "declare at least one language, e.g. [de]")
        languages: list[str] = []
        for index, tag in enumerate(raw):
            if not isinstance(tag, str):
                continue
            problem = check_language(tag)
            if problem:
                self.report(("survey", "languages", index), problem)
            elif tag in languages:
                self.report(("survey", "languages", index),
                            f"language '{tag}' is declared twice")
            else:
                languages.append(tag)
        default = survey.get("default_language")
        if isinstance(default, str) and languages and default not in languages:
            self.report(("survey", "default_language"),
                        f"default language '{default}' is not among the declared languages "
                        f"({', '.join(languages)}){did_you_mean(default, languages)}")
        status = survey.get("translation_status")
        if isinstance(status, dict):
            for language in status:
                if language not in languages:
                    self.report(("survey", "translation_status", language),
                                f"translation status given for '{language}', which is not a "
                                f"declared language{did_you_mean(language, languages)}", True)
        return languages

    # -- codes -----------------------------------------------------------------------------

    def check_missing_values(self) -> dict[str, int]:
        declared: dict[str, int] = {}
        entries = self.data.get("missing_values")
        if not isinstance(entries, list):
            return declared
        codes: dict[int, str] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            name, code = entry.get("name"), entry.get("code")
            path = ("missing_values", index)
            if isinstance(name, str):
                if name in declared:
                    self.report((*path, "name"), f"missing value '{name}' is declared twice")
                declared[name] = code
            if isinstance(code, int):
                if code in codes:
                    self.report((*path, "code"), f"missing-value code {code} is already used "
                                f"by '{codes[code]}'")
                codes[code] = str(name)
        return declared

    def check_choices(self, choices: list[Any], path: Path_, owner: str,
                      missing: dict[str, int]) -> list[dict[str, Any]]:
        names: dict[str, int] = {}
        codes: dict[int, str] = {}
        missing_codes = {code: name for name, code in missing.items()}
        valid = []
        for index, choice in enumerate(choices):
            if not isinstance(choice, dict):
                continue
            name, code = choice.get("name"), choice.get("code")
            if isinstance(name, str):
                if name in names:
                    self.report((*path, index, "name"), f"choice name '{name}' appears twice "
                                f"in {owner}")
                names[name] = index
            if isinstance(code, int) and not isinstance(code, bool):
                if code in codes:
                    self.report((*path, index, "code"), f"code {code} is used twice in "
                                f"{owner} (by '{codes[code]}' and '{name}'); codes must be "
                                "unique")
                elif code in missing_codes:
                    self.report((*path, index, "code"), f"code {code} of '{name}' in {owner} "
                                f"is also the missing-value code of '{missing_codes[code]}'")
                codes[code] = str(name)
            valid.append(choice)
        return valid

    def check_choice_lists(self, missing: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
        lists: dict[str, list[dict[str, Any]]] = {}
        raw = self.data.get("choice_lists")
        if not isinstance(raw, dict):
            return lists
        for name, choices in raw.items():
            if isinstance(choices, list):
                lists[name] = self.check_choices(choices, ("choice_lists", name),
                                                 f"choice list '{name}'", missing)
        return lists

    # -- sections and questions -----------------------------------------------------------

    def check_sections(self, lists: dict[str, list[dict[str, Any]]],
                       missing: dict[str, int]) -> list[tuple[Path_, dict[str, Any]]]:
        sections = self.data.get("sections")
        questions: list[tuple[Path_, dict[str, Any]]] = []
        if not isinstance(sections, list):
            return questions
        section_ids: dict[str, Path_] = {}
        question_ids: dict[str, Path_] = {}
        variables: dict[str, Path_] = {}
        for s_index, section in enumerate(sections):
            if not isinstance(section, dict):
                continue
            s_path: Path_ = ("sections", s_index)
            self.unique(section.get("id"), (*s_path, "id"), section_ids, "section id")
            items = section.get("questions")
            if not isinstance(items, list):
                continue
            for q_index, question in enumerate(items):
                if not isinstance(question, dict):
                    continue
                q_path: Path_ = (*s_path, "questions", q_index)
                if not self.unique(question.get("id"), (*q_path, "id"), question_ids,
                                   "question id"):
                    continue
                questions.append((q_path, question))
                self.check_question(question, q_path, lists, missing)
                own: set[str] = set()
                for name in self.variable_names(question, lists):
                    if name in own:
                        self.report((*q_path, "id"), f"{object_name('question', question)} "
                                    f"yields variable '{name}' twice; rename the choice or row "
                                    "that causes it")
                    own.add(name)
                    self.check_variable_name(name, question, q_path, variables)
        return questions

    def unique(self, value: Any, path: Path_, seen: dict[str, Path_], what: str) -> bool:
        if not isinstance(value, str):
            return False
        if value in seen:
            first = self.source.value(seen[value])
            self.report(path, f"duplicate {what} '{value}' (first used at line {first.line})")
            return False
        seen[value] = path
        return True

    def resolve_choices(self, question: dict[str, Any], key: str, path: Path_,
                        lists: dict[str, list[dict[str, Any]]],
                        missing: dict[str, int]) -> list[dict[str, Any]] | None:
        value = question.get(key)
        if isinstance(value, str):
            if value not in lists:
                self.report((*path, key), f"{object_name('question', question)} uses choice "
                            f"list '{value}', which is not defined in choice_lists"
                            f"{did_you_mean(value, list(lists))}")
                return None
            return lists[value]
        if isinstance(value, list):
            return self.check_choices(value, (*path, key),
                                      object_name("question", question), missing)
        return None

    def check_question(self, question: dict[str, Any], path: Path_,
                       lists: dict[str, list[dict[str, Any]]], missing: dict[str, int]) -> None:
        name = object_name("question", question)
        qtype = question.get("type")
        for key in ("choices", "scale"):
            choices = self.resolve_choices(question, key, path, lists, missing)
            if choices is None:
                continue
            flagged = [c for c in choices if c.get("exclusive")]
            if flagged and qtype != QuestionType.MULTIPLE_CHOICE:
                self.report((*path, key), f"{name} is {article(str(qtype))}: 'exclusive' "
                            "choices only make sense in a multiple_choice question",
                            severity=Severity.WARNING)
            if key == "scale" and any(c.get("other") for c in choices):
                self.report((*path, key), f"{name} is {article(str(qtype))}: 'other' (please "
                            "specify) only makes sense in a choice or ranking question",
                            severity=Severity.WARNING)
            if key == "scale":
                self.check_scale(choices, (*path, key), name)
            if qtype == QuestionType.RANKING and isinstance(question.get("rank"), int):
                rank = question["rank"]
                if not 1 <= rank <= len(choices):
                    self.report((*path, "rank"), f"{name} asks to rank {rank} of "
                                f"{len(choices)} choices; rank must be 1 to {len(choices)}")
        self.check_bounds(question, path, name)
        for index, value in enumerate(question.get("missing") or []):
            if isinstance(value, str) and value not in missing:
                self.report((*path, "missing", index), f"missing value '{value}' of {name} is "
                            f"not declared in missing_values{did_you_mean(value, missing)}")
        self.check_priority(question, path, name)
        items = question.get("items")
        if isinstance(items, list):
            seen: dict[str, Path_] = {}
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    self.unique(item.get("id"), (*path, "items", index, "id"), seen,
                                f"row id in {name}")
        for low, high in (("min_selected", "max_selected"),):
            a, b = question.get(low), question.get(high)
            if isinstance(a, int) and isinstance(b, int) and a > b:
                self.report((*path, low), f"{low} ({a}) of {name} is larger than {high} ({b})")

    def check_scale(self, choices: list[dict[str, Any]], path: Path_, name: str) -> None:
        codes = [c.get("code") for c in choices if isinstance(c.get("code"), int)]
        if len(codes) < 2:
            self.report(path, f"the scale of {name} needs at least two points")
        elif sorted(codes) != list(range(min(codes), min(codes) + len(codes))):
            self.report(path, f"the scale of {name} must have consecutive codes (such as "
                        f"1, 2, 3, 4, 5), found {', '.join(map(str, codes))}")

    def check_bounds(self, question: dict[str, Any], path: Path_, name: str) -> None:
        qtype = question.get("type")
        bounds: dict[str, Any] = {}
        for key in ("min", "max"):
            if key not in question:
                continue
            value = question[key]
            if qtype == QuestionType.DATE:
                if value == "today":
                    bounds[key] = dt.date.today()
                    continue
                if not (isinstance(value, str) and ISO_DATE.match(value)):
                    self.report((*path, key), f"{key} of {name} must be a date 'YYYY-MM-DD' "
                                f"or 'today', found {value!r}")
                    continue
                try:
                    bounds[key] = dt.date.fromisoformat(value)
                except ValueError:
                    self.report((*path, key), f"{key} of {name} is not a real date: {value}")
            elif qtype in (QuestionType.INTEGER, QuestionType.YEAR):
                if isinstance(value, int) and not isinstance(value, bool):
                    bounds[key] = value
                else:
                    self.report((*path, key), f"{key} of {name} must be a whole number, "
                                f"found {value!r}")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                bounds[key] = value
            else:
                self.report((*path, key), f"{key} of {name} must be a number, found {value!r}")
        if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
            self.report((*path, "min"), f"min ({question['min']}) of {name} is larger than "
                        f"max ({question['max']})")

    def check_priority(self, question: dict[str, Any], path: Path_, name: str) -> None:
        qtype = question.get("type")
        codes = question.get("priority")
        if not isinstance(codes, list):
            return
        known = (country_names("en") if qtype == QuestionType.COUNTRY
                 else language_names("en"))
        kind = "ISO 3166 country code" if qtype == QuestionType.COUNTRY else "language code"
        for index, code in enumerate(codes):
            if isinstance(code, str) and code not in known:
                hint = (f"; did you mean '{code.upper()}'?" if code.upper() in known else
                        f"; did you mean '{code.lower()}'?" if code.lower() in known else
                        did_you_mean(code, list(known)))
                self.report((*path, "priority", index), f"'{code}' in the priority list of "
                            f"{name} is not an {kind}{hint}")

    def variable_names(self, question: dict[str, Any],
                       lists: dict[str, list[dict[str, Any]]]) -> Iterable[str]:
        qid, qtype = question["id"], question.get("type")
        if qtype == QuestionType.NOTE:
            return
        choices = question.get("choices")
        choices = lists.get(choices, []) if isinstance(choices, str) else choices or []
        choices = [c for c in choices if isinstance(c, dict) and isinstance(c.get("name"), str)]
        if qtype == QuestionType.MULTIPLE_CHOICE:
            yield from (f"{qid}__{c['name']}" for c in choices)
        elif qtype == QuestionType.GRID:
            items = question.get("items") or []
            yield from (f"{qid}__{i['id']}" for i in items
                        if isinstance(i, dict) and isinstance(i.get("id"), str))
        elif qtype == QuestionType.RANKING and isinstance(question.get("rank"), int):
            yield from (f"{qid}__rank{k}" for k in range(1, question["rank"] + 1))
        else:
            yield qid
        if qtype in OTHER_TEXT_TYPES:
            yield from (f"{qid}__{c['name']}_text" for c in choices if c.get("other") is True)

    def check_variable_name(self, name: str, question: dict[str, Any], path: Path_,
                            seen: dict[str, Path_]) -> None:
        qname = object_name("question", question)
        if len(name) > MAX_VARIABLE_NAME:
            self.report((*path, "id"), f"variable '{name}' of {qname} is {len(name)} characters "
                        f"long; Stata allows {MAX_VARIABLE_NAME}: shorten the question id or "
                        "the choice/row names")
        if name in seen and seen[name] != path:
            self.report((*path, "id"), f"{qname} yields variable '{name}', which another "
                        "question already yields; rename one of them")
        seen[name] = path

    # -- expressions -----------------------------------------------------------------------

    def check_expressions(self, questions: list[tuple[Path_, dict[str, Any]]]) -> None:
        lists = self.data.get("choice_lists") if isinstance(self.data.get("choice_lists"),
                                                            dict) else {}
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
        return node

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

    # -- translations ----------------------------------------------------------------------

    def check_translations(self, languages: list[str]) -> None:
        if not languages:
            return
        translated = dict.fromkeys(languages, 0)
        gaps: dict[str, list[tuple[Path_, str]]] = {lang: [] for lang in languages}
        total = 0
        for path, value, what in self.texts:
            total += 1
            if not isinstance(value, dict):
                for language in languages:
                    translated[language] += 1
                continue
            for language in value:
                if language not in languages:
                    self.report((*path, language), f"{what} has a text in '{language}', which "
                                "is not a declared language"
                                f"{did_you_mean(language, languages)}", True)
            for language in languages:
                text = value.get(language)
                if isinstance(text, str | int | float) and str(text).strip():
                    translated[language] += 1
                else:
                    gaps[language].append((path, what))
        self.coverage = Coverage(tuple(languages), total, translated)
        severity = Severity.WARNING if self.allow_incomplete else Severity.ERROR
        for language, missing in gaps.items():
            for path, what in missing[:MISSING_TRANSLATIONS_LISTED]:
                self.report(path, f"{what} has no '{language}' translation", severity=severity)
            if len(missing) > MISSING_TRANSLATIONS_LISTED:
                rest = len(missing) - MISSING_TRANSLATIONS_LISTED
                path = missing[MISSING_TRANSLATIONS_LISTED][0]
                self.report(path, f"... and {rest} more texts have no '{language}' "
                            "translation (see the coverage table)", severity=severity)


def validate_file(path: Path | str, allow_incomplete: bool = False) -> ValidationResult:
    """Every problem of one questionnaire file; the model too when there is no error."""
    path = Path(path)
    result = ValidationResult(str(path))
    try:
        document = load_yaml(path)
    except QuestionnaireError as exc:
        result.diagnostics = exc.diagnostics
        return result
    validator = _Validator(document.data, document.source, allow_incomplete)
    validator.run()
    result.diagnostics = sorted(validator.diagnostics, key=lambda d: d.mark)
    result.coverage = validator.coverage
    if not result.errors:
        result.questionnaire = build_questionnaire(document.data, validator.trees, str(path))
    return result


def load_questionnaire(path: Path | str, allow_incomplete: bool = False) -> Questionnaire:
    """The typed questionnaire; raises QuestionnaireError listing every problem."""
    result = validate_file(path, allow_incomplete)
    if result.questionnaire is None:
        raise QuestionnaireError(result.errors)
    return result.questionnaire
