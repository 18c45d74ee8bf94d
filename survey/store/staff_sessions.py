"""Staff sessions kept in the store, so that they can be ended.

The cookie holds only a random token; the store keeps its hash, whose user it is and when it
was last used. Logging out, a new password, a new role or removing the user deletes the rows,
and the next click of that browser finds none: a stolen or forgotten cookie is worth nothing
from then on. Every server instance over the same store sees the same sessions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from survey.store.schema import staff_sessions, users
from survey.store.store import Store, now

SEEN_EVERY = dt.timedelta(minutes=1)
"""`seen_at` is written at most this often, so browsing costs no write per click."""


@dataclass(frozen=True)
class SessionLimits:
    idle: dt.timedelta = dt.timedelta(hours=8)
    """A session unused this long has ended."""
    absolute: dt.timedelta = dt.timedelta(days=7)
    """A session this old has ended, however busy."""


@dataclass(frozen=True)
class StaffSession:
    user: str
    role: str
    started_at: dt.datetime
    seen_at: dt.datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(store: Store, user: str) -> str:
    """A new session of `user`; the token goes into the cookie and nowhere else."""
    token = secrets.token_urlsafe(32)
    stamp = now()
    with store.engine.begin() as connection:
        connection.execute(sa.insert(staff_sessions).values(
            token_hash=_hash(token), user=user, started_at=stamp, seen_at=stamp))
    return token


def session_of(store: Store, token: str | None, limits: SessionLimits) -> StaffSession | None:
    """The live session behind `token` with the user's current role; None if it has ended."""
    if not token or len(token) > 128:
        return None
    key = _hash(token)
    stamp = now()
    with store.engine.connect() as connection:
        row = connection.execute(
            sa.select(staff_sessions.c.user, users.c.role, staff_sessions.c.started_at,
                      staff_sessions.c.seen_at)
            .join(users, users.c.name == staff_sessions.c.user)
            .where(staff_sessions.c.token_hash == key)).first()
    if row is None:
        return None
    if stamp - row.seen_at > limits.idle or stamp - row.started_at > limits.absolute:
        end_session(store, token)
        return None
    if stamp - row.seen_at > SEEN_EVERY:
        with store.engine.begin() as connection:
            connection.execute(sa.update(staff_sessions).where(
                staff_sessions.c.token_hash == key).values(seen_at=stamp))
    return StaffSession(row.user, row.role, row.started_at, row.seen_at)


def end_session(store: Store, token: str) -> None:
    with store.engine.begin() as connection:
        connection.execute(sa.delete(staff_sessions).where(
            staff_sessions.c.token_hash == _hash(token)))


def end_sessions_of(connection: sa.Connection, user: str) -> int:
    """End every session of `user` (inside the caller's transaction); how many there were."""
    return connection.execute(sa.delete(staff_sessions).where(
        staff_sessions.c.user == user)).rowcount


def live_sessions(store: Store, limits: SessionLimits) -> list[StaffSession]:
    """Sessions that have not ended, oldest first; ended ones are deleted on the way."""
    stamp = now()
    with store.engine.begin() as connection:
        connection.execute(sa.delete(staff_sessions).where(sa.or_(
            staff_sessions.c.seen_at < stamp - limits.idle,
            staff_sessions.c.started_at < stamp - limits.absolute)))
        rows = connection.execute(
            sa.select(staff_sessions.c.user, users.c.role, staff_sessions.c.started_at,
                      staff_sessions.c.seen_at)
            .join(users, users.c.name == staff_sessions.c.user)
            .order_by(staff_sessions.c.started_at)).all()
    return [StaffSession(*row) for row in rows]
