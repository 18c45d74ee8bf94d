"""Column-wise validation gives, row for row, what `check_answers` gives on each row alone.

Every imported row is compared with a row-by-row reading of the same file: the same outcome,
the same validated answers, the same problem messages, the same raw record and content hash.
The files are the committed samples and seeded variants of them (and of a questionnaire with
calculations, required-if rules and constraints) with every kind of fault planted.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from survey.ingest.column_checks import check_columns
from survey.ingest.columns import Meta, plan_columns
from survey.ingest.importer import ingest_file
from survey.ingest.json_text import encode
from survey.ingest.readers import read_table
from survey.ingest.rows import ReadRow, RowReader, raw_value
from survey.ingest.values import FileLabels
from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.expressions.evaluate import Context, evaluate
from survey.questionnaire.expressions.evaluate_columns import (
    Columns,
    Factor,
    evaluate_columns,
    factorize,
)
from survey.questionnaire.expressions.parser import parse_expression
from survey.questionnaire.validate import load_questionnaire
from survey.store.schema import problems, responses
from survey.store.store import Store
from tests.support import QUESTIONNAIRES, ROOT

SAMPLE = ROOT / "data" / "sample"
SAMPLES = sorted(json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))["files"])
TODAY = dt.date.today()

RULES = """\
survey: {id: rules, version: '1', title: Rules, organisation: Test, languages: [en],
         default_language: en}
missing_values:
  - {name: dont_know, code: -1, label: Don't know}
choice_lists:
  yes_no:
    - {name: 'yes', code: 1, label: 'Yes'}
    - {name: 'no', code: 2, label: 'No'}
  needs:
    - {name: housing, code: 1, label: Housing}
    - {name: work, code: 2, label: Work}
    - {name: language, code: 3, label: Language}
    - {name: other, code: 97, other: true, label: Other}
    - {name: none, code: 98, exclusive: true, label: None of these}
sections:
  - id: main
    title: Main
    questions:
      - {id: consent, type: consent, required: true, label: I agree}
      - {id: birth_year, type: year, min: 1900, max: 2010, missing: [dont_know],
         label: Year of birth}
      - {id: age, type: calculate, relevant: "${birth_year} != ''",
         calculate: "year(today()) - ${birth_year}", label: Age}
      - {id: n1, type: integer, min: 0, max: 10, label: First number}
      - {id: early, type: single_choice, choices: yes_no, relevant: "${age} > 40",
         label: Asked of people over 40}
      - {id: n2, type: integer, min: 0, max: 10, constraint: ". >= ${n1}",
         constraint_message: The second number must not be smaller, label: Second number}
      - {id: total, type: calculate, calculate: "${n1} + ${n2}", label: Total}
      - {id: needs, type: multiple_choice, choices: needs, max_selected: 2, label: Needs}
      - {id: comment, type: text, max_length: 12, required: "${n1} > 8", label: Comment}
      - {id: long_comment, type: single_choice, choices: yes_no,
         relevant: "string-length(${comment}) > 5 and selected(${needs}, 'work')",
         label: Asked after a long comment}
  - id: adults
    title: Adults
    relevant: "${age} >= 30 or ${consent} = false()"
    questions:
      - {id: level, type: calculate, calculate: "if(${n1} > 5, 'high', concat('low', ${n2}))",
         label: Level}
      - {id: started, type: date, min: '2000-01-01', label: Started on}
      - {id: rating, type: integer, min: 1, max: 5, constraint: ". != 3 or ${level} = 'high'",
         label: Rating}
"""


@pytest.fixture(scope="module")
def flagship():
    return load_questionnaire(QUESTIONNAIRES / "zusammen.yaml")


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    return load_questionnaire(path)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One store for the sample files, imported in turn as a project receives them."""
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.sqlite'}")
    yield store
    store.close()


@pytest.fixture
def new_store(tmp_path):
    """A store of its own, so that a variant of a sample file is not a duplicate of it."""
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield store
    store.close()


def _day(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def row_by_row(questionnaire, path: Path) -> dict[int, dict[str, Any]]:
    """Each row of the file read and checked on its own, as ingest did before column checks."""
    table = read_table(path)
    headers = [c.name for c in table.columns]
    plan = plan_columns(questionnaire, [(c.name, c.label) for c in table.columns])
    labels = [FileLabels(c.value_labels, c.missing_values)
              if (c.value_labels or c.missing_values) else None for c in table.columns]
    reader = RowReader(questionnaire, plan, headers, labels, table.decimal_comma)
    expected = {}
    for row in table.rows:
        read = reader.read(row.values) if row.problem is None else ReadRow()
        check = check_answers(questionnaire, read.answers,
                              _day(read.meta.get(Meta.DATE)) or TODAY)
        messages = ([p.message for p in read.problems] + [w.message for w in read.warnings]
                    + [p.message for p in check.problems])
        failed = row.problem is not None or bool(read.problems) or not check.accepted
        raw = {h: raw_value(v) for h, v in zip(headers, row.values, strict=False)
               if v not in (None, "")}
        content = (hashlib.sha256(encode(read.answers).encode()).hexdigest()
                   if len(read.answers) >= 5 else None)
        expected[row.number] = {
            "status": "quarantined" if failed else "accepted",
            "messages": sorted(messages + ([row.problem] if row.problem else [])),
            "answers": {} if failed else json.loads(encode(check.validated)),
            "raw": encode(raw), "content_hash": content}
    return expected


def stored(store: Store, batch_id: int) -> dict[int, dict[str, Any]]:
    with store.engine.connect() as connection:
        found = {r.submission_id: r for r in connection.execute(
            sa.select(responses).where(responses.c.batch_id == batch_id))}
        messages: dict[str, list[tuple[str, str]]] = {}
        for p in connection.execute(sa.select(problems.c.submission_id, problems.c.rule,
                                              problems.c.message)):
            messages.setdefault(p.submission_id, []).append((p.rule, p.message))
    return {r.source_row: {
        "status": r.status, "rules": {rule for rule, _ in messages.get(s, [])},
        "messages": sorted(m for _, m in messages.get(s, [])),
        "answers": json.loads(r.answers), "raw": r.raw, "content_hash": r.content_hash}
        for s, r in found.items()}


def assert_same_as_row_by_row(store: Store, questionnaire, path: Path) -> Counter:
    """Compare an import with the row-by-row reading; returns the rules the rows broke."""
    result = ingest_file(store, questionnaire, path, user="test")
    assert result.already is None
    expected = row_by_row(questionnaire, path)
    got = stored(store, result.batch_id)
    assert sorted(got) == sorted(expected)
    broken: Counter = Counter()
    for number, row in got.items():
        want = expected[number]
        assert (row["raw"], row["content_hash"]) == (want["raw"], want["content_hash"]), number
        if row["status"] == "duplicate" or row["rules"] & {"duplicate", "duplicate_id"}:
            continue
        assert (row["status"], row["messages"], row["answers"]) == (
            want["status"], want["messages"], want["answers"]), number
        broken.update(row["rules"])
    return broken


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_file_imports_as_row_by_row_checks_would(store, flagship, name):
    broken = assert_same_as_row_by_row(store, flagship, SAMPLE / name)
    assert broken  # every sample file has planted faults


ODD_CELLS = ["", " ", "99", "-5", "1850", "3000", "abc", "1,5", "x" * 2100, "yes", "0", "1",
             "weiß nicht", "Не знаю", "-1", "1 2 3", "98", "2000-13-40"]


def plant_faults(source: Path, target: Path, seed: int, share: float = 0.3) -> None:
    """A copy of a sample CSV where about `share` of the rows have one to three cells replaced:
    by a cell of the same column from another row (answers that the routing skips, constraints
    broken, required answers missing, exclusive and other ticks) or by an odd cell."""
    table = read_table(source)
    rows = [list(r.values) for r in table.rows]
    rng = random.Random(seed)
    for row in rows:
        if rng.random() < share:
            for _ in range(rng.randint(1, 3)):
                column = rng.randrange(len(row))
                row[column] = (rng.choice(rows)[column] if rng.random() < 0.6
                               else rng.choice(ODD_CELLS))
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=table.delimiter or ",")
        writer.writerow(c.name for c in table.columns)
        writer.writerows(rows)


@pytest.mark.parametrize(("name", "seed"), [("leipzig_ru.csv", 1), ("kobo_export.csv", 2)])
def test_flagship_returns_with_planted_faults_import_as_row_by_row(new_store, flagship,
                                                                   tmp_path, name, seed):
    path = tmp_path / f"faulty_{name}"
    plant_faults(SAMPLE / name, path, seed)
    broken = assert_same_as_row_by_row(new_store, flagship, path)
    assert {"choice", "skip_logic", "exclusive", "required"} <= set(broken), broken


def random_rules_row(rng: random.Random) -> list[Any]:
    """One return of the rules questionnaire, plausible most of the time."""
    def pick(*cells: Any) -> Any:
        return rng.choice(cells)
    n1 = rng.randint(0, 10)
    needs = rng.sample(["housing", "work", "language", "other", "none", "1", "x"],
                       rng.choice([0, 1, 1, 2, 3, 4]))
    return [
        pick("yes", "yes", "yes", "no", "", "maybe"),
        pick(1950, 1980, 1990, 2000, 2005, "1899", "2011", "Don't know", "", "19x0", 1985.0),
        pick(n1, n1, "", "11", "-1", "3.5"),
        pick("yes", "no", "", "", "2", "perhaps"),
        pick(n1, n1 + rng.randint(0, 3), max(n1 - 1, 0), "", 12),
        pick(";".join(needs), ";".join(needs), "", "98;1", "97", "none"),
        pick("", "", "fine", "a long comment here", "short", "x" * 13),
        pick("", "", "yes", "no"),
        pick("", "", "2024-05-01", "1999-12-31", "01.02.2010", "not a date"),
        pick("", "", 1, 2, 3, 4, 5, 6, "3"),
        pick("", "", "", "bicycle", "car"),
        pick(None, "2026-01-15", "2020-06-30", "soon"),
    ]


RULES_HEADER = ["consent", "birth_year", "n1", "early", "n2", "needs", "comment", "long_comment",
                "started", "rating", "needs__other_text", "date"]


def write_rules_returns(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    data = [random_rules_row(rng) for _ in range(rows)]
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(RULES_HEADER)
            writer.writerows(data)
        return
    book = Workbook()
    sheet = book.active
    sheet.append(RULES_HEADER)
    for row in data:
        sheet.append(row)
    book.save(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_calculations_routing_and_constraints_import_as_row_by_row(new_store, rules, tmp_path,
                                                                   suffix):
    path = tmp_path / f"rules{suffix}"
    write_rules_returns(path, 1500, seed=7)
    broken = assert_same_as_row_by_row(new_store, rules, path)
    assert {"choice", "range", "skip_logic", "required", "constraint", "exclusive",
            "selected_count", "length", "consent", "type", "other_text"} <= set(broken), broken


def random_answers(rng: random.Random) -> dict[str, Any]:
    """Answers in the stored form: usually plausible, now and then of the wrong kind."""
    def pick(usual: list[Any], odd: list[Any]) -> Any:
        return rng.choice(odd if rng.random() < 0.04 else usual)
    answers = {
        "consent": pick([True], [False, None, "yes"]),
        "birth_year": pick([1950, 1985, 2001, None, {"missing": "dont_know"}],
                           [1899, {"missing": "refused"}, 1985.5, True]),
        "n1": pick([0, 3, 6, 9, None], [11, "3"]),
        "early": pick(["yes", "no", None], ["maybe", 1]),
        "n2": pick([9, 10, None], [0, 4]),
        "needs": pick([["work"], ["housing", "work"], ["other"], ["none"], None],
                      [["none", "work"], ["work", "work"], ["housing", "work", "language"],
                       "work"]),
        "needs__other_text": pick([None], ["bike", 5]),
        "comment": pick([None, "short", "long comment"], ["far too long a comment", 7]),
        "long_comment": pick([None], ["yes"]),
        "started": pick([None, "2024-05-01"], ["1999-01-01", "2024-02-30", 2024]),
        "rating": pick([None, 1, 5], [3, 6]),
        "unknown_question": pick([None], ["x"]),
    }
    return {k: v for k, v in answers.items() if v is not None}


def test_column_checks_pass_exactly_the_rows_check_answers_passes(rules):
    rng = random.Random(11)
    rows = [random_answers(rng) for _ in range(4000)]
    days = [rng.choice([TODAY, dt.date(2000, 1, 1), dt.date(2060, 6, 1)]) for _ in rows]
    names = sorted({name for row in rows for name in row})
    answers = {name: factorize([row.get(name) for row in rows]) for name in names}
    answers_json = [encode(row) for row in rows]
    result = check_columns(rules, answers, factorize(days), answers_json)
    passed = 0
    for i, (row, day) in enumerate(zip(rows, days, strict=True)):
        check = check_answers(rules, row, day)
        assert bool(result.clean[i]) == (not check.problems), (row, day, check.problems)
        if result.clean[i]:
            passed += 1
            assert json.loads(result.validated[i]) == json.loads(encode(check.validated))
    assert 100 < passed < len(rows) - 100  # both outcomes are well represented


EXPRESSIONS = [
    "${a} + ${b} > 3", "${a} div ${b}", "${a} mod ${b} = 1", "-${a} < -2", "-${t} = 1",
    "${t} = 'x' or ${a} >= 2", "${t} != '' and string-length(${t}) > 1",
    "if(${a} > 2, ${t}, concat(${t}, ${b}))", "coalesce(${a}, ${b}) * 2",
    "selected(${m}, 'x')", "count-selected(${m}) >= 2", "round(${a} div 3, 1)",
    "year(today()) - ${a} > 2000", "${d} < today()", "int(${b}) = ${b}", "abs(${a} - ${b})",
    "contains(${t}, 'y') or starts-with(${t}, 'x')", "not(${a} = ${b})", ". > ${a}",
]


@pytest.mark.parametrize("source", EXPRESSIONS)
def test_the_column_evaluator_gives_the_row_evaluators_values(source):
    rng = random.Random(source)
    tree = parse_expression(source)
    rows = [{"a": rng.choice([None, 0, 1, 2, 3, 2.5, -4, "", "7"]),
             "b": rng.choice([None, 0, 2, 1.5, 3]),
             "t": rng.choice([None, "", "x", "xy", "yy", 3]),
             "m": rng.choice([None, [], ["x"], ["x", "z"], "x"]),
             "d": rng.choice([None, dt.date(2020, 1, 1), dt.date(2999, 1, 1), "2020-01-01"])}
            for _ in range(600)]
    current = [rng.choice([None, 1, 5]) for _ in rows]
    days = [rng.choice([None, dt.date(2024, 1, 1)]) for _ in rows]
    factors = {name: factorize([row[name] for row in rows]) for name in "abtmd"}
    columns = Columns(lambda name, _mask: factors[name], factorize(days), factorize(current),
                      np.zeros(len(rows), bool))
    values = evaluate_columns(tree, columns, np.ones(len(rows), bool)).row_values()
    for i, row in enumerate(rows):
        try:
            want = evaluate(tree, Context(row, current=current[i], today=days[i]))
        except TypeError:
            assert columns.undecided[i], row  # left to the row evaluator, which raises
            continue
        assert not columns.undecided[i]
        assert (type(values[i]), values[i]) == (type(want), want), (row, current[i])


def test_distinct_cells_stay_apart_by_type():
    factor = factorize([1, 1.0, True, "1", 0.0, -0.0, None, [1], [1]])
    assert len(set(factor.codes.tolist())) == 9
    assert factor.row_values()[:6] == [1, 1.0, True, "1", 0.0, -0.0]
    assert Factor.constant("x", 3).row_values() == ["x", "x", "x"]
