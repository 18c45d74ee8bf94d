"""The preview server without a browser: who may ask it, what the form pane frames, and the
state the page polls. Paper pages are off here (test_paper_pages.py has them)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from preview_helpers import (
    EXAMPLE,
    OVERALL_DE,
    Running,
    broken,
    error_line,
    relabel,
    running_preview,
    save,
    wait_for,
    xlsform,
)
from support import copy_flagship

from survey.preview import PreviewError, open_preview


@pytest.fixture
def watched(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLE, tmp_path / "feedback.yaml"))


@pytest.fixture
def running(watched: Path) -> Iterator[Running]:
    with running_preview(watched, paper=False) as started:
        yield started


def test_only_the_loopback_address_served_is_answered(running: Running) -> None:
    port = running.url.rstrip("/").rsplit(":", 1)[1]
    assert running.get("/")[0] == 200
    for host in ("evil.example", f"evil.example:{port}", f"localhost:{port}",
                 "127.0.0.1", f"127.0.0.1:{int(port) + 1}", ""):
        status, _, body = running.get("/_preview/state.json", host=host)
        assert status == 403, host
        assert f"http://127.0.0.1:{port}/" in body.decode()
        assert running.get("/form/s/event_feedback/", host=host)[0] == 403


def test_the_page_has_no_inline_script_or_style(running: Running) -> None:
    status, headers, body = running.get("/")
    page = body.decode()
    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert " style=" not in page and "<style" not in page
    assert 'src="/form/s/event_feedback/?lang=de"' in page


def test_the_form_pane_frames_the_real_respondent_pages(running: Running) -> None:
    status, headers, body = running.get("/form/s/event_feedback/?lang=en")
    assert status == 200
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "Your feedback on the information event" in body.decode()
    assert 'action="/form/s/event_feedback/start"' in body.decode()


def test_a_label_change_reaches_the_form(running: Running, watched: Path) -> None:
    state = running.state()
    assert state["status"] == "ok" and state["form"]["number"] == 1
    assert state["fingerprint"] and [code for code, _ in state["languages"]] == ["de", "en", "ar"]
    _, _, body = running.get("/form/_preview/open?lang=de&page=1")
    assert OVERALL_DE in body.decode()
    relabel(watched, OVERALL_DE, "Wie war der Abend?")
    changed = wait_for(lambda: (s := running.state())["form"]["number"] == 2 and s,
                       what="the new version")
    assert changed["fingerprint"] != state["fingerprint"]
    _, headers, body = running.get("/form/_preview/open?lang=de&page=1")
    assert headers["url"].endswith("/form/s/event_feedback/page/1")
    assert "Wie war der Abend?" in body.decode() and OVERALL_DE not in body.decode()


def test_an_error_keeps_the_last_form_and_lists_its_line(running: Running,
                                                        watched: Path) -> None:
    text = watched.read_text("utf-8")
    save(watched, broken(text))
    state = wait_for(lambda: (s := running.state())["status"] == "errors" and s)
    (message,) = state["messages"]
    assert message["line"] == error_line(text) and "ratingx" in message["text"]
    assert state["form"]["number"] == 1  # still shown
    assert OVERALL_DE in running.get("/form/_preview/open?lang=de&page=1")[2].decode()
    save(watched, text)
    fixed = wait_for(lambda: (s := running.state())["form"]["number"] == 2 and s)
    assert fixed["status"] == "ok" and fixed["messages"] == []


def test_a_vanished_file_is_told_and_comes_back(running: Running, watched: Path) -> None:
    text = watched.read_text("utf-8")
    watched.unlink()
    state = wait_for(lambda: (s := running.state())["status"] == "missing" and s)
    assert "is not there" in state["headline"] and state["fingerprint"] is None
    assert state["form"]["number"] == 1
    save(watched, text)
    wait_for(lambda: running.state()["status"] == "ok")


def test_a_draft_carries_on_into_the_next_version(running: Running, watched: Path) -> None:
    running.get("/form/_preview/open?lang=en&page=1")
    store = running.preview.forms.current[1].extensions["survey"].store
    assert store is not None
    relabel(watched, "What could we do better?", "What should change?")
    wait_for(lambda: running.state()["form"]["number"] == 2)
    _, headers, body = running.get("/form/_preview/open?lang=ar&page=1")
    assert "/page/1" in headers["url"]
    assert 'dir="rtl"' in body.decode()


def test_q_opens_the_page_of_the_question(tmp_path: Path) -> None:
    path = copy_flagship(tmp_path)
    with running_preview(path, paper=False) as started:
        state = started.state("?q=arrival_year&lang=en")
        assert state["form"]["question_found"] is True
        assert state["form"]["start_url"] == "/form/_preview/open?lang=en&q=arrival_year"
        _, headers, body = started.get(state["form"]["start_url"])
        assert re.search(r"/form/s/zusammen/page/\d+#q-arrival_year$", headers["url"])
        assert 'id="q-arrival_year"' in body.decode()
        assert started.state("?q=no_such_question")["form"]["question_found"] is False
        _, headers, _ = started.get("/form/_preview/open?lang=en&q=no_such_question")
        assert headers["url"].endswith("/form/s/zusammen/?lang=en")


def test_an_xlsform_previews(tmp_path: Path) -> None:
    path = xlsform(tmp_path / "work.xlsx")
    with running_preview(path, paper=False) as started:
        state = started.state()
        assert state["status"] == "ok", state["messages"]
        _, _, body = started.get("/form/_preview/open?page=1")
        assert "How old are you?" in body.decode()
        xlsform(path, label="Your age in years?")
        wait_for(lambda: started.state()["form"]["number"] == 2)
        assert "Your age in years?" in started.get("/form/_preview/open?page=1")[2].decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work.xlsx"]


def test_a_file_without_a_good_version_shows_no_form(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text("survey:\n  id: x\n", encoding="utf-8")
    with running_preview(path, paper=False) as started:
        state = started.state()
        assert state["status"] == "errors" and state["form"] is None
        assert started.get("/form/s/x/")[0] == 503
        assert "appears here once" in started.get("/")[2].decode()


def test_what_cannot_be_previewed_is_refused_at_the_start(tmp_path: Path) -> None:
    with pytest.raises(PreviewError, match="takes a questionnaire"):
        open_preview(tmp_path / "returns.csv", 0)
    with pytest.raises(PreviewError, match="no such file"):
        open_preview(tmp_path / "typo.yaml", 0)
