"""Security headers on every page, no inline script or style anywhere, cookies that scripts
cannot read, and Secure cookies plus HSTS behind an HTTPS proxy."""

from __future__ import annotations

import re

from server_helpers import SURVEY, Respondent

from survey.server.app import create_app


def test_every_page_sends_a_strict_policy_and_has_no_inline_code(client, sample_submissions):
    respondent = Respondent(client, "fa")
    respondent.fill(next(s for s in sample_submissions if s["language"] == "fa")["answers"])
    for location in [f"/s/{SURVEY}/", *respondent.pages, f"/s/{SURVEY}/review",
                     "/admin/login", f"/s/{SURVEY}/page/99"]:
        response = client.get(location)
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert policy.startswith("default-src 'self'") and "unsafe-inline" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"
        for tag in re.findall(r"<script[^>]*>", response.text):
            assert ' src="/static/' in tag or 'type="application/json"' in tag, tag
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", response.text)


def test_the_session_cookie_is_http_only_and_same_site(client):
    cookie = client.get(f"/s/{SURVEY}/").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_behind_an_https_proxy_cookies_are_secure_and_hsts_is_sent(project, tmp_path):
    app = create_app(project, f"sqlite:///{tmp_path / 's.sqlite'}", behind_proxy=True)
    response = app.test_client().get(f"/s/{SURVEY}/", headers={
        "X-Forwarded-Proto": "https", "X-Forwarded-Host": "survey.example.org"})
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert 'action="/s/zusammen/start"' in response.text
