"""Writing a converted questionnaire as YAML that passes `survey validate`.

A rule the validator refuses (a function we do not have, a reference to a question that was
left out) is dropped and reported, and the file checked again, so one untranslatable rule
never costs the whole questionnaire.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from survey.convert.report import ConversionReport, ConvertError
from survey.questionnaire import Questionnaire, validate_file
from survey.questionnaire.yaml_source import load_yaml

_RULES = ("relevant", "constraint", "required", "calculate")
MAX_ROUNDS = 50


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100_000,
                          default_flow_style=False)


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _rule_errors(path: Path, lines: set[int]) -> list[tuple[tuple[Any, ...], int]]:
    """The paths of the rules standing on `lines` of the written file, with their line."""
    source = load_yaml(path).source
    return [(p, mark.line) for p, mark in source.values.items()
            if p and p[-1] in _RULES and mark.line in lines]


def _name(data: dict[str, Any], path: tuple[Any, ...]) -> str:
    owner = _at(data, path[:-1])
    kind = "section" if len(path) == 3 else "question"
    return f"{kind} {owner.get('id', '?')}"


def write_questionnaire(data: dict[str, Any], path: Path,
                        report: ConversionReport) -> Questionnaire:
    for _ in range(MAX_ROUNDS):
        path.write_text(dump(data), encoding="utf-8")
        result = validate_file(path)
        if result.questionnaire is not None:
            return result.questionnaire
        messages: dict[int, list[str]] = {}
        for diagnostic in result.errors:
            messages.setdefault(diagnostic.mark.line, []).append(diagnostic.message)
        rules = _rule_errors(path, set(messages))
        if not rules:
            break
        for rule, line in sorted(rules, reverse=True):
            owner = _at(data, rule[:-1])
            source = owner.pop(rule[-1])
            reason = "; ".join(messages[line])
            report.add(_name(data, rule), f"{rule[-1]} '{source}' not carried over: {reason}")
            if rule[-1] == "calculate":
                questions = _at(data, rule[:-2])
                questions.remove(owner)
                report.add(f"question {owner.get('id')}", "calculation left out, since its "
                           "expression could not be carried over")
        _drop_empty_sections(data, report)
    problems = "\n".join(str(d) for d in result.errors[:20])
    raise ConvertError(f"the converted questionnaire {path} does not validate:\n{problems}\n"
                       "Edit the file and run survey validate on it")


def _drop_empty_sections(data: dict[str, Any], report: ConversionReport) -> None:
    for section in list(data["sections"]):
        if not section["questions"]:
            data["sections"].remove(section)
            report.add(f"section {section['id']}", "left out: none of its questions could be "
                       "carried over")
