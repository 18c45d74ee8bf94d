"""Helpers of the security tests: a real waitress server on a free loopback port, and a
minimal browser that talks to it over HTTP."""

from __future__ import annotations

import http.client
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import waitress
from flask import Flask

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from server_helpers import free_port


@dataclass
class LiveServer:
    url: str
    app: Flask


@contextmanager
def serving(app: Flask, **options: Any) -> Iterator[LiveServer]:
    """`app` on a real waitress server on a free loopback port, with `options` as given to
    waitress (`survey serve` passes its own, see survey.server.serve)."""
    port = free_port()
    server = waitress.create_server(app, host="127.0.0.1", port=port, **options)
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:  # the sockets closed under the polling loop when the test ends
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app)
    finally:
        stopping.set()
        server.close()
        thread.join(timeout=5)


@dataclass
class Browser:
    """A browser that sends the session cookie back, Secure or not (the proxy's TLS is not
    part of this test), with extra headers on every request."""

    base: str
    headers: dict[str, str] = field(default_factory=dict)
    cookie: str = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None
                ) -> tuple[int, http.client.HTTPMessage, str]:
        address = urlsplit(self.base)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        headers = dict(self.headers)
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
        return response.status, response.headers, text
