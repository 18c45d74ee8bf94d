"""The preview in real headless Chromium: the author edits the file on disk and the page
follows without a reload: a new label in the form, an error with its line above the form
that stays, the fix; and ?q= marks the question in the form and on paper."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from preview_helpers import (
    EXAMPLE,
    OVERALL_DE,
    broken,
    error_line,
    relabel,
    running_preview,
    save,
    xlsform,
)

REFRESH_MS = 15_000
PAPER_MS = 60_000


def watched(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    return errors


def test_edits_on_disk_show_without_a_reload(browser: Browser, tmp_path: Path) -> None:
    path = Path(shutil.copy(EXAMPLE, tmp_path / "feedback.yaml"))
    with running_preview(path) as started:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors = watched(page)
        page.goto(started.url + "?q=overall")
        form = page.frame_locator("#form-frame")
        question = form.locator("#q-overall")
        expect(question).to_contain_text(OVERALL_DE, timeout=REFRESH_MS)
        expect(question).to_have_class("question preview-highlight", timeout=REFRESH_MS)
        expect(page.locator("#pages .paper-highlight")).to_have_count(1, timeout=PAPER_MS)
        page.evaluate("window.notReloaded = true")

        relabel(path, OVERALL_DE, "Wie war der Abend für Sie?")
        expect(question).to_contain_text("Wie war der Abend für Sie?", timeout=REFRESH_MS)
        expect(question).to_have_class("question preview-highlight")

        text = path.read_text("utf-8")
        save(path, broken(text))
        messages = page.locator("#message-list")
        expect(messages).to_contain_text(f"line {error_line(text)}", timeout=REFRESH_MS)
        expect(messages).to_contain_text("'ratingx'")
        expect(page.locator("#headline")).to_contain_text("1 error in feedback.yaml")
        expect(question).to_contain_text("Wie war der Abend für Sie?")  # the old form stays
        expect(page.locator("#form-frame")).to_be_visible()
        expect(page.locator("#pages img").first).to_be_visible()

        save(path, text.replace("Wie war der Abend für Sie?", "Wie fanden Sie den Abend?"))
        expect(question).to_contain_text("Wie fanden Sie den Abend?", timeout=REFRESH_MS)
        expect(messages).to_be_empty()
        expect(page.locator("#preview")).to_have_attribute("data-status", "ok")

        path.unlink()
        expect(page.locator("#headline")).to_contain_text("is not there", timeout=REFRESH_MS)
        expect(question).to_contain_text("Wie fanden Sie den Abend?")
        save(path, EXAMPLE.read_text("utf-8"))
        expect(question).to_contain_text(OVERALL_DE, timeout=REFRESH_MS)
        assert page.evaluate("window.notReloaded") is True
        assert errors == []
        page.close()


def test_answers_and_routing_work_in_the_frame(browser: Browser, tmp_path: Path) -> None:
    path = Path(shutil.copy(EXAMPLE, tmp_path / "feedback.yaml"))
    with running_preview(path, language="en", paper=False) as started:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors = watched(page)
        page.goto(started.url + "?q=interpreting")
        form = page.frame_locator("#form-frame")
        follow_up = form.locator("#q-interp_quality")
        expect(form.locator("#q-interpreting")).to_contain_text("Did you use the interpreting?",
                                                                timeout=REFRESH_MS)
        expect(follow_up).to_be_hidden()
        form.locator("#q-interpreting input[value='yes']").check()
        expect(follow_up).to_be_visible()  # live routing, from the real form.js

        relabel(path, "How good was the interpreting?", "Was the interpreting good?")
        expect(follow_up).to_contain_text("Was the interpreting good?", timeout=REFRESH_MS)
        page.locator("#languages a[lang=ar]").click()
        expect(form.locator("html")).to_have_attribute("dir", "rtl", timeout=REFRESH_MS)
        assert errors == []
        page.close()


def test_an_xlsform_previews_in_the_browser(browser: Browser, tmp_path: Path) -> None:
    path = xlsform(tmp_path / "work.xlsx")
    with running_preview(path) as started:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(started.url + "?q=age")
        form = page.frame_locator("#form-frame")
        expect(form.locator("#q-age")).to_contain_text("How old are you?", timeout=REFRESH_MS)
        expect(page.locator("#pages img").first).to_be_visible(timeout=PAPER_MS)
        xlsform(path, label="Your age, please")
        expect(form.locator("#q-age")).to_contain_text("Your age, please", timeout=REFRESH_MS)
        page.close()
