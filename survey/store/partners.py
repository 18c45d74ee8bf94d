"""Partner organisations in the store: the serial blocks printed for each partner, the partner
of an invitation link, the partner of an import batch, and the counts the fieldwork dashboard
reads (every count one query on the `partner` column of the responses).

The partner ids themselves are listed in the project's partners.yaml (survey.project); the
store keeps only the ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from survey.store.invitations import token_hash
from survey.store.partner_tags import PAPER_MODES
from survey.store.schema import (
    entries,
    invitations,
    responses,
    serial_blocks,
)
from survey.store.store import Store, StoreError, today


class SerialBlockError(StoreError):
    """A serial block that cannot be recorded (it overlaps another partner's block)."""


@dataclass(frozen=True)
class SerialBlock:
    questionnaire_id: str
    first: int
    last: int
    partner: str
    printed_on: dt.date

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def describe(self, digits: int = 6) -> str:
        return f"{self.first:0{digits}d}–{self.last:0{digits}d} ({self.partner})"


def _block(row: sa.Row[Any]) -> SerialBlock:
    return SerialBlock(row.questionnaire_id, row.first_serial, row.last_serial, row.partner,
                       row.printed_on)


def _overlapping(connection: sa.Connection, questionnaire_id: str, first: int,
                 last: int) -> list[SerialBlock]:
    return [_block(row) for row in connection.execute(sa.select(serial_blocks).where(
        serial_blocks.c.questionnaire_id == questionnaire_id,
        serial_blocks.c.first_serial <= last, serial_blocks.c.last_serial >= first)
        .order_by(serial_blocks.c.first_serial))]


def _refuse_overlap(connection: sa.Connection, questionnaire_id: str, first: int, last: int,
                    partner: str) -> None:
    if first < 1 or last < first:
        raise SerialBlockError(f"a serial block runs from a first serial of 1 or more to a last "
                               f"serial not below it, not {first}–{last}")
    other = [b for b in _overlapping(connection, questionnaire_id, first, last)
             if b.partner != partner]
    if other:
        taken = ", ".join(b.describe() for b in other)
        raise SerialBlockError(
            f"serials {first:06d}–{last:06d} for partner '{partner}' overlap the block "
            f"{taken} of questionnaire '{questionnaire_id}'; a serial can belong to one "
            "partner only: choose serials outside that block (survey partners list shows "
            "them)")


def record_serial_blocks(store: Store, questionnaire_id: str,
                         blocks: Iterable[tuple[int, int]], partner: str,
                         printed_on: dt.date | None = None,
                         recorded_by: str | None = None) -> list[SerialBlock]:
    """Record that serials first..last (each block) went to `partner`, all or none; paper
    returns already stored with those serials get the partner too. A block the partner holds
    already is not recorded twice."""
    day = printed_on or today()
    made = []
    with store.engine.begin() as connection:
        for first, last in blocks:
            _refuse_overlap(connection, questionnaire_id, first, last, partner)
            same = [b for b in _overlapping(connection, questionnaire_id, first, last)
                    if b.first == first and b.last == last]
            block = SerialBlock(questionnaire_id, first, last, partner, day)
            if not same:
                connection.execute(sa.insert(serial_blocks).values(
                    questionnaire_id=questionnaire_id, first_serial=first, last_serial=last,
                    partner=partner, printed_on=day, recorded_by=recorded_by))
            connection.execute(sa.update(responses).where(
                responses.c.questionnaire_id == questionnaire_id,
                responses.c.mode.in_(PAPER_MODES), responses.c.partner.is_(None),
                responses.c.source_row >= first, responses.c.source_row <= last)
                .values(partner=partner))
            made.append(same[0] if same else block)
    return made


def serial_blocks_of(store: Store, questionnaire_id: str) -> list[SerialBlock]:
    with store.engine.connect() as connection:
        return [_block(row) for row in connection.execute(sa.select(serial_blocks).where(
            serial_blocks.c.questionnaire_id == questionnaire_id)
            .order_by(serial_blocks.c.first_serial))]


def returned_serials(store: Store, questionnaire_id: str) -> set[int]:
    """Serials of paper copies that came back: typed in or scanned (an entry, finished or not)
    or stored as a response of a paper copy."""
    found: set[int] = set()
    with store.engine.connect() as connection:
        for (serial,) in connection.execute(sa.select(entries.c.serial).distinct().where(
                entries.c.questionnaire_id == questionnaire_id)):
            if str(serial).isdigit():
                found.add(int(serial))
        found.update(row[0] for row in connection.execute(
            sa.select(responses.c.source_row).distinct().where(
                responses.c.questionnaire_id == questionnaire_id,
                responses.c.mode.in_(PAPER_MODES), responses.c.source_row.is_not(None))))
    return found


def invitation_partner(store: Store, questionnaire_id: str, token: str) -> str | None:
    """The partner an open invitation link was made for (None: none, or no such link)."""
    with store.engine.connect() as connection:
        return connection.execute(sa.select(invitations.c.partner).where(
            invitations.c.token_hash == token_hash(token),
            invitations.c.questionnaire_id == questionnaire_id)).scalar()


def tag_response(store: Store, submission_id: str, partner: str) -> None:
    """Give a stored response without a partner this one (an API submission with a partner's
    invitation, whose invitation row is gone once used)."""
    with store.engine.begin() as connection:
        connection.execute(sa.update(responses).where(
            responses.c.submission_id == submission_id, responses.c.partner.is_(None))
            .values(partner=partner))


def counts_by_partner(store: Store, questionnaire_id: str
                      ) -> list[tuple[str | None, str, str, int]]:
    """(partner, mode, status, responses) of every response, whatever its status, so that
    quarantined returns count as brought in too."""
    query = (sa.select(responses.c.partner, responses.c.mode, responses.c.status,
                       sa.func.count())
             .where(responses.c.questionnaire_id == questionnaire_id)
             .group_by(responses.c.partner, responses.c.mode, responses.c.status))
    with store.engine.connect() as connection:
        return [(p, m, s, int(n)) for p, m, s, n in connection.execute(query)]


