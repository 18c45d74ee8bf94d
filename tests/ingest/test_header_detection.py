"""Finding the header of a worksheet among title rows, group rows and data."""

import datetime as dt

from survey.ingest.readers.header import cell_text, find_header


def test_plain_header_in_the_first_row():
    header = find_header([["id", "age", "city"], [1, 34, "Leipzig"]], [])
    assert (header.row, header.height, header.names) == (0, 1, ["id", "age", "city"])
    assert header.labels == [None, None, None]


def test_title_and_empty_row_above_the_header():
    rows = [["Umfrage 2026", None, None], [None, None, None], ["id", "age", "city"],
            [1, 34, "Leipzig"]]
    assert find_header(rows, []).row == 2


def test_title_directly_above_a_wide_header():
    rows = [["Zusammen sind wir stärker", None, None, None], ["id", "age", "city", "since"],
            [1, 34, "Leipzig", 2015]]
    assert find_header(rows, []).row == 1


def test_narrow_sheet_title_followed_by_an_empty_row():
    # One column: the title is as wide as the header, but it is not followed by data.
    rows = [["Befragung"], [None], ["Antwort"], ["ja"], ["nein"]]
    assert find_header(rows, []).row == 2


def test_header_only():
    assert find_header([["Titel", None], [None, None], ["a", "b"]], []).names == ["a", "b"]


def test_years_as_column_titles():
    rows = [["Tabelle 1", None, None], [None, None, None], ["Bezirk", 2024, 2025.0],
            ["Mitte", 5, 6]]
    header = find_header(rows, [])
    assert (header.row, header.names) == (2, ["Bezirk", "2024", "2025"])


def test_two_row_header_from_merged_cells():
    rows = [["ID", "Angaben zur Person", None, "Wohnen"],
            [None, "Geburtsjahr", "Geschlecht", "Stadtteil"],
            [1, 1980, "w", "Grünau"]]
    merges = [((0, 0), (1, 0)), ((0, 1), (0, 2))]
    header = find_header(rows, merges)
    assert (header.row, header.height) == (0, 2)
    assert header.names == ["ID", "Geburtsjahr", "Geschlecht", "Stadtteil"]
    assert header.labels == [None, "Angaben zur Person: Geburtsjahr",
                             "Angaben zur Person: Geschlecht", "Wohnen: Stadtteil"]


def test_all_text_data_is_not_a_second_header_row_without_merges():
    rows = [["name", "gender", "city"], ["Anna", "w", "Leipzig"], ["Olga", "w", "Dresden"]]
    assert find_header(rows, []).height == 1


def test_two_row_header_where_merges_are_not_reported():
    rows = [["Angaben zur Person", None, "Wohnen"], ["Geburtsjahr", "Geschlecht", "Stadtteil"],
            [1980, "w", "Grünau"]]
    header = find_header(rows, None)
    assert header.height == 2
    assert header.labels == ["Angaben zur Person: Geburtsjahr", "Angaben zur Person: Geschlecht",
                             "Wohnen: Stadtteil"]


def test_standalone_cell_in_the_group_row_heads_no_items():
    rows = [["ID", None, "Angaben", None], [None, "Name", "Geburtsjahr", "Geschlecht"],
            [1, "x", 1980, "w"]]
    header = find_header(rows, None)
    assert header.names == ["ID", "Name", "Geburtsjahr", "Geschlecht"]
    assert header.labels == [None, None, "Angaben: Geburtsjahr", "Angaben: Geschlecht"]


def test_cell_text():
    assert cell_text(2024.0) == "2024"
    assert cell_text(2.5) == "2.5"
    assert cell_text(dt.date(2026, 5, 3)) == "2026-05-03"
    assert cell_text(None) == ""
    assert cell_text("  Frage 1 ") == "Frage 1"
