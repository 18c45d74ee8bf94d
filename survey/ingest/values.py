"""Turning one cell of a partner's file into an answer in the stored form.

Partners write codes (`2`), choice names (`female`), or labels in any declared language
(`Женский`, ` weiblich `, `أنثى`); matching ignores case and surrounding or repeated spaces.
Lookup tables are built once per question so a row costs a few dictionary lookups.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from survey.questionnaire.answer_checks import question_ref
from survey.questionnaire.answers import MISSING_KEY
from survey.questionnaire.languages import country_names, language_names
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.spec import QuestionType

YES = frozenset({"1", "yes", "y", "true", "x", "✓", "✔", "ja", "j", "да", "так", "نعم", "بله",
                 "آره", "có", "selected", "ausgewählt", "ok"})
NO = frozenset({"0", "no", "n", "false", "nein", "нет", "ні", "لا", "نه", "خیر", "không",
                "not selected", "nicht ausgewählt"})
"""Ticks and yes/no in the seven languages of the flagship and in common spreadsheet habits."""

_SPACES = re.compile(r"\s+")


class ValueProblem(ValueError):
    """A cell that cannot be read as an answer; the message says what was expected."""

    def __init__(self, message: str, fix: str = "", rule: str = "value"):
        super().__init__(message)
        self.fix = fix
        self.rule = rule


def normalise(text: str) -> str:
    """Case-, accent-, width- and whitespace-insensitive form of a label or name.

    Accents go because files saved in a legacy code page lose them (cp1251 has no "ä").
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", bare)).strip().casefold()


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def as_integer_code(value: Any) -> int | None:
    """A cell that holds a whole number (2, 2.0, "2", " 2 "), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
            return int(float(text))
    return None


def parse_number(value: Any, decimal_comma: bool) -> float | int:
    """A number from a cell; raises ValueProblem for text that is not one."""
    if isinstance(value, bool):
        raise ValueProblem(f"{value!r} is not a number", "type the number in digits", "type")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueProblem(f"{value!r} is not a number", "type the number in digits", "type")
        return int(value) if isinstance(value, float) and value.is_integer() else value
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma or ("," in text and "." not in text):
        text = text.replace(".", "").replace(",", ".") if decimal_comma else text.replace(
            ",", ".")
    try:
        number = float(text)
    except ValueError:
        raise ValueProblem(f"{value!r} is not a number", "type the number in digits",
                           "type") from None
    if not math.isfinite(number):
        raise ValueProblem(f"{value!r} is not a number", "type the number in digits", "type")
    return int(number) if number.is_integer() else number


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y", "%Y/%m/%d")


def parse_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt).date(
            ).isoformat()
        except ValueError:
            continue
    raise ValueProblem(f"{value!r} is not a date", "write the date as YYYY-MM-DD or DD.MM.YYYY",
                       "type")


@dataclass(frozen=True)
class FileLabels:
    """What the file itself says about a column (SPSS/Stata metadata)."""

    value_labels: Mapping[Any, str]
    missing_codes: frozenset


class ChoiceLookup:
    """Resolves a cell to a choice name or a declared missing value of one question."""

    def __init__(self, questionnaire: Questionnaire, question: Question):
        self.question = question
        self.by_code: dict[int, Any] = {}
        self.by_text: dict[str, Any] = {}
        languages = questionnaire.languages
        for choice in question.choices.choices if question.choices else ():
            self.by_code[choice.code] = choice.name
            self._texts(choice.name, choice.name, choice.label, languages)
        for missing in question.missing:
            value = {MISSING_KEY: missing.name}
            self.by_code[missing.code] = value
            self._texts(missing.name, value, missing.label, languages)

    def _texts(self, name: str, value: Any, label: Any, languages: tuple[str, ...]) -> None:
        self.by_text.setdefault(normalise(name), value)
        for language in languages:
            text = label.get(language)
            if text:
                self.by_text.setdefault(normalise(text), value)

    def resolve(self, cell: Any, labels: FileLabels | None = None) -> Any:
        """The answer for `cell`, or ValueProblem."""
        if labels is not None and cell in labels.value_labels:
            found = self.by_text.get(normalise(labels.value_labels[cell]))
            if found is not None:
                return found
        code = as_integer_code(cell)
        if code is not None and code in self.by_code:
            return self.by_code[code]
        if isinstance(cell, str):
            found = self.by_text.get(normalise(cell))
            if found is not None:
                return found
        if labels is not None and cell in labels.missing_codes and len(self.question.missing) == 1:
            return {MISSING_KEY: self.question.missing[0].name}
        raise ValueProblem(
            f"{cell!r} is not a choice of {question_ref(self.question)}",
            "use a code, a choice name or a label of the questionnaire, or add the value "
            "to the mapping file", "choice")


def _places(questionnaire: Questionnaire, kind: str) -> dict[str, str]:
    names = country_names if kind == "country" else language_names
    table: dict[str, str] = {}
    for language in (*questionnaire.languages, "en"):
        try:
            for code, name in names(language).items():
                table.setdefault(normalise(name), code)
        except ValueError:
            continue
    for code in names("en"):
        table[normalise(code)] = code
    return table


def converter(questionnaire: Questionnaire, question: Question, decimal_comma: bool,
              labels: FileLabels | None = None) -> Callable[[Any], Any]:
    """A function from a non-blank cell to the stored answer of a single-valued question."""
    qtype = question.type
    if question.choices is not None and qtype in (QuestionType.SINGLE_CHOICE,
                                                  QuestionType.RATING, QuestionType.GRID):
        lookup = ChoiceLookup(questionnaire, question)
        return lambda cell: lookup.resolve(cell, labels)
    missing = ChoiceLookup(questionnaire, question) if question.missing else None

    def with_missing(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
        if missing is None:
            return parse

        def parse_or_missing(cell: Any) -> Any:
            try:
                return parse(cell)
            except ValueProblem:
                return missing.resolve(cell, labels)
        return parse_or_missing

    if qtype in (QuestionType.INTEGER, QuestionType.YEAR, QuestionType.DECIMAL):
        if missing is not None and labels is not None:
            codes = {m.code for m in question.missing} | set(labels.missing_codes)

            def number(cell: Any) -> Any:
                code = as_integer_code(cell)
                if code is not None and code in codes:
                    return missing.resolve(cell, labels)
                return parse_number(cell, decimal_comma)
            return number
        return with_missing(lambda cell: parse_number(cell, decimal_comma))
    if qtype == QuestionType.DATE:
        return with_missing(parse_date)
    if qtype == QuestionType.CONSENT:
        return with_missing(_yes_no)
    if qtype in (QuestionType.COUNTRY, QuestionType.LANGUAGE):
        table = _places(questionnaire, qtype.value)

        def place(cell: Any) -> str:
            found = table.get(normalise(str(cell)))
            if found is None:
                raise ValueProblem(f"{cell!r} is not a known {qtype.value}",
                                   f"write the {qtype.value}'s name or its ISO code", "choice")
            return found
        return with_missing(place)
    return with_missing(as_text)


def as_text(cell: Any) -> str:
    """A cell as text; Excel's 1980.0 for a typed 1980 reads as '1980'."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _yes_no(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    text = normalise(as_text(cell))
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueProblem(f"{cell!r} is not yes or no", "write yes/no, ja/nein, 1/0", "type")


def is_ticked(cell: Any) -> bool:
    """A split multiple-choice column: ticked, not ticked, or ValueProblem."""
    if is_blank(cell):
        return False
    try:
        return _yes_no(cell)
    except ValueProblem:
        raise ValueProblem(f"{cell!r} is neither ticked nor not ticked",
                           "use 1 for ticked and 0 or empty for not ticked", "type") from None


_LIST_SEPARATORS = re.compile(r"\s*[;,|\n]\s*")


def split_choices(lookup: ChoiceLookup, cell: Any, labels: FileLabels | None) -> Any:
    """A multiple choice or ranking written in one cell: codes, names or labels in a list."""
    if isinstance(cell, list):
        return [lookup.resolve(item, labels) for item in cell]
    try:
        single = lookup.resolve(cell, labels)
    except ValueProblem:
        pass
    else:
        return single if isinstance(single, dict) else [single]
    text = str(cell).strip()
    for parts in (_LIST_SEPARATORS.split(text), text.split()):
        try:
            return [lookup.resolve(part, labels) for part in parts if part]
        except ValueProblem as problem:
            last = problem
    raise last
