"""Keeping a converted questionnaire's rules consistent when something is left out.

A rule that names a question the draft does not hold (a GPS field, a repeat, a calculation that
could not be read) is cut down to the parts that still stand, or taken out; what depended on it
is adjusted in turn: a calculation without its formula goes, with everything that used it
listed, and a `required` whose condition was lost goes too, since the question would otherwise
be forced on everyone. Every change is a note.
"""

from __future__ import annotations

import re
from typing import Any

from survey.convert.expressions import Printer
from survey.convert.report import ConversionReport
from survey.questionnaire.expressions.parser import ExpressionSyntaxError, parse_expression
from survey.questionnaire.expressions.syntax import Binary, Node, references
from survey.questionnaire.piping import PLACEHOLDER

RULES = ("relevant", "constraint", "required", "calculate")
_SPLITTABLE = ("relevant", "constraint")


def _conjuncts(node: Node) -> list[Node]:
    if isinstance(node, Binary) and node.op == "and":
        return [*_conjuncts(node.left), *_conjuncts(node.right)]
    return [node]


def _names(node: Node) -> set[str]:
    return {ref.name for ref in references(node)}


def _unknown(names: set[str], ids: set[str]) -> list[str]:
    return sorted(n for n in names if n not in ids and n.split("__", 1)[0] not in ids)


def drop_required(owner: dict[str, Any], section: dict[str, Any] | None, why: str,
                  report: ConversionReport) -> None:
    """Take `required` off a question (or every question of a section) whose condition was
    lost: otherwise it would be forced on respondents it was never meant for."""
    targets = section["questions"] if section is not None else [owner]
    for question in targets:
        if question.get("required"):
            question.pop("required")
            report.add(f"question {question['id']}", f"required not carried over: {why}, so "
                       "the question is now asked of everyone and may be left empty")


def remove_question(data: dict[str, Any], question_id: str) -> None:
    for section in data["sections"]:
        section["questions"] = [q for q in section["questions"] if q["id"] != question_id]


def settle_references(data: dict[str, Any], removed: dict[str, str],
                      report: ConversionReport) -> None:
    """Cut every rule down to what names questions the draft holds; `removed` (our id ->
    why) are the calculations already left out, whose users are listed in one note each."""
    users: dict[str, list[str]] = {name: [] for name in removed}
    changed = True
    while changed:
        changed = False
        ids = {q["id"] for s in data["sections"] for q in s["questions"]}
        for section in data["sections"]:
            owners = [("section", section), *(("question", q) for q in section["questions"])]
            for kind, owner in owners:
                for key in RULES:
                    if _settle(data, kind, owner, section, key, ids, removed, users, report):
                        changed = True
    for name, why in removed.items():
        used = users.get(name) or []
        report.add(f"question {name}", f"calculation left out: {why}; "
                   + (f"adjusted because they used it: {', '.join(used)}" if used
                      else "nothing else used it"))
    drop_empty_sections(data, report)


def _settle(data: dict[str, Any], kind: str, owner: dict[str, Any], section: dict[str, Any],
            key: str, ids: set[str], removed: dict[str, str], users: dict[str, list[str]],
            report: ConversionReport) -> bool:
    source = owner.get(key)
    if not isinstance(source, str):
        return False
    try:
        tree = parse_expression(source)
    except ExpressionSyntaxError:
        return False  # left for the validator, whose message is the clearer one
    unknown = _unknown(_names(tree), ids)
    if not unknown:
        return False
    where = f"{kind} {owner['id']}"
    for name in unknown:
        if name in users:
            users[name].append(f"{where} ({key})")
    parts = _conjuncts(tree) if key in _SPLITTABLE else [tree]
    kept = [p for p in parts if not _unknown(_names(p), ids)]
    named = ", ".join(unknown)
    verb = "is" if len(unknown) == 1 else "are"
    if kept:
        printer = Printer()
        owner[key] = " and ".join(printer(p) if len(kept) == 1 else f"({printer(p)})"
                                  for p in kept)
        report.add(where, f"{key} '{source}' shortened to '{owner[key]}': {named} {verb} not "
                   "in the questionnaire (left out, see above)")
    else:
        owner.pop(key)
        report.add(where, f"{key} '{source}' not carried over: {named} {verb} not in the "
                   "questionnaire (left out, see above)")
        if key == "constraint" and owner.pop("constraint_message", None):
            report.add(where, "constraint message not carried over with its constraint")
    if key == "relevant":
        drop_required(owner, section if kind == "section" else None,
                      f"its condition '{source}' could not be carried over whole", report)
    if key == "calculate":
        remove_question(data, owner["id"])
        removed[owner["id"]] = f"its calculation names {named}, which {verb} left out"
        users.setdefault(owner["id"], [])
    return True


def drop_empty_sections(data: dict[str, Any], report: ConversionReport) -> None:
    for section in list(data["sections"]):
        if not section["questions"]:
            data["sections"].remove(section)
            report.add(f"section {section['id']}", "left out: none of its questions could be "
                       "carried over")


def settle_piping(data: dict[str, Any], report: ConversionReport) -> None:
    """Texts that show an answer keep `${id}` where that question is asked before them; a
    name of a left-out or later question becomes the visible placeholder `[id]`, noted."""
    earlier: set[str] = set()
    for section in data["sections"]:
        for question in section["questions"]:
            for key in ("label", "hint"):
                texts = question.get(key)
                if isinstance(texts, dict):
                    for language, text in texts.items():
                        texts[language] = _piped(text, earlier, question["id"], key, report)
                elif isinstance(texts, str):
                    question[key] = _piped(texts, earlier, question["id"], key, report)
            if question.get("type") != "note":
                earlier.add(question["id"])


def _piped(text: Any, earlier: set[str], owner: str, key: str,
           report: ConversionReport) -> Any:
    if not isinstance(text, str) or "${" not in text:
        return text

    def keep(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in earlier or name.split("__", 1)[0] in earlier:
            return match.group(0)
        report.add(f"question {owner}", f"its {key} shows the answer to '{name}', which is "
                   "left out or asked only later; written as the placeholder [" + name + "]")
        return f"[{name}]"

    return PLACEHOLDER.sub(keep, text)
