"""Staying available: the server built exactly as `survey serve` builds it, on loopback
(127.0.0.1 only), under slow connections that never finish their request, a chunked body whose
chunk-size line never ends, JSON nested or spread far beyond any answer set, and one client
that starts forms and posts submissions without end. Every attack is bounded in count and time
and stops by itself; the one timed assertion is the functional bound "a new visitor's page
within one second", widened only if the machine is slow before any attack.
"""

from __future__ import annotations

import html
import http.client
import json
import re
import resource
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from server_helpers import SURVEY, free_port, sqlite_url

from survey.interface_texts import interface_text
from survey.project import Project
from survey.server.app import MAX_REQUEST_BYTES
from survey.server.respondent import (
    MAX_JSON_DEPTH,
    MAX_JSON_VALUES,
    NEW_FORMS_PER_CLIENT,
    NEW_SUBMISSIONS_PER_CLIENT,
)
from survey.server.serve import close_store, open_server
from survey.store.schema import responses

HOST = "127.0.0.1"
SLOW_CONNECTIONS = 500
HEADER_LINE_EVERY = 2.0
"""Seconds between the header lines each slow connection sends: often enough that no
inactivity timeout ends it."""
VISITOR_TIMEOUT = 15.0
"""How long a visitor waits at most (an unserved visitor fails the test, it does not hang it)."""
CHUNK_PIECE = 64 * 1024
CHUNK_LINE_MAX = 4 * 1024 * 1024
"""Bytes of never-ending chunk-size line one malformed upload sends at most."""


@pytest.fixture(scope="module", autouse=True)
def enough_open_files() -> Iterator[None]:
    """Both ends of 500 connections live in this process: about 1,000 descriptors."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(4096, hard)
    if wanted < 2 * SLOW_CONNECTIONS + 200:
        pytest.skip("this machine allows too few open files for 500 connections")
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@dataclass
class Served:
    port: int
    app: Flask


@contextmanager
def survey_serve(project: Project, tmp_path: Path, threads: int = 4) -> Iterator[Served]:
    """The application and server of `survey serve` (survey.server.serve.open_server) on a free
    loopback port over a fresh SQLite file, running in a thread."""
    port = free_port()
    app, server = open_server(project, HOST, port, sqlite_url(tmp_path / "store.sqlite"),
                              threads)
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except (OSError, ValueError):  # sockets closed under the polling loop at the end
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield Served(port, app)
    finally:
        stopping.set()
        server.close()
        thread.join(timeout=10)
        close_store(app)


# -- the attacks ------------------------------------------------------------------------------

class SlowConnections:
    """Connections that each send the start of a request, then one more header line every few
    seconds and never the blank line that ends it (a "slowloris")."""

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

    def still_open(self) -> int:
        """Connections the server has not closed."""
        count = 0
        for sock in self.sockets:
            sock.setblocking(False)
            try:
                count += sock.recv(1, socket.MSG_PEEK) != b""
            except BlockingIOError:
                count += 1
            except OSError:
                pass
            finally:
                sock.setblocking(True)
        return count

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=HEADER_LINE_EVERY + 5)
        for sock in self.sockets:
            sock.close()


def malformed_chunked_upload(port: int) -> tuple[int, str]:
    """A chunked upload whose first chunk-size line never ends: hex digits, no CRLF. Returns the
    bytes sent and how the server ended it: its status code, "closed", or "no answer"."""
    sock = socket.create_connection((HOST, port), timeout=10)
    sent = 0
    try:
        sock.sendall(f"POST /s/{SURVEY}/api/submissions HTTP/1.1\r\nHost: {HOST}\r\n"
                     "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                     .encode())
        piece = b"f" * CHUNK_PIECE
        while sent < CHUNK_LINE_MAX:
            try:
                sock.sendall(piece)
            except OSError:  # the server has ended the request and closed
                break
            sent += len(piece)
        try:
            answer = sock.recv(64)
        except TimeoutError:
            return sent, "no answer"
        except OSError:
            return sent, "closed"
        found = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
        return sent, found.group(1).decode() if found else "closed"
    finally:
        sock.close()


class MalformedUploads:
    """One malformed chunked upload after another, in a thread, until stopped (at most 200)."""

    def __init__(self, port: int):
        self.port = port
        self.endings: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set() and len(self.endings) < 200:
            try:
                self.endings.append(malformed_chunked_upload(self.port)[1])
            except OSError:
                self.endings.append("refused")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=60)


# -- visitors ---------------------------------------------------------------------------------

def visit(port: int) -> float:
    """Seconds until a new visitor has the whole start page (inf if it never came)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=VISITOR_TIMEOUT)
    try:
        connection.request("GET", f"/s/{SURVEY}/", headers={"Accept-Language": "de"})
        response = connection.getresponse()
        body = response.read()
    except TimeoutError:
        return float("inf")
    finally:
        connection.close()
    assert response.status == 200 and b"<form" in body
    return time.perf_counter() - started


def visitor_bound(port: int) -> float:
    """One second, unless this machine needs more than a tenth of that with no attack at all."""
    baseline = min(visit(port) for _ in range(3))
    print(f"\nnew visitor, no attack: {baseline * 1000:.0f} ms")
    return max(1.0, 10 * baseline)


# -- the server stays available ---------------------------------------------------------------

def test_with_500_slow_connections_open_a_new_visitor_is_served_within_a_second(
        project: Project, tmp_path: Path) -> None:
    with survey_serve(project, tmp_path) as served:
        bound = visitor_bound(served.port)
        slow = SlowConnections(served.port, SLOW_CONNECTIONS)
        try:
            time.sleep(HEADER_LINE_EVERY + 1)  # every slow connection is accepted and trickling
            times = [visit(served.port) for _ in range(3)]
            still_open = slow.still_open()
        finally:
            slow.close()
    print(f"new visitor with {SLOW_CONNECTIONS} slow connections open ({still_open} still "
          f"open): {', '.join(f'{t * 1000:.0f} ms' for t in times)}")
    assert max(times) < bound


def test_a_chunk_size_line_that_never_ends_is_refused(project: Project, tmp_path: Path) -> None:
    with survey_serve(project, tmp_path) as served:
        sent, ending = malformed_chunked_upload(served.port)
    print(f"\nmalformed chunked upload ended after {sent // 1024} KiB: {ending}")
    assert ending in ("413", "400", "closed")


def test_during_slow_connections_and_malformed_uploads_a_new_visitor_is_served(
        project: Project, tmp_path: Path) -> None:
    with survey_serve(project, tmp_path) as served:
        bound = visitor_bound(served.port)
        slow = SlowConnections(served.port, SLOW_CONNECTIONS)
        uploads = MalformedUploads(served.port)
        try:
            time.sleep(HEADER_LINE_EVERY + 1)
            times = [visit(served.port) for _ in range(3)]
        finally:
            uploads.close()
            slow.close()
    print(f"new visitor with {SLOW_CONNECTIONS} slow connections and "
          f"{len(uploads.endings)} malformed uploads: "
          f"{', '.join(f'{t * 1000:.0f} ms' for t in times)}")
    assert max(times) < bound
    assert uploads.endings and "no answer" not in uploads.endings


def test_a_well_formed_chunked_submission_is_still_stored(
        project: Project, tmp_path: Path, sample_submissions: list[dict[str, Any]]) -> None:
    """The bounds on bodies leave room for tools that stream their JSON in chunks."""
    body = submission(sample_submissions[0])
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 100]), body[i:i + 100])
                      for i in range(0, len(body), 100))
    with survey_serve(project, tmp_path) as served:
        connection = http.client.HTTPConnection(HOST, served.port, timeout=30)
        try:
            connection.putrequest("POST", f"/s/{SURVEY}/api/submissions")
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Transfer-Encoding", "chunked")
            connection.endheaders(chunks + b"0\r\n\r\n")
            response = connection.getresponse()
            answer = json.loads(response.read())
        finally:
            connection.close()
        assert response.status == 201, answer
        assert stored_count(served.app) == 1


# -- JSON the submission API refuses ----------------------------------------------------------

def post_json(port: int, raw: bytes, source: str = HOST) -> tuple[int, dict[str, str], Any]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30, source_address=(source, 0))
    try:
        connection.request("POST", f"/s/{SURVEY}/api/submissions", raw,
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, dict(response.getheaders()), json.loads(body)


def submission(sample: dict[str, Any], **changes: Any) -> bytes:
    return json.dumps({"submission_id": str(uuid.uuid4()), "language": sample["language"],
                       "answers": sample["answers"], **changes}).encode()


def nested(depth: int) -> bytes:
    """JSON text `depth` levels deep, objects and lists in turn (written out, since json.dumps
    itself cannot go much deeper than a thousand)."""
    opening = b"".join(b'{"a": ' if level % 2 else b"[" for level in range(depth))
    closing = b"".join(b"}" if level % 2 else b"]" for level in reversed(range(depth)))
    return opening + b'"x"' + closing


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 500, 950, 5000])
def test_json_nested_deeper_than_any_answer_set_is_refused_with_400(
        project: Project, tmp_path: Path, sample_submissions: list[dict[str, Any]],
        depth: int) -> None:
    sample = sample_submissions[0]
    answers = dict(sample["answers"]) | {"gender": "NESTED"}
    with survey_serve(project, tmp_path) as served:
        in_answers = submission(sample, answers=answers).replace(b'"NESTED"', nested(depth))
        at_top = b'{"submission_id": "%s", "x": %s}' % (str(uuid.uuid4()).encode(),
                                                       nested(depth))
        for raw in (in_answers, at_top):
            status, _, body = post_json(served.port, raw)
            assert status == 400, (depth, status, body)
            assert "deep" in body["error"]


def test_json_with_more_values_than_any_answer_set_is_refused_with_400(
        project: Project, tmp_path: Path, sample_submissions: list[dict[str, Any]]) -> None:
    sample = sample_submissions[0]
    wide_object = dict(sample["answers"]) | {f"x{n}": 0 for n in range(MAX_JSON_VALUES + 1)}
    wide_list = dict(sample["answers"]) | {"needs": ["housing"] * (MAX_JSON_VALUES + 1)}
    assert len(submission(sample, answers=wide_object)) < MAX_REQUEST_BYTES
    with survey_serve(project, tmp_path) as served:
        for answers in (wide_object, wide_list):
            status, _, body = post_json(served.port, submission(sample, answers=answers))
            assert status == 400, (status, body)
            assert "values" in body["error"]
        status, _, body = post_json(served.port, submission(sample))
        assert status == 201, body


# -- one client cannot stuff the survey -------------------------------------------------------

def second_loopback_address() -> str:
    """Another client on this computer: 127.0.0.2 (every 127.x address is loopback on Linux)."""
    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.2", 0))
    except OSError:
        pytest.skip("no second loopback address on this system")
    return "127.0.0.2"


def stored_count(app: Flask) -> int:
    with app.extensions["survey"].store.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(responses)).scalar()


def test_one_client_cannot_post_submissions_without_end(
        project: Project, tmp_path: Path, sample_submissions: list[dict[str, Any]]) -> None:
    other = second_loopback_address()
    with survey_serve(project, tmp_path) as served:
        statuses = [post_json(served.port, submission(sample_submissions[n % 10]))[0]
                    for n in range(NEW_SUBMISSIONS_PER_CLIENT)]
        assert statuses == [201] * NEW_SUBMISSIONS_PER_CLIENT
        status, headers, body = post_json(served.port, submission(sample_submissions[0]))
        assert status == 429 and int(headers["Retry-After"]) >= 1 and body["error"]
        assert stored_count(served.app) == NEW_SUBMISSIONS_PER_CLIENT
        assert post_json(served.port, submission(sample_submissions[0]), other)[0] == 201


@dataclass
class Browser:
    """A browser without JavaScript on one address that keeps its session cookie."""

    port: int
    source: str = HOST
    cookie: str = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                language: str = "ru") -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30,
                                                source_address=(self.source, 0))
        headers = {"Accept-Language": language}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8")
        finally:
            connection.close()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text

    def start_form(self) -> tuple[int, dict[str, str], str]:
        """Open the start page in a fresh browser on this address, and start the form."""
        self.cookie = ""
        _, _, landing = self.request("GET", f"/s/{SURVEY}/")
        csrf = re.search(r'name="csrf_token" value="([^"]*)"', landing)
        assert csrf, landing[:2000]
        return self.request("POST", f"/s/{SURVEY}/start",
                            {"csrf_token": csrf.group(1), "lang": "ru"})


def test_one_client_cannot_start_forms_without_end(project: Project, tmp_path: Path) -> None:
    other = second_loopback_address()
    with survey_serve(project, tmp_path) as served:
        browser = Browser(served.port)
        for _ in range(NEW_FORMS_PER_CLIENT):
            status, headers, _ = browser.start_form()
            assert status == 302 and "/page/" in urlsplit(headers["Location"]).path
        status, headers, page = browser.start_form()
        assert status == 429 and int(headers["Retry-After"]) >= 1
        assert 'lang="ru"' in page  # the respondent's language, and the words for this case
        assert html.escape(interface_text("web.error.too_many_forms", "ru")) in page
        status, headers, _ = Browser(served.port, other).start_form()
        assert status == 302 and "/page/" in urlsplit(headers["Location"]).path


def test_a_whole_answer_set_passes_the_limits(
        project: Project, tmp_path: Path, sample_submissions: list[dict[str, Any]]) -> None:
    """The limits leave room for every real answer set of the flagship."""
    with survey_serve(project, tmp_path) as served:
        for sample in sample_submissions[:NEW_SUBMISSIONS_PER_CLIENT]:
            status, _, body = post_json(served.port, submission(sample))
            assert status == 201, body
