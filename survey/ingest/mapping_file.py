"""Mapping files: which column of a partner's file is which question, and what a partner's own
words mean (`values:`), written by staff once and used again for the partner's next delivery.

`--dry-run` writes a draft with every column and what it was recognised as, so staff only
correct the lines that are wrong instead of writing the file from nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from survey.ingest.columns import VALUES, WHERE, ColumnPlan, Meta, Target
from survey.ingest.readers import SourceTable
from survey.questionnaire.diagnostics import QuestionnaireError
from survey.questionnaire.yaml_source import load_yaml
from survey.staff_texts import staff_text
from survey.user_error import UserError


class MappingFileError(UserError, ValueError):
    """A mapping file that cannot be read or used; the message says where and what to fix."""


def load_mapping(path: Path) -> dict[str, Any]:
    """A mapping file as the mapping `plan_columns` takes: {column header: target, or
    {"to": target, "values": {partner's word: meaning}}}, the `values:` per question under
    VALUES, and where each entry stands in the file under WHERE, for messages."""
    try:
        document = load_yaml(path)
    except QuestionnaireError as error:
        raise MappingFileError(str(error)) from error
    except OSError as error:
        raise MappingFileError(staff_text("{path}: cannot read the mapping file: {reason}",
                                          path=str(path), reason=error.strerror or str(error))
                               ) from error
    data = document.data
    source = document.source

    def at(*keys: Any) -> str:
        mark = source.key(keys)
        return f"{path}:{mark.line}:{mark.column}"

    columns = data.get("columns") if isinstance(data, dict) else None
    values = data.get("values") if isinstance(data, dict) else None
    if not isinstance(columns, dict) and not isinstance(values, dict):
        mark = source.value(())
        raise MappingFileError(staff_text(
            "{at}: a mapping file needs 'columns:' with one 'column header: question id' per "
            "line, or 'values:' with the partner's words per question",
            at=f"{path}:{mark.line}:{mark.column}"))
    mapping: dict[str, Any] = {}
    where: dict[str, str] = {}
    targets: dict[str, str] = {}
    for header, target in (columns or {}).items():
        header = str(header)
        where[header] = at("columns", header)
        entry: dict[str, Any] | None = None
        if isinstance(target, dict):
            unknown = [k for k in target if k not in ("to", "values")]
            if unknown:
                raise MappingFileError(staff_text(
                    "{at}: a column takes 'to:' (its question) and 'values:' (the partner's "
                    "words), not '{key}'", at=at("columns", header, unknown[0]),
                    key=unknown[0]))
            entry = target
            target = target.get("to")
            if entry.get("values") is not None:
                _words(path, at, entry["values"], ("columns", header, "values"), header, where)
        if not isinstance(target, str | None):
            mark = source.value(("columns", header))
            raise MappingFileError(staff_text(
                "{at}: the target of column '{column}' must be a question id, a variable name "
                "or 'ignore'", at=f"{path}:{mark.line}:{mark.column}", column=header))
        if target and target not in ("ignore", *(m.value for m in Meta)):
            if target in targets:
                raise MappingFileError(staff_text(
                    "{at}: column '{column}' is mapped to '{target}', and so is column "
                    "'{other}'; one answer can come from one column only: map one of them to "
                    "another question or to 'ignore'", at=at("columns", header), column=header,
                    target=target, other=targets[target]))
            targets[target] = header
        mapping[header] = ({"to": target, "values": entry.get("values") or {}}
                           if entry is not None else target or "ignore")
    per_question: dict[str, dict[str, Any]] = {}
    if values is not None:
        if not isinstance(values, dict):
            raise MappingFileError(staff_text(
                "{at}: 'values:' holds one question id per line, with the partner's words and "
                "their meaning under it", at=at("values")))
        for question, words in values.items():
            where[str(question)] = at("values", question)
            per_question[str(question)] = _words(path, at, words, ("values", question),
                                                 str(question), where)
    mapping[VALUES] = per_question
    mapping[WHERE] = where
    return mapping


def _words(path: Path, at: Any, words: Any, keys: tuple[Any, ...], owner: str,
           where: dict[str, str]) -> dict[str, Any]:
    """One `values:` table: partner's word -> meaning (a choice name, code, label or value)."""
    if not isinstance(words, dict):
        raise MappingFileError(staff_text("{at}: under 'values:' of '{name}' write one "
                                          "'partner's word: meaning' per line", at=at(*keys),
                                          name=owner))
    for word, meaning in words.items():
        where[f"{owner} → {word}"] = at(*keys, word)
        if meaning is None or isinstance(meaning, dict) or (
                isinstance(meaning, list) and not all(isinstance(m, str | int)
                                                      for m in meaning)):
            raise MappingFileError(staff_text(
                "{at}: '{word}' needs a meaning after the colon: a choice name, code or label, "
                "or a list of them", at=at(*keys, word), word=word))
    return {str(word): meaning for word, meaning in words.items()}


def draft_mapping(table: SourceTable, plan: ColumnPlan, questionnaire_id: str) -> str:
    """The text of a mapping file that reproduces `plan`, with comments for staff."""
    lines = [f"# Mapping of {table.path.name} to questionnaire '{questionnaire_id}'.",
             "# Correct the targets that are wrong, then import with --mapping THIS_FILE.",
             "# A target is a question id, a variable name (q__choice, q__rank1), a meta name",
             "# (respondent_id, language, date) or 'ignore'. A partner's own words for answers",
             "# go under 'values:', per question (for every file) or per column:",
             "#   values:",
             "#     district:",
             "#       Nordstadt: north",
             "#   columns:",
             "#     Stadtteil: {to: district, values: {DL-Nord: north}}",
             "columns:"]
    for column, target in zip(table.columns, plan.targets, strict=True):
        if target.target == Target.IGNORE:
            value = "ignore"
        elif target.target == Target.OPTION:
            value = f"{target.name}__{target.choice}"
        elif target.target == Target.RANK:
            value = f"{target.name}__rank{target.position}"
        else:
            value = target.name
        key = yaml.safe_dump(column.name, allow_unicode=True, width=1000).strip()
        key = key.removesuffix("\n...").strip()
        if target.values:
            words = yaml.safe_dump({"to": value, "values": dict(target.values)},
                                   allow_unicode=True, width=1000, default_flow_style=True)
            lines.append(f"  {key}: {words.strip()}  # {target.how}")
        else:
            lines.append(f"  {key}: {value}  # {target.how}")
    return "\n".join(lines) + "\n"
