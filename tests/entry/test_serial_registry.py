"""`survey paper --copies` gives each form its own serials and records them, so a serial names
one questionnaire, version and language; overlapping another form's serials is refused."""

from __future__ import annotations

import json

import pytest
from entry_helpers import ROOT
from support import run

from survey.paper.serials import PrintRun, SerialError, register_runs, serial_blocks


def test_each_language_gets_its_own_block_of_serials():
    assert serial_blocks(2, 9, 3) == [["000009", "000010"], ["000011", "000012"],
                                      ["000013", "000014"]]
    assert serial_blocks(None, None, 3) is None
    with pytest.raises(SerialError, match="overflow the 6-digit serial number"):
        serial_blocks(6, 999_990, 2)
    with pytest.raises(SerialError, match="7 forms × 20000 copies is more than 100,000 serials"):
        serial_blocks(20_000, 1, 7)


def test_serials_of_another_form_are_refused_and_a_reprint_is_not(tmp_path):
    registry = tmp_path / "serials.json"
    first = PrintRun("zusammen", "2026.1", "de", "000001", "000010")
    register_runs(registry, [first])
    register_runs(registry, [first])  # lost copies printed again
    with pytest.raises(SerialError, match=r"overlap serials 000001–000010 \(zusammen, version "
                       r"2026.1, de\).*--serial-start 11"):
        register_runs(registry, [PrintRun("zusammen", "2026.1", "ar", "000005", "000020")])
    assert len(json.loads(registry.read_text())["runs"]) == 1


def test_a_broken_registry_is_named(tmp_path):
    registry = tmp_path / "serials.json"
    registry.write_text("{not json")
    with pytest.raises(SerialError, match="is not a serial registry written by survey paper"):
        register_runs(registry, [PrintRun("q", "1", "de", "000001", "000002")])


def test_survey_paper_records_its_runs(tmp_path):
    out = tmp_path / "paper"
    result = run("paper", ROOT / "questionnaires" / "zusammen.yaml", "--lang", "de", "--lang",
                 "en", "--copies", "1", "--serial-start", "5", "--out", out)
    assert result.exit_code == 0, result.output
    runs = json.loads((out / "serials.json").read_text())["runs"]
    assert [(r["language"], r["first"], r["last"]) for r in runs] == [
        ("de", "000005", "000005"), ("en", "000006", "000006")]
    assert (out / "zusammen-2026.1-en-000006-000006.pdf").exists()
