"""A formula after leading whitespace of any kind is neutralised in every CSV and XLSX we
write: spreadsheet programs skip blanks (and invisible characters) before they look for `=`."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from server_helpers import SURVEY, api_post, hidden, new_id, store_of

from survey.safe_cells import neutralise
from survey.store.users import add_user

FORMULA = '=HYPERLINK("http://evil.example","click")'
LEADING = {"space": " ", "tab": "\t", "no-break space": "\u00a0", "ideographic space": "\u3000",
           "em space": "\u2003", "narrow no-break space": "\u202f", "zero-width space": "\u200b",
           "byte order mark": "\ufeff", "line feed": "\n", "several": " \u00a0\t "}


@pytest.mark.parametrize("blank", LEADING.values(), ids=LEADING.keys())
@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "＝"])
def test_a_trigger_after_leading_blanks_gets_the_apostrophe(blank: str, trigger: str):
    text = f"{blank}{trigger}SUM(A1:A9)"
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Wohnung", " Wohnung", "\u00a0 Berlin = Hauptstadt", "", "   ",
                                  "42", "شقة", " 3 - 4 Zimmer"])
def test_ordinary_text_stays_as_typed(text: str):
    assert neutralise(text) == text


def _login(client: FlaskClient) -> None:
    page = client.get("/admin/login")
    client.post("/admin/login", data={"csrf_token": hidden(page.text, "csrf_token"),
                                      "name": "ana", "password": "correct horse battery"})


def test_downloads_neutralise_formulas_behind_blanks(client, app, sample_submissions):
    """Respondents' texts reach staff spreadsheets through the admin downloads."""
    add_user(store_of(app), "ana", "correct horse battery")
    sample = sample_submissions[0]
    problem, suggest = "\u00a0" + FORMULA, " \t@SUM(A1)"
    sent = {"submission_id": new_id(), "language": sample["language"],
            "answers": sample["answers"] | {"problem": problem, "suggest": suggest}}
    assert api_post(client, sent).status_code == 201
    _login(client)
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/admin/{SURVEY}/responses.csv").data.decode("utf-8-sig"))))
    assert rows[0]["problem"] == "'" + problem and rows[0]["suggest"] == "'" + suggest
    sheet = load_workbook(io.BytesIO(client.get(f"/admin/{SURVEY}/responses.xlsx").data)).active
    values = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    assert values["problem"] == "'" + problem
