"""Open answers: only the quotes report.yaml approves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.report.document import (
    Section,
)
from survey.report.errors import ReportError
from survey.report.project_facts import quote_id
from survey.report.safe_text import clean

if TYPE_CHECKING:
    from survey.report.build import Builder


def approved_quotes(builder: Builder) -> list[tuple[str, str, str]]:
    """(question, answer, translation) of every quote report.yaml approves for this
    language, as scrubbed in open-answers.csv. An id that is not there (never was, or
    the scrubbing changed the answer's text) is an error, so nothing unapproved and
    nothing unscrubbed is printed."""
    answers = builder.results.open_answers
    known: dict[str, tuple[str, str]] = {}
    if answers is not None:
        for _, row in answers.iterrows():
            known.setdefault(quote_id(row["question"], row["answer"]),
                             (row["question"], row["answer"]))
    wrong = [q for q in builder.facts.quotes if q.id not in known]
    if wrong:
        why = ("the plan does not publish open answers (disclosure: free_text: scrub)"
               if answers is None else "no scrubbed open answer has this id (the answer "
               "is not in the results, or scrubbing changed its text)")
        raise ReportError("\n".join(f"{q.where}: quote '{q.id}' cannot be printed: {why}; "
                                     "survey report --check lists the quotes to choose "
                                     "from" for q in wrong))
    found = []
    for quote in builder.facts.quotes:
        question, answer = known[quote.id]
        found.append((builder.open_question(question, answers), answer, quote.translation))
    return found


def open_answers_section(builder: Builder) -> Section:
    section = Section("open_answers", builder.t("headings.open_answers"))
    quotes = approved_quotes(builder)
    if not quotes:
        return section
    section.paragraphs.append(builder.t("open_answers.intro"))
    by_question: dict[str, list[str]] = {}
    for question, answer, translation in quotes:
        note = builder.t("open_answers.translation", text=clean(translation))
        shown = clean(answer) + (f" ({note})" if translation else "")
        by_question.setdefault(question, []).append(shown)
    section.quotes = list(by_question.items())
    return section
