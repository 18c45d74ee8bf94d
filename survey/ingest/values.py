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
from survey.questionnaire.answers import coded_answers, missing_answer
from survey.questionnaire.languages import country_names, language_names
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.spec import QuestionType
from survey.staff_texts import Message, staff_plural, staff_text
from survey.user_error import UserError

YES = frozenset({"1", "yes", "y", "true", "x", "✓", "✔", "ja", "j", "да", "так", "نعم", "بله",
                 "آره", "có", "selected", "ausgewählt", "ok"})
NO = frozenset({"0", "no", "n", "false", "nein", "нет", "ні", "لا", "نه", "خیر", "không",
                "not selected", "nicht ausgewählt"})
"""Ticks and yes/no in the seven languages of the flagship and in common spreadsheet habits."""

_SPACES = re.compile(r"\s+")


class ValueProblem(UserError, ValueError):
    """A cell that cannot be read as an answer; the message says what was expected."""

    def __init__(self, message: Message, fix: Message | str = "", rule: str = "value"):
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.rule = rule


def _not_a_number(value: Any) -> ValueProblem:
    return ValueProblem(staff_text("{value} is not a number", value=repr(value)),
                        staff_text("type the number in digits"), "type")


def normalise(text: str) -> str:
    """Case-, accent-, width- and whitespace-insensitive form of a label or name.

    Accents go because files saved in a legacy code page lose them (cp1251 has no "ä").
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", bare)).strip().casefold()


NOT_ASKED = frozenset({"n/a", "{}", "[]"})
"""What KoboToolbox/ODK/Ona exports write in the cells of questions the form did not ask (`n/a`)
and of groups without answers (`{}`, `[]`): the question was not asked, not an answer."""


def is_blank(value: Any) -> bool:
    """No answer: an empty cell, or an export's placeholder for a question not asked."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, dict | list) and not value:
        return True
    return isinstance(value, str) and (not value.strip() or value.strip() in NOT_ASKED)


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
        raise _not_a_number(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise _not_a_number(value)
        return int(value) if isinstance(value, float) and value.is_integer() else value
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma or ("," in text and "." not in text):
        text = text.replace(".", "").replace(",", ".") if decimal_comma else text.replace(
            ",", ".")
    try:
        number = float(text)
    except ValueError:
        raise _not_a_number(value) from None
    if not math.isfinite(number):
        raise _not_a_number(value)
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
    raise ValueProblem(staff_text("{value} is not a date", value=repr(value)),
                       staff_text("write the date as YYYY-MM-DD or DD.MM.YYYY"), "type")


@dataclass(frozen=True)
class FileLabels:
    """What the file itself says about a column (SPSS/Stata metadata)."""

    value_labels: Mapping[Any, str]
    missing_codes: frozenset[Any]


READING_FIX = staff_text("nothing to do if the reading is right; if not, correct the cell and "
                         "import the file again, or map the value under 'values:' in a mapping "
                         "file (--mapping)")


@dataclass(frozen=True)
class Reading:
    """An answer read from a cell that does not say it exactly (a near miss of a label, a missing
    code of the file), with the warning that names the reading so staff can check it."""

    value: Any
    """The answer; None when the cell is read as not answered."""
    message: Message
    fix: Message = READING_FIX
    rule: str = "reading"


def reading_value(value: Any) -> tuple[Any, list[Reading]]:
    """A reader's result as (answer, the readings to report)."""
    if isinstance(value, Reading):
        return value.value, [value]
    return value, []


def squash(text: str) -> str:
    """`normalise` without spaces, hyphens and punctuation: 'Döbeln Nord' ~ 'Döbeln-Nord'."""
    return re.sub(r"[\W_]+", "", normalise(text))


def typing_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from a to b; limit+1 when more."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if (before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y):
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def typo_limit(key: str) -> int:
    """Typing errors forgiven in a value of this (squashed) length: none in short words, where
    one letter changes the meaning, one from 4 letters, two from 8."""
    return 0 if len(key) < 4 else 1 if len(key) < 8 else 2


def nearest(key: str, entries: list[tuple[str, str, Any]]
            ) -> tuple[int, dict[str, tuple[str, Any]]]:
    """The entries (squashed text, text shown, answer) a squashed cell is a near miss of, at
    the smallest distance found, one per answer; empty when none is near enough."""
    limit = typo_limit(key)
    best = limit + 1
    found: dict[str, tuple[str, Any]] = {}
    for candidate, shown, value in entries:
        allowed = min(limit, typo_limit(candidate))
        distance = 0 if candidate == key else typing_distance(key, candidate, allowed)
        if distance > allowed:
            continue
        if distance < best:
            best, found = distance, {}
        if distance == best:
            found.setdefault(_answer_key(value), (shown, value))
    return best, found


def _answer_key(value: Any) -> str:
    return repr(sorted(value.items())) if isinstance(value, dict) else repr(value)


class ChoiceLookup:
    """Resolves a cell to a choice name or a declared missing value of one question."""

    def __init__(self, questionnaire: Questionnaire, question: Question):
        self.question = question
        self.by_code: dict[int, Any] = dict(coded_answers(question))
        self.by_text: dict[str, Any] = {}
        self.by_original: dict[str, Any] = {}
        """Names in the form or data file the questionnaire was converted from."""
        self.shown: dict[str, str] = {}
        """Normalised text -> the text as the questionnaire writes it (for warnings)."""
        self._near: list[tuple[str, str, Any]] | None = None
        self.alike: dict[str, list[Any]] = {}
        """Normalised text -> every answer it names (two choices may share a label)."""
        self.languages = (questionnaire.default_language, *(
            lang for lang in questionnaire.languages if lang != questionnaire.default_language))
        for choice in question.choices.choices if question.choices else ():
            self._texts(choice.name, choice.name, choice.label)
            original = getattr(choice, "original", None)
            if original:
                self.by_original.setdefault(normalise(str(original)), choice.name)
        for missing in question.missing:
            value = self.by_code[missing.code]
            self._texts(missing.name, value, missing.label)
            original = getattr(missing, "original", None)
            if original:  # Stata's ".a" is read from the file as "a"
                for name in {str(original), str(original).removeprefix(".")}:
                    self.by_original.setdefault(normalise(name), value)

    def _texts(self, name: str, value: Any, label: Any) -> None:
        shown = label.get(self.languages[0]) if self.languages else ""
        for text in (name, *(label.get(language) for language in self.languages)):
            if text:
                key = normalise(text)
                self.by_text.setdefault(key, value)
                self.shown.setdefault(key, text if text != name else shown or name)
                if value not in self.alike.setdefault(key, []):
                    self.alike[key].append(value)

    def resolve(self, cell: Any, labels: FileLabels | None = None, near: bool = True) -> Any:
        """The answer for `cell` (a `Reading` when it is a near miss), or ValueProblem."""
        if labels is not None and _member(cell, labels.value_labels):
            found = self.by_text.get(normalise(labels.value_labels[cell]))
            if found is not None:
                return found
        if isinstance(cell, str) and self.by_original:
            found = self.by_original.get(normalise(cell))
            if found is not None:
                return found
        code = as_integer_code(cell)
        if code is not None and code in self.by_code:
            return self.by_code[code]
        if isinstance(cell, str):
            found = self.by_text.get(normalise(cell))
            if found is not None:
                return found
        if labels is not None and _member(cell, labels.missing_codes) and len(
                self.question.missing) == 1:
            return missing_answer(self.question.missing[0].name)
        if near and isinstance(cell, str):
            return self.near(cell)
        raise self.not_a_choice(cell)

    def not_a_choice(self, cell: Any) -> ValueProblem:
        return ValueProblem(
            staff_text("{value} is not a choice of {question}", value=repr(cell),
                       question=question_ref(self.question)),
            staff_text("write a code, a choice name or a label of the questionnaire, or map the "
                       "partner's word to a choice under 'values:' in a mapping file (--mapping)"),
            "choice")

    def near(self, cell: str) -> Reading:
        """The one choice `cell` is a near miss of, or ValueProblem (with "did you mean")."""
        key = squash(cell)
        if not key or key.isdigit():
            raise self.not_a_choice(cell)
        if self._near is None:
            self._near = [(squash(text), self.shown[text], value)
                          for text, value in self.by_text.items() if squash(text)]
        _, found = nearest(key, self._near)
        if not found:
            raise self.not_a_choice(cell)
        if len(found) > 1:
            raise ValueProblem(
                staff_text("{value} is not a choice of {question}; did you mean {meant}?",
                           value=repr(cell), question=question_ref(self.question),
                           meant=_either(shown for shown, _ in found.values())),
                staff_text("write the choice meant in the cell, or map the partner's word under "
                           "'values:' in a mapping file (--mapping)"), "choice")
        shown, value = next(iter(found.values()))
        return Reading(value, staff_text("read {value} as {reading} ({question})",
                                         value=repr(cell), reading=repr(shown),
                                         question=question_ref(self.question)))

    def segment(self, text: str) -> list[Any] | None:
        """The choices a cell names one after another ("Deutsch und Russisch", "Spherical
        Radial Bilateral", "caligula other"), split on the questionnaire's own labels, names
        and codes; None when something else is left over."""
        whole = normalise(text)
        keys = sorted({*self.by_text, *map(str, self.by_code), *self.by_original}, key=len,
                      reverse=True)
        memo: dict[int, list[str] | None] = {}

        def parse(i: int) -> list[str] | None:
            if i in memo:
                return memo[i]
            while i < len(whole) and _SEPARATOR.match(whole[i]):
                i += 1
            if i == len(whole):
                return []
            best: list[str] | None = None
            memo[i] = None  # guards against re-entry at the same place
            for key in keys:
                end = i + len(key)
                if whole.startswith(key, i) and (end == len(whole) or not whole[end].isalnum()):
                    rest = parse(end)
                    if rest is not None and (best is None or len(rest) + 1 < len(best)):
                        best = [key, *rest]
            filler = _FILLER_WORD.match(whole, i)
            if filler is not None:
                rest = parse(filler.end())
                if rest is not None and (best is None or len(rest) < len(best)):
                    best = rest
            memo[i] = best
            return best

        parts = parse(0)
        if not parts:
            return None
        values: list[Any] = []
        for part in parts:
            value = self.by_original.get(part) or self.by_text.get(part) or self.by_code.get(
                int(part))
            if value in values:  # two choices with one label: the second time, the other one
                value = next((v for v in self.alike.get(part, ()) if v not in values), value)
            values.append(value)
        if any(v is None for v in values) or (len(values) > 1 and any(
                isinstance(v, dict) for v in values)):
            return None
        return values


_SEPARATOR = re.compile(r"[\s,;|/&+.]")
_FILLER_WORD = re.compile(r"(und|and|oder|or|sowie|auch|et|y|e|и|или|та|і|або|و|va|và|ve)"
                          r"(?=[\s,;|/&+.]|$)")
"""Words that join the choices of a multiple choice written as prose, in the flagship
languages and common European ones."""


def _either(texts: Any) -> Message | str:
    """'a' or 'b' or 'c', in the staff's language."""
    first, *others = [repr(text) for text in texts]
    said: Message | str = first
    for text in others:
        said = staff_text("{before} or {next}", before=said, next=text)
    return said


def _member(cell: Any, collection: Any) -> bool:
    """`cell in collection` for any cell (a JSON list or object is in no dictionary)."""
    try:
        return cell in collection
    except TypeError:
        return False


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


def _place_names(questionnaire: Questionnaire, kind: str) -> list[tuple[str, str, str]]:
    """(squashed name, name, ISO code) of every country or language in the form languages."""
    names = country_names if kind == "country" else language_names
    found = []
    for language in (*questionnaire.languages, "en"):
        try:
            found += [(squash(name), name, code) for code, name in names(language).items()
                      if len(squash(name)) > 3]
        except ValueError:
            continue
    return found


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
        """`parse`, else a missing value; the problem told is the question's own (a number
        question's cell is "not a number", never "not a choice")."""
        if missing is None:
            return parse

        def parse_or_missing(cell: Any) -> Any:
            try:
                return parse(cell)
            except ValueProblem as problem:
                try:
                    return missing.resolve(cell, labels)
                except ValueProblem:
                    labels_shown = ", ".join(
                        repr(m.label.get(questionnaire.default_language) or m.name)
                        for m in question.missing)
                    raise ValueProblem(problem.message, staff_text(
                        "{fix}, or write a missing value ({missing})", fix=problem.fix,
                        missing=labels_shown), problem.rule) from None
        return parse_or_missing

    if qtype in (QuestionType.INTEGER, QuestionType.YEAR, QuestionType.DECIMAL):
        def number_only(cell: Any) -> Any:
            try:
                return parse_number(cell, decimal_comma)
            except ValueProblem:
                raise number_problem(question, cell) from None

        if missing is not None:  # a declared missing code (-2) is that missing value, not a number
            codes = {m.code for m in question.missing} | (
                set(labels.missing_codes) if labels is not None else set())
            parse = with_missing(number_only)

            def number(cell: Any) -> Any:
                code = as_integer_code(cell)
                if code is not None and code in codes:
                    return missing.resolve(cell, labels)
                return parse(cell)
            return number
        return with_missing(number_only)
    if qtype == QuestionType.DATE:
        return with_missing(parse_date)
    if qtype == QuestionType.CONSENT:
        return with_missing(_yes_no)
    if qtype in (QuestionType.COUNTRY, QuestionType.LANGUAGE):
        table = _places(questionnaire, qtype.value)

        near: list[tuple[str, str, Any]] = []

        def place(cell: Any) -> Any:
            found = table.get(normalise(str(cell)))
            if found is not None:
                return found
            if not near:
                near.extend(_place_names(questionnaire, qtype.value))
            _, close = nearest(squash(str(cell)), near) if isinstance(cell, str) else (0, {})
            if len(close) == 1:
                shown, code = next(iter(close.values()))
                return Reading(code, staff_text("read {value} as {reading} ({code}, {question})",
                                                value=repr(cell), reading=repr(shown), code=code,
                                                question=question_ref(question)))
            raise _unknown_place(qtype, cell, [s for s, _ in close.values()])
        return with_missing(place)
    return with_missing(as_text)


def _unknown_place(qtype: QuestionType, cell: Any, meant: list[str]) -> ValueProblem:
    if qtype == QuestionType.COUNTRY:
        return ValueProblem(staff_text(
            "{value} is not a known country (did you mean {meant}?)", value=repr(cell),
            meant=_either(meant)) if meant else staff_text(
            "{value} is not a known country", value=repr(cell)),
            staff_text("write the country's name or its ISO code"), "choice")
    return ValueProblem(staff_text(
        "{value} is not a known language (did you mean {meant}?)", value=repr(cell),
        meant=_either(meant)) if meant else staff_text(
        "{value} is not a known language", value=repr(cell)),
        staff_text("write the language's name or its ISO code"), "choice")


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
    raise ValueProblem(staff_text("{value} is not yes or no", value=repr(cell)),
                       staff_text("write yes/no, ja/nein, 1/0"), "type")


def is_ticked(cell: Any) -> bool:
    """A split multiple-choice column: ticked, not ticked, or ValueProblem."""
    if is_blank(cell):
        return False
    try:
        return _yes_no(cell)
    except ValueProblem:
        raise ValueProblem(staff_text("{value} is neither ticked nor not ticked",
                                      value=repr(cell)),
                           staff_text("use 1 for ticked and 0 or empty for not ticked"),
                           "type") from None


_RANGE = re.compile(r"\s*[+-]?\d+(?:[.,]\d+)?\s*(?:-|–|—|bis|to|до|\.\.)\s*[+-]?\d+(?:[.,]\d+)?\s*",
                    re.IGNORECASE)


def number_problem(question: Question, cell: Any) -> ValueProblem:
    """What is wrong with a cell of a number question that holds no number."""
    text = as_text(cell)
    if _RANGE.fullmatch(text):
        return ValueProblem(staff_text("{value} is a range, but {question} takes one number",
                                       value=repr(cell), question=question_ref(question)),
                            staff_text("write one number in the cell (ask the partner which one)"),
                            "type")
    return ValueProblem(staff_text("{value} is not a number, and {question} takes a number",
                                   value=repr(cell), question=question_ref(question)),
                        staff_text("write the number in digits"), "type")


_READING_TEST = re.compile(r"(\d+) (\d+) (\d+)((?: null)+)((?: \S+)*)")
"""A select_multiple with KoboToolbox's `literacy` appearance: word at the flash, seconds,
words attempted, placeholders, then the words ticked."""

_LIST_SEPARATORS = re.compile(r"\s*(?:[;,|\n/+&]|\s(?:und|and|oder|or|sowie|et|и|или|та|і|або|و|"
                              r"va|và|ve)\s)\s*", re.IGNORECASE)


def split_choices(lookup: ChoiceLookup, cell: Any, labels: FileLabels | None) -> Any:
    """A multiple choice or ranking written in one cell: codes, names or labels in a list, a
    Kobo export's names or labels with spaces between, or prose ("Deutsch und Russisch").

    The cell is split on the questionnaire's own labels, never on spaces, which labels hold."""
    if isinstance(cell, list):
        return combined([lookup.resolve(item, labels) for item in cell])
    try:
        single = lookup.resolve(cell, labels, near=False)
    except ValueProblem:
        pass
    else:
        return single if isinstance(single, dict) else [single]
    text = as_text(cell)
    named = lookup.segment(text)
    if named is not None:
        return named
    test = _READING_TEST.fullmatch(text)
    if test is not None:
        chosen = lookup.segment(test[5]) if test[5].strip() else []
        if chosen is not None:
            return Reading(chosen, staff_text(
                "{question} is a timed reading test (KoboToolbox's literacy widget): read the "
                "words ticked; the word at the flash ({flash}), the seconds taken ({seconds}) "
                "and the words attempted ({attempted}) stay in the raw record",
                question=question_ref(lookup.question), flash=test[1], seconds=test[2],
                attempted=test[3]),
                staff_text("nothing to do; the whole cell is kept with the response"))
    parts = [part for part in _LIST_SEPARATORS.split(text) if part.strip()]
    words = text.split()
    if len(parts) <= 1 and len(words) > 1:
        unknown = [w for w in words if _unreadable(lookup, w, labels)]
        if len(unknown) < len(words):  # a list with spaces between, some of it no choice
            shown = ", ".join(repr(w) for w in dict.fromkeys(unknown[:5]))
            raise ValueProblem(staff_plural(
                "{value}: {words} is not a choice of {question}",
                "{value}: {words} are not choices of {question}", count=len(set(unknown)),
                value=repr(cell), words=shown, question=question_ref(lookup.question)),
                lookup.not_a_choice(cell).fix, "choice")
    if len(parts) <= 1:
        found = lookup.resolve(cell, labels)
        return found if isinstance(reading_value(found)[0], dict) else combined([found])
    results = []
    for part in parts:
        try:
            results.append(lookup.resolve(part.strip(), labels))
        except ValueProblem as problem:
            raise ValueProblem(staff_text("{value}: {problem}", value=repr(cell),
                                          problem=problem.message),
                               problem.fix, problem.rule) from None
    return combined(results)


def _unreadable(lookup: ChoiceLookup, word: str, labels: FileLabels | None) -> bool:
    try:
        lookup.resolve(word, labels, near=False)
    except ValueProblem:
        return True
    return False


def combined(results: list[Any]) -> Any:
    """Several resolved choices as one list answer; a Reading when any of them was one."""
    values, readings = [], []
    for result in results:
        value, read = reading_value(result)
        values.append(value)
        readings += read
    if not readings:
        return values
    said = readings[0].message
    for reading in readings[1:]:
        said = staff_text("{before}; {next}", before=said, next=reading.message)
    return Reading(values, said, readings[0].fix)


def with_file_missing(read: Callable[[Any], Any], questionnaire: Questionnaire,
                      question: Question, labels: FileLabels | None) -> Callable[[Any], Any]:
    """`read`, except that the file's own missing codes (SPSS user-missing values, Stata's .a to
    .z) are missing codes: a declared missing value or not answered, never text or a number."""
    if labels is None or not labels.missing_codes:
        return read
    lookup = ChoiceLookup(questionnaire, question)

    def reader(cell: Any) -> Any:
        if not _member(cell, labels.missing_codes):
            return read(cell)
        label = labels.value_labels[cell] if _member(cell, labels.value_labels) else None
        found = lookup.by_text.get(normalise(label)) if label else None
        if isinstance(found, dict):
            return found
        if isinstance(cell, str) and isinstance(lookup.by_original.get(normalise(cell)), dict):
            return lookup.by_original[normalise(cell)]
        code = as_integer_code(cell)
        if code is not None and code in lookup.by_code:
            return lookup.by_code[code]
        if len(question.missing) == 1:
            return missing_answer(question.missing[0].name)
        stata = isinstance(cell, str) and len(cell) == 1 and "a" <= cell <= "z"
        shown = f".{cell}" if stata else repr(as_text(cell))
        said = {"code": shown, "question": question_ref(question)}
        return Reading(None, staff_text(
            "{code} is a missing code of the file ({label}); {question} declares no missing "
            "value it matches, so it is read as not answered", label=label, **said) if label
            else staff_text("{code} is a missing code of the file; {question} declares no "
                            "missing value it matches, so it is read as not answered", **said),
            staff_text("nothing to do; to keep why it is missing, declare the missing value "
                       "under 'missing:' of the question and import the file again"),
            "missing_code")
    return reader


def with_values(read: Callable[[Any], Any], values: Any) -> Callable[[Any], Any]:
    """`read`, with a mapping file's `values:` (the partner's word -> what it means) first."""
    table = {normalise(as_text(word)): meaning for word, meaning in dict(values or {}).items()}
    if not table:
        return read

    def reader(cell: Any) -> Any:
        if not isinstance(cell, dict | list | bool):
            meaning = table.get(normalise(as_text(cell)))
            if meaning is not None:
                return read(meaning)
        return read(cell)
    return reader


def meaning_problem(questionnaire: Questionnaire, question: Question, part: str,
                    meaning: Any) -> str | None:
    """Why a mapping file's meaning of a partner's word cannot be read as an answer of
    `question` (None when it can). `part`: "option" for a 0/1 column of one choice, "rank" for
    one rank position, "answer" for the whole answer or a grid row."""
    try:
        if part == "option":
            is_ticked(meaning)
            return None
        lookup = ChoiceLookup(questionnaire, question)
        if part == "answer" and question.type in (QuestionType.MULTIPLE_CHOICE,
                                                  QuestionType.RANKING):
            items = meaning if isinstance(meaning, list) else [meaning]
            for item in items:
                if lookup.segment(as_text(item)) is None:
                    lookup.resolve(item, near=False)
            return None
        if question.choices is not None and (part == "rank" or question.type in (
                QuestionType.SINGLE_CHOICE, QuestionType.RATING, QuestionType.GRID)):
            lookup.resolve(meaning, near=False)
            return None
        if isinstance(converter(questionnaire, question, False)(meaning), Reading):
            return staff_text("{value} is only a near miss of a choice of {question}",
                              value=repr(meaning), question=question_ref(question))
    except ValueProblem as problem:
        return problem.message
    return None
