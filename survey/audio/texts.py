"""The texts a respondent reads on the online form that get a play button: question texts,
hints, answer choices and scale points, the missing-value answers, and the privacy notice (its
plain-language summary when the questionnaire has one).

A text is spoken only in a language it is written in (a missing translation shows the
default language's text, which is spoken in that language) and only where no recording was
made for that language: recordings always win.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from survey.questionnaire.model import NO_TEXT, Question, Questionnaire, Text
from survey.questionnaire.spec import QuestionType

PLAYED_CHOICES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE,
                            QuestionType.RATING, QuestionType.GRID})
"""Types whose choices the form shows as options with a player (a ranking shows a list box)."""


@dataclass(frozen=True)
class SpokenText:
    language: str
    text: str
    where: str
    """Where the form shows it, for the summary ('area: choice north')."""


@dataclass(frozen=True)
class Unspoken:
    language: str
    where: str
    reason: str


def _question_texts(question: Question) -> Iterator[tuple[Text, Text, str]]:
    """(recording, text, where) of everything the form shows of `question`."""
    if question.type == QuestionType.CALCULATE:
        return
    yield question.audio, question.label, f"{question.id}: question"
    if question.hint:
        yield NO_TEXT, question.hint, f"{question.id}: hint"
    if question.choices is not None and question.type in PLAYED_CHOICES:
        for choice in question.choices.choices:
            yield choice.audio, choice.label, f"{question.id}: choice {choice.name}"
    for missing in question.missing:
        yield NO_TEXT, missing.label, f"{question.id}: answer {missing.name}"


def has_recording(recording: Text, language: str) -> bool:
    return recording.neutral is not None or language in recording.translations


def written_in(value: Text, language: str) -> str | None:
    """`value` as written in `language`, or None when it has no such translation."""
    if value.neutral is not None:
        return value.neutral
    return value.translations.get(language)


def spoken_texts(questionnaire: Questionnaire, languages: tuple[str, ...]
                 ) -> tuple[list[SpokenText], list[Unspoken]]:
    """The texts to speak in `languages` (each text once per language), and those left out
    with the reason."""
    pieces: list[tuple[Text, Text, str]] = []
    if questionnaire.survey.privacy_summary:  # the short version is the one worth listening to
        pieces.append((NO_TEXT, questionnaire.survey.privacy_summary, "privacy summary"))
    elif questionnaire.survey.privacy:
        pieces.append((NO_TEXT, questionnaire.survey.privacy, "privacy notice"))
    for question in questionnaire.questions:
        pieces.extend(_question_texts(question))
    found: dict[tuple[str, str], SpokenText] = {}
    left_out: list[Unspoken] = []
    for language in languages:
        for recording, value, where in pieces:
            text = written_in(value, language)
            if has_recording(recording, language) or text is None or not text.strip():
                continue
            if "${" in text:
                left_out.append(Unspoken(language, where, "shows an earlier answer, which "
                                         "changes per respondent; record it if it needs sound"))
                continue
            found.setdefault((language, text), SpokenText(language, text, where))
    return list(found.values()), left_out
