"""Parse expression source text into the tree of `syntax.py`.

A hand-written recursive-descent parser over a small token stream: it never evaluates the text,
it bounds length and nesting so hostile input cannot exhaust the stack, and it explains the
usual slips of people coming from spreadsheets or programming (`==`, `&&`, `/`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
from survey.user_error import UserError

MAX_LENGTH = 4000
MAX_DEPTH = 60
MAX_TREE_DEPTH = 100


class ExpressionSyntaxError(UserError, ValueError):
    def __init__(self, message: str, pos: int):
        self.message = message
        self.pos = pos
        super().__init__(f"{message} (at character {pos + 1})")


@dataclass(frozen=True)
class Token:
    kind: str  # num, str, ref, name, op, end
    text: str
    pos: int


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<ref>\$\{(?P<refname>[A-Za-z_][A-Za-z0-9_]*)\})
  | (?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,|\.)
    """,
    re.VERBOSE,
)

_REF = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")

_SLIPS = {
    "==": "use '=' to compare, not '=='",
    "&&": "use 'and', not '&&'",
    "||": "use 'or', not '||'",
    "/": "use 'div' to divide, not '/'",
    "!": "use not(...) to negate, or '!=' for 'is not equal'",
    "%": "use 'mod' for the remainder, not '%'",
    "<>": "use '!=' for 'is not equal'",
}


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        for slip, advice in _SLIPS.items():
            if text.startswith(slip, pos) and not (slip == "!" and text.startswith("!=", pos)):
                raise ExpressionSyntaxError(advice, pos)
        if text.startswith("${", pos) and not _REF.match(text, pos):
            raise ExpressionSyntaxError(
                "a reference is written ${question_id}: letters, digits and '_' between "
                "'${' and '}'", pos)
        if text[pos] in "'\"" and text.find(text[pos], pos + 1) < 0:
            raise ExpressionSyntaxError(f"text starting with {text[pos]} is never closed", pos)
        match = _TOKEN.match(text, pos)
        if not match:
            raise ExpressionSyntaxError(f"unexpected character '{text[pos]}'", pos)
        kind = match.lastgroup
        if kind == "refname":
            kind = "ref"
        if kind != "ws":
            value = match.group("refname") if kind == "ref" else match.group(0)
            tokens.append(Token(kind or "op", value, pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, kind: str, *texts: str) -> bool:
        return self.token.kind == kind and (not texts or self.token.text in texts)

    def expect_op(self, text: str, context: str) -> Token:
        if not self.at("op", text):
            found = self.describe(self.token)
            raise ExpressionSyntaxError(f"expected '{text}' {context}, found {found}",
                                        self.token.pos)
        return self.advance()

    @staticmethod
    def describe(token: Token) -> str:
        if token.kind == "end":
            return "the end of the expression"
        if token.kind == "ref":
            return f"${{{token.text}}}"
        if token.kind == "str":
            return token.text
        return f"'{token.text}'"

    def parse(self) -> Node:
        node = self.or_expr()
        if not self.at("end"):
            token = self.token
            hint = ""
            if token.kind in ("ref", "num", "str", "name"):
                hint = ": an operator such as 'and', 'or', '=' or '+' is missing before it"
            raise ExpressionSyntaxError(f"unexpected {self.describe(token)}{hint}", token.pos)
        return node

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionSyntaxError(f"nested deeper than {MAX_DEPTH} levels",
                                        self.token.pos)

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.at("name", "or"):
            op = self.advance()
            node = Binary("or", node, self.and_expr(), op.pos)
        return node

    def and_expr(self) -> Node:
        node = self.comparison()
        while self.at("name", "and"):
            op = self.advance()
            node = Binary("and", node, self.comparison(), op.pos)
        return node

    def comparison(self) -> Node:
        node = self.additive()
        if self.at("op", *COMPARISONS):
            op = self.advance()
            node = Binary(op.text, node, self.additive(), op.pos)
            if self.at("op", *COMPARISONS):
                raise ExpressionSyntaxError(
                    "comparisons cannot be chained; join them with 'and'", self.token.pos)
        return node

    def additive(self) -> Node:
        node = self.multiplicative()
        while self.at("op", "+", "-"):
            op = self.advance()
            node = Binary(op.text, node, self.multiplicative(), op.pos)
        return node

    def multiplicative(self) -> Node:
        node = self.unary()
        while self.at("op", "*") or self.at("name", "div", "mod"):
            op = self.advance()
            node = Binary(op.text, node, self.unary(), op.pos)
        return node

    def unary(self) -> Node:
        if self.at("op", "-"):
            op = self.advance()
            self.nested()
            operand = self.unary()
            self.depth -= 1
            return Negate(operand, op.pos)
        return self.primary()

    def primary(self) -> Node:
        token = self.token
        if token.kind == "num":
            self.advance()
            number = float(token.text) if "." in token.text else int(token.text)
            return Literal(number, token.pos)
        if token.kind == "str":
            self.advance()
            return Literal(token.text[1:-1], token.pos)
        if token.kind == "ref":
            self.advance()
            return Ref(token.text, token.pos)
        if self.at("op", "."):
            self.advance()
            return Current(token.pos)
        if self.at("op", "("):
            self.advance()
            self.nested()
            node = self.or_expr()
            self.depth -= 1
            self.expect_op(")", "to close the '(' opened at character " f"{token.pos + 1}")
            return node
        if token.kind == "name":
            if token.text in ("and", "or", "div", "mod"):
                raise ExpressionSyntaxError(
                    f"'{token.text}' needs a value on its left", token.pos)
            self.advance()
            if not self.at("op", "("):
                raise ExpressionSyntaxError(
                    f"'{token.text}' is not a value: write references as ${{{token.text}}} "
                    f"and text in quotes, '{token.text}'", token.pos)
            return self.call(token)
        raise ExpressionSyntaxError(
            f"expected a value, found {self.describe(token)}", token.pos)

    def call(self, name: Token) -> Node:
        self.advance()  # (
        self.nested()
        args: list[Node] = []
        if not self.at("op", ")"):
            args.append(self.or_expr())
            while self.at("op", ","):
                self.advance()
                args.append(self.or_expr())
        self.expect_op(")", f"to close the call of {name.text}()")
        self.depth -= 1
        return Call(name.text, tuple(args), name.pos)


def _depth(tree: Node) -> tuple[int, int]:
    """The depth of the tree and the position of its deepest node, without recursion."""
    deepest, where = 0, tree.pos
    stack: list[tuple[Node, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest, where = depth, node.pos
        if isinstance(node, Negate):
            stack.append((node.operand, depth + 1))
        elif isinstance(node, Binary):
            stack.extend(((node.left, depth + 1), (node.right, depth + 1)))
        elif isinstance(node, Call):
            stack.extend((arg, depth + 1) for arg in node.args)
    return deepest, where


def parse_expression(text: str) -> Node:
    """The tree of `text`; raises ExpressionSyntaxError with the offending position.

    Trees deeper than MAX_TREE_DEPTH (long chains such as `1+1+...+1` included) are refused, so
    every consumer of the tree may walk it recursively.
    """
    if not text.strip():
        raise ExpressionSyntaxError("the expression is empty", 0)
    if len(text) > MAX_LENGTH:
        raise ExpressionSyntaxError(
            f"the expression is {len(text)} characters long; at most {MAX_LENGTH} are allowed: "
            "split it with a calculate question", MAX_LENGTH)
    tree = _Parser(text).parse()
    depth, where = _depth(tree)
    if depth > MAX_TREE_DEPTH:
        raise ExpressionSyntaxError(
            f"the expression chains or nests more than {MAX_TREE_DEPTH} operations; split it "
            "with a calculate question", where)
    return tree
