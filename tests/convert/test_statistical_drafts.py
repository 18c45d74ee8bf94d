"""Drafts from SPSS and Stata dictionaries keep what the data needs: numbers with fractions as
decimal questions, missing values as missing codes (never as text or answers), distinct choice
names, and the file's own variable names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from survey.convert.files import convert_file
from survey.questionnaire import Questionnaire, load_questionnaire
from tests.support import ROOT

DATA = ROOT.parent / "shared" / "fixtures" / "realworld" / "data"


def convert(source: Path, tmp_path: Path) -> tuple[Questionnaire, list[str]]:
    path, report = convert_file(source, "yaml", tmp_path / "draft.yaml", "de")
    return load_questionnaire(path), [str(note) for note in report.notes]


def test_stata_floats_and_doubles_are_decimal_questions(tmp_path: Path) -> None:
    questionnaire, _ = convert(DATA / "haven__types.dta", tmp_path)
    kinds = {q.id: q.type for q in questionnaire.questions}
    assert kinds["vfloat"] == kinds["vdouble"] == "decimal"
    assert kinds["vlong"] == kinds["vint"] == kinds["vbyte"] == "integer"
    assert kinds["vdate"] == "date"


def test_a_stata_weight_is_not_drafted_as_a_whole_number(tmp_path: Path) -> None:
    frame = pd.DataFrame({"weight": np.array([1.5, 0.75, 2.25]),
                          "n": np.array([1, 2, 3], dtype=np.int16)})
    pyreadstat.write_dta(frame, tmp_path / "w.dta")
    questionnaire, _ = convert(tmp_path / "w.dta", tmp_path)
    assert questionnaire.question("weight").type == "decimal"
    assert questionnaire.question("n").type == "integer"


def test_spss_decimals_in_the_format_give_a_decimal_question(tmp_path: Path) -> None:
    frame = pd.DataFrame({"income": [1200.5, 980.25], "persons": [2.0, 4.0]})
    pyreadstat.write_sav(frame, tmp_path / "i.sav",
                         variable_format={"income": "F8.2", "persons": "F3.0"})
    questionnaire, _ = convert(tmp_path / "i.sav", tmp_path)
    income = questionnaire.question("income")
    assert (income.type, income.decimals) == ("decimal", 2)
    assert questionnaire.question("persons").type == "integer"


def test_stata_extended_missing_values_become_missing_codes(tmp_path: Path) -> None:
    questionnaire, _ = convert(DATA / "haven__tagged-na-int.dta", tmp_path)
    declared = {m.original: (m.name, m.code, m.label.get("de"))
                for m in questionnaire.missing_values}
    assert declared == {".a": ("apple", -901, "apple"), ".h": ("missing_h", -902, "missing .h"),
                        ".z": ("zebra", -903, "zebra")}
    assert [m.name for m in questionnaire.question("x").missing] == [
        "apple", "missing_h", "zebra"]
    assert questionnaire.question("x").type == "integer"


def test_spss_user_missing_values_and_ranges_become_missing_codes(tmp_path: Path) -> None:
    frame = pd.DataFrame({"q1": [1.0, 9.0, 98.0]})
    pyreadstat.write_sav(frame, tmp_path / "m.sav",
                         variable_value_labels={"q1": {1: "ja", 2: "nein", 9: "weiß nicht",
                                                       98: "keine Angabe"}},
                         missing_ranges={"q1": [9, {"lo": 97, "hi": 99}]},
                         variable_format={"q1": "F2.0"})
    questionnaire, notes = convert(tmp_path / "m.sav", tmp_path)
    question = questionnaire.question("q1")
    assert [(c.code, c.name) for c in question.choices.choices] == [(1, "ja"), (2, "nein")]
    assert [(m.code, m.name) for m in question.missing] == [(9, "weiss_nicht"),
                                                            (98, "keine_angabe")]
    assert any(n.startswith("variable q1: missing range 97 to 99 not carried over as a range")
               for n in notes)


def test_value_labels_alike_after_transliteration_get_distinct_names(tmp_path: Path) -> None:
    frame = pd.DataFrame({"mood": [1.0, 2.0, 3.0]})
    pyreadstat.write_sav(frame, tmp_path / "u.sav", variable_value_labels={
        "mood": {1: "Ärger", 2: "Aerger", 3: "Ärger!", 4: "Übermut"}})
    questionnaire, _ = convert(tmp_path / "u.sav", tmp_path)
    choices = questionnaire.question("mood").choices.choices
    assert [c.code for c in choices] == [1, 2, 3, 4]
    assert len({c.name for c in choices}) == 4
    assert choices[0].name == "aerger" and choices[3].name == "uebermut"


def test_variable_names_and_text_values_are_kept_as_originals(tmp_path: Path) -> None:
    frame = pd.DataFrame({"Q1.a": [1.0, 2.0], "gender": ["F", "M"]})
    pyreadstat.write_sav(frame, tmp_path / "o.sav", variable_value_labels={
        "gender": {"F": "Frau", "M": "Mann"}}, variable_format={"Q1.a": "F8.0"})
    questionnaire, _ = convert(tmp_path / "o.sav", tmp_path)
    assert questionnaire.question("q1_a").original == "Q1.a"
    gender = questionnaire.question("gender")
    assert gender.type == "single_choice"
    assert [(c.name, c.original, c.code) for c in gender.choices.choices] == [
        ("frau", "F", 1), ("mann", "M", 2)]
