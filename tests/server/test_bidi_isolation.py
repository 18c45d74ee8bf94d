"""Phone numbers, e-mail addresses and Latin-script names on right-to-left pages of the online
form: each run is isolated (<bdi dir="ltr">), so "0351 0000000" does not show as
"0000000 0351" and a name keeps its full stop at its end; left-to-right pages are unchanged."""

from __future__ import annotations

import re

import pytest
from server_helpers import SURVEY


def isolated_runs(html: str) -> list[str]:
    return re.findall(r'<bdi dir="ltr">(.*?)</bdi>', html)


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_phone_numbers_and_addresses_are_isolated_on_right_to_left_pages(client, language):
    html = client.get(f"/s/{SURVEY}/?lang={language}").text
    runs = isolated_runs(html)
    assert "0351 0000000" in runs
    assert "zusammen@example.org" in runs
    assert "Beispielstraße 1, 01067 Dresden" in runs  # one run: not reordered piece by piece
    # the sentence's own full stop stays outside the run, at the end of the sentence
    assert "0351 0000000." not in runs


def test_the_organisation_and_title_are_isolated_in_the_header(client):
    html = client.get(f"/s/{SURVEY}/?lang=ar").text
    header = html[html.index('<header class="site">'):html.index("</header>")]
    assert header.count("<bdi>") == 2


def test_left_to_right_pages_are_unchanged(client):
    html = client.get(f"/s/{SURVEY}/?lang=de").text
    assert isolated_runs(html) == []
    assert "0351 0000000" in html
