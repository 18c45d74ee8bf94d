"""Staff accounts of the server: a name, a salted scrypt hash of the password, and a role."""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from survey.store.schema import users
from survey.store.store import Store, StoreError, today

MIN_PASSWORD_LENGTH = 10
_DUMMY_HASH = generate_password_hash("an account that does not exist", method="scrypt")


class Role(StrEnum):
    ADMIN = "admin"  # sees counts, downloads responses
    ENTRY = "entry"  # types in paper returns (data-entry pages)


def add_user(store: Store, name: str, password: str, role: Role = Role.ADMIN) -> None:
    """Create a user; StoreError if the name is taken or the password too short."""
    name = name.strip()
    if not name or len(name) > 64 or not name.isprintable():
        raise StoreError("a user name needs 1 to 64 printable characters")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StoreError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
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
