"""The steps of double entry as the entry screens take them: finishing an entry, who may
reconcile a copy, and which fields a reconciler decides.

The rules live here rather than in the pages so that the screens only read the request, call
these and render what they return (DESIGN.md: the server is thin).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from survey.questionnaire.model import Questionnaire
from survey.returns.reconcile import (
    differing,
    field_problems,
    open_fields,
    scanned,
    settle_if_equal,
    verdict,
)
from survey.returns.typed import entry_fields
from survey.staff_texts import staff_text
from survey.store.entries import Entry, entries_of, save_entry
from survey.store.store import Store

RECONCILERS = ("third", "either")
"""Who may reconcile a copy: only a third person, or also either of its two typists."""
RECONCILERS_VARIABLE = "SURVEY_RECONCILERS"
"""The environment variable `survey serve` reads the reconcilers setting from."""


def who_reconciles(setting: str | None) -> str:
    """The reconcilers setting from what was configured: anything but a known value means a
    third person, the stricter rule."""
    return setting if setting is not None and setting in RECONCILERS else "third"


def may_reconcile(setting: str, user: str, copy: list[Entry]) -> bool:
    """Whether `user` may reconcile `copy`: a third person always, its typists only where the
    setting is "either", so each difference is normally read from the paper afresh."""
    return setting == "either" or user not in [e.entered_by for e in copy]


class Settled(enum.Enum):
    """Where a copy stands once one of its entries is finished."""

    ACCEPTED = "accepted"
    TO_RECONCILE = "to reconcile"
    SECOND_ENTRY = "waits for its second entry"


@dataclass(frozen=True)
class Finished:
    """The result of finishing an entry: the problems that keep it a draft, or where its copy
    stands."""

    problems: dict[str, str]
    settled: Settled | None = None


def finish_problems(questionnaire: Questionnaire, typed: Mapping[str, str]) -> dict[str, str]:
    """What stops an entry from being finished: values that are not answers, and fields the
    routing asks that have no entry (blank and unreadable must be typed too)."""
    asked = verdict(questionnaire, typed).asked
    untyped = {f.name: staff_text("{field}: no entry; type the code, - if left blank or ? if "
                                  "unreadable", field=f.name)
               for f in entry_fields(questionnaire)
               if f.question.id in asked and not f.other_text and f.name not in typed}
    return field_problems(questionnaire, typed) | untyped


def finish_entry(store: Store, questionnaire: Questionnaire, draft: Entry, user: str,
                 typed: dict[str, str]) -> Finished:
    """Finish `draft` with `typed`, or keep it a draft with the problems that stop it (nothing
    typed is lost); a second finished entry that agrees with the first accepts the copy."""
    problems = finish_problems(questionnaire, typed)
    if problems:
        save_entry(store, draft.id, user, typed, finished=False)
        return Finished(problems)
    save_entry(store, draft.id, user, typed, finished=True)
    copy = entries_of(store, draft.questionnaire_id, draft.serial)
    if settle_if_equal(store, questionnaire, copy, user):
        return Finished({}, Settled.ACCEPTED)
    if len([e for e in copy if e.finished]) == 2:
        return Finished({}, Settled.TO_RECONCILE)
    return Finished({}, Settled.SECOND_ENTRY)


def awaits_reconciliation(copy: list[Entry]) -> bool:
    """Whether `copy` is ready for a reconciler: read by the scanner, or entered twice."""
    return scanned(copy) or (len(copy) == 2 and all(e.finished for e in copy))


@dataclass(frozen=True)
class OpenFields:
    """The fields a reconciler is shown for one copy, in order, and why each is open."""

    names: list[str]
    differing: set[str]
    """Fields whose two entries differ."""
    problems: dict[str, str]


def to_decide(questionnaire: Questionnaire, copy: list[Entry],
              problems: Mapping[str, str] | None = None) -> OpenFields:
    """The open fields of `copy` and their problems: those of a decision that did not pass
    (`problems`), else those of the values both entries agree on."""
    first, second = copy[0].typed, copy[-1].typed
    apart = set(differing(questionnaire, first, second))
    if problems is None:
        problems = verdict(questionnaire, {n: t for n, t in first.items()
                                           if n not in apart}).problems
    names = open_fields(questionnaire, first, second)
    names += [n for n in problems if n not in names]
    return OpenFields(names, apart, dict(problems))
