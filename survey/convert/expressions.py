"""Printing our expression trees as text: in our own syntax, or as XLSForm (XPath) for ODK.

The two differ only where ODK's XPath lacks one of our functions (`year()`, `month()`) or
compares dates with text differently (a date literal must be wrapped in `date()`).
"""

from __future__ import annotations

from collections.abc import Callable

from survey.questionnaire.expressions.syntax import (
    COMPARISONS,
    Binary,
    Call,
    Current,
    Literal,
    Negate,
    Node,
    Ref,
)

_PRECEDENCE = {"or": 1, "and": 2, **dict.fromkeys(COMPARISONS, 3), "+": 4, "-": 4, "*": 5,
               "div": 5, "mod": 5}
_DATE_PARTS = {"year": "%Y", "month": "%n"}


def _literal(value: int | float | str) -> str:
    if isinstance(value, str):
        return f'"{value}"' if "'" in value else f"'{value}'"
    return repr(value)


def _precedence(node: Node) -> int:
    return _PRECEDENCE[node.op] if isinstance(node, Binary) else 9


class Printer:
    def __init__(self, xpath: bool = False, is_date: Callable[[Node], bool] | None = None):
        self.xpath = xpath
        self.is_date = is_date or (lambda node: False)

    def __call__(self, node: Node) -> str:
        match node:
            case Literal(value=value):
                return _literal(value)
            case Ref(name=name):
                return "${" + name + "}"
            case Current():
                return "."
            case Negate(operand=operand):
                inner = self(operand)
                return f"-{inner}" if _precedence(operand) == 9 else f"-({inner})"
            case Binary(op=op, left=left, right=right):
                return self.binary(op, left, right)
            case Call(name=name, args=args):
                if self.xpath and name in _DATE_PARTS:
                    return f"int(format-date({self(args[0])}, '{_DATE_PARTS[name]}'))"
                return f"{name}({', '.join(self(a) for a in args)})"
        raise TypeError(node)

    def side(self, node: Node, parent: int, right: bool) -> str:
        text = self(node)
        mine = _precedence(node)
        if mine < parent or (mine == parent and (right or parent == 3)):
            return f"({text})"
        return text

    def binary(self, op: str, left: Node, right: Node) -> str:
        precedence = _PRECEDENCE[op]
        texts = [self.side(left, precedence, False), self.side(right, precedence, True)]
        if self.xpath and op in COMPARISONS:
            for index, (this, other) in enumerate(((left, right), (right, left))):
                if (isinstance(this, Literal) and isinstance(this.value, str) and this.value
                        and self.is_date(other)):
                    texts[index] = f"date({_literal(this.value)})"
        return f"{texts[0]} {op} {texts[1]}"
