"""A questionnaire as an XLSForm that pyxform (KoboToolbox, ODK) converts, every language as a
`label::Language (code)` column.

XLSForm has no codes, missing values or question types such as rating and grid; they travel in
extra columns (`code`, `missing`, `exclusive`, `toolkit_name` on the choices sheet;
`toolkit_type` on the survey sheet) that ODK ignores and `survey convert --to yaml` reads back.
Scale points are named by their codes, so ODK compares ratings as numbers, as our rules do.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from survey.atomic_write import save_atomically
from survey.convert.expressions import Printer
from survey.convert.report import ConversionReport
from survey.questionnaire.expressions.syntax import Call, Current, Node, Ref
from survey.questionnaire.languages import country_names, language_name, language_names
from survey.questionnaire.model import (
    ChoiceList,
    Expression,
    MissingValue,
    Question,
    Questionnaire,
    Text,
)
from survey.questionnaire.spec import QuestionType as T

SCALES = (T.RATING, T.GRID)
_SIMPLE = {T.INTEGER: "integer", T.DECIMAL: "decimal", T.TEXT: "text", T.LONG_TEXT: "text",
           T.DATE: "date", T.YEAR: "integer", T.NOTE: "note", T.CONSENT: "acknowledge",
           T.CALCULATE: "calculate"}
_MARKED = {T.LONG_TEXT, T.YEAR, T.CONSENT, T.RATING, T.COUNTRY, T.LANGUAGE}


def language_column(code: str) -> str:
    return f"{language_name(code, 'en')} ({code})"


class _Writer:
    def __init__(self, questionnaire: Questionnaire, report: ConversionReport):
        self.q = questionnaire
        self.report = report
        self.languages = questionnaire.languages
        self.rows: list[dict[str, Any]] = []
        self.choices: list[dict[str, Any]] = []
        self.lists: set[str] = set()
        self.printer = Printer(xpath=True, is_date=self.is_date)
        self.current: Question | None = None
        self.media_noted = False

    def is_date(self, node: Node) -> bool:
        if isinstance(node, Ref):
            question = self.q.answer_index.get(node.name)
            return question is not None and question.type == T.DATE
        if isinstance(node, Current):
            return self.current is not None and self.current.type == T.DATE
        return isinstance(node, Call) and node.name == "today"

    def texts(self, key: str, text: Text) -> dict[str, str]:
        if not text:
            return {}
        return {f"{key}::{language_column(lang)}": text.get(lang, self.q.default_language)
                for lang in self.languages}

    def media(self, image: Text, audio: Text) -> dict[str, str]:
        """XLSForm media columns name bare files uploaded with the form (KoboToolbox, ODK
        Central): the file name of each, per language where they differ."""
        columns: dict[str, str] = {}
        for kind, value in (("image", image), ("audio", audio)):
            if value.neutral is not None and len(self.languages) == 1:
                columns[f"media::{kind}"] = PurePosixPath(value.neutral).name
            elif value.neutral is not None:  # pyxform wants the column in every language
                columns |= {f"media::{kind}::{language_column(lang)}":
                            PurePosixPath(value.neutral).name for lang in self.languages}
            elif value:
                columns |= {f"media::{kind}::{language_column(lang)}": PurePosixPath(
                    value.get(lang, self.q.default_language)).name for lang in self.languages}
            if value and not self.media_noted:
                self.media_noted = True
                self.report.add("media", "pictures and recordings are named by file name; "
                                "upload the files of the questionnaire's media folder with "
                                "the form")
        return columns

    def expression(self, expression: Expression | None) -> str | None:
        return None if expression is None else self.printer(expression.tree)

    # -- choices ---------------------------------------------------------------------------

    def choice_list(self, question: Question) -> str:
        """The XLSForm list of a question: its choices plus its missing values."""
        assert question.choices is not None
        choices: ChoiceList = question.choices
        scale = question.type in SCALES
        name = choices.name.replace(".", "_") + ("_scale" if scale else "")
        if question.missing:
            name += "_with_" + "_".join(m.name for m in question.missing)
        if name in self.lists:
            return name
        self.lists.add(name)
        for choice in choices.choices:
            row = {"list_name": name, "name": str(choice.code) if scale else choice.name,
                   "code": choice.code, **self.texts("label", choice.label),
                   **self.media(choice.image, choice.audio)}
            if scale:
                row["toolkit_name"] = choice.name
            if choice.exclusive:
                row["exclusive"] = "yes"
            self.choices.append(row)
        self.choices += [self.missing_choice(name, m, scale) for m in question.missing]
        return name

    def missing_choice(self, list_name: str, missing: MissingValue,
                       scale: bool) -> dict[str, Any]:
        row = {"list_name": list_name, "name": str(missing.code) if scale else missing.name,
               "code": missing.code, "missing": "yes", **self.texts("label", missing.label)}
        if scale:
            row["toolkit_name"] = missing.name
        return row

    def code_list(self, name: str, names: dict[str, dict[str, str]]) -> str:
        """Countries or languages from CLDR, in every form language."""
        if name not in self.lists:
            self.lists.add(name)
            for code in names[self.q.default_language]:
                self.choices.append({"list_name": name, "name": code, **{
                    f"label::{language_column(lang)}": names[lang].get(code, code)
                    for lang in self.languages}})
        return name

    # -- questions -------------------------------------------------------------------------

    def constraint(self, question: Question) -> str | None:
        parts = []
        date = question.type == T.DATE
        for op, bound in ((">=", question.min), ("<=", question.max)):
            if bound is None:
                continue
            value = ("today()" if bound == "today" else f"date('{bound}')") if date else repr(bound)
            parts.append(f". {op} {value}")
        if question.max_length is not None:
            parts.append(f"string-length(.) <= {question.max_length}")
        if question.min_selected is not None:
            parts.append(f"count-selected(.) >= {question.min_selected}")
        if question.max_selected is not None:
            parts.append(f"count-selected(.) <= {question.max_selected}")
        for choice in question.choices.choices if question.choices else ():
            if choice.exclusive and question.type == T.MULTIPLE_CHOICE:
                parts.append(f"not(selected(., '{choice.name}') and count-selected(.) > 1)")
        own = self.expression(question.constraint)
        if own:
            parts.append(f"({own})" if parts else own)
        return " and ".join(parts) or None

    def question(self, question: Question) -> None:
        self.current = question
        where = f"question {question.id}"
        row: dict[str, Any] = {"name": question.id, **self.texts("label", question.label),
                               **self.texts("hint", question.hint),
                               **self.media(question.image, question.audio)}
        qtype = question.type
        if qtype in (T.SINGLE_CHOICE, T.RATING):
            row["type"] = f"select_one {self.choice_list(question)}"
        elif qtype == T.MULTIPLE_CHOICE:
            row["type"] = f"select_multiple {self.choice_list(question)}"
        elif qtype == T.RANKING:
            row["type"] = f"rank {self.choice_list(question)}"
            row["toolkit_type"] = f"ranking {question.rank}"
        elif qtype == T.COUNTRY:
            row["type"] = "select_one " + self.code_list("countries", {
                lang: country_names(lang) for lang in self.languages})
        elif qtype == T.LANGUAGE:
            row["type"] = "select_one " + self.code_list("languages", {
                lang: language_names(lang) for lang in self.languages})
        elif qtype == T.GRID:
            self.grid(question)
            return
        else:
            row["type"] = _SIMPLE[qtype]
        if qtype in _MARKED:
            row["toolkit_type"] = qtype.value
        if qtype == T.LONG_TEXT:
            row["appearance"] = "multiline"
        if qtype == T.RATING:
            row["appearance"] = "likert"
        if qtype == T.CALCULATE:
            row["calculation"] = self.expression(question.calculate)
        self.rules(row, question)
        if question.missing and question.choices is None:
            self.report.add(where, "missing values (" + ", ".join(m.name for m in
                            question.missing) + ") not carried over: XLSForm cannot offer "
                            "them on a question without choices")
        if question.unit:
            self.report.add(where, "unit not carried over (XLSForm has no units; put it in "
                            "the label or hint)")
        if question.priority:
            self.report.add(where, "priority countries/languages not carried over: the list "
                            "is alphabetical")
        if question.decimals is not None:
            self.report.add(where, "decimals not carried over")
        self.rows.append(row)
        for choice in question.choices.choices if question.choices else ():
            if choice.other and qtype in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE, T.RANKING):
                self.rows.append({
                    "type": "text", "name": f"{question.id}__{choice.name}_text",
                    "toolkit_type": "other_text", **self.texts("label", choice.label),
                    "relevant": f"selected(${{{question.id}}}, '{choice.name}')"})

    def rules(self, row: dict[str, Any], question: Question) -> None:
        if question.relevant is not None:
            row["relevant"] = self.expression(question.relevant)
        if question.required is True:
            row["required"] = "yes"
        elif isinstance(question.required, Expression):
            row["required"] = self.expression(question.required)
        constraint = self.constraint(question)
        if constraint:
            row["constraint"] = constraint
            row.update(self.texts("constraint_message", question.constraint_message))

    def grid(self, question: Question) -> None:
        group = {"type": "begin_group", "name": question.id, "appearance": "field-list",
                 "toolkit_type": "grid", **self.texts("label", question.label),
                 **self.texts("hint", question.hint)}
        self.rules(group, question)
        group.pop("required", None)
        self.rows.append(group)
        list_name = self.choice_list(question)
        for item in question.items:
            row = {"type": f"select_one {list_name}", "name": f"{question.id}__{item.id}",
                   **self.texts("label", item.label)}
            if question.required is True:
                row["required"] = "yes"
            self.rows.append(row)
        self.rows.append({"type": "end_group"})

    def note(self, name: str, text: Text, kind: str) -> None:
        if text:
            self.rows.append({"type": "note", "name": name, "toolkit_type": kind,
                              **self.texts("label", text)})

    def build(self) -> None:
        survey = self.q.survey
        self.note("survey_intro", survey.intro, "survey_intro")
        self.note("survey_privacy", survey.privacy, "survey_privacy")
        for section in self.q.sections:
            self.current = None
            group: dict[str, Any] = {"type": "begin_group", "name": section.id,
                                     **self.texts("label", section.title)}
            if section.relevant is not None:
                group["relevant"] = self.expression(section.relevant)
            self.rows.append(group)
            self.note(f"{section.id}_intro", section.intro, "section_intro")
            for question in section.questions:
                self.question(question)
            self.rows.append({"type": "end_group"})
        for what, text in (("return instructions", survey.return_instructions),
                           ("contact", survey.contact.name)):
            if text:
                self.report.add("survey", f"{what} not carried over (no place in XLSForm)")


def _sheet(workbook: Workbook, title: str, rows: list[dict[str, Any]],
           first: list[str]) -> None:
    sheet = workbook.create_sheet(title)
    columns = list(first)
    for row in rows:
        columns += [key for key in row if key not in columns]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column) for column in columns])


def write_xlsform(questionnaire: Questionnaire, path: Path) -> ConversionReport:
    report = ConversionReport()
    writer = _Writer(questionnaire, report)
    writer.build()
    survey = questionnaire.survey
    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    _sheet(workbook, "survey", writer.rows, ["type", "name"])
    _sheet(workbook, "choices", writer.choices, ["list_name", "name"])
    _sheet(workbook, "settings", [{
        "form_title": survey.title.get(questionnaire.default_language),
        "form_id": survey.id, "version": survey.version,
        "default_language": language_column(questionnaire.default_language),
        "organisation": survey.organisation.get(questionnaire.default_language)}], [])
    path.parent.mkdir(parents=True, exist_ok=True)
    save_atomically(path, workbook.save)
    if len(questionnaire.languages) > 1:
        report.add("survey", "the form title is carried in the default language only")
    return report
