"""A draft questionnaire from the dictionary of an SPSS or Stata file, for running an old survey
again: each variable becomes a question, value labels become choices, user-missing codes become
declared missing values."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyreadstat

from survey.convert.identifiers import Renamer, identifier
from survey.convert.report import ConversionReport, ConvertError

_READERS = {".sav": pyreadstat.read_sav, ".zsav": pyreadstat.read_sav,
            ".por": pyreadstat.read_por, ".dta": pyreadstat.read_dta}
STATISTICAL_SUFFIXES = tuple(_READERS)
_DATE_FORMATS = re.compile(r"^(DATE|ADATE|EDATE|SDATE|JDATE|%t?d)", re.IGNORECASE)
_WHOLE_FORMATS = re.compile(r"^(F\d+\.0|N\d+|%\d*\.0[fg]|%-?\d*\.0g)$", re.IGNORECASE)


def read_metadata(path: Path) -> Any:
    options = {"metadataonly": True}
    if path.suffix.lower() != ".por":
        options["user_missing"] = True
    try:
        return _READERS[path.suffix.lower()](path, **options)[1]
    except Exception as error:  # readstat parses untrusted files; any failure is the file's
        program = "Stata" if path.suffix.lower() == ".dta" else "SPSS or PSPP"
        raise ConvertError(f"{path.name} is not a readable {program} file: {error}. Open it "
                           f"in {program} and save it again, or ask for a new export") from None


def _missing_codes(meta: Any, name: str) -> list[float]:
    codes = []
    for declared in (meta.missing_ranges or {}).get(name, []):
        low, high = declared["lo"], declared["hi"]
        if isinstance(low, (int, float)) and low == high:
            codes.append(low)
    return codes


def _kind(meta: Any, name: str, labels: dict[Any, str]) -> str:
    fmt = str((meta.original_variable_types or {}).get(name, ""))
    if meta.readstat_variable_types.get(name) == "string":
        width = int(re.sub(r"\D", "", fmt) or 0)
        return "long_text" if width > 255 else "text"
    if labels:
        return "single_choice"
    if _DATE_FORMATS.match(fmt):
        return "date"
    return "integer" if _WHOLE_FORMATS.match(fmt) else "decimal"


def statistical_to_data(path: Path, language: str,
                        report: ConversionReport) -> dict[str, Any]:
    meta = read_metadata(path)
    questions = Renamer(report, "variable")
    missing_values: dict[int, dict[str, Any]] = {}
    missing_names = Renamer(report, "missing value", "m")
    all_value_labels = meta.variable_value_labels or {}
    items = []
    for name in meta.column_names:
        where = f"variable {name}"
        labels = dict(all_value_labels.get(name, {}))
        missing = [c for c in _missing_codes(meta, name) if float(c).is_integer()]
        kind = _kind(meta, name, labels)
        if kind in ("text", "long_text") and labels:
            report.add(where, "value labels of a text variable not carried over")
        if any(isinstance(k, str) for k in labels):
            report.add(where, "Stata extended missing values (.a-.z) not carried over: they "
                       "have no code; declare missing values in the questionnaire")
            labels = {k: v for k, v in labels.items() if not isinstance(k, str)}
        if any(not float(k).is_integer() for k in labels):
            report.add(where, "value labels on codes with a fraction not carried over")
            labels = {k: v for k, v in labels.items() if float(k).is_integer()}
            kind = "decimal" if not labels else kind
        fmt = str((meta.original_variable_types or {}).get(name, ""))
        if fmt.upper().startswith(("DATETIME", "TIME", "DTIME")) or fmt.startswith("%tc"):
            report.add(where, f"format {fmt} (a time or date and time) not carried over; "
                       "asked as text")
            kind = "text"
        label = (meta.column_names_to_labels or {}).get(name) or name
        question: dict[str, Any] = {"id": questions(name, where), "type": kind,
                                    "label": {language: label}}
        names: list[str] = []
        for code in sorted(missing):
            code = int(code)
            text = labels.pop(code, None) or labels.pop(float(code), None) or f"missing {code}"
            if code not in missing_values:
                missing_values[code] = {"name": missing_names(identifier(text, "m"), where),
                                        "code": code, "label": {language: text}}
            names.append(missing_values[code]["name"])
        if kind == "single_choice" and labels:
            choice_names = Renamer(report, f"choice of {name}", "c")
            question["choices"] = [
                {"name": choice_names(identifier(text, "c"), where), "code": int(code),
                 "label": {language: text}} for code, text in sorted(labels.items())]
        elif kind == "single_choice":
            question["type"] = "integer"
        if names:
            question["missing"] = names
        items.append(question)
    for mr_set in (getattr(meta, "mr_sets", None) or {}):
        report.add(f"multiple-response set {mr_set}", "not carried over: its variables "
                   "became single questions; join them into a multiple_choice question")
    if getattr(meta, "notes", None):
        report.add("file", "notes not carried over")
    file_label = meta.file_label or path.stem
    data: dict[str, Any] = {"format": 1, "survey": {
        "id": identifier(path.stem, "s"), "version": "1", "title": file_label,
        "organisation": "(organisation)", "languages": [language],
        "default_language": language}}
    report.add("survey", "fill in survey.organisation, the version, section titles and the "
               "question wording: the file holds variable labels only")
    if missing_values:
        data["missing_values"] = list(missing_values.values())
    data["sections"] = [{"id": "questions", "title": file_label, "questions": items}]
    if not items:
        raise ConvertError(f"{path.name} holds no variables")
    return data
