"""Storing one online submission: checked, idempotent by `submission_id`, all or nothing.

The form's final submit and the JSON API both come here. The database's unique key on
`submission_id` decides races: of two identical posts arriving together exactly one inserts,
the other finds that row and answers success; a different answer set under a known id is a
conflict. The response row, the use of the invitation, the removal of the draft and the
withdrawal code are one transaction; an id that was erased on request is refused for good.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeGuard

from survey.questionnaire.answer_checks import AnswerProblem, Rule, check_answers
from survey.questionnaire.model import Questionnaire
from survey.server.form_fields import unstorable_answers
from survey.store.drafts import delete_draft
from survey.store.erasure import add_withdrawal_code
from survey.store.invitations import use_invitation
from survey.store.schema import Mode, Status
from survey.store.store import KeyConflict, Response, Store, encode_json, stored_answers, today
from survey.store.tombstones import erased_ids


class Outcome(StrEnum):
    CREATED = "created"
    ALREADY_STORED = "already_stored"
    CONFLICT = "conflict"
    INVALID = "invalid"
    INVITATION_USED = "invitation_used"
    ERASED = "erased"


@dataclass(frozen=True)
class Submitted:
    outcome: Outcome
    problems: tuple[AnswerProblem, ...] = ()
    withdrawal_code: str | None = None
    """Given with a new response: with it the respondent can withdraw it later."""


class _InvitationUsed(Exception):
    pass


class _Erased(Exception):
    """The id was erased on request: it is never stored again."""


_SQLITE_WRITER = threading.Lock()


def _writer(store: Store) -> AbstractContextManager[Any]:
    """SQLite has one writer at a time; threads that wait for it in SQLite's busy handler
    sleep in steps of up to 100 ms. Queuing them on a lock here keeps the tail latency low.
    PostgreSQL writes concurrently and needs no lock."""
    return _SQLITE_WRITER if store.engine.dialect.name == "sqlite" else nullcontext()


def is_submission_id(text: Any) -> TypeGuard[str]:
    """A random (version 4) UUID in its canonical lower-case form.

    Paper copies and imported rows get name-based (version 5) ids that anyone can work out
    from a serial or a file; accepting only random ids from the web keeps the two namespaces
    apart, so no web post can take the id of a paper copy before it is typed in."""
    if not isinstance(text, str) or len(text) != 36:
        return False
    try:
        found = uuid.UUID(text)
    except ValueError:
        return False
    return str(found) == text and found.version == 4


def submit(store: Store, questionnaire: Questionnaire, submission_id: str,
           answers: Mapping[str, Any], language: str, *, invitation: str | None = None,
           draft_code: str | None = None) -> Submitted:
    """Check and store one complete answer set (see the module docstring for the outcomes).

    `invitation` is the hash of an invitation token sent with an API submission (the form's
    invitation is used up when it starts); `draft_code` the draft to remove.
    """
    day = today()
    unreadable = unstorable_answers(answers)
    if unreadable:
        return Submitted(Outcome.INVALID, tuple(
            AnswerProblem(name, Rule.TYPE, "the answer holds characters that cannot be stored "
                          "(control characters or text that was not UTF-8)")
            for name in unreadable))
    check = check_answers(questionnaire, answers, day)
    if not check.accepted:
        return Submitted(Outcome.INVALID, check.problems)
    record = Response(submission_id, questionnaire.id, questionnaire.survey.version, Mode.WEB,
                      Status.ACCEPTED, raw=dict(answers), answers=check.validated,
                      language=language, received_on=day)
    midnight = dt.datetime.combine(day, dt.time())
    try:
        with _writer(store), store.transaction() as connection:
            if erased_ids(connection, {submission_id}):
                raise _Erased
            store.add([record], connection=connection, stored_at=midnight)
            if invitation is not None and not use_invitation(connection, questionnaire.id,
                                                             invitation):
                raise _InvitationUsed
            if draft_code is not None:
                delete_draft(connection, draft_code)
            code = add_withdrawal_code(connection, submission_id)
    except _InvitationUsed:
        return Submitted(Outcome.INVITATION_USED)
    except _Erased:
        return Submitted(Outcome.ERASED)
    except KeyConflict:
        return _resubmitted(store, questionnaire, record, draft_code)
    if invitation is not None:
        store.empty_wal()
    return Submitted(Outcome.CREATED, check.problems, code)


def _resubmitted(store: Store, questionnaire: Questionnaire, record: Response,
                 draft_code: str | None) -> Submitted:
    with store.engine.begin() as connection:
        stored = stored_answers(connection, record.submission_id)
        if stored is None:  # not a duplicate key after all: let the real error surface
            raise RuntimeError(f"storing {record.submission_id} failed without a stored row")
        same = (stored[0] == questionnaire.id
                and stored[1] == json.loads(encode_json(record.answers)))
        if same and draft_code is not None:
            delete_draft(connection, draft_code)
    return Submitted(Outcome.ALREADY_STORED if same else Outcome.CONFLICT)
