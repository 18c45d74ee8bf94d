"""The store's tables (SQLAlchemy Core, so SQLite and PostgreSQL share one code path).

A response row is the response record of DESIGN.md: raw answers exactly as received next to
the validated ones, its provenance and its status. Rows are never dropped by ingest; only an
explicit rollback of a whole batch or the deletion of one respondent removes them.
"""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa

SCHEMA_VERSION = 7
"""Raised by one with every change to the tables below, together with a step in migrations.py."""

metadata = sa.MetaData()


class Status(StrEnum):
    """Where a response stands: accepted into the data, quarantined for a person to fix, a
    duplicate of an earlier one, or withdrawn."""

    ACCEPTED = "accepted"
    QUARANTINED = "quarantined"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"


class Mode(StrEnum):
    """How a response came in: the online form, typed in from paper, scanned, or imported from a
    file."""

    WEB = "web"
    PAPER = "paper"
    IMPORT = "import"
    SCAN = "scan"


meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

batches = sa.Table(
    "batches", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("file_hash", sa.String(64), nullable=False, index=True),
    sa.Column("sheet", sa.Text),
    sa.Column("questionnaire_id", sa.String(64), nullable=False),
    sa.Column("questionnaire_version", sa.String(64), nullable=False),
    sa.Column("entered_by", sa.Text, nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("rows_in", sa.Integer, nullable=False, default=0),
    sa.Column("accepted", sa.Integer, nullable=False, default=0),
    sa.Column("warnings", sa.Integer, nullable=False, default=0),
    sa.Column("quarantined", sa.Integer, nullable=False, default=0),
    sa.Column("duplicates", sa.Integer, nullable=False, default=0),
    sa.Column("rolled_back_at", sa.DateTime),
    sa.Column("reading", sa.Text),
    # version 4: how the file's columns were read (survey.ingest.reading), as JSON
    sa.Column("partner", sa.String(64)),
    # version 7: the partner organisation that sent the file (an id of partners.yaml)
)

responses = sa.Table(
    "responses", metadata,
    sa.Column("submission_id", sa.String(36), primary_key=True),
    sa.Column("questionnaire_id", sa.String(64), nullable=False, index=True),
    sa.Column("questionnaire_version", sa.String(64), nullable=False),
    sa.Column("language", sa.String(16)),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("raw", sa.Text, nullable=False),
    sa.Column("answers", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), index=True),
    sa.Column("respondent_key", sa.Text, index=True),
    sa.Column("duplicate_of", sa.String(36)),
    sa.Column("source_file", sa.Text),
    sa.Column("source_hash", sa.String(64)),
    sa.Column("source_sheet", sa.Text),
    sa.Column("source_row", sa.Integer),
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), index=True),
    sa.Column("entered_by", sa.Text),
    sa.Column("received_on", sa.Date),
    sa.Column("stored_at", sa.DateTime, nullable=False),
    sa.Column("partner", sa.String(64)),
    # version 7: the partner organisation that brought the response in (an id of
    # partners.yaml): from its import batch, its invitation or link, or the serial block of its
    # paper copy. A plain id, the same for every response of that partner.
)

problems = sa.Table(
    "problems", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.String(36),
              sa.ForeignKey("responses.submission_id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("column", sa.Text),
    sa.Column("value", sa.Text),
    sa.Column("rule", sa.String(32), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("fix", sa.Text),
    sa.Column("severity", sa.String(16), nullable=False),
)


# -- version 2: the online form --------------------------------------------------------------

drafts = sa.Table(
    "drafts", metadata,
    sa.Column("code_hash", sa.String(64), primary_key=True),
    sa.Column("questionnaire_id", sa.String(64), nullable=False),
    sa.Column("submission_id", sa.String(36), nullable=False),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("answers", sa.Text, nullable=False),
    sa.Column("page", sa.Integer, nullable=False),
    sa.Column("furthest", sa.Integer, nullable=False),
    sa.Column("invitation", sa.String(64)),
    sa.Column("updated_on", sa.Date, nullable=False, index=True),
    sa.Column("partner", sa.String(64)),
    # version 7: the partner of the link the form was started from, carried to the response
    sa.Index("ix_drafts_submission_id", "submission_id"),
)
"""Answers of a form in progress, under the hash of its resume code; deleted on submission.
`invitation` is always empty from version 5 on: an invitation is used up when its form starts,
so no draft ties it to the response (kept only because upgrades never drop columns)."""

invitations = sa.Table(
    "invitations", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("questionnaire_id", sa.String(64), nullable=False, index=True),
    sa.Column("created_on", sa.Date, nullable=False),
    sa.Column("used", sa.Boolean, nullable=False, default=False),
    sa.Column("partner", sa.String(64)),
    # version 7: the partner organisation that hands the link out
)
"""One-time links. Deliberately no key, no time and no order shared with `responses`: a
token must not be joinable to the answers it unlocked. The only thing carried from a link to
its response is `partner`, a plain id shared by every link and response of that partner
organisation (never anything personal), and the row is deleted when the link is used."""

users = sa.Table(
    "users", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_on", sa.Date, nullable=False),
    sa.Column("language", sa.String(16)),
    # version 6: the language of the staff pages for this user (None: the browser's)
)
"""Staff who log in to the server's admin and data-entry pages."""


# -- version 3: double entry of paper returns ------------------------------------------------

entries = sa.Table(
    "entries", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("questionnaire_id", sa.String(64), nullable=False),
    sa.Column("serial", sa.String(16), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("entered_by", sa.String(64), nullable=False, index=True),
    sa.Column("typed", sa.Text, nullable=False),
    sa.Column("finished", sa.Boolean, nullable=False, default=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("questionnaire_id", "serial", "round"),
)
"""One typist's entry of one paper copy, exactly as typed (answer codes, '-' left blank, '?'
unreadable); round 1 and 2 are the two blind entries. A draft until finished."""

entry_audit = sa.Table(
    "entry_audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("user", sa.String(64), nullable=False),
    sa.Column("questionnaire_id", sa.String(64), nullable=False),
    sa.Column("subject", sa.String(64), nullable=False, index=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("field", sa.Text),
    sa.Column("old", sa.Text),
    sa.Column("new", sa.Text),
)
"""Every decision on a return (who, when, old, new): reconciled fields, accepted forms,
discarded drafts, fixed quarantined rows. Only ever appended to."""

entry_locks = sa.Table(
    "entry_locks", metadata,
    sa.Column("subject", sa.String(64), primary_key=True),
    sa.Column("user", sa.String(64), nullable=False),
    sa.Column("since", sa.DateTime, nullable=False),
)
"""Who is reconciling a return right now, so that a second person is told instead of both
deciding the same fields."""


# -- version 5: revocable staff sessions and login lockout -----------------------------------

staff_sessions = sa.Table(
    "staff_sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user", sa.String(64), nullable=False, index=True),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("seen_at", sa.DateTime, nullable=False),
)
"""One row per logged-in staff member's browser, under the hash of the token in its cookie:
deleting the row ends the session at the next click, whatever the cookie says."""

login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("name_hash", sa.String(64), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_at", sa.DateTime, nullable=False),
    sa.Column("locked_until", sa.DateTime),
)
"""Wrong passwords in a row per account name (a keyed hash of the name, since people type
passwords into the name field), shared by every server instance over the store."""


# -- version 5 also: erasure on request ----------------------------------------------------

erasures = sa.Table(
    "erasures", metadata,
    sa.Column("submission_id", sa.String(36), primary_key=True),
    sa.Column("questionnaire_id", sa.String(64), nullable=False),
    sa.Column("serial", sa.String(16)),
    sa.Column("erased_on", sa.Date, nullable=False),
)
"""Tombstones: ids whose response was erased, so a repeated post, import or paper entry of
the same return cannot bring it back. Only the id and the day, nothing of the answers."""

withdrawal_codes = sa.Table(
    "withdrawal_codes", metadata,
    sa.Column("code_hash", sa.String(64), primary_key=True),
    sa.Column("submission_id", sa.String(36), nullable=False, unique=True),
)
"""The hash of the code a respondent was given to withdraw their response later."""


# -- version 7: partner organisations ---------------------------------------------------------

serial_blocks = sa.Table(
    "serial_blocks", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("questionnaire_id", sa.String(64), nullable=False, index=True),
    sa.Column("first_serial", sa.Integer, nullable=False),
    sa.Column("last_serial", sa.Integer, nullable=False),
    sa.Column("partner", sa.String(64), nullable=False, index=True),
    sa.Column("printed_on", sa.Date, nullable=False),
    sa.Column("recorded_by", sa.Text),
)
"""Serial numbers of printed paper copies handed to a partner organisation (first to last,
inclusive). Blocks of different partners never overlap, so a returned copy's serial names its
partner."""
