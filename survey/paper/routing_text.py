"""The routing printed on a paper form: "→ go to question 14" and "Only if you answered …".

Both come from the skip-rule trees that drive the online form (see skip_targets and
condition_text), in the wording of the shared interface-text catalogue. The texts are plain
strings in logical order; escaping and right-to-left layout are the renderer's job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from survey.interface_texts import interface_text
from survey.paper.condition_text import only_if_text
from survey.paper.skip_targets import SkipFinder
from survey.questionnaire.answers import for_expressions
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.spec import QuestionType

_TICKED_ONCE = (QuestionType.SINGLE_CHOICE, QuestionType.RATING, QuestionType.CONSENT,
                QuestionType.COUNTRY, QuestionType.LANGUAGE)
"""Questions answered by ticking one box, so that a box can carry a jump."""
CONSENT_ANSWERS = {"yes": True, "no": False}
"""The answer names a consent question's routing is keyed by (its two printed boxes)."""


@dataclass(frozen=True)
class RoutingTexts:
    after_choice: dict[str, dict[str, str]]
    """Question id → answer name → "→ go to question 14", only for answers that skip ahead.

    Answer names are choice names (scale point names for a rating), the priority codes of a
    country or language question, declared missing values such as "dont_know", and "yes"/"no"
    for a consent question."""
    only_if: dict[str, str]
    """Question id → "Only if you answered “Yes” in question 9", for conditional questions
    and notes that are printed (calculations are never printed)."""
    section_only_if: dict[str, str]
    """Section id → the same wording, for a conditional section."""


def _answers(question: Question) -> Iterator[tuple[str, Any]]:
    """Each box a respondent can tick, with the value the skip rules see for it."""
    if question.type == QuestionType.CONSENT:
        yield from CONSENT_ANSWERS.items()
        return
    if question.choices is None:  # a country or language: its priority codes get boxes
        yield from ((code, code) for code in question.priority)
    else:
        yield from ((c.name, for_expressions(question, c.name)) for c in question.choices.choices)
    for missing in question.missing:
        yield missing.name, None  # a missing value is empty to every rule


def routing_texts(questionnaire: Questionnaire, language: str) -> RoutingTexts:
    """Every routing text of the paper form in `language`, one the questionnaire declares."""
    if language not in questionnaire.languages:
        raise ValueError(f"{questionnaire.file}: the questionnaire has no language "
                         f"'{language}'; choose one of {', '.join(questionnaire.languages)}")
    finder = SkipFinder(questionnaire)
    after_choice: dict[str, dict[str, str]] = {}
    for question in questionnaire.questions:
        if question.number is None or question.type not in _TICKED_ONCE:
            continue
        for name, value in _answers(question):
            jump = finder.jump(question, value)
            if not jump.skipped:
                continue
            after_choice.setdefault(question.id, {})[name] = (
                interface_text("routing.go_to", language, questionnaire.interface,
                               number=jump.target.number)
                if jump.target
                else interface_text("routing.go_to_end", language, questionnaire.interface))
    only_if = {q.id: only_if_text(questionnaire, q.relevant.tree, language)
               for q in questionnaire.questions
               if q.relevant is not None and q.type != QuestionType.CALCULATE}
    section_only_if = {s.id: only_if_text(questionnaire, s.relevant.tree, language)
                       for s in questionnaire.sections if s.relevant is not None}
    return RoutingTexts(after_choice, only_if, section_only_if)
