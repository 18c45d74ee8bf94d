"""Mapping files: which column of a partner's file is which question, written by staff.

`--dry-run` writes a draft with every column and what it was recognised as, so staff only
correct the lines that are wrong instead of writing the file from nothing.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from survey.ingest.columns import ColumnPlan, Target
from survey.ingest.readers import SourceTable
from survey.questionnaire.diagnostics import QuestionnaireError
from survey.questionnaire.yaml_source import load_yaml


class MappingFileError(ValueError):
    pass


def load_mapping(path: Path) -> dict[str, str]:
    """`columns:` of a mapping file as {column header: target}."""
    try:
        document = load_yaml(path)
    except QuestionnaireError as error:
        raise MappingFileError(str(error)) from error
    except OSError as error:
        raise MappingFileError(f"{path}: cannot read the mapping file: {error.strerror}") from error
    data = document.data
    columns = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(columns, dict):
        mark = document.source.value(())
        raise MappingFileError(f"{path}:{mark.line}:{mark.column}: a mapping file needs "
                               "'columns:' with one 'column header: question id' per line")
    bad = [k for k, v in columns.items() if not isinstance(v, str | None)]
    if bad:
        mark = document.source.value(("columns", bad[0]))
        raise MappingFileError(f"{path}:{mark.line}:{mark.column}: the target of column "
                               f"'{bad[0]}' must be a question id, a variable name or 'ignore'")
    return {str(k): v or "ignore" for k, v in columns.items()}


def draft_mapping(table: SourceTable, plan: ColumnPlan, questionnaire_id: str) -> str:
    """The text of a mapping file that reproduces `plan`, with comments for staff."""
    lines = [f"# Mapping of {table.path.name} to questionnaire '{questionnaire_id}'.",
             "# Correct the targets that are wrong, then import with --mapping THIS_FILE.",
             "# A target is a question id, a variable name (q__choice, q__rank1), a meta name",
             "# (respondent_id, language, date) or 'ignore'.", "columns:"]
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
        lines.append(f"  {key}: {value}  # {target.how}")
    return "\n".join(lines) + "\n"
