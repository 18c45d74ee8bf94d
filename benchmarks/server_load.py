"""Load on the submission API: 50 concurrent clients posting complete flagship submissions to
`survey serve` (waitress, SQLite store) in a subprocess, on loopback only, bounded in time.

Run 1 (steady): sustained submissions/s, p50/p99 latency, and the count in the database
against the count acknowledged (201). Baseline, in this process: the same submissions through
`submit()` straight into a store, without HTTP, one thread.
Run 2 (kill): the server is SIGKILLed in the middle of the load, restarted on the same file,
the load goes on; afterwards every acknowledged submission must be in the store and
`PRAGMA integrity_check` must say ok. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/server_load.py [SECONDS] [CLIENTS]
"""

from __future__ import annotations

import http.client
import json
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from survey.project import Project
from survey.questionnaire.answer_checks import check_answers
from survey.server.submissions import submit
from survey.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
SURVEY = "zusammen"
SAMPLE = ROOT / "data" / "sample" / "online.jsonl"
HOST = "127.0.0.1"


def sample_bodies() -> list[dict[str, Any]]:
    questionnaire = Project(ROOT).questionnaire(SURVEY)
    rows = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()]
    return [{"language": r["language"], "answers": r["answers"]} for r in rows
            if check_answers(questionnaire, r["answers"]).accepted]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(database: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-c", "from survey.cli import main; main()", "serve", str(ROOT),
         "--host", HOST, "--port", str(port), "--db", f"sqlite:///{database}",
         "--threads", "8"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


class Load:
    """Clients that post until told to stop; each remembers what the server acknowledged."""

    def __init__(self, port: int, bodies: list[dict[str, Any]], clients: int):
        self.port, self.bodies, self.clients = port, bodies, clients
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged: list[str] = []
        self.latencies: list[float] = []
        self.failures = 0

    def client(self, number: int) -> None:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
        i = number
        while not self.stop.is_set():
            submission_id = str(uuid.uuid4())
            body = json.dumps({"submission_id": submission_id,
                               **self.bodies[i % len(self.bodies)]}).encode()
            i += self.clients
            started = time.perf_counter()
            try:
                connection.request("POST", f"/s/{SURVEY}/api/submissions", body,
                                   {"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            with self.lock:
                if status == 201:
                    self.acknowledged.append(submission_id)
                    self.latencies.append(elapsed)
                else:
                    self.failures += 1
        connection.close()

    def run(self, seconds: float, during: Any = None) -> float:
        threads = [threading.Thread(target=self.client, args=(n,)) for n in range(self.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        if during is not None:
            during()
        time.sleep(max(0.0, seconds - (time.perf_counter() - started)))
        self.stop.set()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started


def stored_ids(database: Path) -> set[str]:
    with sqlite3.connect(database) as db:
        return {row[0] for row in db.execute("SELECT submission_id FROM responses")}


def integrity(database: Path) -> str:
    with sqlite3.connect(database) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def baseline(bodies: list[dict[str, Any]], folder: Path, count: int) -> float:
    """Submissions/s through submit() into a store, no HTTP, one thread."""
    questionnaire = Project(ROOT).questionnaire(SURVEY)
    store = Store.open(f"sqlite:///{folder / 'baseline.sqlite'}")
    started = time.perf_counter()
    for i in range(count):
        body = bodies[i % len(bodies)]
        submit(store, questionnaire, str(uuid.uuid4()), body["answers"], body["language"])
    elapsed = time.perf_counter() - started
    store.close()
    return count / elapsed


def steady_run(bodies: list[dict[str, Any]], folder: Path, seconds: float,
               clients: int) -> float:
    database = folder / "steady.sqlite"
    port = free_port()
    server = start_server(database, port)
    load = Load(port, bodies, clients)
    elapsed = load.run(seconds)
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    missing = set(load.acknowledged) - stored_ids(database)
    rate = len(load.acknowledged) / elapsed
    print(f"steady run: {clients} clients, {elapsed:.1f} s, {len(load.acknowledged)} "
          f"acknowledged, {load.failures} not acknowledged")
    print(f"  sustained: {rate:.0f} submissions/s (target >= 200)")
    print(f"  latency: p50 {percentile(load.latencies, 0.50) * 1000:.1f} ms, "
          f"p99 {percentile(load.latencies, 0.99) * 1000:.1f} ms (target p99 < 250 ms)")
    print(f"  in the database: {len(stored_ids(database))}; acknowledged but missing: "
          f"{len(missing)} (target 0)")
    return rate


def kill_run(bodies: list[dict[str, Any]], folder: Path, seconds: float, clients: int) -> None:
    database = folder / "killed.sqlite"
    port = free_port()
    servers = [start_server(database, port)]

    def kill_and_restart() -> None:
        time.sleep(seconds / 3)
        servers[0].send_signal(signal.SIGKILL)
        servers[0].wait()
        print(f"  SIGKILL at {seconds / 3:.1f} s; restarting on the same file")
        servers.append(start_server(database, port))

    load = Load(port, bodies, clients)
    elapsed = load.run(seconds, during=kill_and_restart)
    servers[-1].send_signal(signal.SIGTERM)
    servers[-1].wait(timeout=30)
    missing = set(load.acknowledged) - stored_ids(database)
    print(f"kill run: {elapsed:.1f} s, {len(load.acknowledged)} acknowledged, "
          f"{load.failures} refused or cut off while the server was down")
    print(f"  acknowledged but missing after the restart: {len(missing)} (target 0)")
    print(f"  PRAGMA integrity_check: {integrity(database)}")


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    bodies = sample_bodies()
    with tempfile.TemporaryDirectory(prefix="survey-load-") as name:
        folder = Path(name)
        direct = baseline(bodies, folder, 2000)
        print(f"baseline (submit() into SQLite, no HTTP, one thread): {direct:.0f} "
              "submissions/s")
        rate = steady_run(bodies, folder, seconds, clients)
        print(f"  ratio to baseline: {rate / direct:.2f}")
        kill_run(bodies, folder, seconds, clients)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the load process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
