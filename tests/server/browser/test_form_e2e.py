"""The flagship form driven in real headless Chromium against a real waitress server.

Paths a respondent takes: German to the thank-you page, Arabic right to left, skip logic and
checks that react while answers change, save and resume in a fresh browser, and the whole form
with JavaScript switched off. axe-core checks every page type for serious accessibility faults.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from server_helpers import SURVEY, store_of

PHONE = {"width": 390, "height": 844}
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
"""axe-core as the axe-playwright-python package ships it (a test dependency, never served)."""
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport=PHONE, locale="de-DE")
    yield opened
    opened.close()


def watched(page: Page) -> list[str]:
    """Script errors of the page: the form's JavaScript must never fail."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def start(page: Page, base: str, language: str) -> None:
    page.goto(f"{base}/s/{SURVEY}/?lang={language}")
    page.click("form.start button[type=submit]")
    page.check("#in-consent")
    next_page(page)


def next_page(page: Page) -> None:
    with page.expect_navigation():
        page.click("button[value=next]")


def to_review(page: Page) -> None:
    while "/page/" in page.url:
        next_page(page)
    assert page.url.endswith("/review"), page.url


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("form.submit-form button[type=submit]")
    assert page.url.endswith("/thanks"), page.url


def accepted(live_server: Any, birth_year: int) -> list[dict[str, Any]]:
    """The accepted responses with this birth year (each test uses its own)."""
    return [answers for _, answers in store_of(live_server.app).accepted_answers(SURVEY)
            if answers.get("birth_year") == birth_year]


def test_german_path_reaches_the_thank_you_page(context, live_server):
    page = context.new_page()
    errors = watched(page)
    start(page, live_server.url, "de")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.fill("#in-birth_year", "1985")
    page.select_option("#in-birth_country", "SY")
    page.fill("#in-arrival_year", "2015")
    next_page(page)
    to_review(page)
    expect(page.locator("main")).to_contain_text("1985")
    submit(page)
    expect(page.locator("h1")).to_have_text(re.compile(r"\S"))
    [stored] = accepted(live_server, 1985)
    assert stored["birth_country"] == "SY"
    assert stored["arrival_year"] == 2015
    assert errors == []


def test_arabic_path_is_right_to_left_and_fits_a_phone(context, live_server, tmp_path):
    page = context.new_page()
    errors = watched(page)
    start(page, live_server.url, "ar")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # nothing sticks out sideways on a phone: no horizontal scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "ar-section.png", full_page=True)
    page.fill("#in-birth_year", "1990")
    to_review(page)
    submit(page)
    expect(html).to_have_attribute("dir", "rtl")
    assert errors == []


def test_german_section_page_fits_a_phone(context, live_server, tmp_path):
    page = context.new_page()
    start(page, live_server.url, "de")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "de-section.png", full_page=True)


def test_skip_logic_and_checks_follow_the_answers_live(context, live_server):
    page = context.new_page()
    errors = watched(page)
    start(page, live_server.url, "de")
    arrival = page.locator("#q-arrival_year")
    page.select_option("#in-birth_country", "DE")
    expect(arrival).to_be_hidden()
    expect(page.locator("#in-arrival_year")).to_be_disabled()  # so it is not posted
    page.select_option("#in-birth_country", "SY")
    expect(arrival).to_be_visible()
    expect(page.locator("#in-arrival_year")).to_be_enabled()

    # the constraint '. >= ${birth_year}' speaks as soon as the answer is left
    page.fill("#in-birth_year", "1990")
    page.fill("#in-arrival_year", "1980")
    page.locator("#in-arrival_year").blur()
    slot = page.locator("#q-arrival_year-error")
    expect(slot).to_have_text("Das Jahr kann nicht vor Ihrem Geburtsjahr liegen.")
    expect(page.locator("#in-arrival_year")).to_have_attribute("aria-invalid", "true")
    # a range check too, and sending is stopped at the first problem, with focus on it
    page.fill("#in-birth_year", "1800")
    page.locator("#in-birth_year").blur()
    expect(page.locator("#q-birth_year-error")).to_contain_text("1920")
    where = page.url
    page.click("button[value=next]")
    assert page.url == where
    assert page.evaluate("document.activeElement.id") == "in-birth_year"

    page.fill("#in-birth_year", "1990")
    page.fill("#in-arrival_year", "2016")
    page.locator("#in-arrival_year").blur()
    expect(slot).to_have_text("")
    expect(page.locator("#q-birth_year-error")).to_have_text("")
    # an answer typed into a question that is then skipped is not sent
    page.select_option("#in-birth_country", "DE")
    next_page(page)
    assert "/page/3" in page.url
    page.go_back()
    expect(page.locator("#in-arrival_year")).to_have_value("")
    assert errors == []


def test_none_of_these_unticks_the_other_choices(context, live_server):
    page = context.new_page()
    errors = watched(page)
    start(page, live_server.url, "de")
    while not page.url.endswith("/page/4"):  # the work section
        next_page(page)
    page.check("#in-work_status-unemployed")
    german, permit, none = (page.locator(f"#in-barriers-{c}")
                            for c in ("german", "permit", "none"))
    german.check()
    permit.check()
    none.check()
    expect(german).not_to_be_checked()
    expect(permit).not_to_be_checked()
    german.check()
    expect(none).not_to_be_checked()
    expect(permit).not_to_be_checked()
    expect(german).to_be_checked()
    page.check("#in-work_status-retired")  # barriers are not asked of the retired
    expect(page.locator("#q-barriers")).to_be_hidden()
    assert errors == []


def test_saved_form_resumes_in_a_new_browser(browser, context, live_server):
    page = context.new_page()
    start(page, live_server.url, "de")
    page.fill("#in-birth_year", "1977")
    with page.expect_navigation():
        page.click("button[value=save]")
    code = page.locator(".resume-code").inner_text().strip()
    link = page.locator("a[dir=ltr]").get_attribute("href")
    assert code and link

    with_code = browser.new_context(viewport=PHONE, locale="de-DE")
    try:
        fresh = with_code.new_page()
        fresh.goto(f"{live_server.url}/s/{SURVEY}/?lang=de")
        fresh.fill("#resume-code", code)
        with fresh.expect_navigation():
            fresh.click("section.resume button[type=submit]")
        expect(fresh.locator("#in-birth_year")).to_have_value("1977")
        notice = fresh.locator("p.notice[role=status]").inner_text()
        new_code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", notice).group(0)
        assert new_code != code, "a resume gives a new code"
    finally:
        with_code.close()

    with_link = browser.new_context(viewport=PHONE)
    try:
        fresh = with_link.new_page()
        fresh.goto(link)
        expect(fresh.locator("#resume-error")).to_be_visible()  # the old code died
        fresh.goto(link.replace(code, new_code))
        expect(fresh.locator("#resume-code")).to_have_value(new_code)
        expect(fresh.locator("#resume-found")).to_be_visible()
        with fresh.expect_navigation():
            fresh.click("section.resume button[type=submit]")
        expect(fresh.locator("#in-birth_year")).to_have_value("1977")
        to_review(fresh)
        submit(fresh)
    finally:
        with_link.close()


def test_form_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="de-DE")
    try:
        page = context.new_page()
        start(page, live_server.url, "de")
        # without the browser's checks the server answers: the constraint is reported there
        page.fill("#in-birth_year", "1991")
        page.select_option("#in-birth_country", "SY")
        page.fill("#in-arrival_year", "1980")
        next_page(page)
        expect(page.locator("#q-arrival_year-error")).to_have_text(
            "Das Jahr kann nicht vor Ihrem Geburtsjahr liegen.")
        page.fill("#in-arrival_year", "2010")
        next_page(page)
        to_review(page)
        submit(page)
        [stored] = accepted(live_server, 1991)
        assert stored["arrival_year"] == 2010
    finally:
        context.close()


# --- accessibility ------------------------------------------------------------------------------


@pytest.fixture
def axe_context(browser: Browser) -> Iterator[BrowserContext]:
    """The pages' CSP forbids injected scripts; only this test context lets axe in."""
    opened = browser.new_context(bypass_csp=True, viewport=PHONE, locale="de-DE")
    yield opened
    opened.close()


def serious_violations(page: Page) -> list[str]:
    page.add_script_tag(path=AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{page.url}: {v['id']} ({v['impact']}): {v['help']} – "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_every_page_type_passes_axe(axe_context, live_server, language):
    page = axe_context.new_page()
    base = f"{live_server.url}/s/{SURVEY}"
    found: list[str] = []
    page.goto(f"{base}/?lang={language}")  # language chooser and start
    found += serious_violations(page)
    page.click("form.start button[type=submit]")
    found += serious_violations(page)  # first section, with the privacy notice
    page.check("#in-consent")
    next_page(page)
    page.fill("#in-birth_year", "1800")
    page.locator("#in-birth_year").blur()
    found += serious_violations(page)  # a section showing a problem
    page.fill("#in-birth_year", "1980")
    with page.expect_navigation():
        page.click("button[value=save]")
    found += serious_violations(page)  # the resume code and link
    page.goto(f"{base}/?lang={language}&code=WRONG")
    with page.expect_navigation():
        page.click("section.resume button[type=submit]")
    found += serious_violations(page)  # resume with an unknown code
    page.goto(f"{base}/page/2")
    to_review(page)
    found += serious_violations(page)
    submit(page)
    found += serious_violations(page)
    page.goto(f"{live_server.url}/admin/login")
    found += serious_violations(page)
    assert found == []
