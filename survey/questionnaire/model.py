"""The typed questionnaire: the single source of truth every later stage reads.

It is built only from a questionnaire that passed validation, so its invariants hold: ids are
unique, references resolve, expressions parse and type-check, and codes are unique per list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from survey.interface_texts import interface_translations
from survey.questionnaire.expressions.syntax import Node
from survey.questionnaire.languages import base_language
from survey.questionnaire.measurement import ANSWER_CLASSES, MEASURES, Measure, Scale, Storage
from survey.questionnaire.spec import QuestionType


@dataclass(frozen=True)
class Text:
    """A user-visible text: one per language, or one `neutral` text for every language."""

    translations: dict[str, str] = field(default_factory=dict)
    neutral: str | None = None

    def get(self, language: str, fallback: str | None = None) -> str:
        """The text in `language`, else in its base language when it is a variant (de-x-easy
        reads de), else in `fallback`, else in English (the toolkit's own words, such as
        "selected", exist in its catalogue's languages only), else ''."""
        if self.neutral is not None:
            return self.neutral
        if language in self.translations:
            return self.translations[language]
        if base_language(language) in self.translations:
            return self.translations[base_language(language)]
        return self.translations.get(fallback or "") or self.translations.get("en", "")

    def __bool__(self) -> bool:
        return self.neutral is not None or bool(self.translations)


NO_TEXT = Text()


@dataclass(frozen=True)
class Expression:
    """A relevance, constraint or calculation expression: its text as written and its parsed,
    type-checked tree."""

    source: str
    tree: Node


@dataclass(frozen=True)
class Choice:
    """One answer option of a choice list: its name, the code stored for it and its label."""

    name: str
    code: int
    label: Text
    exclusive: bool = False
    other: bool = False
    original: str | None = None
    """Its name in the form or data file it was converted from (values are matched by it)."""
    image: Text = NO_TEXT
    audio: Text = NO_TEXT
    """Media files, relative to the questionnaire's folder (see survey.questionnaire.media)."""
    image_alt: Text = NO_TEXT
    """The picture's alternative text; Text(neutral="") marks it decorative."""


@dataclass(frozen=True)
class ChoiceList:
    """A named list of choices, as the questions that offer it share it."""

    name: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class MissingValue:
    name: str
    code: int
    label: Text
    original: str | None = None
    """How the data file it was converted from writes it (Stata's `.a`), matched on import."""


@dataclass(frozen=True)
class GridItem:
    id: str
    label: Text
    original: str | None = None
    """Its name in the form or data file it was converted from (columns are matched by it)."""


@dataclass(frozen=True)
class Question:
    """One question as validated: its type, texts, rules and choices, from which its variables
    are derived."""

    id: str
    type: QuestionType
    label: Text
    number: int | None
    """The number printed before the question (None for notes and calculations)."""
    section: str
    hint: Text = NO_TEXT
    required: bool | Expression = False
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message: Text = NO_TEXT
    missing: tuple[MissingValue, ...] = ()
    choices: ChoiceList | None = None
    """Choices of single/multiple choice and ranking; the points of a rating or grid scale."""
    items: tuple[GridItem, ...] = ()
    min: int | float | str | None = None
    max: int | float | str | None = None
    unit: Text = NO_TEXT
    decimals: int | None = None
    max_length: int | None = None
    min_selected: int | None = None
    max_selected: int | None = None
    priority: tuple[str, ...] = ()
    rank: int | None = None
    calculate: Expression | None = None
    original: str | None = None
    """Its name in the form or data file it was converted from, with the group path when it
    had one (e.g. 'group_a/Q1.1'): imported columns are matched by it as well as by `id`."""
    image: Text = NO_TEXT
    audio: Text = NO_TEXT
    """Media files, relative to the questionnaire's folder (see survey.questionnaire.media)."""
    image_alt: Text = NO_TEXT
    """The picture's alternative text; Text(neutral="") marks it decorative."""

    @cached_property
    def answer_names(self) -> tuple[str, ...]:
        """The keys its answers are stored under (see survey.questionnaire.answers)."""
        if self.type == QuestionType.GRID:
            return tuple(f"{self.id}__{item.id}" for item in self.items)
        return (self.id, *(f"{self.id}__{c.name}_text" for c in self.choices.choices
                           if c.other and self.type in OTHER_TEXT_TYPES)) if self.choices else (
            self.id,)

    @cached_property
    def choice_names(self) -> frozenset[str]:
        return frozenset(c.name for c in self.choices.choices) if self.choices else frozenset()

    @cached_property
    def choice_codes(self) -> dict[str, int]:
        """Choice name to code: looked up for every answer of a data set, so built once."""
        return {c.name: c.code for c in self.choices.choices} if self.choices else {}

    @cached_property
    def missing_codes(self) -> dict[str, int]:
        return {m.name: m.code for m in self.missing}

    @cached_property
    def other_text_names(self) -> frozenset[str]:
        """Answer names of the "please specify" texts of this question's 'other' choices."""
        return frozenset(self.answer_names[1:]) if self.type != QuestionType.GRID else frozenset()


@dataclass(frozen=True)
class Section:
    """A titled group of questions, asked or skipped together by its `relevant` expression."""

    id: str
    title: Text
    intro: Text
    relevant: Expression | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Contact:
    name: Text = NO_TEXT
    email: str | None = None
    phone: str | None = None
    address: Text = NO_TEXT
    web: str | None = None


@dataclass(frozen=True)
class SurveyInfo:
    id: str
    version: str
    title: Text
    organisation: Text
    languages: tuple[str, ...]
    default_language: str
    contact: Contact = field(default_factory=Contact)
    intro: Text = NO_TEXT
    privacy: Text = NO_TEXT
    privacy_summary: Text = NO_TEXT
    """A few plain sentences shown above the full privacy notice and spoken instead of it."""
    return_instructions: Text = NO_TEXT
    translation_status: dict[str, str] = field(default_factory=dict)


class VariableRole(StrEnum):
    """How a variable derives from its question (DESIGN.md, "Variables")."""

    ANSWER = "answer"  # the one variable of a single-valued question
    OPTION = "option"  # 0/1 for one option of a multiple choice
    ROW = "row"  # one row of a grid
    RANK = "rank"  # the choice code at one rank position
    OTHER_TEXT = "other_text"  # "other, please specify"


@dataclass(frozen=True)
class Variable:
    """One column of the data a question yields (DESIGN.md, "Variables"): its label, scale,
    storage and value labels, as exports, codebooks and analyses use them."""

    name: str
    question: Question
    role: VariableRole
    label: Text
    scale: Scale
    storage: Storage
    value_labels: tuple[tuple[int, Text], ...] = ()
    """Codes and their labels, not including the missing values."""
    choice: Choice | None = None
    item: GridItem | None = None

    @property
    def measure(self) -> Measure:
        return MEASURES[self.scale]

    @property
    def is_text(self) -> bool:
        return self.storage == Storage.TEXT

    @property
    def missing(self) -> tuple[MissingValue, ...]:
        return self.question.missing


OTHER_TEXT_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE,
                              QuestionType.RANKING})
"""Question types where an 'other' choice adds a "please specify" text variable."""


def _word(key: str) -> Text:
    """A value label that is the same for every questionnaire ("yes", "selected"), in every
    language of the forms' own words."""
    return Text(interface_translations(key))


def _value_labels(question: Question) -> tuple[tuple[int, Text], ...]:
    if question.type == QuestionType.CONSENT:
        return ((1, _word("value.yes")), (0, _word("value.no")))
    if question.choices is None:
        return ()
    return tuple((c.code, c.label) for c in question.choices.choices)


def question_variables(question: Question) -> Iterator[Variable]:
    """The variables one question yields, in the order of the data set's columns."""
    qtype = question.type
    if qtype == QuestionType.NOTE:
        return
    if qtype == QuestionType.MULTIPLE_CHOICE:
        assert question.choices is not None
        yes_no = ((1, _word("value.selected")), (0, _word("value.not_selected")))
        for choice in question.choices.choices:
            yield Variable(f"{question.id}__{choice.name}", question, VariableRole.OPTION,
                           choice.label, Scale.CATEGORICAL, Storage.CODE, yes_no,
                           choice=choice)
    elif qtype == QuestionType.GRID:
        for item in question.items:
            yield Variable(f"{question.id}__{item.id}", question, VariableRole.ROW, item.label,
                           Scale.ORDINAL, Storage.CODE, _value_labels(question), item=item)
    elif qtype == QuestionType.RANKING:
        assert question.rank is not None
        for position in range(1, question.rank + 1):
            yield Variable(f"{question.id}__rank{position}", question, VariableRole.RANK,
                           question.label, Scale.CATEGORICAL, Storage.CODE,
                           _value_labels(question))
    else:
        yield Variable(question.id, question, VariableRole.ANSWER, question.label,
                       *ANSWER_CLASSES[qtype], _value_labels(question))
    if question.choices is not None and qtype in OTHER_TEXT_TYPES:
        for choice in question.choices.choices:
            if choice.other:
                yield Variable(f"{question.id}__{choice.name}_text", question,
                               VariableRole.OTHER_TEXT, choice.label, Scale.FREE_TEXT,
                               Storage.TEXT, choice=choice)


@dataclass(frozen=True)
class Questionnaire:
    """A validated questionnaire: its survey information, sections, choice lists and missing
    values, as every later stage reads it."""

    survey: SurveyInfo
    missing_values: tuple[MissingValue, ...]
    choice_lists: dict[str, ChoiceList]
    sections: tuple[Section, ...]
    file: str = "<memory>"
    interface: dict[str, dict[str, str]] = field(default_factory=dict)
    """This questionnaire's own wording of form interface texts: key -> language -> text,
    for `interface_text(..., overrides=questionnaire.interface)`."""

    @property
    def id(self) -> str:
        return self.survey.id

    @property
    def languages(self) -> tuple[str, ...]:
        return self.survey.languages

    @property
    def default_language(self) -> str:
        return self.survey.default_language

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    @cached_property
    def answer_index(self) -> dict[str, Question]:
        """Every answer name (see `answer_names`) → its question."""
        return {name: q for q in self.questions for name in q.answer_names}

    @cached_property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(v for q in self.questions for v in question_variables(q))
