"""The key that signs the server's session cookies, kept in the store.

Kept in the database rather than a file so that every server instance sharing a PostgreSQL
store accepts the same sessions, and a restart does not log staff out or lose a form.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from survey.store.schema import meta
from survey.store.store import Store

_KEY = "server_secret"


def server_secret(store: Store) -> str:
    """The store's secret, made on first use (two servers starting at once agree on one)."""
    query = sa.select(meta.c.value).where(meta.c.key == _KEY)
    with store.engine.connect() as connection:
        found: str | None = connection.execute(query).scalar()
    if found is not None:
        return found
    try:
        with store.engine.begin() as connection:
            connection.execute(sa.insert(meta).values(key=_KEY, value=secrets.token_hex(32)))
    except sa.exc.IntegrityError:
        pass  # another instance made it first
    with store.engine.connect() as connection:
        secret: str = connection.execute(query).scalar_one()
        return secret
