"""One-time invitation links, in a table that shares nothing with the responses.

Only a hash of each token is stored, with the day it was made: no submission id and no time of
use, so an anonymous survey stays anonymous to whoever holds both the invitation list and the
database. A link is used up when a form is started with it (or the API stores a submission
with it): its row is deleted then, in a transaction of its own that writes nothing else, so no
row version, WAL frame or draft ever holds the token's hash beside a submission id. On SQLite
deleted rows are overwritten (secure_delete) and the WAL is emptied after each use.
"""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

import sqlalchemy as sa

from survey.store.schema import invitations, meta
from survey.store.store import Store, today


class InvitationState(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    OPEN = "open"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode("utf-8", "replace")).hexdigest()


def new_tokens(count: int) -> list[str]:
    """`count` fresh tokens of 128 random bits each."""
    return [secrets.token_urlsafe(16) for _ in range(count)]


def add_invitations(store: Store, questionnaire_id: str, tokens: list[str],
                    partner: str | None = None) -> None:
    """Keep the hashes of `tokens`; the caller hands the tokens themselves out. `partner`: the
    partner organisation handing them out, carried to the responses as a plain id."""
    created_on = today()
    with store.engine.begin() as connection:
        connection.execute(sa.insert(invitations), [
            {"token_hash": token_hash(t), "questionnaire_id": questionnaire_id,
             "created_on": created_on, "used": False, "partner": partner} for t in tokens])
        key = _made_key(questionnaire_id)
        made = connection.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()
        if made is None:
            connection.execute(sa.insert(meta).values(key=key, value=str(len(tokens))))
        else:
            connection.execute(sa.update(meta).where(meta.c.key == key).values(
                value=str(int(made) + len(tokens))))


def _made_key(questionnaire_id: str) -> str:
    return f"invitations_made:{questionnaire_id}"


def invitation_state(store: Store, questionnaire_id: str, token: str) -> str:
    """OPEN, or UNKNOWN for a link never made or used up (the two cannot be told apart);
    USED only for links a store of an older toolkit marked used."""
    with store.engine.connect() as connection:
        used = connection.execute(sa.select(invitations.c.used).where(
            invitations.c.token_hash == token_hash(token),
            invitations.c.questionnaire_id == questionnaire_id)).scalar()
    if used is None:
        return InvitationState.UNKNOWN
    return InvitationState.USED if used else InvitationState.OPEN


def use_invitation(connection: sa.Connection, questionnaire_id: str, hashed: str) -> bool:
    """Use the invitation up inside the caller's transaction; False if it was not open."""
    result = connection.execute(sa.delete(invitations).where(
        invitations.c.token_hash == hashed, invitations.c.questionnaire_id == questionnaire_id,
        invitations.c.used.is_(False)))
    return result.rowcount == 1


def start_with_invitation(store: Store, questionnaire_id: str, token: str) -> bool:
    """Use the invitation up as a form is started with it, alone in its transaction and with
    the WAL emptied after; False if it was not open."""
    with store.engine.begin() as connection:
        used = use_invitation(connection, questionnaire_id, token_hash(token))
    store.empty_wal()
    return used


def invitation_counts(store: Store, questionnaire_id: str) -> dict[str, int]:
    with store.engine.connect() as connection:
        rows: dict[bool, int] = dict(connection.execute(
            sa.select(invitations.c.used, sa.func.count())
            .where(invitations.c.questionnaire_id == questionnaire_id)
            .group_by(invitations.c.used)).all())
        made = connection.execute(sa.select(meta.c.value).where(
            meta.c.key == _made_key(questionnaire_id))).scalar()
    open_ = rows.get(False, 0)
    total = int(made) if made is not None else open_ + rows.get(True, 0)
    return {InvitationState.OPEN: open_, InvitationState.USED: max(total - open_, 0)}
