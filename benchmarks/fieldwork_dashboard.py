"""The fieldwork dashboard at 100,000 responses (SQLite): the time of /admin/<survey>/fieldwork
as an admin opens it (Flask test client, no network), and where the time goes.

The store is filled with the sample online returns of the flagship survey repeated to
100,000 accepted responses, spread over three partners, web, paper and import, and a serial
block of 20,000 forms per partner. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/fieldwork_dashboard.py [RESPONSES]
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "server"))
sys.path.insert(0, str(ROOT / "tests" / "fieldwork"))

from fieldwork_helpers import SURVEY, make_project, sample_answers  # noqa: E402
from server_helpers import hidden, sqlite_url  # noqa: E402

from survey.fieldwork import compute_fieldwork  # noqa: E402
from survey.server.app import create_app  # noqa: E402
from survey.store.partners import record_serial_blocks  # noqa: E402
from survey.store.store import encode_json  # noqa: E402
from survey.store.users import add_user  # noqa: E402

PARTNERS = ("leipzig-ru", "dresden-beirat", "kobo-team")
MODES = ("web", "paper", "import")
PASSWORD = "benchmark password 1"


def fill(project, count: int) -> float:
    store = project.store()
    for k, partner in enumerate(PARTNERS):
        record_serial_blocks(store, SURVEY, [(k * 20_000 + 1, (k + 1) * 20_000)], partner)
    answers = sample_answers(project)
    version = project.questionnaire(SURVEY).survey.version
    start = time.perf_counter()
    day0 = dt.date(2026, 3, 1)
    serial = 0
    with store.engine.begin() as connection:
        rows = []
        for k in range(count):
            language, validated = answers[k % len(answers)]
            mode = MODES[k % 3]
            partner = PARTNERS[(k // 3) % 3] if k % 7 else None
            source_row = None
            if mode == "paper":
                serial += 1
                source_row = serial
            text = encode_json(validated)
            rows.append({
                "submission_id": str(uuid.UUID(int=k + 1, version=4)),
                "questionnaire_id": SURVEY, "questionnaire_version": version,
                "language": language, "mode": mode, "status": "accepted", "raw": text,
                "answers": text, "source_row": source_row, "partner": partner,
                "received_on": day0 + dt.timedelta(days=k % 60),
                "stored_at": dt.datetime(2026, 3, 1)})
            if len(rows) == 5000:
                store.add_encoded(connection, rows, [])
                rows = []
        if rows:
            store.add_encoded(connection, rows, [])
    store.close()
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder) / "project")
        took = fill(project, count)
        print(f"filled {count:,} responses in {took:.1f} s")
        store = project.store()
        questionnaire = project.questionnaire(SURVEY)
        start = time.perf_counter()
        compute_fieldwork(project, store, questionnaire)
        print(f"compute_fieldwork (library, first call): {time.perf_counter() - start:.2f} s")
        store.close()
        app = create_app(project, sqlite_url(project.root / "data" / "store.sqlite"))
        add_user(app.extensions["survey"].store, "ana", PASSWORD)
        client = app.test_client()
        login = client.get("/admin/login")
        client.post("/admin/login", data={"csrf_token": hidden(login.text, "csrf_token"),
                                          "name": "ana", "password": PASSWORD})
        times = []
        for _ in range(5):
            start = time.perf_counter()
            page = client.get(f"/admin/{SURVEY}/fieldwork")
            times.append(time.perf_counter() - start)
            assert page.status_code == 200, page.status_code
        print(f"dashboard page at {count:,} responses (SQLite), 5 requests: "
              f"median {statistics.median(times):.2f} s, min {min(times):.2f} s, "
              f"max {max(times):.2f} s, page {len(page.data) / 1024:.0f} KB")
        print(json.dumps({"responses": count, "page_median_s": round(statistics.median(times), 3)}))


if __name__ == "__main__":
    main()
