"""Links respondents keep start with the configured public URL, never with a Host header;
behind a proxy, `survey serve --behind-proxy` applies X-Forwarded-* (ProxyFix) and answers
HTTPS with HSTS; directly on the network, the same headers are ignored. Against a real
waitress server on loopback with the options `survey serve` uses."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from security_helpers import Browser, serving
from server_helpers import SURVEY, sqlite_url

from survey.project import ProjectError
from survey.server.app import create_app
from survey.server.serve import proxy_options

PUBLIC = "https://umfrage.example.org/zusammen"
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "survey.example.org",
             "X-Forwarded-For": "203.0.113.7"}


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def saved_page(browser: Browser) -> tuple[str, str]:
    """Start a form, save it on its first page: the page with the resume link."""
    _, _, landing = browser.request("GET", f"/s/{SURVEY}/")
    csrf = _hidden(landing, "csrf_token")
    status, headers, _ = browser.request("POST", f"/s/{SURVEY}/start",
                                         {"csrf_token": csrf, "lang": "de"})
    assert status == 302, status
    page = urlsplit(headers["Location"]).path
    _, _, html = browser.request("GET", page)
    status, headers, _ = browser.request("POST", page, {
        "csrf_token": csrf, "submission_id": _hidden(html, "submission_id"), "action": "save"})
    assert status == 302 and urlsplit(headers["Location"]).path.endswith("/saved")
    _, _, saved = browser.request("GET", f"/s/{SURVEY}/saved")
    found = re.search(r'<a href="([^"]+\?code=[^"]+)"', saved)
    assert found, saved[:2000]
    return found.group(1).replace("&amp;", "&"), saved


def test_the_resume_link_starts_with_the_public_url_whatever_the_host(project, tmp_path):
    app = create_app(project, sqlite_url(tmp_path / "store.sqlite"), public_url=PUBLIC + "/")
    with serving(app, threads=4, **proxy_options(False)) as live:
        browser = Browser(live.url, {"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
        link, page = saved_page(browser)
    assert link.startswith(f"{PUBLIC}/s/{SURVEY}/?code=")
    assert "evil.example" not in page


def test_without_a_proxy_forwarded_headers_are_ignored(project, tmp_path):
    app = create_app(project, sqlite_url(tmp_path / "store.sqlite"))
    with serving(app, threads=4, **proxy_options(False)) as live:
        browser = Browser(live.url, dict(FORWARDED))
        status, headers, _ = browser.request("GET", f"/s/{SURVEY}/")
        link, _ = saved_page(browser)
    assert status == 200 and "Strict-Transport-Security" not in headers
    assert urlsplit(link).scheme == "http" and urlsplit(link).hostname == "127.0.0.1"


def test_behind_a_proxy_forwarded_headers_are_applied_with_hsts(project, tmp_path):
    app = create_app(project, sqlite_url(tmp_path / "store.sqlite"), behind_proxy=True)
    with serving(app, threads=4, **proxy_options(True)) as live:
        browser = Browser(live.url, dict(FORWARDED))
        status, headers, _ = browser.request("GET", f"/s/{SURVEY}/")
        assert status == 200
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert "Secure" in headers["Set-Cookie"]
        link, _ = saved_page(browser)
        assert link.startswith(f"https://survey.example.org/s/{SURVEY}/?code=")
        plain = Browser(live.url, {"X-Forwarded-Proto": "http"})
        _, headers, _ = plain.request("GET", f"/s/{SURVEY}/")
        assert "Strict-Transport-Security" not in headers  # HSTS only over HTTPS


@pytest.mark.parametrize("url", ["survey.example.org", "ftp://example.org", "https://",
                                 "https://example.org/?a=1", "https://user:pw@example.org",
                                 "https://exa mple.org", "javascript:alert(1)"])
def test_a_public_url_that_is_no_address_is_refused_with_a_message(project, tmp_path, url):
    with pytest.raises(ProjectError, match="--public-url"):
        create_app(project, sqlite_url(tmp_path / "store.sqlite"), public_url=url)
