"""The partner of a response as it is stored: taken over from the form's draft (a link or
invitation of a partner) or from the serial block its paper copy was printed in.

Done inside the transaction that stores the response, so a response never exists without the
partner it came with. Imports nothing but the schema: the store itself calls it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from survey.store.schema import Mode, drafts, serial_blocks

PAPER_MODES = (Mode.PAPER.value, Mode.SCAN.value)


def serial_partner(connection: sa.Connection, questionnaire_id: str, serial: int) -> str | None:
    """The partner whose block holds `serial` of `questionnaire_id`, or None."""
    return connection.execute(sa.select(serial_blocks.c.partner).where(
        serial_blocks.c.questionnaire_id == questionnaire_id,
        serial_blocks.c.first_serial <= serial, serial_blocks.c.last_serial >= serial)
        .limit(1)).scalar()


def fill_partners(connection: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Give rows without a partner the one of their draft (web) or serial block (paper, scan)."""
    web = [row["submission_id"] for row in rows
           if row.get("partner") is None and row.get("mode") == Mode.WEB.value]
    if web:
        found = dict(connection.execute(sa.select(drafts.c.submission_id, drafts.c.partner).where(
            drafts.c.submission_id.in_(web), drafts.c.partner.is_not(None))).all())
        for row in rows:
            if row.get("partner") is None and row["submission_id"] in found:
                row["partner"] = found[row["submission_id"]]
    for row in rows:
        if row.get("partner") is None and row.get("mode") in PAPER_MODES \
                and row.get("source_row") is not None:
            row["partner"] = serial_partner(connection, row["questionnaire_id"],
                                            int(row["source_row"]))
