"""Staff accounts of the server: a name, a salted scrypt hash of the password, and a role.

Changing a password or a role, or removing a user, ends every session of that user at once
(survey.store.staff_sessions). Wrong passwords in a row lock the account for a time that
doubles with each further one, so guessing stays slow whoever guesses and from wherever.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from survey.store.schema import login_failures, users
from survey.store.staff_sessions import end_sessions_of
from survey.store.store import Store, StoreError, now, today

MIN_PASSWORD_LENGTH = 10
LOCK_AFTER = 5
"""Wrong passwords in a row before the account is locked."""
FIRST_LOCK = dt.timedelta(seconds=30)
"""The first lock; each further wrong password after it doubles the lock."""
LONGEST_LOCK = dt.timedelta(hours=1)
FORGET_FAILURES = dt.timedelta(days=1)
"""Wrong passwords older than this no longer count."""
_DUMMY_HASH = generate_password_hash("an account that does not exist", method="scrypt")


class Role(StrEnum):
    """What a staff user may do on the server: administer, or type in paper returns."""

    ADMIN = "admin"  # sees counts, downloads responses
    ENTRY = "entry"  # types in paper returns (data-entry pages)


@dataclass(frozen=True)
class StaffUser:
    name: str
    role: str
    created_on: dt.date
    language: str | None = None
    """The language of their staff pages; None: their browser's."""


@dataclass(frozen=True)
class LoginOutcome:
    role: Role | None
    """The user's role when the password was right and the account not locked."""
    wait: dt.timedelta = dt.timedelta(0)
    """How long the account stays locked (nothing was checked while it is)."""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StoreError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")


def add_user(store: Store, name: str, password: str, role: Role = Role.ADMIN) -> None:
    """Create a user; StoreError if the name is taken or the password too short."""
    name = name.strip()
    if not name or len(name) > 64 or not name.isprintable():
        raise StoreError("a user name needs 1 to 64 printable characters")
    _check_password(password)
    try:
        with store.engine.begin() as connection:
            connection.execute(sa.insert(users).values(
                name=name, password_hash=generate_password_hash(password, method="scrypt"),
                role=str(role), created_on=today()))
    except sa.exc.IntegrityError as error:
        raise StoreError(f"there is already a user '{name}'; choose another name") from error


def authenticate(store: Store, name: str, password: str) -> Role | None:
    """The user's role if the password matches, else None (same work either way)."""
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(users.c.password_hash, users.c.role)
                                 .where(users.c.name == name)).first()
    if row is None:
        check_password_hash(_DUMMY_HASH, password)  # no timing hint that the name is unknown
        return None
    return Role(row.role) if check_password_hash(row.password_hash, password) else None


def _changed(store: Store, name: str, values: dict[str, str]) -> int:
    """Update user `name` and end their sessions; how many sessions ended."""
    with store.engine.begin() as connection:
        found = connection.execute(sa.update(users).where(users.c.name == name).values(
            **values)).rowcount
        if not found:
            raise StoreError(f"there is no user '{name}'; survey users list shows them")
        return end_sessions_of(connection, name)


def set_password(store: Store, name: str, password: str) -> int:
    """A new password for `name`; every session of theirs ends. Returns how many did."""
    _check_password(password)
    return _changed(store, name, {"password_hash": generate_password_hash(password,
                                                                          method="scrypt")})


def set_role(store: Store, name: str, role: Role) -> int:
    """A new role for `name`; every session of theirs ends. Returns how many did."""
    return _changed(store, name, {"role": str(role)})


def set_language(store: Store, name: str, language: str | None) -> None:
    """The language of `name`'s staff pages from their next page on; None: the browser's.
    Their sessions go on (nothing about what they may do changed)."""
    with store.engine.begin() as connection:
        if not connection.execute(sa.update(users).where(users.c.name == name).values(
                language=language)).rowcount:
            raise StoreError(f"there is no user '{name}'; survey users list shows them")


def user_language(store: Store, name: str) -> str | None:
    with store.engine.connect() as connection:
        return connection.execute(sa.select(users.c.language).where(
            users.c.name == name)).scalar_one_or_none()


def remove_user(store: Store, name: str) -> int:
    """Delete user `name` and end their sessions; their audit entries keep the name."""
    with store.engine.begin() as connection:
        ended = end_sessions_of(connection, name)
        if not connection.execute(sa.delete(users).where(users.c.name == name)).rowcount:
            raise StoreError(f"there is no user '{name}'; survey users list shows them")
    return ended


def list_users(store: Store) -> list[StaffUser]:
    with store.engine.connect() as connection:
        return [StaffUser(*row) for row in connection.execute(
            sa.select(users.c.name, users.c.role, users.c.created_on, users.c.language)
            .order_by(users.c.name))]


def _name_hash(name: str, secret: str) -> str:
    return hmac.new(secret.encode(), name.encode(), hashlib.sha256).hexdigest()


def log_in(store: Store, name: str, password: str, secret: str) -> LoginOutcome:
    """Check a login against the account's lock and password, and count a wrong one.

    A locked account is refused without looking at the password, so the right password is no
    help to a guesser until the lock has passed; an unknown name is counted like a known one,
    so locks say nothing about which names exist."""
    key = _name_hash(name, secret)
    stamp = now()
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(login_failures).where(
            login_failures.c.name_hash == key)).mappings().first()
    if row is not None and row["locked_until"] is not None and row["locked_until"] > stamp:
        return LoginOutcome(None, row["locked_until"] - stamp)
    role = authenticate(store, name, password)
    with store.engine.begin() as connection:
        if role is not None:
            connection.execute(sa.delete(login_failures).where(
                login_failures.c.name_hash == key))
            return LoginOutcome(role)
        connection.execute(sa.delete(login_failures).where(
            login_failures.c.last_at < stamp - FORGET_FAILURES))
        failures = 1 + (row["failures"] if row is not None
                        and row["last_at"] >= stamp - FORGET_FAILURES else 0)
        lock = (min(FIRST_LOCK * 2 ** (failures - LOCK_AFTER), LONGEST_LOCK)
                if failures >= LOCK_AFTER else None)
        values = {"failures": failures, "last_at": stamp,
                  "locked_until": stamp + lock if lock else None}
        if row is None or not connection.execute(sa.update(login_failures).where(
                login_failures.c.name_hash == key).values(**values)).rowcount:
            connection.execute(sa.insert(login_failures).values(name_hash=key, **values))
    return LoginOutcome(None, lock or dt.timedelta(0))
