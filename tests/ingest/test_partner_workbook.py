"""A partner's workbook as partners write them, imported without a mapping file.

German question texts as headers (one numbered, one with "ue" for "ü", one in English) under a
merged section row, a title above, a date column,
everyday typos ("Döbeln Nord"), a range in a number field and languages written as prose
("Deutsch und Russisch"). Near misses are accepted with a warning that names the reading; what
cannot be read is quarantined with a message about the question it is for.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from survey.ingest.importer import ingest_file
from survey.ingest.readers import read_table
from survey.ingest.values import Reading, ValueProblem, converter
from survey.questionnaire.validate import load_questionnaire
from survey.store.store import Store
from tests.ingest.test_column_validation import assert_same_as_row_by_row

QUESTIONNAIRE = """\
format: 1
survey:
  id: ortsteile
  version: "1"
  title: {de: Leben in den Ortsteilen, en: Life in our districts}
  organisation: {de: Netzwerk Döbeln, en: Döbeln network}
  languages: [de, en]
  default_language: de
missing_values:
  - {name: no_answer, code: -2, label: {de: Keine Angabe, en: No answer}}
choice_lists:
  yes_no:
    - {name: "yes", code: 1, label: {de: Ja, en: "Yes"}}
    - {name: "no", code: 2, label: {de: Nein, en: "No"}}
sections:
  - id: person
    title: {de: Angaben zur Person, en: About you}
    questions:
      - id: district
        type: single_choice
        label: {de: In welchem Ortsteil wohnen Sie?, en: Which district do you live in?}
        choices:
          - {name: doebeln_nord, code: 1, label: {de: Döbeln-Nord, en: Döbeln North}}
          - {name: doebeln_ost, code: 2, label: {de: Döbeln-Ost, en: Döbeln East}}
          - {name: doebeln_zentrum, code: 3, label: {de: Döbeln-Zentrum, en: Döbeln Centre}}
          - {name: grossweitzschen, code: 4, label: {de: Großweitzschen, en: Großweitzschen}}
          - {name: waldheim, code: 5, label: {de: Waldheim, en: Waldheim}}
      - id: household
        type: integer
        min: 1
        max: 20
        missing: [no_answer]
        label: {de: Wie viele Personen leben in Ihrem Haushalt?,
                en: How many people live in your household?}
      - id: moved_in
        type: date
        label: {de: Seit wann wohnen Sie in Döbeln?, en: Since when have you lived in Döbeln?}
  - id: language
    title: {de: Sprache und Unterstützung, en: Language and support}
    questions:
      - id: languages
        type: multiple_choice
        label: {de: Welche Sprachen sprechen Sie zu Hause?,
                en: Which languages do you speak at home?}
        choices:
          - {name: german, code: 1, label: {de: Deutsch, en: German}}
          - {name: russian, code: 2, label: {de: Russisch, en: Russian}}
          - {name: ukrainian, code: 3, label: {de: Ukrainisch, en: Ukrainian}}
          - {name: arabic, code: 4, label: {de: Arabisch, en: Arabic}}
          - {name: farsi, code: 5, label: {de: Farsi, en: Farsi}}
          - {name: other, code: 97, other: true, label: {de: Andere, en: Other}}
      - id: needs
        type: multiple_choice
        label: {de: Wobei brauchen Sie Unterstützung?, en: What do you need support with?}
        choices:
          - {name: german, code: 1, label: {de: Deutsch lernen, en: Learning German}}
          - {name: work, code: 2, label: {de: Arbeit finden, en: Finding work}}
          - {name: authorities, code: 3, label: {de: Behörden und Anträge,
                                                 en: Authorities and applications}}
          - {name: health, code: 4, label: {de: Gesundheit, en: Health}}
      - id: at_home
        type: single_choice
        choices: yes_no
        label: {de: Fühlen Sie sich in Ihrem Ortsteil wohl?,
                en: Do you feel at home in your district?}
"""

HEADERS = ["Lfd. Nr.", "Datum", "In welchem Ortsteil wohnen Sie?",
           "Wie viele Personen leben in Ihrem Haushalt?", "3. Seit wann wohnen Sie in Döbeln?",
           "Welche Sprachen sprechen Sie zu Hause?", "Wobei brauchen Sie Unterstuetzung?",
           "Do you feel at home in your district?"]

D = dt.datetime
ROWS = [
    # district, household, moved in, languages, needs, at home
    ("Döbeln-Nord", 3, D(2016, 9, 1), "Deutsch und Russisch", "Deutsch lernen", "Ja"),
    ("Döbeln Nord", 2, "01.09.2016", "Deutsch, Farsi", "Behörden und Anträge", "ja"),
    ("döbeln-ost", 4, D(2019, 3, 12), "Arabisch", "Arbeit finden; Gesundheit", "Nein"),
    ("Döbeln-Zentrum", "3-4", D(2020, 1, 1), "Ukrainisch", "Gesundheit", "Ja"),
    ("Waldhiem", 1, D(2015, 5, 5), "Russisch/Ukrainisch", "", "Ja"),
    ("Grossweitzschen", 5, "12.03.2018", "Farsi", "Gesundheit und Behörden und Anträge", "nein"),
    ("Doebeln-Zentrum", 2, D(2021, 7, 1), "Deutsch und Russich", "Arbeit finden", "Ja"),
    ("Döbeln-Ost", "Keine Angabe", D(2017, 2, 2), "Deutsch", "Deutsch lernen, Arbeit finden",
     "Ja"),
    ("Döbeln-Nord", " 4 ", D(2014, 4, 4), "Ukrainisch sowie Russisch", "", "Ja"),
    ("Waldheim", 3, D(2022, 3, 30), "Ukrainisch und Russisch", "Behörden und Anträge", "Nein"),
    ("Döbeln-Zentrum", 6, "2019-10-01", "Arabisch, Deutsch", "Arbeit finden", "Ja"),
    ("Döbeln-Nrod", 2, D(2023, 1, 15), "Farsi und Deutsch", "Gesundheit", "Ja"),
    ("Döbeln-Ost", 1, D(2016, 11, 11), "Deutsch und Klingonisch", "", "Ja"),
    ("Großweitzschen", 2, D(2015, 12, 24), "Deutsch", "Deutsch lernen", "ja"),
    ("Waldheim", 4, D(2018, 8, 8), "Russisch", "Gesundheit", "Ja"),
    ("Döbeln-Zentrum", 3, D(2020, 6, 6), "Deutsch, Russisch, Ukrainisch", "", "Nein"),
    ("Döbeln-Nord", 2, D(2017, 7, 7), "Arabisch und Deutsch", "Arbeit finden", "Ja"),
    ("Döbeln Ost", 5, D(2021, 2, 2), "Farsi", "Behörden und Anträge", "Ja"),
    ("Waldheim", 1, D(2019, 9, 9), "Deutsch", "", "Ja"),
    ("Döbeln-Zentrum", 2, D(2016, 1, 10), "Russisch und Deutsch", "Deutsch lernen", "Ja"),
    ("Döbeln-Nord", 3, D(2022, 4, 1), "Ukrainisch", "Arbeit finden und Gesundheit", "Nein"),
    ("Großweitzschen", 4, D(2018, 3, 3), "Deutsch", "Gesundheit", "Ja"),
    ("Döbeln-Ost", 2, D(2020, 10, 10), "Arabisch", "Behörden und Anträge", "Ja"),
    ("Waldheim", 6, D(2015, 6, 6), "Deutsch und Farsi", "", "Ja"),
    ("Döbeln-Zentrum", 1, D(2023, 5, 5), "Russisch", "Deutsch lernen", "ja"),
    ("Döbeln-Nord", 2, D(2017, 12, 1), "Deutsch", "Arbeit finden", "Ja"),
    ("Döbeln-Ost", 3, D(2019, 1, 20), "Ukrainisch, Russisch", "Gesundheit", "Nein"),
    ("Waldheim", 2, D(2021, 11, 11), "Deutsch", "", "Ja"),
    ("Döbeln-Zentrum", 4, D(2016, 3, 3), "Farsi", "Behörden und Anträge", "Ja"),
    ("Großweitzschen", 1, D(2018, 9, 9), "Deutsch und Arabisch", "Arbeit finden", "Ja"),
]

FIRST_DATA_ROW = 5
"""Title in row 1, an empty row, the section row, the header row, then the returns."""

NEAR_MISSES = {
    # spreadsheet row: (what the partner wrote, what it is read as)
    6: ("Döbeln Nord", "Döbeln-Nord"),
    9: ("Waldhiem", "Waldheim"),
    11: ("Doebeln-Zentrum", "Döbeln-Zentrum"),
    16: ("Döbeln-Nrod", "Döbeln-Nord"),
    22: ("Döbeln Ost", "Döbeln-Ost"),
}
SPLIT_NEAR_MISS = {11: ("Russich", "Russisch")}
QUARANTINED = {8: "'3-4' is a range, but question 2 (household) takes one number",
               17: "'Klingonisch' is not a choice of question 4 (languages)"}


def write_workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Rücklauf"
    sheet["A1"] = "Befragung Ortsteile – Rücklauf Partner Döbeln, Stand März"
    sheet["C3"] = "Angaben zur Person"
    sheet.merge_cells("C3:E3")
    sheet["F3"] = "Sprache und Unterstützung"
    sheet.merge_cells("F3:H3")
    sheet.append([])  # keep row 3 as it is; the header goes in row 4
    for column, header in enumerate(HEADERS, start=1):
        sheet.cell(row=4, column=column, value=header)
    for number, row in enumerate(ROWS, start=1):
        day = D(2024, 3, 1) + dt.timedelta(days=number % 7)
        values = [number, day, *row]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=FIRST_DATA_ROW - 1 + number, column=column, value=value)
    book.save(path)
    return path


@pytest.fixture
def questionnaire(write_questionnaire):
    return load_questionnaire(write_questionnaire(QUESTIONNAIRE))


@pytest.fixture
def store(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield store
    store.close()


def test_the_header_is_found_under_the_merged_section_row(tmp_path):
    table = read_table(write_workbook(tmp_path / "partner.xlsx"))
    assert table.header_rows == 2
    assert [c.name for c in table.columns] == HEADERS
    assert table.columns[2].label == "Angaben zur Person: In welchem Ortsteil wohnen Sie?"


def test_nine_in_ten_rows_are_accepted_without_a_mapping_file(tmp_path, store, questionnaire):
    result = ingest_file(store, questionnaire, write_workbook(tmp_path / "partner.xlsx"),
                         user="staff")
    assert result.plan.unmapped == [] and result.plan.missing == []
    assert result.rows_in == 30
    assert result.accepted / result.rows_in >= 0.9
    assert (result.accepted, result.quarantined) == (28, 2)
    errors = {line.row: line.message for line in result.lines if line.severity == "error"}
    assert errors.keys() == QUARANTINED.keys()
    for row, message in QUARANTINED.items():
        assert message in errors[row]
    warnings = [line for line in result.lines if line.severity == "warning"]
    for row, (typed, label) in NEAR_MISSES.items():
        assert any(line.row == row and line.outcome == "accepted"
                   and f"read {typed!r} as {label!r}" in line.message for line in warnings), row
    for row, (typed, label) in SPLIT_NEAR_MISS.items():
        assert any(line.row == row and f"read {typed!r} as {label!r}" in line.message
                   for line in warnings), row
    assert {line.row for line in warnings} == NEAR_MISSES.keys() | SPLIT_NEAR_MISS.keys()


def test_prose_dates_and_missing_values_become_the_answers_meant(tmp_path, store, questionnaire):
    ingest_file(store, questionnaire, write_workbook(tmp_path / "partner.xlsx"), user="staff")
    with store.engine.connect() as connection:
        rows = dict(connection.exec_driver_sql(
            "SELECT source_row, answers FROM responses WHERE status = 'accepted'").all())
    answers = {row: json.loads(text) for row, text in rows.items()}
    assert answers[5]["languages"] == ["german", "russian"]  # "Deutsch und Russisch"
    assert answers[6]["languages"] == ["german", "farsi"]  # "Deutsch, Farsi"
    assert answers[6]["needs"] == ["authorities"]  # "Behörden und Anträge" is one label
    assert answers[10]["needs"] == ["health", "authorities"]
    assert answers[9]["languages"] == ["russian", "ukrainian"]  # "Russisch/Ukrainisch"
    assert answers[13]["languages"] == ["ukrainian", "russian"]  # "… sowie …"
    assert answers[12]["household"] == {"missing": "no_answer"}  # "Keine Angabe"
    assert answers[13]["household"] == 4  # " 4 "
    assert answers[5]["moved_in"] == "2016-09-01"
    assert answers[6]["moved_in"] == "2016-09-01"  # "01.09.2016"
    assert answers[15]["moved_in"] == "2019-10-01"
    assert answers[16]["district"] == "doebeln_nord"  # "Döbeln-Nrod"


def test_a_range_in_a_number_field_is_told_as_a_number_problem(tmp_path, store, questionnaire):
    result = ingest_file(store, questionnaire, write_workbook(tmp_path / "partner.xlsx"),
                         user="staff")
    (line,) = [line for line in result.lines if line.row == 8]
    assert line.column == "Wie viele Personen leben in Ihrem Haushalt?"
    assert "is not a choice" not in line.message
    assert "write one number" in line.fix and "Keine Angabe" in line.fix


def test_the_column_checks_agree_with_row_by_row_reading(tmp_path, store, questionnaire):
    """Near misses and prose lists are read the same in the fast column path and row by row."""
    assert_same_as_row_by_row(store, questionnaire, write_workbook(tmp_path / "partner.xlsx"))


def test_a_value_as_near_to_two_labels_is_quarantined_with_did_you_mean(
        tmp_path, store, write_questionnaire):
    two = load_questionnaire(write_questionnaire(QUESTIONNAIRE.replace(
        "{name: doebeln_nord, code: 1, label: {de: Döbeln-Nord, en: Döbeln North}}",
        "{name: nordost, code: 1, label: {de: Nord-Ost, en: North-East}}").replace(
        "{name: doebeln_ost, code: 2, label: {de: Döbeln-Ost, en: Döbeln East}}",
        "{name: nordwest, code: 2, label: {de: Nord-West, en: North-West}}"), "two.yaml"))
    path = tmp_path / "p.csv"
    path.write_text("Nr;In welchem Ortsteil wohnen Sie?\n1;Nordest\n2;Nord West\n",
                    encoding="utf-8")
    result = ingest_file(store, two, path, user="staff")
    assert (result.accepted, result.quarantined) == (1, 1)
    (error,) = [line for line in result.lines if line.severity == "error"]
    assert error.row == 2
    assert error.message == ("'Nordest' is not a choice of question 1 (district); did you mean "
                             "'Nord-Ost' or 'Nord-West'?")
    assert "write the choice meant in the cell" in error.fix
    (warning,) = [line for line in result.lines if line.severity == "warning"]
    assert "read 'Nord West' as 'Nord-West'" in warning.message


@pytest.mark.parametrize(("cell", "message"), [
    ("3-4", "'3-4' is a range, but question 2 (household) takes one number"),
    ("3 bis 4", "'3 bis 4' is a range, but question 2 (household) takes one number"),
    ("drei", "'drei' is not a number, and question 2 (household) takes a number"),
])
def test_a_number_question_tells_what_is_wrong_with_a_number(questionnaire, cell, message):
    read = converter(questionnaire, questionnaire.question("household"), False)
    with pytest.raises(ValueProblem) as problem:
        read(cell)
    assert str(problem.value) == message
    assert "or write a missing value ('Keine Angabe')" in problem.value.fix
    assert read("keine angabe") == {"missing": "no_answer"}


def test_a_country_written_with_a_typing_error_is_read_with_a_warning(write_questionnaire):
    flagship_like = load_questionnaire(write_questionnaire(QUESTIONNAIRE.replace(
        "      - id: moved_in\n",
        "      - {id: born_in, type: country, label: {de: Geburtsland, en: Country of birth}}\n"
        "      - id: moved_in\n"), "countries.yaml"))
    read = converter(flagship_like, flagship_like.question("born_in"), False)
    assert read("Syrien") == "SY"
    reading = read("Syrein")
    assert isinstance(reading, Reading) and reading.value == "SY"
    assert reading.message.startswith("read 'Syrein' as 'Syrien' (SY")
