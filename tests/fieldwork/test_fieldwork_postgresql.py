"""The store part of partners and the dashboard on a real PostgreSQL (the session's throwaway
cluster of tests/server/postgres_cluster.py): serial blocks, partners filled in on storing,
the counts per partner and per weighting cell equal to direct queries."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fieldwork_helpers import SURVEY, fill_store, make_project
from postgres_cluster import postgres_cluster
from server_helpers import free_port

from survey.fieldwork import compute_fieldwork
from survey.store.partners import SerialBlockError, record_serial_blocks
from survey.store.schema import Status, responses
from survey.store.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_cluster(free_port()) as url:
        admin = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"),
                                 isolation_level="AUTOCOMMIT")
        name = f"t_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
        admin.dispose()
        yield url.rsplit("/", 1)[0] + f"/{name}"


def test_the_dashboard_counts_on_postgresql(pg_url, tmp_path):
    project = make_project(tmp_path / "project")
    store = Store.open(pg_url)
    try:
        fill_store(project, store)
        with pytest.raises(SerialBlockError):
            record_serial_blocks(store, SURVEY, [(50, 120)], "kobo-team")
        figures = compute_fieldwork(project, store, project.questionnaire(SURVEY))
        with store.engine.connect() as connection:
            direct = dict(connection.execute(
                sa.select(responses.c.partner, sa.func.count())
                .where(responses.c.status == Status.ACCEPTED)
                .group_by(responses.c.partner)).all())
        assert {row.id: row.accepted for row in figures.partners} == direct
        rows = {row.id: row for row in figures.partners}
        assert rows["leipzig-ru"].by_mode["paper"] == 40
        assert (rows["leipzig-ru"].printed, rows["leipzig-ru"].not_returned) == (100, 60)
        assert figures.representativeness is not None
        assert sum(c.achieved or 0 for c in figures.cells) > 0
    finally:
        store.close()
