"""One-time invitation links, in a table that shares nothing with the responses.

Only a hash of each token is stored, with the day it was made and whether it was used: no
submission id and no time of use, so an anonymous survey stays anonymous to whoever holds
both the invitation list and the database.
"""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

import sqlalchemy as sa

from survey.store.schema import invitations
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


def add_invitations(store: Store, questionnaire_id: str, tokens: list[str]) -> None:
    """Keep the hashes of `tokens`; the caller hands the tokens themselves out."""
    created_on = today()
    with store.engine.begin() as connection:
        connection.execute(sa.insert(invitations), [
            {"token_hash": token_hash(t), "questionnaire_id": questionnaire_id,
             "created_on": created_on, "used": False} for t in tokens])


def invitation_state(store: Store, questionnaire_id: str, token: str) -> str:
    with store.engine.connect() as connection:
        used = connection.execute(sa.select(invitations.c.used).where(
            invitations.c.token_hash == token_hash(token),
            invitations.c.questionnaire_id == questionnaire_id)).scalar()
    if used is None:
        return InvitationState.UNKNOWN
    return InvitationState.USED if used else InvitationState.OPEN


def use_invitation(connection: sa.Connection, questionnaire_id: str, hashed: str) -> bool:
    """Mark the invitation used inside the submission's transaction; False if it was not open."""
    result = connection.execute(sa.update(invitations).where(
        invitations.c.token_hash == hashed, invitations.c.questionnaire_id == questionnaire_id,
        invitations.c.used.is_(False)).values(used=True))
    return result.rowcount == 1


def invitation_counts(store: Store, questionnaire_id: str) -> dict[str, int]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(invitations.c.used, sa.func.count())
                                  .where(invitations.c.questionnaire_id == questionnaire_id)
                                  .group_by(invitations.c.used)).all()
    counts = {InvitationState.OPEN: 0, InvitationState.USED: 0}
    for used, count in rows:
        counts[InvitationState.USED if used else InvitationState.OPEN] += count
    return counts
