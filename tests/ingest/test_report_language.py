"""The import summary and report in the staff's language (German or English), from the gettext
catalogues in survey/locale/."""

import csv

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from survey.cli import cli
from survey.staff_texts import (
    UnknownLanguage,
    catalogue_path,
    choose_language,
    environment_language,
    placeholders,
    read_catalogue,
    staff_languages,
    staff_plural,
    staff_text,
)
from tests.support import ROOT, copy_flagship

HEADER = ["Nr", "consent", "birth_year", "gender", "birth_country", "arrival_year",
          "counselling", "problem"]
ROWS = [
    ["1", "ja", "1980", "weiblch", "Syrien", "2015", "Migrationsberatung (MBE, JMD)", ""],
    ["2", "ja", "1980-1985", "female", "SY", "2016", "", ""],  # a range for a number
    ["3", "1", "1890", "female", "SY", "2016", "", ""],  # below the smallest year
    ["4", "yes", "1990", "Xylophon", "SY", "2016", "", ""],  # not a choice at all
    ["5", "ja", "1985", "2", "DE", "2001", "", ""],  # answered a skipped question
    ["6", "", "1985", "2", "SY", "2016", "", ""],  # consent missing: required
    ["7", "ja", "19x5", "2", "Syrein", "2016", "", ""],  # not a number; a near-miss country
]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "questionnaires").mkdir()
    copy_flagship(tmp_path / "questionnaires")
    path = tmp_path / "partner.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return tmp_path


def run(*args, env=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "200", **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def report(project):
    book = load_workbook(next((project / "imports").glob("*-report.xlsx")))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def problems_by_row(rows):
    header, *lines = rows
    return header, {line[2]: dict(zip(header, line, strict=True)) for line in lines}


def test_a_german_report_has_german_sheets_headings_messages_and_fixes(project):
    result = run("ingest", project, project / "partner.csv", "--report-language", "de")
    assert result.exit_code == 3
    assert "partner.csv: 7 Zeilen gelesen (csv, utf-8)" in result.output
    assert "1 angenommen (davon 1 mit Warnungen), 6 in Quarantäne, 0 Duplikate" in result.output
    assert "Bericht: " in result.output
    assert "Zeile 4, birth_year: Frage 2 (birth_year): 1890 liegt unter dem kleinsten " \
           "erlaubten Wert 1920" in result.output

    sheets = report(project)
    assert list(sheets) == ["Zusammenfassung", "Probleme", "Spalten"]
    assert sheets["Zusammenfassung"][0] == ("partner.csv: 7 Zeilen gelesen (csv, utf-8)",)
    header, lines = problems_by_row(sheets["Probleme"])
    assert header == ("Datei", "Tabellenblatt", "Zeile", "Spalte", "Wert", "Regel", "Schwere",
                      "Ergebnis", "Meldung", "Vorschlag zur Behebung")
    assert sheets["Spalten"][0] == ("Spalte", "Position", "gelesen als", "Frage oder Variable",
                                    "wie erkannt")
    near = lines[2]  # near miss of a label: a warning, accepted
    assert (near["Schwere"], near["Ergebnis"]) == ("Warnung", "angenommen")
    assert near["Meldung"] == "'weiblch' als 'Weiblich' gelesen (Frage 3 (gender))"
    assert near["Vorschlag zur Behebung"].startswith("Nichts zu tun, wenn die Lesart stimmt")
    assert lines[3]["Meldung"] == ("'1980-1985' ist ein Bereich, aber Frage 2 (birth_year) "
                                   "verlangt eine einzige Zahl")
    assert lines[3]["Vorschlag zur Behebung"] == ("Schreiben Sie eine einzige Zahl in die Zelle "
                                                  "(fragen Sie den Partner, welche)")
    assert (lines[4]["Schwere"], lines[4]["Ergebnis"]) == ("Fehler", "in Quarantäne")
    assert lines[4]["Vorschlag zur Behebung"] == ("Prüfen Sie den Wert auf dem Bogen; korrigieren "
                                                  "Sie ihn oder lassen Sie das Feld leer")
    assert lines[5]["Meldung"] == "'Xylophon' ist keine Antwortmöglichkeit von Frage 3 (gender)"
    assert lines[5]["Vorschlag zur Behebung"].startswith("Schreiben Sie einen Code")
    assert lines[6]["Meldung"] == ("Frage 5 (arrival_year) wurde beantwortet, aber die "
                                   "Filterführung überspringt sie für diese Person")
    assert lines[7]["Meldung"] == ("Frage 1 (consent) muss beantwortet werden; deshalb "
                                   "überspringt die Filterführung 4 spätere Antworten")
    assert lines[7]["Vorschlag zur Behebung"] == ("Tragen Sie die Antwort vom Bogen ein oder, "
                                                  "falls angeboten, einen fehlenden Wert")
    not_a_number = [line for line in sheets["Probleme"][1:] if line[4] == "19x5"]
    assert not_a_number[0][8] == "'19x5' ist keine Zahl, aber Frage 2 (birth_year) verlangt " \
                                 "eine Zahl"
    assert not_a_number[0][9] == "Schreiben Sie die Zahl in Ziffern"
    country = [line for line in sheets["Probleme"][1:] if line[4] == "Syrein"]
    assert country[0][8] == "'Syrein' als 'Syrien' gelesen (SY, Frage 4 (birth_country))"


def test_a_german_summary_says_how_the_file_was_read_in_german(tmp_path):
    """The reader's notes (separator, encoding, sheet, rows skipped), "how recognised" and the
    rules in the report are German too."""
    (tmp_path / "questionnaires").mkdir()
    copy_flagship(tmp_path / "questionnaires")
    result = run("ingest", tmp_path, ROOT / "data" / "sample" / "leipzig_ru.csv", "--dry-run",
                 "--report-language", "de")
    assert "Hinweis: Textkodierung cp1251 erkannt (kyrillisch, Windows)" in result.output
    assert "Hinweis: Spalten getrennt durch Semikolons" in result.output
    assert "text encoding" not in result.output and "separated by" not in result.output

    book = Workbook()
    book.active.title = "Info"  # empty: the first sheet with data is chosen
    data = book.create_sheet("Daten")
    for row in (["Rückläufe März 2026"], [], HEADER, ROWS[0], [], ROWS[1]):
        data.append(row)
    book.save(tmp_path / "partner.xlsx")
    result = run("ingest", tmp_path, tmp_path / "partner.xlsx", "--dry-run",
                 "--report-language", "de")
    said = [line.strip() for line in result.output.splitlines()]
    notes = [line for line in said if line.startswith("Hinweis: ")]
    assert notes == [
        "Hinweis: Tabellenblatt 'Daten' von 2 ('Info', 'Daten') gewählt: das erste mit Daten; "
        "geben Sie --sheet an, um ein anderes zu lesen",
        "Hinweis: Zeile 1 über der Kopfzeile übersprungen (beginnt mit 'Rückläufe März 2026')",
        "Hinweis: 1 leere Zeile innerhalb der Daten übersprungen (Zeile 5)"]
    summary = [row[0] for row in load_workbook(tmp_path / "imports" / (
        "partner-Daten-dry-run-report.xlsx")).worksheets[0].iter_rows(values_only=True)]
    assert [line for line in summary if line.startswith("Hinweis: ")] == notes


def test_how_columns_were_recognised_and_the_rules_are_german(project):
    run("ingest", project, project / "partner.csv", "--report-language", "de")
    sheets = report(project)
    recognised = {row[0]: (row[2], row[4]) for row in sheets["Spalten"][1:]}
    assert recognised["Nr"] == ("Metadaten", "Metadaten")
    assert recognised["consent"] == ("Antwort", "Name")
    _, lines = problems_by_row(sheets["Probleme"])
    assert lines[5]["Regel"] == "Antwortmöglichkeit"  # 'Xylophon' is not a choice
    assert lines[6]["Regel"] == "Filterführung"
    run("ingest", project, project / "partner.csv", "--dry-run", "--report-language", "en")
    english = load_workbook(project / "imports" / "partner-dry-run-report.xlsx")
    rules = {row[5] for row in english["Problems"].iter_rows(min_row=2, values_only=True)}
    assert {"choice", "skip_logic"} <= rules  # English keeps the rule names
    how = {row[4] for row in english["Columns"].iter_rows(min_row=2, values_only=True)}
    assert {"meta", "name"} <= how


def test_an_import_stopped_by_bad_input_says_so_in_german(project, tmp_path):
    other = tmp_path / "catering.csv"
    other.write_text("Zufriedenheit Catering;Raum;Anreise\n1;2;3\n", encoding="utf-8")
    result = run("ingest", project, other, "--report-language", "de")
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert output.startswith("Fehler: catering.csv: keine ihrer 3 Spalten passt zu einer Frage "
                             "von 'zusammen' (erste Spalten: Zufriedenheit Catering, Raum, "
                             "Anreise). Ist es eine Datei einer anderen Befragung?")
    assert output.endswith("Von catering.csv wurde nichts gespeichert.")

    (tmp_path / "empty.csv").write_bytes(b"")
    result = run("ingest", project, tmp_path / "empty.csv", env={"LANG": "de_DE.UTF-8"})
    assert result.exit_code == 1
    assert ("Fehler: empty.csv ist leer (0 Byte); exportieren Sie sie erneut aus der Quelle. "
            "Von empty.csv wurde nichts gespeichert.") in " ".join(result.output.split())

    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  Nr: consent\n  consent: consent\n", encoding="utf-8")
    result = run("ingest", project, project / "partner.csv", "--mapping", mapping,
                 "--report-language", "de")
    assert result.exit_code == 1
    assert (f"Fehler: {mapping}:3:3: Spalte 'consent' ist dem Ziel 'consent' zugeordnet, Spalte "
            "'Nr' ebenfalls; eine Antwort kann nur aus einer Spalte kommen") in " ".join(
        result.output.split())
    assert not (project / "data" / "store.sqlite").exists() or not list(
        project.glob("imports/*"))


def test_english_stays_as_it_was(project):
    result = run("ingest", project, project / "partner.csv", "--report-language", "en")
    assert "partner.csv: 7 rows read (csv, utf-8)" in result.output
    assert "1 were accepted (1 with warnings), 6 quarantined, 0 duplicates" in result.output
    sheets = report(project)
    assert list(sheets) == ["Summary", "Problems", "Columns"]
    header, lines = problems_by_row(sheets["Problems"])
    assert header == ("file", "sheet", "row", "column", "value", "rule", "severity", "outcome",
                      "message", "suggested fix")
    assert lines[2]["message"] == "read 'weiblch' as 'Weiblich' (question 3 (gender))"
    assert (lines[5]["severity"], lines[5]["outcome"]) == ("error", "quarantined")
    assert lines[7]["message"] == ("question 1 (consent) must be answered; 4 later answers are "
                                   "skipped by the routing because of it")


def test_the_store_keeps_the_english_reasons(project):
    run("ingest", project, project / "partner.csv", "--report-language", "de")
    import sqlite3

    with sqlite3.connect(project / "data" / "store.sqlite") as db:
        messages = {m for (m,) in db.execute("select message from problems")}
    assert "'Xylophon' is not a choice of question 3 (gender)" in messages


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "de_DE.UTF-8"}, "de"),
    ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "de_AT"}, "de"),
    ({"LANG": "de_DE.UTF-8", "LC_ALL": "C"}, "en"),
    ({"LC_ALL": "de_CH.UTF-8@euro", "LANG": "fr_FR"}, "de"),
    ({"LANG": "ru_RU.UTF-8"}, "en"),  # no Russian catalogue
    ({}, "en"),
])
def test_without_the_option_the_environment_chooses(environ, language):
    assert environment_language(environ) == language
    assert choose_language(None, environ) == language


def test_the_environment_gives_a_german_summary(project):
    result = run("ingest", project, project / "partner.csv", env={"LANG": "de_DE.UTF-8"})
    assert "7 Zeilen gelesen" in result.output
    assert list(report(project)) == ["Zusammenfassung", "Probleme", "Spalten"]


def test_an_unknown_report_language_is_refused_with_the_languages_available(project):
    result = run("ingest", project, project / "partner.csv", "--report-language", "xx")
    assert result.exit_code == 1
    assert "--report-language" in result.output and "'xx'" in result.output
    assert "de, en" in result.output
    assert not (project / "data" / "store.sqlite").exists()
    with pytest.raises(UnknownLanguage):
        choose_language("xx")


def test_the_option_is_in_the_help():
    assert "--report-language" in run("ingest", "--help").output


def test_plurals_follow_the_count():
    one = staff_plural("{file}: {count} row read ({kind})", "{file}: {count} rows read ({kind})",
                       count=1, file="a.csv", kind="csv")
    assert (one, one.in_language("de")) == ("a.csv: 1 row read (csv)",
                                            "a.csv: 1 Zeile gelesen (csv)")


def test_a_message_is_its_english_text_and_translates_its_parameters():
    question = staff_text("question {number} ({id})", number=5, id="age")
    message = staff_text("{question} must be answered", question=question)
    assert message == "question 5 (age) must be answered"
    assert message.in_language("de") == "Frage 5 (age) muss beantwortet werden"
    assert message.in_language("en") == message


def _code_messages():
    method_map, options_map = parse_mapping_cfg(open(ROOT / "babel.cfg"))  # noqa: SIM115
    return {(message if isinstance(message, tuple) else (message,))
            for _, _, message, _, _ in extract_from_dir(ROOT / "survey", method_map,
                                                        options_map)}


def test_every_message_of_the_code_has_a_complete_translation_with_the_same_placeholders():
    """Fails when a marked text has no German translation (run pybabel extract and update, see
    docs/howto-import-returns.md), or a translation lost or invented a placeholder."""
    found = _code_messages()
    assert len(found) > 100
    for language in staff_languages():
        if language == "en":
            continue
        catalogue = read_catalogue(language)
        for ids in found:
            entry = catalogue.get(ids[0])
            assert entry is not None, f"{language}: no entry for {ids[0]!r}"
            assert not entry.fuzzy, f"{language}: fuzzy translation of {ids[0]!r}"
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            assert len(ids) == (2 if isinstance(entry.id, tuple) else 1), ids[0]
            assert all(strings), f"{language}: no translation of {ids[0]!r}"
            wanted = set().union(*map(placeholders, ids))
            for text in strings:
                assert placeholders(text) == wanted, f"{language}: {text!r} for {ids[0]!r}"


def test_the_catalogues_ship_in_the_package():
    assert "de" in staff_languages()
    assert catalogue_path("de").is_relative_to(ROOT / "survey")
