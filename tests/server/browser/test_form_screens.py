"""Every respondent page type in all seven languages of the flagship under axe-core, and what a
phone shows: grids as cards, rankings that fit 320 px, messages that never move an option from
under a finger, the error summary taking focus, and the language changed mid-form.

One server for the module; screenshots of the phone pages go to the test's folder (and to
$SCREENSHOTS when set) for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_check import violations
from playwright.sync_api import Browser, BrowserContext, Page, expect
from server_helpers import SURVEY

LANGUAGES = ("de", "de-x-easy", "en", "ru", "uk", "ar", "fa", "vi")
PHONE = {"width": 360, "height": 740}
GRID_PAGE, RANKING_PAGE = 11, 11


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """The pages' CSP forbids injected scripts; this context lets axe in."""
    opened = browser.new_context(bypass_csp=True, viewport=PHONE, has_touch=True)
    yield opened
    opened.close()


def go(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.click(button)


def started(page: Page, base: str, language: str) -> None:
    """A form begun in `language`, past the consent page."""
    page.goto(f"{base}/s/{SURVEY}/?lang={language}")
    go(page, "form.start button[type=submit]")
    page.check("#in-consent")
    go(page, "button[value=next]")


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    extra = os.environ.get("SCREENSHOTS")
    if extra:
        page.screenshot(path=str(Path(extra) / f"{name}.png"), full_page=True)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_respondent_page_type_passes_axe(phone, live_server, language, tmp_path):
    page = phone.new_page()
    base = live_server.url
    found: list[str] = []
    page.goto(f"{base}/")
    found += violations(page)  # the list of surveys
    page.goto(f"{base}/s/{SURVEY}/?lang={language}")
    found += violations(page)  # landing
    go(page, "form.start button[type=submit]")
    found += violations(page)  # consent and privacy notice
    page.check("#in-consent")
    go(page, "button[value=next]")
    found += violations(page)  # year, single choice, country, language (and "only if" hidden)
    page.fill("#in-birth_year", "1980")
    go(page, "button[value=save]")
    found += violations(page)  # the resume code
    for number in range(3, 13):  # every section: multiple choice, rating, integer, grid, …
        page.goto(f"{base}/s/{SURVEY}/page/{number}")
        found += violations(page)
    page.goto(f"{base}/s/{SURVEY}/page/{RANKING_PAGE}")
    page.select_option("#in-urgent-1", index=1)
    page.select_option("#in-urgent-2", index=1)
    found += violations(page)  # a message shown by the script
    with page.expect_navigation():
        page.evaluate("HTMLFormElement.prototype.submit.call("
                      "document.querySelector('form.survey-form'))")
    found += violations(page)  # the server's error summary
    if language in ("ar", "fa", "ru", "vi"):
        shot(page, tmp_path, f"error-{language}")
    page.goto(f"{base}/s/{SURVEY}/review")
    found += violations(page)
    go(page, "form.forget button")
    found += violations(page)  # landing after forgetting
    started(page, base, language)
    page.fill("#in-birth_year", "1985")
    while "/page/" in page.url:
        go(page, "button[value=next]")
    go(page, "form.submit-form button[type=submit]")
    assert page.url.endswith("/thanks")
    found += violations(page)
    page.goto(f"{base}/s/{SURVEY}/withdraw?lang={language}")
    found += violations(page)
    page.goto(f"{base}/s/{SURVEY}/page/99")
    found += violations(page)  # an error page
    assert found == []


@pytest.mark.parametrize("language", ["de", "ar"])
def test_a_message_never_moves_the_option_a_finger_is_about_to_tap(phone, live_server, language):
    page = phone.new_page()
    started(page, live_server.url, language)
    page.fill("#in-birth_year", "1800")  # out of range: leaving the field shows a message
    target = page.locator(".option label").first  # the first answer of the next question
    box = target.bounding_box()
    assert box is not None
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#q-birth_year-error")).not_to_be_empty()
    expect(page.locator(".option input").first).to_be_checked()


def test_the_error_summary_takes_focus_and_the_title_says_error(phone, live_server):
    page = phone.new_page()
    started(page, live_server.url, "vi")
    page.fill("#in-birth_year", "1800")
    with page.expect_navigation():  # as a browser without the script would send it
        page.evaluate("HTMLFormElement.prototype.submit.call("
                      "document.querySelector('form.survey-form'))")
    assert page.title().startswith("Lỗi:")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "error-summary-heading"
    link = page.locator(".error-summary a").first
    expect(link).to_have_attribute("href", "#q-birth_year")


def test_the_language_changes_mid_form_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    started(page, live_server.url, "de")
    page.fill("#in-birth_year", "1985")
    page.click("a[href='#language-control']")
    go(page, "footer.language-control button[value=fa]")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator("#in-birth_year")).to_have_value("1985")
    expect(page.locator("#q-arrival_year-only-if")).to_be_visible()  # no script: rule in words
    context.close()


def test_with_javascript_the_only_if_words_are_hidden(phone, live_server):
    page = phone.new_page()
    started(page, live_server.url, "de")
    expect(page.locator("#q-arrival_year-only-if")).to_be_hidden()


def test_a_grid_is_completed_on_a_360_px_phone(phone, live_server):
    page = phone.new_page()
    started(page, live_server.url, "de")
    page.goto(f"{live_server.url}/s/{SURVEY}/page/{GRID_PAGE}")
    no_sideways_scroll(page)
    rows = page.locator("#q-imp .grid-row")
    assert rows.count() > 3
    for index in range(rows.count()):
        row = rows.nth(index)
        assert row.bounding_box()["width"] <= PHONE["width"]
        row.locator(".option label").first.tap()
        expect(row.locator("input").first).to_be_checked()
    go(page, "button[value=next]")
    assert f"/page/{GRID_PAGE + 1}" in page.url


def test_a_ranking_fits_320_px_and_shows_long_topics_whole(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    started(page, live_server.url, "ru")
    page.goto(f"{live_server.url}/s/{SURVEY}/page/{RANKING_PAGE}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    pictures = page.locator("#q-urgent .rank-topics img")  # the topics' pictograms, loaded
    assert pictures.count() == 14
    pictures.first.scroll_into_view_if_needed()
    pictures.first.evaluate("i => i.decode()")  # rejects if the picture cannot be shown
    assert pictures.first.evaluate("i => i.naturalWidth > 0")
    longest = page.evaluate("""Array.from(document.querySelectorAll('#in-urgent-1 option'))
        .reduce((a, o) => o.textContent.length > a.textContent.length ? o : a).value""")
    page.select_option("#in-urgent-1", longest)
    chosen = page.locator("#q-urgent .rank-chosen").first
    label = page.locator(f"#in-urgent-1 option[value={longest}]").text_content()
    expect(chosen).to_have_text(label)
    assert chosen.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert chosen.bounding_box()["x"] + chosen.bounding_box()["width"] <= 320
    page.select_option("#in-urgent-2", longest)
    expect(page.locator("#q-urgent-error")).to_contain_text(label)
    context.close()


@pytest.mark.parametrize("language", ["ar", "fa", "ru", "vi"])
def test_phone_screenshots_of_grid_and_ranking(phone, live_server, language, tmp_path):
    page = phone.new_page()
    started(page, live_server.url, language)
    page.goto(f"{live_server.url}/s/{SURVEY}/page/{GRID_PAGE}")
    no_sideways_scroll(page)
    shot(page, tmp_path, f"grid-ranking-{language}")
