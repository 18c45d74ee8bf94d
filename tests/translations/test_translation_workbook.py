"""The workbook a translator opens: layout, right-to-left columns, and texts that look like
formulas kept as text."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from translation_files import copy_flagship, edit_xlsx, export, run, xlsx_rows

FORMULA_LIKE = "=SUMME(A1) – so sieht eine Formel aus"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workbook")
    questionnaire = copy_flagship(folder)
    text = questionnaire.read_text("utf-8")
    old = "de: Alter in Jahren"
    assert text.count(old) == 1
    questionnaire.write_text(text.replace(old, f'de: "{FORMULA_LIKE}"'), "utf-8")
    for language in ("ar", "fa", "ru"):
        export(questionnaire, language, "xlsx")
    return folder


@pytest.mark.parametrize("language,rtl", [("ar", True), ("fa", True), ("ru", False)])
def test_translation_columns_are_right_to_left_for_arabic_and_farsi(
        folder: Path, language: str, rtl: bool) -> None:
    sheet = openpyxl.load_workbook(folder / f"{language}.xlsx")["translations"]
    headers = [c.value for c in sheet[1]]
    current = headers.index(next(h for h in headers if h.startswith("current translation")))
    new = headers.index(next(h for h in headers if h.startswith("new translation")))
    source = headers.index(next(h for h in headers if h.startswith("source")))
    for column in (current, new):
        cell = sheet.cell(5, column + 1)
        assert (cell.alignment.readingOrder == 2) is rtl
        assert cell.alignment.wrap_text
    assert sheet.cell(5, source + 1).alignment.readingOrder in (0, None)
    assert not sheet.sheet_view.rightToLeft
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width >= 50


def test_metadata_sheet_is_hidden_and_names_the_questionnaire(folder: Path) -> None:
    book = openpyxl.load_workbook(folder / "ar.xlsx")
    about = book["about"]
    assert about.sheet_state == "hidden"
    values = {row[0]: row[1] for row in about.iter_rows(values_only=True) if row[0]}
    assert values["questionnaire"] == "zusammen"
    assert values["version"] == "2026.1"
    assert values["language"] == "ar"
    assert len(values["questionnaire file fingerprint"]) == 16


def test_a_source_text_that_looks_like_a_formula_stays_text(folder: Path) -> None:
    path = folder / "ar.xlsx"
    row = xlsx_rows(path)["question.age.label"]
    cell = openpyxl.load_workbook(path)["translations"].cell(row, 4)
    assert cell.value == FORMULA_LIKE
    assert cell.data_type == "s"
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_a_typed_text_starting_with_a_minus_is_taken_as_text(folder: Path,
                                                              tmp_path: Path) -> None:
    questionnaire = Path(tmp_path / "zusammen.yaml")
    questionnaire.write_bytes((folder / "zusammen.yaml").read_bytes())
    shutil.copytree(folder / "media", tmp_path / "media")
    path = Path(tmp_path / "ru.xlsx")
    path.write_bytes((folder / "ru.xlsx").read_bytes())
    book = openpyxl.load_workbook(path)
    sheet = book["translations"]
    cell = sheet.cell(xlsx_rows(path)["question.age.label"], 6)
    cell.value = "- возраст (лет)"
    cell.data_type = "s"
    book.save(path)
    result = run("translations", "import", questionnaire, path)
    assert result.exit_code == 0, result.output
    assert 'ru: "- возраст (лет)"' in questionnaire.read_text("utf-8")


def test_notes_reach_the_staff(folder: Path, tmp_path: Path) -> None:
    questionnaire = Path(tmp_path / "zusammen.yaml")
    questionnaire.write_bytes((folder / "zusammen.yaml").read_bytes())
    shutil.copytree(folder / "media", tmp_path / "media")
    path = Path(tmp_path / "fa.xlsx")
    path.write_bytes((folder / "fa.xlsx").read_bytes())
    edit_xlsx(path, {}, notes={"question.district.label": "Is 'Landkreis' a district here?"})
    result = run("translations", "import", questionnaire, path)
    assert result.exit_code == 0, result.output
    assert "(question.district.label): Is 'Landkreis' a district here?" in result.output
