"""Keystrokes per paper copy on the keyboard entry screen, typed by a scripted Chromium.

FORMS sample returns of the flagship (default 10) are typed through the keyboard path only:
the serial, then at each field where the cursor stops the printed codes (`-` for an asked
question left blank) and Enter, then Enter on "Finish". The baseline, counted in the same
run, is the target of the issue: one keystroke per answer code plus one to move on, for every
answered variable. Prints keystrokes per form, answered variables per form, the ratio to the
baseline, and seconds per form. Asserts nothing.

    .venv/bin/python benchmarks/entry_keystrokes.py [FORMS]
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import waitress
from playwright.sync_api import Page, sync_playwright

from survey.paper.serials import REGISTRY_FILE, PrintRun, register_runs
from survey.project import Project
from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.answers import to_variables
from survey.returns.typed import BLANK, typed_answers
from survey.server.app import create_app
from survey.store.entries import paper_submission_id
from survey.store.users import Role, add_user

ROOT = Path(__file__).resolve().parent.parent
SURVEY = "zusammen"
PASSWORD = "a long enough password"
CHROMIUM = "/usr/bin/chromium"


def type_form(page: Page, serial: str, typed: dict[str, str]) -> int:
    """Type one copy by keyboard alone; returns the keystrokes used."""
    keys = len(serial) + 1
    page.wait_for_function("document.activeElement && document.activeElement.id === 'serial'")
    page.keyboard.type(serial)
    page.keyboard.press("Enter")
    page.wait_for_selector("#entry-form")
    while (name := page.evaluate("document.activeElement.closest('tr')?.dataset.field"
                                 " || null")) is not None:
        text = typed.get(name, BLANK)
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        keys += len(text) + 1
    page.keyboard.press("Enter")  # on "Finish entry"
    page.wait_for_selector("#serial, .error-summary")
    if page.query_selector(".error-summary"):
        raise SystemExit(f"serial {serial} was not finished: "
                         f"{page.text_content('.error-summary')}")
    return keys + 1


def main() -> None:
    forms = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "questionnaires").mkdir()
        shutil.copy(ROOT / "questionnaires" / f"{SURVEY}.yaml", root / "questionnaires")
        (root / "paper").mkdir()
        register_runs(root / "paper" / REGISTRY_FILE,
                      [PrintRun(SURVEY, "2026.1", "de", "000001", "000999")])
        project = Project(root)
        questionnaire = project.questionnaire(SURVEY)
        app = create_app(project, f"sqlite:///{root / 'store.sqlite'}")
        store = app.extensions["survey"].store
        add_user(store, "typist", PASSWORD, Role.ENTRY)
        rows = [json.loads(line) for line in
                (ROOT / "data" / "sample" / "online.jsonl").read_text("utf-8").splitlines()]
        samples = [r["answers"] for r in rows
                   if check_answers(questionnaire, r["answers"]).accepted][:forms]
        server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
        port = server.socket.getsockname()[1]
        threading.Thread(target=server.run, daemon=True).start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                 args=["--headless", "--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/entry/{SURVEY}/")
            page.fill("#name", "typist")
            page.fill("#password", PASSWORD)
            page.press("#password", "Enter")
            page.wait_for_selector("#serial")
            keys = answered = baseline = 0
            started = time.perf_counter()
            for number, answers in enumerate(samples, start=1):
                typed = dict(typed_answers(questionnaire, answers))
                keys += type_form(page, f"{number:06d}", typed)
                variables = [v for v in to_variables(questionnaire, answers).values()
                             if v is not None]
                answered += len(variables)
                baseline += sum(len(t.split()) + 1 for t in typed.values())
            seconds = time.perf_counter() - started
            browser.close()
        server.close()
        entered = sum(store.response(paper_submission_id(SURVEY, f"{n:06d}")) is None
                      for n in range(1, len(samples) + 1))
    count = len(samples)
    print(f"forms typed: {count} (each entered once; {entered} wait for a second entry)")
    print(f"keystrokes per form: {keys / count:.1f}")
    print(f"answered variables per form: {answered / count:.1f}")
    print(f"keystrokes per answered variable: {keys / answered:.2f}")
    print(f"baseline (one key per answer code + one to move on): {baseline / count:.1f} per "
          f"form; ratio keystrokes/baseline: {keys / baseline:.2f}")
    print(f"seconds per form (scripted, incl. server checks): {seconds / count:.2f}")


if __name__ == "__main__":
    main()
