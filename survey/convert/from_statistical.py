"""A draft questionnaire from the dictionary of an SPSS or Stata file, for running an old survey
again: each variable becomes a question, value labels become choices, user-defined and
extended missing values become declared missing values.

Numbers keep their kind: a variable with decimals in its format, or stored as a Stata float or
double, becomes a decimal question (an integer question would refuse every answer with a
fraction). Names are made from labels with their accents spelled out, and two labels that still
read alike get distinct names, so no choice swallows another.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyreadstat

from survey.convert.identifiers import Renamer, identifier
from survey.convert.report import ConversionReport, ConvertError

_READERS: dict[str, Callable[..., tuple[Any, Any]]] = {
    ".sav": pyreadstat.read_sav, ".zsav": pyreadstat.read_sav,
    ".por": pyreadstat.read_por, ".dta": pyreadstat.read_dta}
STATISTICAL_SUFFIXES = tuple(_READERS)
_DATE_FORMATS = re.compile(r"^(DATE|ADATE|EDATE|SDATE|JDATE|%t?d)", re.IGNORECASE)
_TIME_FORMATS = re.compile(r"^(DATETIME|YMDHMS|TIME|DTIME|MTIME|%t?c)", re.IGNORECASE)
_SPSS_DECIMALS = re.compile(r"^[A-Z]+\d*\.(\d+)$", re.IGNORECASE)
_STATA_DECIMALS = re.compile(r"^%-?\d*\.(\d+)[fge]c?$", re.IGNORECASE)
_STATA_WHOLE = ("int8", "int16", "int32", "int64")
_FIRST_EXTENDED_CODE = -901
"""Stata's `.a`, `.b`, ... get codes from -901 down: far from the codes surveys use."""


def read_metadata(path: Path) -> Any:
    """The file's dictionary. A Stata file is read whole: which extended missing values
    (`.a`-`.z`) occur without a label shows only in the data."""
    options: dict[str, Any] = {"metadataonly": path.suffix.lower() != ".dta"}
    if path.suffix.lower() != ".por":
        options["user_missing"] = True
    try:
        return _READERS[path.suffix.lower()](path, **options)[1]
    except Exception as error:  # readstat parses untrusted files; any failure is the file's
        program = "Stata" if path.suffix.lower() == ".dta" else "SPSS or PSPP"
        raise ConvertError(f"{path.name} is not a readable {program} file: {error}. Open it "
                           f"in {program} and save it again, or ask for a new export") from None


def _number_kind(meta: Any, name: str, stata: bool) -> tuple[str, int | None]:
    """('integer' | 'decimal', digits after the point when the format says)."""
    fmt = str((meta.original_variable_types or {}).get(name, ""))
    storage = (meta.readstat_variable_types or {}).get(name, "double")
    found = (_STATA_DECIMALS if stata else _SPSS_DECIMALS).match(fmt)
    digits = int(found.group(1)) if found else None
    if stata:
        if storage in _STATA_WHOLE:
            return "integer", None
        return "decimal", digits if fmt.lower().endswith("f") and digits else None
    if digits == 0 or re.match(r"^N\d+$", fmt, re.IGNORECASE):
        return "integer", None
    return "decimal", digits


class _Dictionary:
    """Missing values met so far, shared by all variables (declared once at the top)."""

    def __init__(self, language: str, report: ConversionReport):
        self.language = language
        self.report = report
        self.values: dict[tuple[str, str], dict[str, Any]] = {}
        """(code or Stata letter, label) -> the declared missing value."""
        self.names = Renamer(report, "missing value", "m")
        self.codes: set[int] = set()

    def declare(self, key: str, label: str, code: int | None, where: str,
                original: str | None = None) -> str:
        """The name of the missing value `label` (coded `code`, or the next free code)."""
        if (key, label) in self.values:
            known: str = self.values[(key, label)]["name"]
            return known
        if code is not None and code in self.codes:
            self.report.add(where, f"missing value {code} ('{label}') means something else "
                            "in another variable; declared with a code of its own, and "
                            f"'{code}' kept as its original")
            original, code = str(code), None
        if code is None:
            code = self.free_code()
        self.codes.add(code)
        name = self.names(identifier(label, "m"), where, key=f"{key}\0{label}")
        entry: dict[str, Any] = {"name": name, "code": code, "label": {self.language: label}}
        if original is not None:
            entry["original"] = original
        self.values[(key, label)] = entry
        return name

    def free_code(self, taken: set[int] | None = None) -> int:
        code = _FIRST_EXTENDED_CODE
        while code in self.codes or code in (taken or ()):
            code -= 1
        return code

    def clear_of(self, choices: list[dict[str, Any]], report: ConversionReport) -> None:
        """A missing code that is also a choice code somewhere gets a code of its own (the
        format keeps the two apart everywhere); the file's code stays as its original."""
        used = {c["code"] for c in choices}
        for entry in self.values.values():
            if entry["code"] in used:
                old = entry["code"]
                entry["code"] = self.free_code(used)
                self.codes.add(entry["code"])
                entry.setdefault("original", str(old))
                report.add(f"missing value {entry['name']}", f"code {old} is also an answer "
                           f"code of another variable; declared as {entry['code']}, with "
                           f"'{old}' kept as its original")


def _user_missing(meta: Any, name: str, where: str, report: ConversionReport
                  ) -> tuple[list[float], list[tuple[float, float]]]:
    """SPSS user-defined missing values: single codes, and ranges (low, high)."""
    codes, ranges = [], []
    for declared in (meta.missing_ranges or {}).get(name, []):
        low, high = declared["lo"], declared["hi"]
        if not isinstance(low, (int, float)) or not isinstance(high, (int, float)):
            report.add(where, f"missing value '{low}' of a text variable not carried over: "
                       "missing values are numeric codes; such answers are read as text")
        elif low == high:
            codes.append(low)
        else:
            ranges.append((low, high))
    return codes, ranges


def _question(meta: Any, name: str, questions: Renamer, missing: _Dictionary,
              language: str, stata: bool, report: ConversionReport) -> dict[str, Any]:
    where = f"variable {name}"
    labels = dict((meta.variable_value_labels or {}).get(name, {}))
    fmt = str((meta.original_variable_types or {}).get(name, ""))
    is_text = (meta.readstat_variable_types or {}).get(name) == "string"
    names: list[str] = []
    # Stata's extended missing values: labels on '.a'-'.z', and letters met without a label.
    letters = [k for k in labels if isinstance(k, str)] if not is_text else []
    letters += [k for k in (getattr(meta, "missing_user_values", None) or {}).get(name, [])
                if isinstance(k, str) and k not in letters and stata]
    for letter in sorted(letters):
        text = str(labels.pop(letter, "") or f"missing .{letter}").lstrip(".") or letter
        names.append(missing.declare(f".{letter}", text, None, where, f".{letter}"))
    codes, ranges = _user_missing(meta, name, where, report)
    for code in sorted(codes):
        if not float(code).is_integer():
            report.add(where, f"missing value {code} not carried over: missing codes are "
                       "whole numbers; such answers are read as numbers")
            continue
        text = labels.pop(code, None) or labels.pop(float(code), None) or f"missing {code:g}"
        names.append(missing.declare(str(int(code)), str(text), int(code), where))
    for low, high in ranges:
        inside = sorted(k for k in labels if not isinstance(k, str) and low <= k <= high
                        and float(k).is_integer())
        for code in inside:
            names.append(missing.declare(str(int(code)), str(labels.pop(code)), int(code),
                                         where))
        report.add(where, f"missing range {low:g} to {high:g} not carried over as a range: "
                   + (f"its labelled codes ({', '.join(f'{c:g}' for c in inside)}) became "
                      "missing values; " if inside else "")
                   + "other values in it are read as answers; declare them as missing values "
                   "if they occur")
    question: dict[str, Any] = {"id": questions(name, where)}
    if question["id"] != name:
        question["original"] = name
    label = (meta.column_names_to_labels or {}).get(name) or name
    question |= {"type": "text", "label": {language: label}}
    if is_text:
        width = int(re.sub(r"\D", "", fmt) or 0)
        question["type"] = "long_text" if width > 255 else "text"
        if labels:
            question["type"] = "single_choice"
            question["choices"] = _choices(labels, where, language, report, text_values=True)
    elif _DATE_FORMATS.match(fmt):
        question["type"] = "date"
        if labels:
            report.add(where, "value labels of a date variable not carried over")
    elif _TIME_FORMATS.match(fmt):
        report.add(where, f"format {fmt} (a time or date and time) not carried over; asked "
                   "as text")
    else:
        if any(not float(k).is_integer() for k in labels):
            report.add(where, "value labels on codes with a fraction not carried over")
            labels = {k: v for k, v in labels.items() if float(k).is_integer()}
        if labels:
            question["type"] = "single_choice"
            question["choices"] = _choices(labels, where, language, report)
        else:
            kind, digits = _number_kind(meta, name, stata)
            question["type"] = kind
            if digits is not None:
                question["decimals"] = digits
    if names:
        if question["type"] in ("text", "long_text", "date"):
            report.add(where, "its missing values are offered as answers of a "
                       f"{question['type']} question")
        question["missing"] = list(dict.fromkeys(names))
    return question


def _choices(labels: dict[Any, str], where: str, language: str, report: ConversionReport,
             text_values: bool = False) -> list[dict[str, Any]]:
    """Choices from value labels; names from the labels, never two alike. Text values (SPSS
    string variables with labels) are numbered 1, 2, ... and keep the value as `original`."""
    renamer = Renamer(report, f"choice of {where.removeprefix('variable ')}", "c")
    choices = []
    for position, (value, text) in enumerate(sorted(labels.items(), key=lambda i: str(i[0])
                                                    if text_values else i[0]), start=1):
        choice: dict[str, Any] = {"name": renamer(identifier(str(text), "c"), where,
                                                  key=str(value))}
        if text_values:
            choice["original"] = str(value)
        choice |= {"code": position if text_values else int(value),
                   "label": {language: str(text)}}
        choices.append(choice)
    return choices


def statistical_to_data(path: Path, language: str,
                        report: ConversionReport) -> dict[str, Any]:
    meta = read_metadata(path)
    stata = path.suffix.lower() == ".dta"
    questions = Renamer(report, "variable")
    missing = _Dictionary(language, report)
    items = [_question(meta, name, questions, missing, language, stata, report)
             for name in meta.column_names]
    missing.clear_of([c for q in items for c in q.get("choices", [])], report)
    for mr_set in (getattr(meta, "mr_sets", None) or {}):
        report.add(f"multiple-response set {mr_set}", "not carried over: its variables "
                   "became single questions; join them into a multiple_choice question")
    if getattr(meta, "notes", None):
        report.add("file", "notes not carried over")
    if not items:
        raise ConvertError(f"{path.name} holds no variables; nothing was written")
    file_label = meta.file_label or path.stem
    data: dict[str, Any] = {"format": 1, "survey": {
        "id": identifier(path.stem, "s"), "version": "1", "title": file_label,
        "organisation": "(organisation)", "languages": [language],
        "default_language": language}}
    report.add("survey", "fill in survey.organisation, the version, section titles and the "
               "question wording: the file holds variable labels only")
    if missing.values:
        data["missing_values"] = list(missing.values.values())
    data["sections"] = [{"id": "questions", "title": file_label, "questions": items}]
    return data
