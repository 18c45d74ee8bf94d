"""survey preview: seconds from saving the flagship questionnaire to the refreshed preview.

Copies questionnaires/zusammen.yaml to a temporary folder, starts the preview on it (a real
waitress server on a free loopback port, paper pages on), opens it in headless Chromium at
?q=arrival_year, and then ROUNDS times (default 5) changes that question's German label and
saves the file the way editors do (write a new file, rename it over the old one). For each
save it times:
- server: until the preview server has the new version online (its state.json says so);
- form:   until the browser's form frame shows the new label (the page polls once a second,
          so this includes up to one second of waiting for the next poll);
- paper:  until the browser shows the new paper pages, all images loaded (the paper form
          is made in a background thread with WeasyPrint, then pdftoppm).
Prints figures; asserts nothing. Needs /usr/bin/chromium (make test installs it).

    .venv/bin/python benchmarks/preview_refresh.py [ROUNDS]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from survey.preview import open_preview

FLAGSHIP = Path(__file__).resolve().parent.parent / "questionnaires" / "zusammen.yaml"
QUESTION = "arrival_year"
LABEL = "In welchem Jahr sind Sie nach Deutschland gekommen?"
CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 120_000


def save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def state(url: str) -> dict:
    with urllib.request.urlopen(url + "_preview/state.json", timeout=30) as response:
        return json.loads(response.read())


def summary(name: str, values: list[float]) -> str:
    return (f"{name:<7} median {statistics.median(values):5.2f} s   min {min(values):5.2f} s   "
            f"max {max(values):5.2f} s")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        path = Path(shutil.copy(FLAGSHIP, Path(folder) / "zusammen.yaml"))
        original = path.read_text("utf-8")
        if LABEL not in original:
            sys.exit(f"the German label of {QUESTION} changed; update LABEL in this script")
        preview, server, url = open_preview(path, 0)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        timings: dict[str, list[float]] = {"server": [], "form": [], "paper": []}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=["--headless", "--no-sandbox"])
                page = browser.new_page(viewport={"width": 1400, "height": 900},
                                        bypass_csp=True)  # for wait_for_function only
                start = time.perf_counter()
                page.goto(f"{url}?q={QUESTION}")
                question = page.frame_locator("#form-frame").locator(f"#q-{QUESTION}")
                question.filter(has_text=LABEL).wait_for(state="attached", timeout=WAIT_MS)
                page.wait_for_function("document.querySelectorAll('#pages img').length > 0",
                                       timeout=WAIT_MS)
                print(f"first preview with paper pages (fonts, templates warm up): "
                      f"{time.perf_counter() - start:.2f} s")
                for round_number in range(1, rounds + 1):
                    before = state(url)
                    label = f"{LABEL} (Runde {round_number})"
                    render = page.get_attribute("#pages", "data-render")
                    saved = time.perf_counter()
                    save(path, original.replace(LABEL, label, 1))
                    while state(url)["form"]["number"] == before["form"]["number"]:
                        time.sleep(0.01)
                    timings["server"].append(time.perf_counter() - saved)
                    question.filter(has_text=label).wait_for(state="attached", timeout=WAIT_MS)
                    timings["form"].append(time.perf_counter() - saved)
                    page.wait_for_function(
                        "render => { const pages = document.getElementById('pages');"
                        " const images = [...pages.querySelectorAll('img')];"
                        " return pages.dataset.render !== render && images.length > 0 &&"
                        " images.every(image => image.complete && image.naturalWidth > 0); }",
                        arg=render, timeout=WAIT_MS)
                    timings["paper"].append(time.perf_counter() - saved)
                    print(f"save {round_number}: server {timings['server'][-1]:.2f} s, "
                          f"form {timings['form'][-1]:.2f} s, paper {timings['paper'][-1]:.2f} s")
                pages = page.locator("#pages img").count()
                browser.close()
        finally:
            server.close()
            preview.stop()
    print(f"\n{rounds} saves of the flagship questionnaire ({pages} paper pages, "
          f"{os.cpu_count()} cores):")
    for name, values in timings.items():
        print(summary(name, values))


if __name__ == "__main__":
    main()
