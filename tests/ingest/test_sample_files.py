"""Every committed sample file imports with the counts its generator planted."""

import json

import pytest

from survey.ingest.importer import ingest_file
from survey.questionnaire.validate import load_questionnaire
from survey.store.store import Store
from tests.support import QUESTIONNAIRES, ROOT

SAMPLE = ROOT / "data" / "sample"
EXPECTED = json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))["files"]
NEAR_MISSES = {("leipzig_ru.csv", 42): ("Женскй", "Женский"),
               ("dresden_de.xlsx", 220): ("Weiblch", "Weiblich")}
"""Planted "unknown choices" that are one typing error away from a label: ingest reads them as
that label and warns, so these rows are accepted instead of quarantined."""


def _expected(name: str) -> tuple[int, int, int]:
    expected = EXPECTED[name]
    near = sum(file == name for file, _ in NEAR_MISSES)
    return (expected["accepted"] + near, expected["quarantined"] - near,
            expected["duplicates"])


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """All sample files imported into one store, in the order a project would receive them."""
    flagship = load_questionnaire(QUESTIONNAIRES / "zusammen.yaml")
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.sqlite'}")
    results = {name: ingest_file(store, flagship, SAMPLE / name, user="test")
               for name in EXPECTED}
    yield store, results
    store.close()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_counts_match_the_planted_faults(imported, name):
    _, results = imported
    result, expected = results[name], EXPECTED[name]
    assert result.rows_in == expected["rows"]
    assert result.rows_in == result.accepted + result.quarantined + result.duplicates
    assert (result.accepted, result.quarantined, result.duplicates) == _expected(name)
    assert result.plan.unmapped == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_planted_fault_is_found_in_its_row(imported, name):
    _, results = imported
    outcome = {}
    for line in results[name].lines:
        outcome.setdefault(line.row, set()).add(line.outcome)
    for fault in EXPECTED[name]["faults"]:
        if fault["kind"] == "hostile_text":
            assert fault["row"] not in outcome or outcome[fault["row"]] == {"accepted"}
        elif fault["kind"] == "duplicate":
            assert "duplicate" in outcome.get(fault["row"], set()), fault
        elif (name, fault["row"]) in NEAR_MISSES:
            typed, label = NEAR_MISSES[name, fault["row"]]
            warning = next(line for line in results[name].lines if line.row == fault["row"])
            assert (warning.severity, warning.outcome) == ("warning", "accepted")
            assert f"read {typed!r} as {label!r}" in warning.message
        else:
            assert "quarantined" in outcome.get(fault["row"], set()), fault


def test_the_store_holds_every_input_row(imported):
    store, results = imported
    counts = store.count("zusammen")
    assert sum(counts.values()) == sum(r.rows_in for r in results.values())
    assert counts["accepted"] == sum(_expected(name)[0] for name in EXPECTED)
