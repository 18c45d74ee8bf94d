"""The expression tree: the one representation of skip logic, constraints and calculations.

Every evaluator (Python here, the browser's later) and the paper form's routing text read this
tree; nothing else interprets expression source text. `pos` is the 0-based offset in the source
so that messages can point at the exact character.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
ARITHMETIC = ("+", "-", "*", "div", "mod")
LOGICAL = ("and", "or")


@dataclass(frozen=True)
class Literal:
    value: int | float | str
    pos: int


@dataclass(frozen=True)
class Ref:
    name: str
    pos: int


@dataclass(frozen=True)
class Current:
    """`.`: the value of the question a constraint belongs to."""

    pos: int


@dataclass(frozen=True)
class Negate:
    operand: Node
    pos: int


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node
    pos: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]
    pos: int


Node = Literal | Ref | Current | Negate | Binary | Call


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children."""
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, Negate):
            stack.append(current.operand)
        elif isinstance(current, Binary):
            stack.extend((current.right, current.left))
        elif isinstance(current, Call):
            stack.extend(reversed(current.args))


def references(node: Node) -> list[Ref]:
    """The `${name}` references of a tree, in source order."""
    return sorted((n for n in walk(node) if isinstance(n, Ref)), key=lambda r: r.pos)


def to_json(node: Node) -> dict[str, Any]:
    """A plain-data form of the tree, for evaluators in other languages (the browser)."""
    match node:
        case Literal(value=value):
            return {"lit": value}
        case Ref(name=name):
            return {"ref": name}
        case Current():
            return {"cur": True}
        case Negate(operand=operand):
            return {"neg": to_json(operand)}
        case Binary(op=op, left=left, right=right):
            return {"op": op, "l": to_json(left), "r": to_json(right)}
        case Call(name=name, args=args):
            return {"fn": name, "args": [to_json(a) for a in args]}
    raise TypeError(node)
