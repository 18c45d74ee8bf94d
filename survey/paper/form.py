"""What a paper form prints, resolved for its languages: the content the templates lay out.

Templates stay free of questionnaire logic: every text is already in the form's language(s),
every box already knows the answer name and code that a typist or a scanner records for it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from babel.numbers import get_decimal_symbol

from survey.interface_texts import interface_text
from survey.paper.bidi import (
    LATIN,
    first_strong_direction,
    ltr_runs,
    native_zero,
    number_runs,
    with_digits,
)
from survey.paper.routing_text import RoutingTexts, routing_texts
from survey.questionnaire.languages import country_names, is_right_to_left, language_names
from survey.questionnaire.model import Choice, MissingValue, Question, Questionnaire, Text
from survey.questionnaire.piping import on_paper
from survey.questionnaire.spec import QuestionType

DEFAULT_NUMBER_DIGITS = 3
LONG_TEXT_LINES = (3, 8)  # fewest and most write-in lines of a long answer
CHARACTERS_PER_LINE = 80
TWO_COLUMN_CHOICES = 7  # lists this long print in two columns when their labels fit
TWO_COLUMN_LABEL = 60
"""Characters of a label and its routing that still fit a half-width column in two lines."""


@dataclass(frozen=True)
class Line:
    """One text in one language; `dir` lets the template isolate it for the bidi algorithm."""

    language: str
    dir: str
    text: str
    left_to_right: bool = False
    """A text of its own script on a right-to-left line (a name or address given once for
    every language): isolated whole, so it reads left to right with its full stop last."""

    @property
    def paragraphs(self) -> list[list[str]]:
        """Blank-line separated paragraphs, each a list of its lines."""
        return [p.split("\n") for p in self.text.split("\n\n") if p.strip()]

    @property
    def segments(self) -> list[tuple[str, str]]:
        """The text as (piece, class): in right-to-left text, numbers, phone numbers,
        addresses and Latin-script names are isolated ("ltr") so they read left to right;
        numbers written in groups stay on one line ("num")."""
        return self.pieces(self.text)

    def pieces(self, text: str) -> list[tuple[str, str]]:
        """(piece, class) of `text`, one line of this text."""
        if self.left_to_right and self.dir == "rtl":
            return [(text, "ltr")]
        return isolated(text, self.dir)


def isolated(text: str, dir: str) -> list[tuple[str, str]]:
    """(piece, class) pieces of one line of `text` written in direction `dir`; class is
    "" (as it is), "ltr" (isolated, left to right) or "num" (a grouped number, not broken),
    or both."""
    if dir != "rtl":
        return number_runs(text)
    return [(piece, ("ltr num" if not any(unicodedata.bidirectional(c) == "L" for c in piece)
                     else "ltr") if isolate else "") for piece, isolate in ltr_runs(text)]


Texts = tuple[Line, ...]
"""A text in every language the form prints (one, or two for a bilingual form)."""


@dataclass(frozen=True)
class Box:
    """A tick or write-in place; `answer`, `choice` and `code` go into the layout file."""

    kind: str  # tick, digit, text, grid-cell
    answer: str
    choice: str = ""
    code: str = ""
    position: int | None = None
    """Which digit of a number or date (0 = the first written)."""


@dataclass(frozen=True)
class Option:
    box: Box
    label: Texts
    routing: Texts = ()
    write_in: Box | None = None
    """The "please specify" field of an 'other' choice."""
    separate: bool = False
    """Set apart from the choices before it (missing values, "none of these")."""
    picture: str = ""
    """The choice's picture as a file URI (see PaperForm.pictures), or ''."""
    picture_alt: str = ""


@dataclass(frozen=True)
class GridRow:
    label: Texts
    cells: tuple[Box, ...]


@dataclass(frozen=True)
class DigitGroup:
    boxes: tuple[Box, ...]
    caption: Texts = ()
    separator_before: str = ""


@dataclass(frozen=True)
class PrintedQuestion:
    id: str
    number: int | None
    layout: str  # options, grid, digits, write_in, note
    label: Texts
    hint: Texts = ()
    only_if: Texts = ()
    instruction: Texts = ()
    options: tuple[Option, ...] = ()
    columns: int = 1
    scale: tuple[tuple[Texts, str, str, str], ...] = ()
    """Column heads of a grid or rating: label, code, picture (a file URI or '') and its alt
    text."""
    rows: tuple[GridRow, ...] = ()
    digit_groups: tuple[DigitGroup, ...] = ()
    unit: Texts = ()
    write_in: Box | None = None
    write_in_label: Texts = ()
    lines: int = 1
    picture: str = ""
    picture_alt: str = ""


@dataclass(frozen=True)
class PrintedSection:
    id: str
    title: Texts
    intro: Texts
    only_if: Texts
    questions: tuple[PrintedQuestion, ...]


class _Common(TypedDict):
    """The fields of a printed question that do not depend on its layout."""

    id: str
    number: int | None
    label: Texts
    hint: Texts
    picture: str
    picture_alt: str
    only_if: Texts


@dataclass(frozen=True)
class PaperForm:
    questionnaire_id: str
    version: str
    languages: tuple[str, ...]
    dir: str
    """The page direction: that of the respondent's (last) language."""
    title: Texts
    organisation: Texts
    contact_name: Texts
    address: Texts
    email: str
    phone: str
    web: str
    intro: Texts
    privacy: Texts
    return_instructions: Texts
    sections: tuple[PrintedSection, ...]
    words: dict[str, Texts] = field(default_factory=dict)
    """Interface texts (see survey/interface_texts.yaml) in the form's languages."""
    digits: dict[str, str] = field(default_factory=dict)
    """The digit system (latin or native) each language prints; latin unless set."""
    pictures: tuple[Path, ...] = ()
    """The picture files the form prints: the only files the renderer may read besides
    the logo."""
    large_print: bool = False
    """Printed for readers with low vision: 14 pt text, nothing under 11 pt, larger boxes."""

    def zero(self, language: str | None = None) -> str:
        """The zero digit of `language` (default: the page's language) on this form."""
        language = language or self.languages[-1]
        return native_zero(language) if self.digits.get(language, LATIN) != LATIN else "0"

    def numeral(self, value: int | str | None) -> str:
        """A question number or count as the page's language prints it."""
        return "" if value is None else with_digits(
            str(value), self.languages[-1], self.digits.get(self.languages[-1], LATIN))

    @property
    def language_label(self) -> str:
        """How the QR payload and file names name the form's language(s): de, or de+ar."""
        return "+".join(self.languages)


def direction(language: str) -> str:
    return "rtl" if is_right_to_left(language) else "ltr"


@dataclass(frozen=True)
class OrganisationOverride:
    """A project's own organisation name and address, printed instead of the questionnaire's."""

    name: Text | None = None
    address: Text | None = None
    email: str | None = None
    phone: str | None = None
    web: str | None = None


class _Builder:
    def __init__(self, questionnaire: Questionnaire, languages: tuple[str, ...],
                 digits: dict[str, str]):
        self.q = questionnaire
        self.languages = languages
        self.digits = digits
        self.routing: dict[str, RoutingTexts] = {
            lang: routing_texts(questionnaire, lang) for lang in languages}
        self.folder = Path(questionnaire.file).parent
        self.pictures: dict[Path, None] = {}

    def picture(self, image: Text) -> str:
        """The picture in the respondent's language (the form's last), as a file URI."""
        relative = image.get(self.languages[-1], self.q.default_language)
        if not relative:
            return ""
        path = (self.folder / relative).resolve()
        self.pictures[path] = None
        return path.as_uri()

    def picture_alt(self, alt: Text, label: Texts) -> str:
        """The picture's alternative text in the respondent's language (the form's last): its
        own, '' when it is decorative, else the label it stands beside."""
        if alt:
            return alt.get(self.languages[-1], self.q.default_language)
        return label[-1].text if label else ""

    def line(self, language: str, text: str, left_to_right: bool = False) -> Line:
        """One printed text; an earlier answer it shows (`${name}`) is a blank line on paper."""
        return Line(language, direction(language),
                    with_digits(on_paper(text), language, self.digits.get(language, LATIN)),
                    left_to_right)

    def texts(self, text: Text) -> Texts:
        if not text:
            return ()
        if text.neutral is not None:
            # One text for every language (a name, an address): printed once, in the
            # direction of its own script, so "e. V." keeps its full stop at the end.
            language = self.languages[-1]
            return (self.line(language, text.neutral,
                              first_strong_direction(text.neutral) == "ltr"),)
        return tuple(self.line(lang, text.get(lang, self.q.default_language))
                     for lang in self.languages)

    def plain(self, by_language: dict[str, str]) -> Texts:
        return tuple(self.line(lang, by_language[lang]) for lang in self.languages
                     if by_language.get(lang))

    def word(self, key: str, **params: object) -> Texts:
        return self.plain({lang: interface_text(key, lang, self.q.interface, **params)
                           for lang in self.languages})

    def section(self, section_id: str, title: Text, intro: Text,
                questions: tuple[Question, ...]) -> PrintedSection:
        only_if = self.plain({lang: r.section_only_if.get(section_id, "")
                              for lang, r in self.routing.items()})
        printed = tuple(self.question(q) for q in questions if q.type != QuestionType.CALCULATE)
        return PrintedSection(section_id, self.texts(title), self.texts(intro), only_if, printed)

    def question(self, q: Question) -> PrintedQuestion:
        label = self.texts(q.label)
        common: _Common = {"id": q.id, "number": q.number, "label": label,
                           "hint": self.texts(q.hint), "picture": self.picture(q.image),
                           "picture_alt": self.picture_alt(q.image_alt, label),
                           "only_if": self.plain({lang: r.only_if.get(q.id, "")
                                                  for lang, r in self.routing.items()})}
        match q.type:
            case QuestionType.NOTE:
                return PrintedQuestion(layout="note", **common)
            case QuestionType.SINGLE_CHOICE | QuestionType.MULTIPLE_CHOICE:
                return self.choice_question(q, common)
            case QuestionType.GRID:
                return self.grid_question(q, common)
            case QuestionType.RATING if not self.routing_anywhere(q):
                return self.grid_question(q, common)
            case QuestionType.RATING:
                return self.choice_question(q, common)
            case QuestionType.RANKING:
                return self.ranking_question(q, common)
            case QuestionType.COUNTRY | QuestionType.LANGUAGE:
                return self.list_question(q, common)
            case QuestionType.CONSENT:
                options = (Option(Box("tick", q.id, "yes", "1"), self.word("consent_yes"),
                                  self.routing_of(q, "yes")),
                           Option(Box("tick", q.id, "no", "0"), self.word("consent_no"),
                                  self.routing_of(q, "no")))
                return PrintedQuestion(layout="options", options=options, **common)
            case QuestionType.TEXT | QuestionType.LONG_TEXT:
                lines = 1
                if q.type == QuestionType.LONG_TEXT:
                    wanted = (q.max_length or 0) // CHARACTERS_PER_LINE
                    lines = max(LONG_TEXT_LINES[0], min(LONG_TEXT_LINES[1], wanted))
                return PrintedQuestion(layout="write_in", write_in=Box("text", q.id),
                                       lines=lines, instruction=self.word("write_in"),
                                       **common)
        return self.digit_question(q, common)

    def routing_of(self, question: Question, choice: str) -> Texts:
        return self.plain({lang: r.after_choice.get(question.id, {}).get(choice, "")
                           for lang, r in self.routing.items()})

    def routing_anywhere(self, question: Question) -> bool:
        return any(r.after_choice.get(question.id) for r in self.routing.values())

    def missing_options(self, q: Question, kind: str = "tick") -> tuple[Option, ...]:
        return tuple(Option(Box(kind, q.id, m.name, str(m.code)), self.texts(m.label),
                            self.routing_of(q, m.name), separate=i == 0)
                     for i, m in enumerate(q.missing))

    def choice_question(self, q: Question, common: _Common) -> PrintedQuestion:
        assert q.choices is not None
        multiple = q.type == QuestionType.MULTIPLE_CHOICE
        options: list[Option] = []
        after_exclusive = False
        for choice in q.choices.choices:
            write_in = Box("text", f"{q.id}__{choice.name}_text") if choice.other else None
            options.append(Option(Box("tick", q.id, choice.name, str(choice.code)),
                                  self.texts(choice.label), self.routing_of(q, choice.name),
                                  write_in, separate=multiple and choice.exclusive
                                  and not after_exclusive,
                                  picture=self.picture(choice.image),
                                  picture_alt=self.picture_alt(choice.image_alt,
                                                               self.texts(choice.label))))
            after_exclusive = after_exclusive or (multiple and choice.exclusive)
        options.extend(self.missing_options(q))
        if multiple and q.max_selected:
            instruction = self.word("tick_at_most", count=q.max_selected)
        else:
            instruction = self.word("tick_all" if multiple else "tick_one")
        return PrintedQuestion(layout="options", options=tuple(options),
                               columns=_columns(options), instruction=instruction, **common)

    def grid_question(self, q: Question, common: _Common) -> PrintedQuestion:
        assert q.choices is not None
        points: list[Choice | MissingValue] = [*q.choices.choices, *q.missing]
        scale = tuple((self.texts(p.label), str(p.code),
                       self.picture(p.image) if isinstance(p, Choice) else "",
                       self.picture_alt(p.image_alt, self.texts(p.label))
                       if isinstance(p, Choice) else "") for p in points)
        kind = "grid-cell" if q.type == QuestionType.GRID else "tick"
        if q.type == QuestionType.GRID:
            rows = tuple(GridRow(self.texts(item.label), tuple(
                Box(kind, f"{q.id}__{item.id}", p.name, str(p.code)) for p in points))
                for item in q.items)
            instruction = self.word("tick_one_per_row")
        else:
            rows = (GridRow((), tuple(Box(kind, q.id, p.name, str(p.code)) for p in points)),)
            instruction = self.word("tick_one")
        return PrintedQuestion(layout="grid", scale=scale, rows=rows, instruction=instruction,
                               **common)

    def ranking_question(self, q: Question, common: _Common) -> PrintedQuestion:
        assert q.choices is not None and q.rank is not None
        options = tuple(Option(Box("digit", q.id, c.name, str(c.code)), self.texts(c.label),
                               write_in=Box("text", f"{q.id}__{c.name}_text") if c.other else None,
                               picture=self.picture(c.image),
                               picture_alt=self.picture_alt(c.image_alt, self.texts(c.label)))
                        for c in q.choices.choices)
        return PrintedQuestion(layout="options", options=options, columns=_columns(options),
                               instruction=self.word("rank_instruction", count=q.rank), **common)

    def list_question(self, q: Question, common: _Common) -> PrintedQuestion:
        """Countries and languages: the priority list as boxes, any other one written in."""
        names = country_names if q.type == QuestionType.COUNTRY else language_names
        options: list[Option] = []
        for code in q.priority:
            label = self.plain({lang: names(lang).get(code, code) for lang in self.languages})
            options.append(Option(Box("tick", q.id, code, code), label, self.routing_of(q, code)))
        options.extend(self.missing_options(q))
        other = "another_country" if q.type == QuestionType.COUNTRY else "another_language"
        return PrintedQuestion(layout="options", options=tuple(options),
                               columns=_columns(options), instruction=self.word("tick_one"),
                               write_in=Box("text", q.id, "other"),
                               write_in_label=self.word(other), **common)

    def digit_question(self, q: Question, common: _Common) -> PrintedQuestion:
        def digits(answer: str, count: int, start: int = 0) -> tuple[Box, ...]:
            return tuple(Box("digit", answer, position=i) for i in range(start, start + count))

        groups: tuple[DigitGroup, ...]
        if q.type == QuestionType.DATE:
            groups = (DigitGroup(digits(q.id, 2), self.word("day")),
                      DigitGroup(digits(q.id, 2, 2), self.word("month"), "."),
                      DigitGroup(digits(q.id, 4, 4), self.word("year"), "."))
        elif q.type == QuestionType.YEAR:
            groups = (DigitGroup(digits(q.id, 4)),)
        else:
            whole = len(str(int(abs(q.max)))) if isinstance(q.max, int | float) else (
                DEFAULT_NUMBER_DIGITS)
            groups = (DigitGroup(digits(q.id, whole)),)
            if q.type == QuestionType.DECIMAL:
                separator = get_decimal_symbol(self.languages[-1].replace("-", "_"))
                groups += (DigitGroup(digits(q.id, q.decimals or 1, whole), (), separator),)
        missing = self.missing_options(q)
        return PrintedQuestion(layout="digits", digit_groups=groups, unit=self.texts(q.unit),
                               options=missing, instruction=self.word("write_digits"), **common)

    def words(self) -> dict[str, Texts]:
        keys = ("serial_number", "withdraw_with_number", "how_to_fill_in", "how_to_tick",
                "how_to_correct", "how_to_route", "office_codes", "privacy_heading",
                "return_heading", "contact_heading", "thank_you", "end_of_questionnaire",
                "please_specify", "page_x_of_y")
        return {key: self.word(key) for key in keys}


def _columns(options: list[Option] | tuple[Option, ...]) -> int:
    """Two columns for a long list whose labels (with their routing) fit half the width;
    a write-in field then takes its own line under its label."""
    longest = max((len(line.text) + max((len(r.text) for r in o.routing), default=0)
                   for o in options for line in o.label), default=0)
    return 2 if len(options) >= TWO_COLUMN_CHOICES and longest <= TWO_COLUMN_LABEL else 1


def paper_form(questionnaire: Questionnaire, languages: tuple[str, ...],
               organisation: OrganisationOverride | None = None,
               digits: dict[str, str] | None = None, large_print: bool = False) -> PaperForm:
    """The content of the form in one language, or two (a bilingual form). `digits` maps a
    language to the digit system it prints (latin, the default, or native)."""
    digits = {lang: system for lang, system in (digits or {}).items() if lang in languages}
    builder = _Builder(questionnaire, languages, digits)
    survey = questionnaire.survey
    contact = survey.contact
    own = organisation or OrganisationOverride()
    sections = tuple(builder.section(s.id, s.title, s.intro, s.questions)
                     for s in questionnaire.sections)
    return PaperForm(
        questionnaire_id=survey.id, version=survey.version, languages=languages,
        dir=direction(languages[-1]), title=builder.texts(survey.title),
        organisation=builder.texts(own.name or survey.organisation),
        contact_name=builder.texts(contact.name),
        address=builder.texts(own.address or contact.address),
        email=own.email or contact.email or "", phone=own.phone or contact.phone or "",
        web=own.web or contact.web or "", intro=builder.texts(survey.intro),
        privacy=builder.texts(survey.privacy),
        return_instructions=builder.texts(survey.return_instructions), sections=sections,
        words=builder.words(), digits=digits, pictures=tuple(builder.pictures),
        large_print=large_print)
