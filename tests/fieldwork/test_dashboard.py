"""The fieldwork dashboard's figures against counts made directly from the store, small cells
suppressed as in reports, forms not returned per partner, the page in German and English, and
the CSV/XLSX with the page's figures."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from html import unescape

import openpyxl
import pytest
import sqlalchemy as sa
from babel.numbers import format_decimal
from fieldwork_helpers import RETURNED, SERIALS, SURVEY, fill_store, make_project
from server_helpers import hidden, sqlite_url

from survey.commands.fieldwork import run_fieldwork
from survey.fieldwork import compute_fieldwork, fieldwork_sheets, said
from survey.server.app import create_app
from survey.stats.plan import load_plan, project_plan_file
from survey.store.entries import start_entry
from survey.store.schema import Status, responses
from survey.store.users import add_user, set_language

PASSWORD = "a long enough password"


def _direct_partner_counts(store) -> dict[str | None, int]:
    with store.engine.connect() as connection:
        return dict(connection.execute(
            sa.select(responses.c.partner, sa.func.count())
            .where(responses.c.status == Status.ACCEPTED).group_by(responses.c.partner)).all())


def _direct_cells(project, store) -> dict[tuple[str, str], int]:
    """Counts per weighting cell from the stored answers, recoded here by hand."""
    plan = load_plan(project_plan_file(project), project.questionnaire(SURVEY))
    recodes = {d.id: d for d in plan.derived}
    found: dict[tuple[str, str], int] = {}
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(responses.c.answers).where(
            responses.c.status == Status.ACCEPTED)).scalars().all()
    for text in rows:
        answers = json.loads(text)
        for margin, source in (("district_group", "district"), ("gender_group", "gender"),
                               ("region", "birth_country")):
            value = answers.get(source)
            if not isinstance(value, str):
                continue
            recode = recodes[margin]
            group = recode.mapping.get(value, recode.other)
            if group is not None:
                found[(margin, group)] = found.get((margin, group), 0) + 1
    return found


def test_partner_counts_equal_the_store(filled):
    store = filled.store()
    figures = compute_fieldwork(filled, store, filled.questionnaire(SURVEY))
    direct = _direct_partner_counts(store)
    assert {row.id: row.accepted for row in figures.partners} == direct
    assert sum(direct.values()) == figures.accepted > 300
    assert len(direct) == 4  # three partners and responses without one
    with store.engine.connect() as connection:
        by_mode = dict(connection.execute(
            sa.select(responses.c.mode, sa.func.count()).where(
                responses.c.status == Status.ACCEPTED, responses.c.partner == "leipzig-ru")
            .group_by(responses.c.mode)).all())
    row = next(r for r in figures.partners if r.id == "leipzig-ru")
    assert {m: n for m, n in row.by_mode.items() if n} == by_mode
    assert by_mode["paper"] == len(RETURNED["leipzig-ru"])  # partner from the serial block
    assert next(r for r in figures.partners if r.id == "kobo-team").quarantined == 1
    store.close()


def test_target_cells_equal_the_store_and_small_cells_are_suppressed(filled):
    store = filled.store()
    figures = compute_fieldwork(filled, store, filled.questionnaire(SURVEY))
    direct = _direct_cells(filled, store)
    min_cell = figures.rules.min_cell
    assert min_cell == 10  # the plan's rule
    checked = 0
    for cell in figures.cells:
        true = direct.get((cell.margin, cell.category), 0)
        if 0 < true < min_cell:
            assert cell.achieved is None and "suppressed" in cell.flags
        if cell.achieved is not None:
            assert cell.achieved == true
            base = figures.bases[cell.margin]
            assert cell.achieved_share == pytest.approx(true / base)
            assert cell.weight == pytest.approx(cell.target_share / (true / base))
            checked += 1
    assert checked >= 10
    summary = figures.representativeness
    assert summary is not None and 0 < summary.weight_cv < 3 and 0.9 < summary.r_indicator <= 1
    store.close()


def test_a_small_sample_has_its_small_cells_suppressed(tmp_path):
    project = make_project(tmp_path / "small")
    store = project.store()
    fill_store(project, store, limit=60)
    figures = compute_fieldwork(project, store, project.questionnaire(SURVEY))
    direct = _direct_cells(project, store)
    small = [c for c in figures.cells if 0 < direct.get((c.margin, c.category), 0) < 10]
    assert small and all(c.achieved is None and c.weight is None for c in small)
    for margin in {c.margin for c in figures.cells}:
        hidden_cells = [c for c in figures.cells if c.margin == margin and c.achieved is None]
        assert len(hidden_cells) != 1  # never one alone: it could be worked out from the base
    store.close()


def test_forms_not_returned_per_partner(filled):
    store = filled.store()
    start_entry(store, SURVEY, "000045", "de", "typist")  # back, being typed in
    figures = compute_fieldwork(filled, store, filled.questionnaire(SURVEY))
    rows = {r.id: r for r in figures.partners}
    leipzig, dresden = rows["leipzig-ru"], rows["dresden-beirat"]
    assert (leipzig.printed, leipzig.returned, leipzig.not_returned) == (100, 41, 59)
    assert leipzig.missing == "000041–000044, 000046–000100"
    first, last = SERIALS["dresden-beirat"]
    assert (dresden.printed, dresden.not_returned) == (last - first + 1, 30)
    assert dresden.missing == "000131–000160"
    assert rows["kobo-team"].printed == 0
    store.close()


def _login(client, name: str) -> None:
    page = client.get("/admin/login")
    client.post("/admin/login", data={"csrf_token": hidden(page.text, "csrf_token"),
                                      "name": name, "password": PASSWORD})


def _page_tables(html: str) -> dict[str, list[list[str]]]:
    tables = {}
    for key, body in re.findall(r'<table class="counts" id="fieldwork-(\w+)">(.*?)</table>', html,
                                re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)
        tables[key] = [[unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
                       for r in rows]
    return tables


@pytest.fixture(scope="module")
def served(filled):
    app = create_app(filled, sqlite_url(filled.root / "data" / "store.sqlite"))
    app.testing = True
    store = app.extensions["survey"].store
    add_user(store, "ana", PASSWORD)
    add_user(store, "jonas", PASSWORD)
    set_language(store, "jonas", "de")
    return app


def test_the_page_is_for_admins_in_their_language(served):
    client = served.test_client()
    assert client.get(f"/admin/{SURVEY}/fieldwork").status_code == 302
    _login(client, "ana")
    english = client.get(f"/admin/{SURVEY}/fieldwork", headers={"Accept-Language": "en"})
    assert english.status_code == 200
    assert "Returns by partner" in english.text and "Rücklauf" not in english.text
    assert "Migrantenbeirat Dresden" in english.text
    german_client = served.test_client()
    _login(german_client, "jonas")
    german = german_client.get(f"/admin/{SURVEY}/fieldwork")
    assert "Rücklauf nach Partner" in german.text and "Returns by partner" not in german.text
    assert "Gewichtungsmerkmale im Vergleich zu den Sollwerten" in german.text
    assert re.search(r"<td>\d+,\d</td>", german.text)  # decimal commas
    entry_user = served.test_client()
    add_user(served.extensions["survey"].store, "typist", PASSWORD, role="entry")
    _login(entry_user, "typist")
    assert entry_user.get(f"/admin/{SURVEY}/fieldwork").status_code in (302, 403)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_file_holds_the_page_figures(served, filled, tmp_path, suffix):
    client = served.test_client()
    _login(client, "ana")
    page = _page_tables(client.get(f"/admin/{SURVEY}/fieldwork",
                                   headers={"Accept-Language": "en"}).text)
    out = tmp_path / f"fieldwork{suffix}"
    assert run_fieldwork(filled.root, SURVEY, None, out, "en", None) == 0
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
        written: dict[str, list[list[str]]] = {}
        for line in lines:
            if line[0] != "section":
                written.setdefault(line[0], []).append(line[1:])
    else:
        book = openpyxl.load_workbook(out)
        written = {name: [["" if v is None else str(v) for v in row]
                          for row in book[name].iter_rows(min_row=2, values_only=True)]
                   for name in book.sheetnames}
    assert set(written) == set(page) >= {"summary", "partners", "targets", "modes"}

    def same(text: str, shown: str) -> bool:
        if text == "":
            return shown in ("", "–")
        try:
            number = float(text)
        except ValueError:
            return text == shown
        value = int(number) if number.is_integer() and "." not in text else number
        return format_decimal(value, locale="en", decimal_quantization=False) == shown

    for key, rows in page.items():
        assert len(rows) == len(written[key]), key
        for shown_row, file_row in zip(rows, written[key], strict=True):
            assert all(same(a, b) for a, b in zip(file_row, shown_row, strict=True)), \
                (key, file_row, shown_row)


def test_the_sheets_say_every_text_in_german(filled):
    store = filled.store()
    sheets = fieldwork_sheets(compute_fieldwork(filled, store, filled.questionnaire(SURVEY)))
    store.close()
    german = {said(s.title, "de") for s in sheets}
    assert "Rücklauf nach Partner" in german and "Zusammenfassung" in german
    assert all(said(h, "de") for s in sheets for h in s.headers)
    languages = next(s for s in sheets if s.key == "languages")
    assert "Russisch" in [said(row[0], "de") for row in languages.rows]


def test_days_are_counted(filled):
    store = filled.store()
    figures = compute_fieldwork(filled, store, filled.questionnaire(SURVEY))
    store.close()
    assert sum(n for _, n in figures.by_day) == figures.accepted
    assert all(day is None or isinstance(day, dt.date) for day, _ in figures.by_day)


def test_an_80_column_terminal_gets_every_figure_whole(filled):
    """Too wide a table is printed as one block per row, never with cut-off cells."""
    from click.testing import CliRunner

    from survey.cli import cli

    result = CliRunner().invoke(cli, ["fieldwork", str(filled.root)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(map(len, lines)) <= 80
    assert "…" not in result.output
    for partner in filled.partners():
        assert partner.name in result.output


def test_needed_achieved_and_missing_add_up(filled):
    figures = compute_fieldwork(filled, filled.store(), filled.questionnaire(SURVEY))
    for cell in figures.cells:
        assert isinstance(cell.needed, int)
        if cell.achieved is not None:
            assert cell.shortfall == max(cell.needed - cell.achieved, 0)
