"""Helpers of the preview tests: questionnaire files to edit, a preview server on a free port,
and a small XLSForm. Imported as `preview_helpers` (a conftest would shadow the root one)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from survey.preview import Preview, open_preview

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "questionnaires" / "examples" / "event-feedback.yaml"
FLAGSHIP = ROOT / "questionnaires" / "zusammen.yaml"
OVERALL_DE = "Wie hat Ihnen die Veranstaltung insgesamt gefallen?"
RATING_LINE = "- id: overall\n        type: rating\n"
"""The start of question 'overall' of the example, whose type `broken` breaks."""


def save(path: Path, text: str) -> None:
    """Save as editors do: a new file renamed over the old one, a new fingerprint at once."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def relabel(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    save(path, text.replace(old, new))


def broken(text: str) -> str:
    """The example with an unknown type for question 'overall'."""
    assert RATING_LINE in text
    return text.replace(RATING_LINE, RATING_LINE.replace("rating", "ratingx"))


def error_line(text: str) -> int:
    """The line of `type: rating` of question 'overall' in the example."""
    return text[:text.index(RATING_LINE)].count("\n") + 2


def wait_for(condition: Callable[[], Any], seconds: float = 30, what: str = "") -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s: {what or condition}")


@dataclass
class Running:
    url: str
    preview: Preview
    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def get(self, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url.rstrip("/") + path)
        if host is not None:
            request.add_header("Host", host)
        try:
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
            with opener.open(request, timeout=30) as response:
                headers = dict(response.headers) | {"url": response.url}
                return response.status, headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def state(self, query: str = "") -> dict[str, Any]:
        status, _, body = self.get(f"/_preview/state.json{query}")
        assert status == 200
        return json.loads(body)


@contextmanager
def running_preview(path: Path, language: str | None = None,
                    paper: bool = True) -> Iterator[Running]:
    """A real preview server (waitress) on a free loopback port."""
    preview, server, url = open_preview(path, 0, language, paper=paper)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield Running(url, preview)
    finally:
        time.sleep(0.2)  # let the last answers leave before the sockets close
        server.close()
        thread.join(timeout=5)
        preview.stop()


def xlsform(path: Path, label: str = "How old are you?") -> Path:
    """A small KoboToolbox-style XLSForm: a note, a number with a range, a yes/no question
    and a follow-up shown only after yes."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    for row in [("type", "name", "label", "relevant", "constraint"),
                ("note", "hello", "Welcome to the survey", None, None),
                ("integer", "age", label, None, ". >= 16 and . <= 110"),
                ("select_one yn", "works", "Do you work?", None, None),
                ("text", "job", "What is your job?", "${works} = '1'", None)]:
        survey.append(list(row))
    choices = book.create_sheet("choices")
    for row in [("list_name", "name", "label"), ("yn", "1", "Yes"), ("yn", "0", "No")]:
        choices.append(list(row))
    settings = book.create_sheet("settings")
    for row in [("form_title", "form_id", "version"), ("Work and age", "work_age", "1")]:
        settings.append(list(row))
    temporary = path.with_name(f"~{path.name}")
    book.save(temporary)
    os.replace(temporary, path)
    return path
