"""One row of a partner's file → the answers it holds, and what could not be read.

Per column a reader function is chosen once (from the column plan and the file's own value
labels); a row then costs one call per non-blank cell.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from survey.ingest.columns import ColumnPlan, ColumnTarget, Meta, Target
from survey.ingest.values import (
    ChoiceLookup,
    FileLabels,
    ValueProblem,
    as_text,
    converter,
    is_blank,
    is_ticked,
    parse_date,
    reading_value,
    split_choices,
    with_file_missing,
    with_values,
)
from survey.questionnaire.answers import MISSING_KEY
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.spec import QuestionType
from survey.staff_texts import staff_text


@dataclass(frozen=True)
class CellProblem:
    column: str
    value: Any
    rule: str
    message: str
    """A `Message` (survey.staff_texts): English as text, translatable."""
    fix: str


@dataclass
class ReadRow:
    answers: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)
    """Cells read in a way staff should check (a near miss of a label, a file's missing code)."""
    sources: dict[str, list[str]] = field(default_factory=dict)
    """Answer name → the columns that gave it, to point problems at cells."""


def raw_value(value: Any) -> Any:
    """A cell as JSON can keep it, unchanged in meaning (the raw record of the response)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


class RowReader:
    def __init__(self, questionnaire: Questionnaire, plan: ColumnPlan, headers: Sequence[str],
                 labels: Sequence[FileLabels | None], decimal_comma: bool):
        self.questionnaire = questionnaire
        self.headers = list(headers)
        self.readers: list[tuple[int, ColumnTarget, Callable[[Any], Any]]] = []
        for i, target in enumerate(plan.targets):
            if target.target == Target.IGNORE:
                continue
            self.readers.append((i, target, self._reader(target, labels[i], decimal_comma)))

    def _reader(self, target: ColumnTarget, labels: FileLabels | None,
                decimal_comma: bool) -> Callable[[Any], Any]:
        return with_values(self._cell_reader(target, labels, decimal_comma), target.values)

    def _cell_reader(self, target: ColumnTarget, labels: FileLabels | None,
                     decimal_comma: bool) -> Callable[[Any], Any]:
        if target.target == Target.META:
            if target.name == Meta.DATE:
                return _unless_none(parse_date)
            return _unless_none(_respondent if target.name == Meta.RESPONDENT else as_text)
        if target.target == Target.OPTION:
            if target.choice in self._other_choices(target.name):
                return _tick_or_text
            return is_ticked
        question = self.questionnaire.question(target.name.split("__", 1)[0])
        if target.target == Target.RANK or (target.name == question.id and question.type in (
                QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING)):
            lookup = ChoiceLookup(self.questionnaire, question)
            if target.target == Target.RANK:
                read = lambda cell: lookup.resolve(cell, labels)  # noqa: E731
            else:
                read = lambda cell: split_choices(lookup, cell, labels)  # noqa: E731
        elif target.name != question.id and question.type != QuestionType.GRID:
            read = as_text  # "please specify"
        else:
            read = converter(self.questionnaire, question, decimal_comma, labels)
        return with_file_missing(read, self.questionnaire, question, labels)

    def _other_choices(self, question_id: str) -> set[str]:
        question = self.questionnaire.question(question_id)
        return {c.name for c in question.choices.choices if c.other} if question.choices else set()

    @property
    def other_texts(self) -> dict[int, str]:
        """Column -> the "please specify" answer it also gives: Kobo's `q/other` column holds
        the text itself when the respondent specified one."""
        return {i: f"{target.name}__{target.choice}_text" for i, target, _ in self.readers
                if target.target == Target.OPTION
                and target.choice in self._other_choices(target.name)}

    def read(self, values: Sequence[Any],
             readers: Sequence[tuple[int, ColumnTarget, Callable[[Any], Any]]] | None = None
             ) -> ReadRow:
        """The answers of one row; `readers` (some of `self.readers`) reads only their columns."""
        row = ReadRow()
        options: dict[str, list[str]] = {}
        ranks: dict[str, dict[int, Any]] = {}
        for i, target, reader in self.readers if readers is None else readers:
            cell = values[i] if i < len(values) else None
            if is_blank(cell):
                if target.target == Target.OPTION:
                    options.setdefault(target.name, [])
                continue
            header = self.headers[i]
            try:
                value, readings = reading_value(
                    _passthrough(cell) if isinstance(cell, dict) else reader(cell))
            except ValueProblem as problem:
                row.problems.append(CellProblem(header, cell, problem.rule, problem.message,
                                                problem.fix))
                continue
            row.warnings += [CellProblem(header, cell, r.rule, r.message, r.fix)
                             for r in readings]
            if value is None:
                continue
            if target.target == Target.META:
                row.meta[target.name] = value
                continue
            row.sources.setdefault(target.name, []).append(header)
            if target.target == Target.OPTION:
                chosen = options.setdefault(target.name, [])
                if isinstance(value, Specified):
                    text = f"{target.name}__{target.choice}_text"
                    row.answers.setdefault(text, value.text)
                    row.sources.setdefault(text, []).append(header)
                if value:
                    chosen.append(target.choice)
            elif target.target == Target.RANK:
                ranks.setdefault(target.name, {})[target.position] = value
            else:
                row.answers[target.name] = value
        for question_id, chosen in options.items():
            if chosen:
                row.answers.setdefault(question_id, chosen)
        for question_id, positions in ranks.items():
            missing = [v for v in positions.values() if isinstance(v, dict)]
            row.answers[question_id] = missing[0] if missing else [
                positions[p] for p in sorted(positions)]
        return row


@dataclass(frozen=True)
class Specified:
    """The column of an "other" choice held text, not a tick: ticked, and this is the text."""

    text: str

    def __bool__(self) -> bool:
        return True


def _tick_or_text(cell: Any) -> Any:
    try:
        return is_ticked(cell)
    except ValueProblem:
        return Specified(as_text(cell))


def _unless_none(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Exports written by Python tools (Ona's SPSS files) say "None" where a return has no id
    or time: that is no value, not an id shared by every such row."""
    return lambda cell: None if isinstance(cell, str) and cell.strip() in ("None", "null") else (
        read(cell))


def _respondent(cell: Any) -> str:
    """KoboToolbox/ODK write an instance id as `uuid:…`; the id is what follows."""
    text = as_text(cell)
    return text[5:] if text.lower().startswith("uuid:") else text


def _passthrough(cell: dict[str, Any]) -> Any:
    """JSON lines carry missing values already in the stored form."""
    if set(cell) == {MISSING_KEY}:
        return cell
    raise ValueProblem(staff_text("{value} is not an answer", value=repr(cell)),
                       staff_text('give a value, a list, or {{"missing": name}}'), "type")

