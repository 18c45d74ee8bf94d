"""The sample returns in data/sample: reproducible, readable the way partners' files are read,
plausible, and exact about the faults planted in them (the ingest tests rely on expected.json).

The files are decoded here independently of the generator, following data/sample/README.md,
and every row is checked against the questionnaire: clean rows must pass every check, each
planted fault must be found where expected.json says and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pyreadstat
import pytest
from support import QUESTIONNAIRES, ROOT

from survey.questionnaire.expressions.evaluate import Context, evaluate, truthy
from survey.questionnaire.languages import country_names, language_names
from survey.questionnaire.model import Question, VariableRole
from survey.questionnaire.routing import route
from survey.questionnaire.spec import QuestionType as T
from survey.questionnaire.validate import load_questionnaire

SAMPLE = ROOT / "data" / "sample"
Q = load_questionnaire(QUESTIONNAIRES / "zusammen.yaml")
EXPECTED = json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 5, 3)
FILES = ("leipzig_ru.csv", "dresden_de.xlsx", "chemnitz_codes.sav", "kobo_export.csv",
         "online.jsonl")
VARIABLES = [v for v in Q.variables if v.question.type != T.CALCULATE]
HOSTILE = '=HYPERLINK("http://example.org","click")'


@dataclass(frozen=True)
class Declared:
    """A declared missing value in the data; empty for routing."""

    name: str


class Unknown(ValueError):
    pass


class NotANumber(ValueError):
    pass


def _plain(text: str) -> str:
    """Without the accents cp1251 cannot carry (README: Görlitz → Gorlitz, Meißen → Meissen)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.replace("ß", "ss"))
                   if not unicodedata.combining(c))


def _fold(text: str) -> str:
    return _plain(text).casefold()


def _blank(cell: Any) -> bool:
    return cell is None or cell == "" or (isinstance(cell, float) and math.isnan(cell))


class Labels:
    """Cells holding labels in one language (the Russian CSV, the German Excel list)."""

    def __init__(self, lang: str, yes: str, no: str, tick: str):
        self.lang, self.yes, self.no, self.tick_mark = lang, yes, no, tick

    def choice(self, q: Question, cell: Any) -> Any:
        if _blank(cell):
            return None
        if q.type == T.COUNTRY:
            known: dict[str, Any] = dict(country_names(self.lang))
        elif q.type == T.LANGUAGE:
            known = dict(language_names(self.lang))
        else:
            assert q.choices is not None
            known = {c.name: c.label.get(self.lang) for c in q.choices.choices}
        names = {_fold(label): name for name, label in known.items()}
        names |= {_fold(m.label.get(self.lang)): Declared(m.name) for m in q.missing}
        if _fold(str(cell)) not in names:
            raise Unknown(cell)
        return names[_fold(str(cell))]

    def tick(self, cell: Any) -> bool:
        return cell == self.tick_mark

    def number(self, cell: Any) -> int | None:
        if _blank(cell):
            return None
        if isinstance(cell, int) or str(cell).isdigit():
            return int(cell)
        raise NotANumber(cell)

    def consent(self, cell: Any) -> bool | None:
        return None if _blank(cell) else {self.yes: True, self.no: False}[cell]


class Codes(Labels):
    """Numeric codes with user-missing codes (SPSS); countries and languages as codes."""

    def __init__(self) -> None:
        super().__init__("en", "", "", "")

    def choice(self, q: Question, cell: Any) -> Any:
        if _blank(cell):
            return None
        if q.type in (T.COUNTRY, T.LANGUAGE):
            return Names().choice(q, cell)
        assert q.choices is not None
        codes: dict[int, Any] = {c.code: c.name for c in q.choices.choices}
        codes |= {m.code: Declared(m.name) for m in q.missing}
        if int(cell) not in codes:
            raise Unknown(cell)
        return codes[int(cell)]

    def tick(self, cell: Any) -> bool:
        return cell == 1

    def number(self, cell: Any) -> int | None:
        return None if _blank(cell) else int(cell)

    def consent(self, cell: Any) -> bool | None:
        return None if _blank(cell) else bool(cell)


class Names(Labels):
    """Choice names and codes as values (KoboToolbox, the online form)."""

    def __init__(self) -> None:
        super().__init__("en", "OK", "", "1")

    def choice(self, q: Question, cell: Any) -> Any:
        if _blank(cell):
            return None
        if isinstance(cell, dict):
            return Declared(cell["missing"])
        if cell in {m.name for m in q.missing}:
            return Declared(cell)
        known = (country_names("en") if q.type == T.COUNTRY else language_names("en")
                 if q.type == T.LANGUAGE else {c.name: c for c in q.choices.choices}
                 if q.choices else {})
        if cell not in known:
            raise Unknown(cell)
        return cell

    def tick(self, cell: Any) -> bool:
        return cell in ("1", True)

    def consent(self, cell: Any) -> bool | None:
        return cell if isinstance(cell, bool) else True if cell == "OK" else None


def _value(q: Question, name: str, cells: dict[str, Any], dec: Labels) -> Any:
    if q.type == T.MULTIPLE_CHOICE and name == q.id:
        assert q.choices is not None
        ticked = [c.name for c in q.choices.choices if dec.tick(cells.get(f"{q.id}__{c.name}"))]
        return ticked or None
    if q.type == T.RANKING:
        ranked = [dec.choice(q, cells.get(f"{q.id}__rank{k}")) for k in range(1, q.rank + 1)]
        return [r for r in ranked if r is not None] or None
    if q.type in (T.YEAR, T.INTEGER):
        return dec.number(cells.get(name))
    if q.type == T.CONSENT:
        return dec.consent(cells.get(name))
    if q.type in (T.TEXT, T.LONG_TEXT) or (name != q.id and q.type != T.GRID):
        return None if _blank(cells.get(name)) else str(cells[name])
    return dec.choice(q, cells.get(name))


def problems_of(cells: dict[str, Any], dec: Labels) -> tuple[dict[str, Any], set[str]]:
    """Decode one row given by variable name and list what is wrong with it."""
    answers: dict[str, Any] = {}
    found: set[str] = set()
    for q in Q.questions:
        if q.type in (T.NOTE, T.CALCULATE):
            continue
        names = ([f"{q.id}__{i.id}" for i in q.items] if q.type == T.GRID else
                 [q.id] + [f"{q.id}__{c.name}_text" for c in (q.choices.choices if q.choices
                                                              else ()) if c.other])
        for name in names:
            try:
                value = _value(q, name, cells, dec)
            except Unknown:
                found.add("unknown_choice")
            except NotANumber:
                found.add("not_a_number")
            else:
                if value is not None:
                    answers[name] = value
    visible = {k: None if isinstance(v, Declared) else v for k, v in answers.items()}
    if visible.get("consent") is not True:
        found.add("missing_consent")
    asked = route(Q, visible, TODAY).asked
    if any(name.split("__")[0] not in asked for name in answers):
        found.add("skipped_question_answered")
    for q in Q.questions:
        value = visible.get(q.id)
        if value is None:
            continue
        if q.type in (T.YEAR, T.INTEGER) and not q.min <= value <= q.max:
            found.add("out_of_range")
        elif q.constraint and not truthy(evaluate(q.constraint.tree, Context(
                visible, current=value, today=TODAY))):
            found.add("constraint")
        if q.type == T.MULTIPLE_CHOICE and len(value) > 1 and any(
                c.exclusive and c.name in value for c in q.choices.choices):
            found.add("exclusive")
    return answers, found


@dataclass
class Table:
    """A sample file as rows: (row number, cells by variable, identity for duplicates, raw)."""

    rows: list[tuple[int, dict[str, Any], Any, dict[str, Any]]]
    columns: set[str]
    decoder: Labels


def _ru_header(var: Any) -> str:
    """README: the Russian question text; 'text: option/row'; 'text: k-е место'."""
    text = var.question.label.get("ru")
    if var.role in (VariableRole.OPTION, VariableRole.OTHER_TEXT):
        text += f": {var.choice.label.get('ru')}"
        text += " (уточните)" if var.role == VariableRole.OTHER_TEXT else ""
    elif var.role == VariableRole.ROW:
        text += f": {var.item.label.get('ru')}"
    elif var.role == VariableRole.RANK:
        text += f": {var.name.rsplit('rank', 1)[1]}-е место"
    return "".join(ch if ch.encode("cp1251", "ignore") else _plain(ch) for ch in text)


def read_leipzig() -> Table:
    df = pd.read_csv(SAMPLE / "leipzig_ru.csv", sep=";", encoding="cp1251", dtype=str,
                     keep_default_na=False)
    to_var = {_ru_header(v): v.name for v in VARIABLES}
    assert list(df.columns) == ["№ анкеты", *to_var]
    rows = []
    for i, record in enumerate(df.to_dict("records")):
        rows.append((i + 2, {to_var[c]: v for c, v in record.items() if c in to_var},
                     tuple(record.values()), record))
    return Table(rows, set(df.columns), Labels("ru", "Да", "Нет", "1"))


def read_dresden() -> Table:
    ws = openpyxl.load_workbook(SAMPLE / "dresden_de.xlsx").active
    headers = [c.value for c in ws[3]]
    rows = []
    for i, values in enumerate(ws.iter_rows(min_row=4, values_only=True), 4):
        record = dict(zip(headers, values, strict=True))
        rows.append((i, record, values, record))
    return Table(rows, set(headers), Labels("de", "Ja", "Nein", "x"))


def read_chemnitz() -> Table:
    df, _ = pyreadstat.read_sav(SAMPLE / "chemnitz_codes.sav", user_missing=True)
    rows = []
    for i, record in enumerate(df.to_dict("records")):
        identity = tuple(None if _blank(v) else v for v in record.values())
        rows.append((i + 1, record, identity, record))
    return Table(rows, set(df.columns), Codes())


def read_kobo() -> Table:
    df = pd.read_csv(SAMPLE / "kobo_export.csv", sep=";", dtype=str, keep_default_na=False)
    rows = []
    for i, record in enumerate(df.to_dict("records")):
        cells = {}
        for v in VARIABLES:
            q = v.question
            if v.role == VariableRole.OPTION:
                cells[v.name] = record[f"{q.section}/{q.id}/{v.choice.name}"]
                assert (v.choice.name in record[f"{q.section}/{q.id}"].split()) == (
                    cells[v.name] == "1"), "the list and the 0/1 columns disagree"
            elif v.role == VariableRole.RANK:
                ranked = record[f"{q.section}/{q.id}"].split()
                position = int(v.name.rsplit("rank", 1)[1])
                cells[v.name] = ranked[position - 1] if len(ranked) >= position else ""
            else:
                cells[v.name] = record[f"{q.section}/{v.name}"]
        rows.append((i + 2, cells, record["_uuid"], record))
    return Table(rows, set(df.columns), Names())


def read_online() -> Table:
    rows = []
    lines = (SAMPLE / "online.jsonl").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines, 1):
        submission = json.loads(line)
        assert submission["questionnaire"] == Q.id and submission["mode"] == "web"
        assert submission["version"] == Q.survey.version
        assert submission["language"] in Q.languages
        answers = submission["answers"]
        cells = dict(answers)
        for v in VARIABLES:
            value = answers.get(v.question.id)
            if v.role == VariableRole.OPTION and value is not None:
                cells[v.name] = v.choice.name in value
            elif v.role == VariableRole.RANK and value is not None:
                position = int(v.name.rsplit("rank", 1)[1])
                cells[v.name] = value[position - 1] if len(value) >= position else None
        rows.append((i, cells, line, answers))
    columns = {name for _, _, _, answers in rows for name in answers}
    return Table(rows, columns, Names())


READERS = {"leipzig_ru.csv": read_leipzig, "dresden_de.xlsx": read_dresden,
           "chemnitz_codes.sav": read_chemnitz, "kobo_export.csv": read_kobo,
           "online.jsonl": read_online}


@pytest.fixture(scope="module")
def decoded() -> dict[str, list[tuple[int, dict[str, Any], set[str], int | None]]]:
    """Per file: (row, answers, problems, the earlier row this one repeats or None)."""
    out = {}
    for name, read in READERS.items():
        table = read()
        seen: dict[Any, int] = {}
        out[name] = []
        for row, cells, identity, _ in table.rows:
            answers, found = problems_of(cells, table.decoder)
            out[name].append((row, answers, found, seen.get(identity)))
            seen.setdefault(identity, row)
    return out


def test_generator_writes_the_committed_files_byte_for_byte(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(SAMPLE))
    importlib.import_module("generate").generate(tmp_path)
    for name in [*FILES, "expected.json"]:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_files_look_like_what_partners_send() -> None:
    raw = (SAMPLE / "leipzig_ru.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("cp1251").startswith("№ анкеты;Я прочитал(а)")
    wb = openpyxl.load_workbook(SAMPLE / "dresden_de.xlsx")
    ws = wb.active
    assert str(ws["A1"].value).startswith("Rückläufe Verein")
    assert "E2:L2" in {str(r) for r in ws.merged_cells.ranges}  # "Über Sie" over its columns
    assert [c.value for c in ws[3]][:5] == ["Nr.", "Datum", "Bogensprache", "consent",
                                            "birth_year"]
    assert ws["B4"].is_date and ws["B4"].number_format == "DD.MM.YYYY"
    years = [c.value for c in ws["E"][3:] if c.value is not None]
    assert {type(y) for y in years} == {int, str}  # some numbers were typed as text
    _, meta = pyreadstat.read_sav(SAMPLE / "chemnitz_codes.sav", metadataonly=True,
                                  user_missing=True)
    assert meta.variable_value_labels["gender"][-2] == "Keine Angabe"
    assert meta.missing_ranges["sat__german"] == [{"lo": -1.0, "hi": -1.0}]
    assert meta.column_names_to_labels["birth_year"] == "In welchem Jahr sind Sie geboren?"
    kobo = pd.read_csv(SAMPLE / "kobo_export.csv", sep=";", dtype=str, keep_default_na=False)
    assert {"start", "end", "_uuid", "_submission_time", "_index", "health/counselling",
            "health/counselling/none", "about/birth_year"} <= set(kobo.columns)
    assert kobo["_index"].tolist() == [str(i) for i in range(1, len(kobo) + 1)]


@pytest.mark.parametrize("name", FILES)
def test_expected_json_is_exact(name: str, decoded: dict) -> None:
    """Clean rows pass every check; each planted fault is found in its row, and only it."""
    expected = EXPECTED["files"][name]
    table = READERS[name]()
    rows = decoded[name]
    assert len(rows) == expected["rows"]
    planted = {f["row"]: f for f in expected["faults"]}
    assert len(planted) == len(expected["faults"]), "one fault per row"
    for f in expected["faults"]:
        assert f["column"] is None if f["kind"] == "duplicate" else f["column"] in table.columns
    for row, _, found, repeats in rows:
        kind = planted.get(row, {}).get("kind")
        if repeats is not None:
            assert kind == "duplicate" and planted[row]["of"] == repeats, row
        elif kind in (None, "hostile_text"):
            assert found == set(), (row, found)
        elif kind == "missing_consent":
            assert "missing_consent" in found, row
        else:
            assert found == {kind}, (row, kind, found)
    quarantined = sum(f["kind"] not in ("duplicate", "hostile_text") for f in expected["faults"])
    assert expected["duplicates"] == sum(r[3] is not None for r in rows)
    assert expected["quarantined"] == quarantined
    assert expected["accepted"] + quarantined + expected["duplicates"] == expected["rows"]
    assert 0.02 <= len(planted) / expected["rows"] <= 0.04


def test_hostile_text_and_contact_details_are_where_listed() -> None:
    hostile = []
    for name in FILES:
        expected = EXPECTED["files"][name]
        table = READERS[name]()
        raw = {row: record for row, _, _, record in table.rows}
        for f in expected["faults"]:
            if f["kind"] == "hostile_text":
                hostile.append(name)
                assert raw[f["row"]][f["column"]] == HOSTILE
        listed = {(c["row"], c["column"]) for c in expected["contact_details"]}
        found = {(row, column) for row, record in raw.items() for column, value in
                 record.items() if isinstance(value, str)
                 and ("@example." in value or any(p in value for p in ("0151 ", "0152 ", "0157 ",
                                                                       "0160 ", "0176 ",
                                                                       "0178 ")))}
        assert listed == found, name
    assert hostile == ["leipzig_ru.csv"]


def _clean(decoded: dict) -> list[dict[str, Any]]:
    planted = {(n, f["row"]) for n in FILES for f in EXPECTED["files"][n]["faults"]
               if f["kind"] != "hostile_text"}
    return [answers for n in FILES for row, answers, _, _ in decoded[n]
            if (n, row) not in planted]


def test_clean_rows_follow_the_routing(decoded: dict) -> None:
    clean = _clean(decoded)
    assert len(clean) == sum(EXPECTED["files"][n]["accepted"] for n in FILES)
    assert not [a for a in clean if a.get("birth_country") == "DE" and "arrival_year" in a]
    assert not [a for a in clean if a.get("has_children") == "no" and "n_children" in a]
    assert all(a["consent"] is True for a in clean)


def test_distributions_are_plausible(decoded: dict) -> None:
    clean = _clean(decoded)
    assert 1400 <= len(clean) <= 1500
    districts = Counter(a.get("district") for a in clean)
    assert sum(districts[c] for c in ("leipzig", "dresden", "chemnitz")) > .55 * len(clean)
    assert set(districts) - {None} == {c.name for c in Q.question("district").choices.choices}

    def arrivals(country: str) -> list[int]:
        return [a["arrival_year"] for a in clean
                if a.get("birth_country") == country and "arrival_year" in a]

    assert sum(y >= 2022 for y in arrivals("UA")) > .7 * len(arrivals("UA"))
    assert sum(2014 <= y <= 2017 for y in arrivals("SY")) > .5 * len(arrivals("SY"))
    assert sum(y < 1995 for y in arrivals("VN")) > .25 * len(arrivals("VN"))
    levels = [c.name for c in Q.question("german").choices.choices]

    def german(lo: int, hi: int) -> float:
        got = [levels.index(a["german"]) for a in clean if "german" in a
               and lo <= TODAY.year - a.get("arrival_year", 3000) <= hi]
        return sum(got) / len(got)

    assert german(10, 80) > german(0, 3) + 1
    ukrainians = [a for a in clean if a.get("birth_country") == "UA"]
    assert sum(a.get("status") == "temp_protection" for a in ukrainians) > .5 * len(ukrainians)
    blank = Counter(q for a in clean for q in ("status", "household", "gender")
                    if q not in a)
    assert .03 < blank["gender"] / len(clean) < blank["status"] / len(clean) < .25
