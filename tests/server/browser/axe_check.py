"""axe-core in a page, and a project's server on a free port, for the browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import axe_playwright_python
import waitress
from flask import Flask
from playwright.sync_api import Page
from server_helpers import free_port

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"


def violations(page: Page) -> list[str]:
    """Every axe-core violation of the page (any impact), one line each. The page's context
    must bypass the CSP, which forbids injected scripts."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{page.url}: {v['id']} ({v['impact']}): {v['help']} – "
            f"{[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """The app behind waitress on 127.0.0.1, as in production; yields its address."""
    port = free_port()
    server = waitress.create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        thread.join(timeout=5)
