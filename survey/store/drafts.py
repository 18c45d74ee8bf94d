"""Forms in progress, kept server-side under a resume code so a respondent can leave and return.

Only a hash of the code is stored: whoever reads the database cannot resume someone's form.
Drafts carry the day of their last change, never a time, and are deleted on submission.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from survey.store.schema import drafts
from survey.store.store import Store, today

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I: codes are read aloud and typed on phones."""
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


@dataclass
class Draft:
    code: str
    questionnaire_id: str
    language: str
    submission_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    answers: dict[str, Any] = field(default_factory=dict)
    page: int = 0
    furthest: int = 0
    updated_on: dt.date | None = None
    """The day of the last change (None for a draft just made)."""
    partner: str | None = None
    """The partner organisation of the link the form was started from; the response gets it."""


def new_code() -> str:
    """A resume code such as `K7QX-M2PD-9TZA` (60 random bits)."""
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
              for _ in range(CODE_GROUPS))
    return "-".join(groups)


def normalise_code(text: str) -> str:
    """The code as typed, forgiving case, spaces and dashes."""
    letters = "".join(c for c in text.upper() if c.isalnum())
    size = CODE_GROUP_LENGTH
    return "-".join(letters[i:i + size] for i in range(0, len(letters), size))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def create_draft(store: Store, questionnaire_id: str, language: str,
                 partner: str | None = None) -> Draft:
    """A new form in progress. It never records an invitation (that is used up when the form
    starts, apart from it), so no draft links an invitation to a response; only the partner
    of the link or invitation, a plain id, is carried to the response."""
    draft = Draft(new_code(), questionnaire_id, language, partner=partner)
    with store.engine.begin() as connection:
        connection.execute(sa.insert(drafts).values(
            code_hash=code_hash(draft.code), questionnaire_id=questionnaire_id,
            submission_id=draft.submission_id, language=language, answers="{}", page=0,
            furthest=0, invitation=None, updated_on=today(), partner=partner))
    return draft


def load_draft(store: Store, questionnaire_id: str, code: str) -> Draft | None:
    """The draft of `questionnaire_id` under `code`, or None (unknown, submitted or foreign)."""
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(drafts).where(
            drafts.c.code_hash == code_hash(code),
            drafts.c.questionnaire_id == questionnaire_id)).mappings().first()
    if row is None:
        return None
    return Draft(normalise_code(code), questionnaire_id, row["language"], row["submission_id"],
                 json.loads(row["answers"]), row["page"], row["furthest"], row["updated_on"],
                 row["partner"])


def rotate_code(store: Store, draft: Draft) -> Draft | None:
    """The draft under a new resume code; the old code no longer opens it.

    Done on every resume, so a code handed to someone else (a link sent by a stranger, a code
    overheard) stops working once its owner has continued. None if the old code was rotated
    or the draft submitted meanwhile."""
    fresh = new_code()
    with store.engine.begin() as connection:
        changed = connection.execute(sa.update(drafts).where(
            drafts.c.code_hash == code_hash(draft.code)).values(
            code_hash=code_hash(fresh), updated_on=today())).rowcount
    if not changed:
        return None
    draft.code, draft.updated_on = fresh, today()
    return draft


def save_draft(store: Store, draft: Draft) -> None:
    with store.engine.begin() as connection:
        connection.execute(sa.update(drafts).where(drafts.c.code_hash == code_hash(draft.code))
                           .values(answers=json.dumps(draft.answers, ensure_ascii=False),
                                   language=draft.language, page=draft.page,
                                   furthest=max(draft.furthest, draft.page),
                                   updated_on=today()))


def delete_draft(connection: sa.Connection, code: str) -> None:
    connection.execute(sa.delete(drafts).where(drafts.c.code_hash == code_hash(code)))


def purge_drafts(store: Store, unchanged_since: dt.date) -> int:
    """Delete drafts nobody touched since `unchanged_since`; returns how many."""
    with store.engine.begin() as connection:
        return connection.execute(
            sa.delete(drafts).where(drafts.c.updated_on < unchanged_since)).rowcount


def furthest_pages(store: Store, questionnaire_id: str) -> dict[int, int]:
    """Drafts in progress by the furthest page (0-based section index) they reached."""
    with store.engine.connect() as connection:
        return dict(connection.execute(
            sa.select(drafts.c.furthest, sa.func.count())
            .where(drafts.c.questionnaire_id == questionnaire_id)
            .group_by(drafts.c.furthest)).all())
