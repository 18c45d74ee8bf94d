"""Writing a converted questionnaire as YAML that passes `survey validate`.

The draft is checked in a scratch folder first. A rule the validator refuses (a function we do
not have, a type clash) is dropped and reported, what depended on it adjusted (see `rules`), and
the draft checked again, so one untranslatable rule never costs the whole questionnaire. Only a
draft that validates is written to the target; when none does, nothing is written.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from survey.atomic_write import write_atomically
from survey.convert.report import ConversionReport, ConvertError
from survey.convert.rules import (
    RULES,
    drop_empty_sections,
    drop_required,
    settle_piping,
    settle_references,
)
from survey.questionnaire import Questionnaire, QuestionnaireError, validate_file
from survey.questionnaire.yaml_source import load_yaml

MAX_ROUNDS = 50


class _PlainDumper(yaml.SafeDumper):
    """Writes a value shared by two owners out twice: questionnaires allow no YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False,
                     width=100_000, default_flow_style=False)


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _rule_errors(path: Path, lines: set[int]) -> list[tuple[tuple[Any, ...], int]]:
    """The paths of the rules standing on `lines` of the written file, with their line."""
    try:
        source = load_yaml(path).source
    except QuestionnaireError:
        return []  # the file does not even read; the caller reports the validator's message
    return [(p, mark.line) for p, mark in source.values.items()
            if p and p[-1] in RULES and mark.line in lines]


def _name(data: dict[str, Any], path: tuple[Any, ...]) -> str:
    owner = _at(data, path[:-1])
    kind = "section" if len(path) == 3 else "question"
    return f"{kind} {owner.get('id', '?')}"


def write_questionnaire(data: dict[str, Any], path: Path, report: ConversionReport,
                        source: str = "the source file") -> Questionnaire:
    """Write `data` to `path` once it validates; ConvertError (naming `source`), and nothing
    written, when it cannot be made to."""
    _refuse_media_clashes(report.media, path.parent)
    scratch = Path(tempfile.mkdtemp(prefix="survey-convert-"))
    try:
        draft = scratch / path.name
        _copy_media(report.media, scratch)
        questionnaire = _settle(data, draft, report, source)
        _copy_media(report.media, path.parent)
        write_atomically(path, draft.read_bytes())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return questionnaire if questionnaire.file == str(path) else validate_file(
        path).questionnaire or questionnaire


def _refuse_media_clashes(media: dict[str, Path], folder: Path) -> None:
    """A picture of the same name already beside the output, with other content, is someone's
    file: it is never overwritten."""
    for relative, found in media.items():
        target = folder / relative
        if target.exists() and target.resolve() != found.resolve() and \
                target.read_bytes() != found.read_bytes():
            raise ConvertError(f"{target} already exists and differs from {found}; move one "
                               "of them away and convert again (nothing was written)")


def _copy_media(media: dict[str, Path], folder: Path) -> None:
    for relative, found in media.items():
        target = folder / relative
        if target.exists() and target.resolve() == found.resolve():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found, target)


def _settle(data: dict[str, Any], draft: Path, report: ConversionReport,
            source: str) -> Questionnaire:
    """Drop refused rules until the draft validates; the validated questionnaire."""
    for _ in range(MAX_ROUNDS):
        draft.write_text(dump(data), encoding="utf-8")
        result = validate_file(draft)
        if result.questionnaire is not None:
            return result.questionnaire
        messages: dict[int, list[str]] = {}
        for diagnostic in result.errors:
            messages.setdefault(diagnostic.mark.line, []).append(diagnostic.message)
        rules = _rule_errors(draft, set(messages))
        if not rules:
            break
        removed: dict[str, str] = {}
        for rule, line in sorted(rules, reverse=True):
            owner = _at(data, rule[:-1])
            if rule[-1] not in owner:
                continue
            source = owner.pop(rule[-1])
            reason = "; ".join(messages[line])
            where = _name(data, rule)
            report.add(where, f"{rule[-1]} '{source}' not carried over: {reason}")
            if rule[-1] == "constraint" and owner.pop("constraint_message", None):
                report.add(where, "constraint message not carried over with its constraint")
            if rule[-1] == "relevant":
                section = owner if len(rule) == 3 else None
                drop_required(owner, section, f"its condition '{source}' could not be "
                              "carried over", report)
            if rule[-1] == "calculate":
                questions = _at(data, rule[:-2])
                questions.remove(owner)
                removed[owner["id"]] = f"its expression '{source}' could not be carried over"
        settle_references(data, removed, report)
        settle_piping(data, report)
        drop_empty_sections(data, report)
        if not data["sections"]:
            raise ConvertError(f"{source}: no question is left once the rules the validator "
                               "refuses are taken out (see the notes above); nothing was "
                               "written")
    problems = "\n".join(f"  line {d.mark.line}: {d.message}" for d in result.errors[:20])
    raise ConvertError(f"{source}: the converted questionnaire would not pass survey "
                       f"validate, so nothing was written:\n{problems}\nPlease report this "
                       "with the source file: the converter should have left these parts out")
