"""The five kinds of files partners send back, each written the way its real source writes it.

Every writer renders the same records (answers by answer name) into its own columns and value
conventions, and can name the column a planted fault sits in, so expected.json points where a
user would look. Writers never draw random numbers: all chance lives in the simulation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pyreadstat
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sample_people import Missing

from survey.questionnaire.languages import country_names, language_names
from survey.questionnaire.model import Question, Questionnaire, Variable, VariableRole
from survey.questionnaire.routing import route
from survey.questionnaire.spec import QuestionType as T

FILE_TIME = dt.datetime(2026, 4, 28, 9, 0, 0)
"""Stamped into XLSX and SAV headers instead of the time of writing, so reruns are identical."""
_TEXTUAL = {T.TEXT, T.LONG_TEXT, T.COUNTRY, T.LANGUAGE}
_PLAIN = {T.YEAR, T.INTEGER, T.DECIMAL, T.TEXT, T.LONG_TEXT, T.DATE}
"""Types written as they are, not as a label."""


@dataclass
class Record:
    """One row of a returned file: a person's answers and what the file says about the form."""

    answers: dict[str, Any]
    language: str
    started: dt.datetime
    """When the form was filled in (local time)."""
    minutes: int
    submitted: dt.datetime
    """When KoboToolbox received it (UTC): tablets sync hours or days after the interview."""
    uid: str
    contact_in: str | None = None
    """The open-text answer that gives an e-mail address or phone number, if any."""
    number: int = 0
    """The number written on the paper form, in order of receipt."""
    raw: dict[str, Any] = field(default_factory=dict)
    """Cells written as they stand instead of from the answer: typos, words in number columns."""


def value_of(var: Variable, answers: dict[str, Any]) -> Any:
    """The neutral value of one variable: choice name, bool for an option, number, text."""
    q = var.question
    if var.role == VariableRole.OPTION:
        assert var.choice is not None
        chosen = answers.get(q.id)
        return None if chosen is None else var.choice.name in chosen
    if var.role == VariableRole.RANK:
        ranked = answers.get(q.id) or []
        position = int(var.name.rsplit("rank", 1)[1])
        return ranked[position - 1] if len(ranked) >= position else None
    return answers.get(var.name)


class FileFormat:
    """A partner file: its name, header rows and how it spells columns and values."""

    file_name = ""
    header_rows = 0
    meta_columns: tuple[str, ...] = ()

    def __init__(self, q: Questionnaire):
        self.q = q
        self.variables = [v for v in q.variables if v.question.type != T.CALCULATE]
        self.by_name = {v.name: v for v in q.variables}
        self.missing = {m.name: m for m in q.missing_values}

    def column(self, var: Variable) -> str:
        return var.name

    def fault_column(self, name: str) -> str:
        """The column a fault in answer (or variable) `name` shows in."""
        return self.column(self.by_name[name])

    def label(self, q: Question, value: Any, lang: str) -> str:
        """A choice, missing value, country or language as a respondent sees it."""
        if isinstance(value, Missing):
            return self.missing[value.name].label.get(lang)
        if q.type == T.COUNTRY:
            return country_names(lang)[value]
        if q.type == T.LANGUAGE:
            return language_names(lang)[value]
        assert q.choices is not None
        return next(c.label.get(lang) for c in q.choices.choices if c.name == value)

    def write(self, path: Path, records: list[Record]) -> None:
        raise NotImplementedError


def _cp1251(text: str) -> str:
    """Latin letters cp1251 lacks lose their accents (Görlitz → Gorlitz), as when retyped."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1251")
            out.append(ch)
        except UnicodeEncodeError:
            out.append("ss" if ch == "ß" else "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)))
    return "".join(out)


class LeipzigCsv(FileFormat):
    """Paper forms in Russian typed into Excel by a Leipzig association, saved as Windows CSV."""

    file_name = "leipzig_ru.csv"
    header_rows = 1
    meta_columns = ("№ анкеты",)

    def column(self, var: Variable) -> str:
        q = var.question
        text = q.label.get("ru")
        if var.role == VariableRole.OPTION and var.choice is not None:
            text = f"{text}: {var.choice.label.get('ru')}"
        elif var.role == VariableRole.ROW and var.item is not None:
            text = f"{text}: {var.item.label.get('ru')}"
        elif var.role == VariableRole.RANK:
            text = f"{text}: {var.name.rsplit('rank', 1)[1]}-е место"
        elif var.role == VariableRole.OTHER_TEXT and var.choice is not None:
            text = f"{text}: {var.choice.label.get('ru')} (уточните)"
        return _cp1251(text)

    def cell(self, var: Variable, record: Record) -> str:
        if var.name in record.raw:
            return str(record.raw[var.name])
        value = value_of(var, record.answers)
        q = var.question
        if value is None:
            return ""
        if q.type == T.CONSENT:
            return "Да" if value else "Нет"
        if var.role == VariableRole.OPTION:
            return "1" if value else ""
        if not isinstance(value, Missing) and (q.type in _PLAIN
                                                or var.role == VariableRole.OTHER_TEXT):
            return _cp1251(str(value))
        return _cp1251(self.label(q, value, "ru"))

    def write(self, path: Path, records: list[Record]) -> None:
        headers = [*self.meta_columns, *(self.column(v) for v in self.variables)]
        assert len(set(headers)) == len(headers), "two columns would share a header"
        with path.open("w", encoding="cp1251", newline="") as f:
            writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
            writer.writerow(headers)
            for r in records:
                writer.writerow([str(r.number), *(self.cell(v, r) for v in self.variables)])


class DresdenXlsx(FileFormat):
    """A Dresden association's own Excel list: German labels, a title, a two-row header."""

    file_name = "dresden_de.xlsx"
    header_rows = 3
    meta_columns = ("Nr.", "Datum", "Bogensprache")
    text_batch = range(121, 161)
    """Forms typed by a volunteer whose number cells were formatted as text."""

    def cell(self, var: Variable, record: Record) -> Any:
        if var.name in record.raw:
            return record.raw[var.name]
        value = value_of(var, record.answers)
        q = var.question
        if value is None:
            return None
        if q.type == T.CONSENT:
            return "Ja" if value else "Nein"
        if var.role == VariableRole.OPTION:
            return "x" if value else None
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value) if record.number in self.text_batch else value
        if q.type in {T.TEXT, T.LONG_TEXT} or var.role == VariableRole.OTHER_TEXT:
            return value
        return self.label(q, value, "de")

    def write(self, path: Path, records: list[Record]) -> None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Rückläufe"
        ws["A1"] = "Rückläufe Verein Brücke e. V. (Beispiel), Stand 28.04.2026"
        ws["A1"].font = Font(bold=True, size=13)
        bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        groups: list[tuple[str, int]] = [("Erfassung", len(self.meta_columns))]
        for section in self.q.sections:
            count = sum(1 for v in self.variables if v.question.section == section.id)
            if count:
                groups.append((section.title.get("de"), count))
        col = 1
        for title, count in groups:
            ws.cell(2, col, title)
            if count > 1:
                ws.merge_cells(start_row=2, start_column=col, end_row=2,
                               end_column=col + count - 1)
            col += count
        for col, header in enumerate([*self.meta_columns, *(v.name for v in self.variables)], 1):
            ws.cell(3, col, header)
            ws.column_dimensions[get_column_letter(col)].width = 14
            for row in (2, 3):
                ws.cell(row, col).font, ws.cell(row, col).fill = bold, fill
                ws.cell(row, col).alignment = Alignment(horizontal="center", wrap_text=True)
        for i, r in enumerate(records, self.header_rows + 1):
            ws.cell(i, 1, r.number)
            ws.cell(i, 2, r.started.date()).number_format = "DD.MM.YYYY"
            ws.cell(i, 3, language_names("de")[r.language])
            for col, var in enumerate(self.variables, len(self.meta_columns) + 1):
                value = self.cell(var, r)
                if value is not None:
                    target = ws.cell(i, col)
                    target.value = value
                    if isinstance(value, str):
                        target.data_type = "s"  # never a formula, whatever was typed
        ws.freeze_panes = "D4"
        wb.properties.creator = wb.properties.lastModifiedBy = "Verein Brücke e. V."
        wb.properties.created = wb.properties.modified = FILE_TIME
        buffer = io.BytesIO()
        wb.save(buffer)
        path.write_bytes(_fixed_zip(buffer.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite an XLSX with fixed entry times and 'modified' date; openpyxl stamps the clock."""
    stamp = FILE_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(),
                                 content)
            dst.writestr(zipfile.ZipInfo(info.filename, FILE_TIME.timetuple()[:6]), content,
                         zipfile.ZIP_DEFLATED)
    return out.getvalue()


class ChemnitzSav(FileFormat):
    """Codes typed into SPSS by a Chemnitz partner, with German labels and user-missing codes."""

    file_name = "chemnitz_codes.sav"
    header_rows = 0
    meta_columns = ("bogen_nr", "sprache")

    def is_text(self, var: Variable) -> bool:
        return var.question.type in _TEXTUAL or var.role == VariableRole.OTHER_TEXT

    def cell(self, var: Variable, record: Record) -> Any:
        if var.name in record.raw:
            raw = record.raw[var.name]
            return raw if self.is_text(var) else float(raw)
        value = value_of(var, record.answers)
        q = var.question
        if self.is_text(var):
            return "" if value is None else value
        if value is None:
            return float("nan")
        if isinstance(value, Missing):
            return float(self.missing[value.name].code)
        if isinstance(value, int):  # years, counts, and consent as 1/0
            return float(value)
        assert q.choices is not None
        return float(next(c.code for c in q.choices.choices if c.name == value))

    def var_label(self, var: Variable) -> str:
        text = var.question.label.get("de")
        if var.role in (VariableRole.OPTION, VariableRole.OTHER_TEXT) and var.choice:
            text = f"{text}: {var.choice.label.get('de')}"
        elif var.role == VariableRole.ROW and var.item is not None:
            text = f"{text}: {var.item.label.get('de')}"
        elif var.role == VariableRole.RANK:
            text = f"{text}: Rang {var.name.rsplit('rank', 1)[1]}"
        return text

    def value_labels(self, var: Variable) -> dict[int | float, str]:
        if var.role == VariableRole.OPTION:
            return {0: "nicht genannt", 1: "genannt"}
        if var.question.type == T.CONSENT:
            return {0: "Nein", 1: "Ja"}
        labels: dict[int | float, str] = {code: text.get("de") for code, text in var.value_labels}
        labels.update({m.code: m.label.get("de") for m in var.missing})
        return labels

    def write(self, path: Path, records: list[Record]) -> None:
        data: dict[str, list[Any]] = {
            "bogen_nr": [float(r.number) for r in records],
            "sprache": [r.language for r in records]}
        for var in self.variables:
            data[var.name] = [self.cell(var, r) for r in records]
        numeric = [v for v in self.variables if not self.is_text(v)]
        formats = {"bogen_nr": "F4.0"}
        for v in numeric:
            formats[v.name] = ("F4.0" if v.question.type == T.YEAR else "F2.0"
                               if v.question.type == T.INTEGER else "F3.0")
        pyreadstat.write_sav(
            pd.DataFrame(data), path,
            file_label="Zusammen sind wir staerker - Ruecklaeufe Chemnitz",
            column_labels={"bogen_nr": "Fragebogen-Nr.", "sprache": "Sprache des Fragebogens"}
            | {v.name: self.var_label(v) for v in self.variables},
            variable_value_labels={v.name: self.value_labels(v) for v in numeric
                                   if self.value_labels(v)},
            missing_ranges={v.name: [float(m.code) for m in v.missing] for v in numeric
                            if v.missing},
            variable_measure={"bogen_nr": "nominal", "sprache": "nominal"}
            | {v.name: "nominal" if self.is_text(v) else v.measure.value
               for v in self.variables},
            variable_format=formats)
        _fix_sav_time(path)


def _fix_sav_time(path: Path) -> None:
    """Overwrite the creation date and time ReadStat puts in the SAV header (bytes 92-108)."""
    data = bytearray(path.read_bytes())
    assert data[:4] == b"$FL2"
    data[92:109] = FILE_TIME.strftime("%d %b %y%H:%M:%S").encode("ascii")
    path.write_bytes(bytes(data))


def _berlin(moment: dt.datetime) -> str:
    """ISO time with the Berlin offset, as ODK collect writes `start` and `end`."""
    offset = "+02:00" if moment.date() >= dt.date(2026, 3, 29) else "+01:00"
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}{offset}"


class KoboCsv(FileFormat):
    """A KoboToolbox export of tablet interviews by a field team in the rural districts."""

    file_name = "kobo_export.csv"
    header_rows = 1
    meta_columns = ("start", "end", "_id", "_uuid", "_submission_time", "_validation_status",
                    "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index")
    version = "vT9kQ2xW7mLp3RcZb8NfHd"

    def column(self, var: Variable) -> str:
        q = var.question
        if var.role == VariableRole.OPTION:
            return f"{q.section}/{q.id}"
        return f"{q.section}/{var.name}"

    def columns(self) -> list[tuple[str, Question, str, str]]:
        """(header, question, kind, key) in Kobo's order; kind is answer, option or calc."""
        cols: list[tuple[str, Question, str, str]] = []
        for q in self.q.questions:
            base = f"{q.section}/{q.id}"
            if q.type == T.NOTE:
                continue
            if q.type == T.GRID:
                cols += [(f"{base}__{i.id}", q, "answer", f"{q.id}__{i.id}") for i in q.items]
                continue
            cols.append((base, q, "calc" if q.type == T.CALCULATE else "answer", q.id))
            if q.type == T.MULTIPLE_CHOICE and q.choices is not None:
                cols += [(f"{base}/{c.name}", q, "option", c.name) for c in q.choices.choices]
            if q.choices is not None:
                cols += [(f"{base}__{c.name}_text", q, "answer", f"{q.id}__{c.name}_text")
                         for c in q.choices.choices if c.other]
        return cols

    def cell(self, q: Question, kind: str, key: str, record: Record,
             values: dict[str, Any]) -> str:
        answers = record.answers
        if kind == "calc":
            return "" if values.get(key) is None else str(values[key])
        if kind == "option":
            chosen = answers.get(q.id)
            return "" if chosen is None else str(int(key in chosen))
        if key in record.raw:
            return str(record.raw[key])
        value = answers.get(key)
        if value is None:
            return ""
        if isinstance(value, Missing):
            return value.name
        if q.type == T.CONSENT:
            return "OK" if value else ""
        if isinstance(value, list):
            return " ".join(value)
        return str(value)

    def write(self, path: Path, records: list[Record]) -> None:
        cols = self.columns()
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, delimiter=";", lineterminator="\n")
            writer.writerow(["start", "end", *(c[0] for c in cols), *self.meta_columns[2:]])
            for i, r in enumerate(records):
                visible = {k: None if isinstance(v, Missing) else v
                           for k, v in r.answers.items()}
                values = route(self.q, visible, r.started.date()).values
                end = r.started + dt.timedelta(minutes=r.minutes, seconds=37)
                writer.writerow([
                    _berlin(r.started), _berlin(end),
                    *(self.cell(q, kind, key, r, values) for _, q, kind, key in cols),
                    str(401_288_310 + 7 * i), r.uid,
                    r.submitted.strftime("%Y-%m-%dT%H:%M:%S"), "", "", "submitted_via_web",
                    "feldteam_sachsen", self.version, "", str(i + 1)])


class OnlineJsonl(FileFormat):
    """Submissions of the toolkit's own online form, one JSON object a line."""

    file_name = "online.jsonl"
    header_rows = 0

    def column(self, var: Variable) -> str:
        return var.question.id if var.role == VariableRole.OPTION else var.name

    def answers(self, record: Record) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for q in self.q.questions:
            names = ([f"{q.id}__{item.id}" for item in q.items] if q.type == T.GRID else
                     [q.id] + [f"{q.id}__{c.name}_text" for c in (
                         q.choices.choices if q.choices else ()) if c.other])
            for name in names:
                if name in record.raw:
                    out[name] = record.raw[name]
                elif name in record.answers:
                    value = record.answers[name]
                    out[name] = {"missing": value.name} if isinstance(value, Missing) else value
        return out

    def write(self, path: Path, records: list[Record]) -> None:
        lines = []
        for r in records:
            lines.append(json.dumps({
                "submission_id": r.uid, "questionnaire": self.q.id,
                "version": self.q.survey.version, "language": r.language, "mode": "web",
                "submitted": (r.started + dt.timedelta(minutes=r.minutes)).date().isoformat(),
                "answers": self.answers(r)},
                ensure_ascii=False))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

