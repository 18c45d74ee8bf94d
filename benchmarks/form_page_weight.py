"""Page weight and first paint of the online form on an emulated slow 3G connection.

Starts the survey server over a throw-away store, opens the flagship's landing page and its
first section page in Debian's Chromium with DevTools network throttling (400 kbit/s down,
400 ms latency), once with an empty cache and once again, and prints bytes over the wire and
first contentful paint of each. Run: .venv/bin/python benchmarks/form_page_weight.py
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import waitress
from playwright.sync_api import Page, sync_playwright

from survey.project import Project
from survey.server.app import create_app

ROOT = Path(__file__).resolve().parents[1]
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1024 / 8,
           "uploadThroughput": 400 * 1024 / 8}
"""Chrome DevTools' "Slow 3G" preset."""


def measure(page: Page, url: str, visit: str) -> tuple[int, float]:
    """Bytes received for `url` and everything it loads, and its first contentful paint (ms);
    a first visit starts with an empty browser cache."""
    received: list[int] = []
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    if visit == "first":
        session.send("Network.clearBrowserCache")
    session.send("Network.emulateNetworkConditions", SLOW_3G)
    session.on("Network.loadingFinished", lambda e: received.append(int(e["encodedDataLength"])))
    page.goto(url, wait_until="load")
    paint = page.evaluate("""new Promise(done => new PerformanceObserver((list, observer) => {
        const found = list.getEntriesByName('first-contentful-paint')[0];
        if (found) { observer.disconnect(); done(found.startTime); }
    }).observe({type: 'paint', buffered: true}))""")
    session.detach()
    return sum(received), paint


def show(visit: str, name: str, weight: int, paint: float) -> None:
    print(f"{name:<14}{visit:<8}{weight:>9}{paint:>16.0f}")


def main() -> None:
    store = Path(tempfile.mkdtemp()) / "store.sqlite"
    app = create_app(Project(ROOT), f"sqlite:///{store}")
    server = waitress.create_server(app, host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}/s/zusammen"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox"])
        page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
        print(f"{'page':<14}{'visit':<8}{'bytes':>9}{'first paint ms':>16}")
        for visit in ("first", "repeat"):
            show(visit, "landing", *measure(page, f"{base}/?lang=de", visit))
        page.click("form.start button[type=submit]")
        page.check("#in-consent")
        with page.expect_navigation():
            page.click("button[value=next]")
        section = page.url
        page.goto("about:blank")
        for visit in ("first", "repeat"):
            show(visit, "section page", *measure(page, section, visit))
        browser.close()
    server.close()


if __name__ == "__main__":
    main()
