"""Load on the submission API: concurrent clients (50 by default) posting complete flagship
submissions to `survey serve` in subprocesses, on loopback only, each run bounded in time.

For each store, SQLite (one instance) and PostgreSQL (two instances on one database, clients
shared between them):
- alone: sustained submissions/s, p50/p99 latency, and acknowledged (201) against stored;
  in every run a new visitor's start page is timed once a second;
- under attack: the same while 500 slow connections per instance send a header line every 2 s
  and never finish, and one malformed chunked upload after another (a chunk-size line with no
  line ending) is sent to each instance;
- kill: one instance is SIGKILLed a third of the way in and restarted on the same store while
  the load goes on; every acknowledged submission must be stored (and SQLite's
  `PRAGMA integrity_check` must say ok).
Baseline, in this process: the same submissions through `submit()` straight into a SQLite
store, without HTTP, one thread. Prints figures; asserts nothing.

Each client sends from its own loopback address (127.x.y.z, all loopback on Linux) and moves
to a fresh one before the server's per-address limit on new submissions would answer 429: the
load stands for many respondents, and what is measured is the server, not that limit.

    .venv/bin/python benchmarks/server_load.py [SECONDS] [CLIENTS]
"""

from __future__ import annotations

import http.client
import json
import re
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from survey.project import Project
from survey.questionnaire.answer_checks import check_answers
from survey.server.respondent import NEW_SUBMISSIONS_PER_CLIENT
from survey.server.submissions import submit
from survey.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
SURVEY = "zusammen"
SAMPLE = ROOT / "data" / "sample" / "online.jsonl"
HOST = "127.0.0.1"
SLOW_CONNECTIONS = 500
HEADER_LINE_EVERY = 2.0
CHUNK_LINE_MAX = 4 * 1024 * 1024
"""Bytes of never-ending chunk-size line one malformed upload sends at most."""
PER_ADDRESS = NEW_SUBMISSIONS_PER_CLIENT - 10
"""Submissions a client sends from one address before it moves to the next."""


def sample_bodies() -> list[dict[str, Any]]:
    questionnaire = Project(ROOT).questionnaire(SURVEY)
    rows = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()]
    return [{"language": r["language"], "answers": r["answers"]} for r in rows
            if check_answers(questionnaire, r["answers"]).accepted]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def enough_open_files() -> None:
    """500 slow connections per instance, and the clients, in this one process."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 8192 if hard == resource.RLIM_INFINITY else min(8192, hard)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def start_server(db_url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-c", "from survey.cli import main; main()", "serve", str(ROOT),
         "--host", HOST, "--port", str(port), "--db", db_url, "--threads", "8"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


class Instances:
    """`survey serve` processes on one store, one port each, started one after the other."""

    def __init__(self, db_url: str, count: int):
        self.db_url = db_url
        self.ports = [free_port() for _ in range(count)]
        self.processes = [start_server(db_url, port) for port in self.ports]

    def kill_and_restart(self, index: int) -> None:
        self.processes[index].send_signal(signal.SIGKILL)
        self.processes[index].wait()
        self.processes[index] = start_server(self.db_url, self.ports[index])

    def memory(self) -> list[int]:
        """Resident memory of each instance in MB (Linux; 0 where it cannot be read)."""
        sizes = []
        for process in self.processes:
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
                found = re.search(r"VmRSS:\s+(\d+) kB", status)
                sizes.append(int(found.group(1)) // 1024 if found else 0)
            except OSError:
                sizes.append(0)
        return sizes

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def client_address(client: int, turn: int) -> str:
    """A loopback address of its own for each client and turn."""
    return f"127.{1 + client % 250}.{turn // 250 % 256}.{turn % 250 + 1}"


class Load:
    """Clients that post until told to stop; each remembers what the server acknowledged."""

    def __init__(self, ports: list[int], bodies: list[dict[str, Any]], clients: int):
        self.ports, self.bodies, self.clients = ports, bodies, clients
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged: list[str] = []
        self.latencies: list[float] = []
        self.failures = 0
        self.too_many = 0

    def client(self, number: int) -> None:
        port = self.ports[number % len(self.ports)]
        turn, sent_here = 0, 0

        def connect() -> http.client.HTTPConnection:
            return http.client.HTTPConnection(HOST, port, timeout=10,
                                              source_address=(client_address(number, turn), 0))

        connection = connect()
        i = number
        while not self.stop.is_set():
            if sent_here >= PER_ADDRESS:
                connection.close()
                turn, sent_here = turn + 1, 0
                connection = connect()
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
                connection = connect()
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            sent_here += 1
            with self.lock:
                if status == 201:
                    self.acknowledged.append(submission_id)
                    self.latencies.append(elapsed)
                elif status == 429:
                    self.too_many += 1
                else:
                    self.failures += 1
        connection.close()

    def run(self, seconds: float, during: Callable[[], None] | None = None) -> float:
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


# -- the attack -------------------------------------------------------------------------------

class SlowConnections:
    """Connections that send the start of a request, then a header line every 2 s, forever."""

    def __init__(self, port: int, count: int):
        self.sockets: list[socket.socket] = []
        for _ in range(count):
            sock = socket.create_connection((HOST, port), timeout=5)
            sock.sendall(f"GET /s/{SURVEY}/ HTTP/1.1\r\nHost: {HOST}\r\n".encode())
            self.sockets.append(sock)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        line = 0
        while not self.stop.wait(HEADER_LINE_EVERY):
            line += 1
            for sock in self.sockets:
                with suppress(OSError):
                    sock.sendall(b"X-Slow-%d: 1\r\n" % line)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=HEADER_LINE_EVERY + 5)
        for sock in self.sockets:
            sock.close()


def malformed_chunked_upload(port: int) -> str:
    """One chunked upload whose chunk-size line never ends; how the server ended it."""
    sock = socket.create_connection((HOST, port), timeout=10)
    try:
        sock.sendall(f"POST /s/{SURVEY}/api/submissions HTTP/1.1\r\nHost: {HOST}\r\n"
                     "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                     .encode())
        piece, sent = b"f" * 65536, 0
        while sent < CHUNK_LINE_MAX:
            try:
                sock.sendall(piece)
            except OSError:
                break
            sent += len(piece)
        try:
            answer = sock.recv(64)
        except TimeoutError:
            return "no answer"
        except OSError:
            return "closed"
        found = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
        return found.group(1).decode() if found else "closed"
    finally:
        sock.close()


def visit(port: int) -> float:
    """Seconds until a new visitor has the start page (inf if it never came)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=15)
    try:
        connection.request("GET", f"/s/{SURVEY}/")
        response = connection.getresponse()
        response.read()
    except OSError:
        return float("inf")
    finally:
        connection.close()
    return time.perf_counter() - started if response.status == 200 else float("inf")


class Visitor:
    """A new visitor opening the start page every second, in a thread (on the instance that is
    never killed)."""

    def __init__(self, port: int):
        self.port = port
        self.visits: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(1.0):
            self.visits.append(visit(self.port))

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


class Attack:
    """500 slow connections and one malformed chunked upload after another, per instance; all
    stop when the attack is closed."""

    def __init__(self, ports: list[int]):
        self.slow = [SlowConnections(port, SLOW_CONNECTIONS) for port in ports]
        self.stop = threading.Event()
        self.endings: list[str] = []
        self.threads = [threading.Thread(target=self._uploads, args=(port,), daemon=True)
                        for port in ports]
        for thread in self.threads:
            thread.start()
        time.sleep(HEADER_LINE_EVERY + 1)  # every slow connection accepted and trickling

    def _uploads(self, port: int) -> None:
        while not self.stop.is_set():
            try:
                self.endings.append(malformed_chunked_upload(port))
            except OSError:
                self.endings.append("refused")

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        for slow in self.slow:
            slow.close()


@contextmanager
def attacked(ports: list[int], active: bool) -> Iterator[Attack | None]:
    attack = Attack(ports) if active else None
    try:
        yield attack
    finally:
        if attack is not None:
            attack.close()


# -- the store --------------------------------------------------------------------------------

def stored_ids(db_url: str) -> set[str]:
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            return set(connection.execute(sa.text("SELECT submission_id FROM responses"))
                       .scalars())
    finally:
        engine.dispose()


def integrity(db_url: str) -> str:
    if not db_url.startswith("sqlite:///"):
        return "(PostgreSQL)"
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as db:
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


# -- the runs ---------------------------------------------------------------------------------

def load_run(name: str, db_url: str, instances: int, bodies: list[dict[str, Any]],
             seconds: float, clients: int, attack: bool = False, kill: bool = False) -> float:
    servers = Instances(db_url, instances)
    try:
        with attacked(servers.ports, attack) as running:
            load = Load(servers.ports, bodies, clients)
            visitor = Visitor(servers.ports[-1])

            def kill_and_restart() -> None:
                time.sleep(seconds / 3)
                servers.kill_and_restart(0)

            elapsed = load.run(seconds, during=kill_and_restart if kill else None)
            visitor.close()
            memory = servers.memory()
    finally:
        servers.stop()
    stored = stored_ids(db_url)
    missing = set(load.acknowledged) - stored
    rate = len(load.acknowledged) / elapsed
    print(f"{name}: {clients} clients, {instances} instance(s), {elapsed:.1f} s, "
          f"{len(load.acknowledged)} acknowledged, {load.failures} not acknowledged"
          f"{' (refused or cut off while an instance was down)' if kill else ''}, "
          f"{load.too_many} answered 429")
    print(f"  sustained: {rate:.0f} submissions/s; latency p50 "
          f"{percentile(load.latencies, 0.50) * 1000:.1f} ms, "
          f"p99 {percentile(load.latencies, 0.99) * 1000:.1f} ms")
    if running is not None:
        endings = {ending: running.endings.count(ending) for ending in set(running.endings)}
        print(f"  attack: {SLOW_CONNECTIONS} slow connections per instance; "
              f"{len(running.endings)} malformed uploads, ended: {endings}")
    print(f"  a new visitor's start page during the load: p50 "
          f"{percentile(visitor.visits, 0.5) * 1000:.0f} ms, slowest "
          f"{max(visitor.visits, default=float('nan')) * 1000:.0f} ms "
          f"({len(visitor.visits)} visits"
          f"{', the restart included' if kill and instances == 1 else ''})")
    print(f"  server memory at the end of the load: {', '.join(f'{m} MB' for m in memory)}")
    print(f"  stored: {len(stored)}; acknowledged but missing: {len(missing)} (target 0); "
          f"integrity: {integrity(db_url)}")
    return rate


def sqlite_runs(bodies: list[dict[str, Any]], folder: Path, seconds: float,
                clients: int) -> None:
    print("\n== SQLite, one instance ==")
    for name, options in (("alone", {}), ("under attack", {"attack": True}),
                          ("SIGKILL", {"kill": True})):
        load_run(name, f"sqlite:///{folder / (name.replace(' ', '_') + '.sqlite')}", 1, bodies,
                 seconds, clients, **options)


def postgres_runs(bodies: list[dict[str, Any]], seconds: float, clients: int) -> None:
    print("\n== PostgreSQL, two instances on one database ==")
    sys.path.insert(0, str(ROOT / "tests" / "server"))
    from postgres_cluster import postgres_cluster

    try:
        with postgres_cluster(free_port()) as url:
            print("  (a throwaway cluster as the tests start it, fsync off: the server "
                  "processes are killed, never PostgreSQL)")
            engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"),
                                      isolation_level="AUTOCOMMIT")
            for name, options in (("alone", {}), ("under attack", {"attack": True}),
                                  ("SIGKILL", {"kill": True})):
                database = f"load_{name.replace(' ', '_').lower()}"
                with engine.connect() as connection:
                    connection.execute(sa.text(f"CREATE DATABASE {database}"))
                load_run(name, url.rsplit("/", 1)[0] + f"/{database}", 2, bodies, seconds,
                         clients, **options)
            engine.dispose()
    except BaseException as error:  # pytest's Skipped when PostgreSQL is not installed
        if type(error).__name__ != "Skipped":
            raise
        print(f"  skipped: {error}")


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    enough_open_files()
    bodies = sample_bodies()
    with tempfile.TemporaryDirectory(prefix="survey-load-") as name:
        folder = Path(name)
        direct = baseline(bodies, folder, 2000)
        print(f"baseline (submit() into SQLite, no HTTP, one thread): {direct:.0f} "
              "submissions/s")
        sqlite_runs(bodies, folder, seconds, clients)
    postgres_runs(bodies, seconds, clients)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of the load process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
