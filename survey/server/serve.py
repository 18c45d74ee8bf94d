"""Running the server with waitress (pure Python, so it runs on a Windows laptop at an event)."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from typing import Any

import waitress
from flask import Flask
from waitress.server import BaseWSGIServer, MultiSocketServer

from survey.project import Project
from survey.returns.double_entry import RECONCILERS_VARIABLE
from survey.server.app import MAX_REQUEST_BYTES, create_app
from survey.store.staff_sessions import SessionLimits
from survey.store.store import Store

ANY_INTERFACE = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}
"""Addresses that listen on every interface, and where this computer reaches them."""


@dataclass(frozen=True)
class Link:
    what: str
    url: str
    note: str = ""


def local_base(host: str, port: int) -> str:
    """Where a browser on this computer reaches the server: an every-interface address is not
    one a browser can open, so it is shown as the loopback address."""
    shown = ANY_INTERFACE.get(host, host)
    return f"http://{f'[{shown}]' if ':' in shown else shown}:{port}"


def site_links(app: Flask, base: str) -> list[Link]:
    """The pages people open: each questionnaire's start page, the front door and the
    staff pages, so `survey serve` prints links that work instead of a URL pattern."""
    served = app.extensions["survey"].questionnaires
    links = [Link("respondents", f"{base}/s/{q.id}/", q.survey.title.get(q.default_language))
             for q in sorted(served.values(), key=lambda q: q.id)]
    front = "redirects to the survey" if len(served) == 1 else f"lists the {len(served)} surveys"
    return [*links, Link("start page", f"{base}/", front),
            Link("data entry", f"{base}/entry/", "paper returns, reconciliation"),
            Link("admin", f"{base}/admin/", "staff accounts: survey users add")]


def open_server(project: Project, host: str, port: int, db_url: str | None, threads: int,
                behind_proxy: bool = False, invitation_only: bool = False,
                public_url: str | None = None, session_limits: SessionLimits | None = None
                ) -> tuple[Flask, BaseWSGIServer | MultiSocketServer]:
    """The application and a waitress server already listening on host:port, so the links
    printed before `run()` work, and a port in use is told before anything is printed.
    Waitress writes no access log: no addresses are recorded. Who may reconcile paper copies
    comes from the environment (SURVEY_RECONCILERS), read here once for the application."""
    logging.basicConfig()  # the application's warnings (a questionnaire not served) are shown
    app = create_app(project, db_url, behind_proxy=behind_proxy,
                     invitation_only=invitation_only, public_url=public_url,
                     session_limits=session_limits,
                     reconcilers=os.environ.get(RECONCILERS_VARIABLE))
    try:
        server = waitress.create_server(app, host=host, port=port, threads=threads,
                                        **proxy_options(behind_proxy), **connection_options())
    except BaseException:
        close_store(app)
        raise
    return app, server


def proxy_options(behind_proxy: bool) -> dict[str, Any]:
    """Waitress's handling of X-Forwarded-* headers. Directly on the network they are dropped
    (anyone could send them); behind a proxy they are passed on to the application, which
    applies them with werkzeug's ProxyFix (survey.server.app)."""
    return {"ident": "survey", "clear_untrusted_proxy_headers": not behind_proxy}


MAX_CONNECTIONS = 1000
"""Connections held open at once where poll() is available (Linux, macOS): twice the 500 slow
connections the server is tested with, each costing a file descriptor or two and at most
MAX_HEADER_BYTES plus the body bound of memory. Waitress's default of 100 let 101 connections
that never finish their request stop all service."""
MAX_CONNECTIONS_WINDOWS = 500
"""On Windows waitress can only use select(), which watches at most 512 sockets there."""
MAX_HEADER_BYTES = 32 * 1024
"""A request's line and headers at most (nginx's default too); waitress allows 256 KiB, which
a thousand slow connections could hold in memory."""
IDLE_SECONDS = 60
"""An idle keep-alive connection is closed after this long (looked for every tenth of it), so
the connections of respondents reading a page are given back sooner than waitress's 120 s."""


def connection_options() -> dict[str, Any]:
    """How the one I/O thread of waitress holds connections, chosen to stay available.

    Waitress is kept, tuned: it is pure Python, runs on Windows, is maintained and packaged in
    Debian, and it reads requests in its I/O thread without tying up a worker, so a slow
    client costs a socket, not a thread (cheroot, the other pure-Python choice, gives each
    connection being read a worker thread: 500 slow connections would take them all).
    - More connections (MAX_CONNECTIONS), and poll() instead of select(), which cannot watch a
      socket numbered 1024 or higher.
    - A body ends at the application's MAX_REQUEST_BYTES plus 64 KiB for chunk framing,
      chunked or not (413): waitress buffers a chunk-size line that never ends up to this
      bound, copying it whole on every read, so the bound also caps that quadratic cost and
      its memory (1 GiB by default). Flask refuses more than MAX_REQUEST_BYTES of body itself.
    - A body over 64 KiB (no real submission is) waits in a temporary file, not in memory,
      and reads are 64 KiB at a time, so a large body takes few passes of the loop.
    Connections that trickle a header line every few seconds are not idle and stay open; the
    ones beyond MAX_CONNECTIONS wait in the listen queue. On the open internet a reverse proxy
    (nginx, Caddy) reads whole requests before passing them on and can cap connections per
    address: see docs/howto-online-survey.md.
    """
    windows = sys.platform == "win32"
    limit = MAX_CONNECTIONS_WINDOWS if windows else _allow_open_files(MAX_CONNECTIONS)
    return {"connection_limit": limit, "asyncore_use_poll": not windows,
            "channel_timeout": IDLE_SECONDS, "cleanup_interval": IDLE_SECONDS // 10,
            "max_request_header_size": MAX_HEADER_BYTES,
            "max_request_body_size": MAX_REQUEST_BYTES + 64 * 1024,
            "inbuf_overflow": 64 * 1024, "recv_bytes": 64 * 1024}


def _allow_open_files(connections: int) -> int:
    """Raise this process's soft limit of open files so `connections` fit (one descriptor
    each, another for a download spilled to a temporary file, and room for the store), as far
    as the hard limit allows; the connections that then fit."""
    import resource

    wanted = 2 * connections + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if soft == resource.RLIM_INFINITY:
        return connections
    fitting = max(100, min(connections, (soft - 256) // 2))
    if fitting < connections:
        logging.getLogger(__name__).warning(
            "only %d connections at once: this system allows %d open files (ulimit -n); "
            "%d are needed for %d connections", fitting, soft, wanted, connections)
    return fitting


def close_store(app: Flask) -> None:
    store: Store = app.extensions["survey"].store
    store.close()
