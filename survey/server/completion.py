"""How far respondents get: per section, forms that reached it and responses that answered it."""

from __future__ import annotations

from dataclasses import dataclass

from survey.questionnaire.model import Questionnaire
from survey.store.drafts import furthest_pages
from survey.store.store import Store


@dataclass(frozen=True)
class SectionCompletion:
    number: int
    section_id: str
    reached: int
    """Forms in progress that got to this page or beyond, plus accepted responses."""
    answered: int
    """Accepted responses with at least one answer in this section."""


def section_completion(store: Store, questionnaire: Questionnaire) -> list[SectionCompletion]:
    sections = questionnaire.sections
    names = [{n for q in s.questions for n in q.answer_names} for s in sections]
    answered = [0] * len(sections)
    accepted = 0
    for _, answers in store.accepted_answers(questionnaire.id):
        accepted += 1
        for index, own in enumerate(names):
            if not own.isdisjoint(answers):
                answered[index] += 1
    drafts = furthest_pages(store, questionnaire.id)
    return [SectionCompletion(index + 1, section.id,
                              accepted + sum(n for page, n in drafts.items() if page >= index),
                              answered[index])
            for index, section in enumerate(sections)]
