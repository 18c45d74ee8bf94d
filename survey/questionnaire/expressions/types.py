"""Static types of expressions, so `${age} = 'yes'` is caught when the questionnaire is checked,
not when a respondent meets it.

The types are those of value_types.py; what each function takes and gives is declared in
functions.py. The empty text '' compares with anything: `${q} != ''` is the usual test for
"answered".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from survey.questionnaire.diagnostics import did_you_mean
from survey.questionnaire.expressions.functions import FUNCTIONS, Arg, Function
from survey.questionnaire.expressions.syntax import (
    ARITHMETIC,
    COMPARISONS,
    LOGICAL,
    Binary,
    Call,
    Current,
    Literal,
    Negate,
    Node,
    Ref,
)
from survey.questionnaire.expressions.value_types import (
    BOOLEAN,
    DATE,
    KIND_WORDS,
    NUMBER,
    TEXT,
    ExprType,
    Kind,
)

__all__ = ["BOOLEAN", "DATE", "FUNCTIONS", "ISO_DATE", "NUMBER", "TEXT", "ExprType", "Kind",
           "TypeEnv", "TypeProblem", "infer"]

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class TypeProblem:
    message: str
    pos: int


@dataclass
class TypeEnv:
    """What names mean where an expression stands."""

    lookup: Callable[[str], ExprType | str | None]
    """The type of a name; None when unknown; a reason (or '' if already reported) when the
    name exists but has no usable value."""
    known_names: Callable[[], list[str]]
    current: ExprType | None = None
    no_current: str = "'.' (this question's answer) can only be used in a constraint"
    """Why '.' is not allowed here, when `current` is None."""
    problems: list[TypeProblem] = field(default_factory=list)


def _real_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_empty_literal(node: Node) -> bool:
    return isinstance(node, Literal) and node.value == ""


def _describe(node: Node) -> str:
    match node:
        case Ref(name=name):
            return f"${{{name}}}"
        case Current():
            return "'.'"
        case Literal(value=str() as value):
            return f"'{value}'"
        case Literal(value=value):
            return str(value)
        case Call(name=name):
            return f"{name}()"
    return "the expression"


class _Checker:
    def __init__(self, env: TypeEnv):
        self.env = env

    def fail(self, message: str, pos: int) -> None:
        self.env.problems.append(TypeProblem(message, pos))

    def check(self, node: Node) -> ExprType | None:
        """The type of `node`, or None when it is wrong (the reason is recorded)."""
        match node:
            case Literal(value=str()):
                return TEXT
            case Literal():
                return NUMBER
            case Ref(name=name, pos=pos):
                found = self.env.lookup(name)
                if found is None:
                    self.fail(f"unknown question '${{{name}}}'"
                              f"{did_you_mean(name, self.env.known_names())}", pos)
                elif isinstance(found, str):
                    if found:
                        self.fail(found, pos)
                    return None
                return found
            case Current(pos=pos):
                if self.env.current is None:
                    self.fail(self.env.no_current, pos)
                return self.env.current
            case Negate(operand=operand, pos=pos):
                inner = self.check(operand)
                if inner is not None and inner.kind != Kind.NUMBER:
                    self.fail(f"'-' needs a number, but {_describe(operand)} is "
                              f"{inner.describe()}", pos)
                return NUMBER
            case Binary():
                return self.binary(node)
            case Call():
                return self.call(node)
        raise TypeError(node)

    def need(self, node: Node, kind: Kind, context: str) -> ExprType | None:
        found = self.check(node)
        if found is not None and found.kind != kind:
            self.fail(f"{context} needs {KIND_WORDS[kind]}, but {_describe(node)} is "
                      f"{found.describe()}", node.pos)
        return found

    def choice_name(self, target: ExprType, node: Node, subject: Node) -> None:
        if not isinstance(node, Literal) or not isinstance(node.value, str):
            self.fail(f"compare {_describe(subject)} with a choice name in quotes, such as "
                      f"'{target.choices[0] if target.choices else 'yes'}'", node.pos)
            return
        if node.value not in target.choices and node.value != "":
            self.fail(f"'{node.value}' is not a choice of {_describe(subject)}"
                      f"{did_you_mean(node.value, target.choices)}", node.pos)

    def binary(self, node: Binary) -> ExprType | None:
        if node.op in LOGICAL:
            self.need(node.left, Kind.BOOLEAN, f"'{node.op}'")
            self.need(node.right, Kind.BOOLEAN, f"'{node.op}'")
            return BOOLEAN
        if node.op in ARITHMETIC:
            for side in (node.left, node.right):
                found = self.check(side)
                if found is not None and found.kind != Kind.NUMBER:
                    advice = "; join text with concat()" if found.kind == Kind.TEXT else ""
                    self.fail(f"'{node.op}' needs numbers, but {_describe(side)} is "
                              f"{found.describe()}{advice}", side.pos)
            return NUMBER
        assert node.op in COMPARISONS
        left, right = self.check(node.left), self.check(node.right)
        if left is None or right is None:
            return BOOLEAN
        if _is_empty_literal(node.left) or _is_empty_literal(node.right):
            if node.op not in ("=", "!="):
                self.fail("'' (empty) can only be compared with '=' or '!='", node.pos)
            return BOOLEAN
        self.comparable(node, left, right)
        return BOOLEAN

    def comparable(self, node: Binary, left: ExprType, right: ExprType) -> None:
        for subject, other, other_node in ((left, right, node.right), (right, left, node.left)):
            subject_node = node.left if other_node is node.right else node.right
            if subject.kind == Kind.CHOICES:
                self.fail(f"{_describe(subject_node)} allows several answers: use "
                          f"selected({_describe(subject_node)}, 'name') instead of "
                          f"'{node.op}'", node.pos)
                return
            if subject.kind == Kind.CHOICE:
                if node.op not in ("=", "!="):
                    self.fail(f"the choices of {_describe(subject_node)} have no order; "
                              "compare them with '=' or '!='", node.pos)
                    return
                if other.kind == Kind.CHOICE and not isinstance(other_node, Literal):
                    return
                self.choice_name(subject, other_node, subject_node)
                return
            if subject.kind == Kind.DATE and other.kind == Kind.TEXT:
                if isinstance(other_node, Literal) and ISO_DATE.match(str(other_node.value)):
                    if not _real_date(str(other_node.value)):
                        self.fail(f"'{other_node.value}' is not a real date", other_node.pos)
                    return
                self.fail(f"compare the date {_describe(subject_node)} with a date written "
                          "'YYYY-MM-DD' or with today()", other_node.pos)
                return
        if left.kind != right.kind:
            self.fail(f"type mismatch: {_describe(node.left)} is {left.describe()} but "
                      f"{_describe(node.right)} is {right.describe()}", node.pos)
        elif left.kind == Kind.BOOLEAN and node.op not in ("=", "!="):
            self.fail("true/false values can only be compared with '=' or '!='", node.pos)

    def call(self, node: Call) -> ExprType | None:
        """The result type of a call, its arguments checked as the registry declares them."""
        function = FUNCTIONS.get(node.name)
        if function is None:
            self.fail(f"unknown function '{node.name}()'{did_you_mean(node.name, FUNCTIONS)}",
                      node.pos)
            return None
        count = len(node.args)
        if count < function.min_args or (function.max_args is not None
                                          and count > function.max_args):
            self.fail(f"{node.name}() takes {_arity(function)}, not {count}: "
                      f"{function.summary}", node.pos)
            return None
        question: Node | None = None
        target: ExprType | None = None
        same: list[tuple[Node, ExprType | None]] = []
        for position, arg in enumerate(node.args):
            param = function.param(position)
            match param.needs:
                case Arg.ANY:
                    self.check(arg)
                case Arg.SAME:
                    same.append((arg, self.check(arg)))
                case Arg.QUESTION:
                    if not isinstance(arg, Ref | Current):
                        self.fail(f"the first argument of {node.name}() must be a question, "
                                  "such as ${needs}", arg.pos)
                        break
                    question, target = arg, self.check(arg)
                    if target is not None and target.kind not in (Kind.CHOICE, Kind.CHOICES):
                        self.fail(f"{node.name}() needs a choice question, but "
                                  f"{_describe(arg)} is {target.describe()}", arg.pos)
                        target = None
                case Arg.CHOICE_NAME if target is not None and question is not None:
                    if _is_empty_literal(arg):
                        self.fail(f"{node.name}() needs a choice name, not ''", arg.pos)
                    else:
                        self.choice_name(target, arg, question)
                case Kind() as kind:
                    self.need(arg, kind, param.called or f"{node.name}()")
        if function.result is Arg.SAME:
            return self.same_type(node, *same)
        assert isinstance(function.result, ExprType)
        return function.result

    def same_type(self, node: Call, one: tuple[Node, ExprType | None],
                  other: tuple[Node, ExprType | None]) -> ExprType | None:
        """The one type of two values that must have one (an empty '' takes the other's)."""
        (a, first), (b, second) = one, other
        if first is None or second is None:
            return first or second
        if _is_empty_literal(a):
            return second
        if _is_empty_literal(b) or first.kind == second.kind:
            return first
        for choice, literal in ((first, b), (second, a)):
            if choice.kind == Kind.CHOICE and isinstance(literal, Literal) \
                    and literal.value in choice.choices:
                return choice
        self.fail(f"both values of {node.name}() must be of one type, but {_describe(a)} is "
                  f"{first.describe()} and {_describe(b)} is {second.describe()}", node.pos)
        return None


def _arity(function: Function) -> str:
    low, high = function.min_args, function.max_args
    if high is None:
        return f"at least {low} argument{'s' if low != 1 else ''}"
    if low == high:
        return f"{low} argument{'s' if low != 1 else ''}"
    return f"{low} to {high} arguments"


def infer(node: Node, env: TypeEnv) -> ExprType | None:
    """The type of the tree; problems are appended to env.problems."""
    return _Checker(env).check(node)
