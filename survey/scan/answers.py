"""From the marks in a question's boxes to what a typist would type for it (survey.server.entry
.typed): the printed code of the ticked box, several codes for several ticks, '-' if left
blank, '?' where a person must look, with the reason.

Reading only says what the paper shows; whether it is a valid answer is decided afterwards by
the same checks as for every other return.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.questionnaire.model import Question
from survey.questionnaire.spec import QuestionType
from survey.returns.typed import BLANK, UNREADABLE
from survey.scan.marks import TICK_KINDS, BoxRead, Mark

SEVERAL_ALLOWED = frozenset({QuestionType.MULTIPLE_CHOICE})


@dataclass(frozen=True)
class AnswerRead:
    text: str
    """As typed: codes, '-' blank, '?' for a person; '' for an empty write-in of 'other'."""
    reason: str | None = None
    """Why a person must look (text is '?'), in words for the reconciliation screen."""
    confidence: float = 1.0


def _label(read: BoxRead) -> str:
    return f"box {read.box.get('code') or read.box.get('choice') or ''}".strip()


def read_answer(question: Question, name: str, reads: list[BoxRead]) -> AnswerRead:
    """The typed text of answer `name` from all of its boxes."""
    confidence = min((r.confidence for r in reads), default=1.0)
    ticks = [r for r in reads if r.box["kind"] in TICK_KINDS]
    fields = [r for r in reads if r.box["kind"] not in TICK_KINDS]
    unclear = [r for r in ticks if r.mark == Mark.DOUBTFUL]
    if unclear:
        listed = ", ".join(f"{_label(r)} ({r.ink:.0%} ink)" for r in unclear)
        return AnswerRead(UNREADABLE, f"unclear mark: {listed}; read the paper", confidence)
    if any(r.mark == Mark.DOUBTFUL for r in fields):
        return AnswerRead(UNREADABLE, "a faint mark or stray line in a write-in field; type "
                          "what is written, or - if nothing is", confidence)
    if any(r.mark == Mark.WRITTEN for r in fields):
        return AnswerRead(UNREADABLE, "written in by hand: type what is written", confidence)
    ticked = [str(r.box.get("code")) for r in ticks if r.mark == Mark.TICKED]
    if len(ticked) > 1 and question.type not in SEVERAL_ALLOWED:
        return AnswerRead(UNREADABLE, f"{len(ticked)} boxes ticked ({', '.join(ticked)}) where "
                          "one answer is allowed; read the paper", confidence)
    if ticked:
        return AnswerRead(" ".join(ticked), confidence=confidence)
    return AnswerRead("" if name in question.other_text_names else BLANK,
                      confidence=confidence)
