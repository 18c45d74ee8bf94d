"""Every bad translation file gets a message naming the file and place, exit code 1, and leaves
the questionnaire byte for byte as it was."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from translation_files import EDITORS, copy_flagship, edit_xlsx, export, run, xlsx_rows

PLACEHOLDER_DE = "de: Das Jahr kann nicht vor Ihrem Geburtsjahr liegen."
PLACEHOLDER_AR = "ar: لا يمكن أن تكون هذه السنة قبل سنة ولادتك."


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One pristine export per format (and a questionnaire copy with a ${placeholder})."""
    folder = tmp_path_factory.mktemp("pristine")
    questionnaire = copy_flagship(folder)
    text = questionnaire.read_text("utf-8")
    text = text.replace(PLACEHOLDER_DE, "de: Das Jahr kann nicht vor ${birth_year} liegen.")
    text = text.replace(PLACEHOLDER_AR, "ar: لا يمكن أن تكون السنة قبل ${birth_year}.")
    questionnaire.write_text(text, "utf-8")
    files = {kind: export(questionnaire, "ar", kind) for kind in ("xlsx", "po", "xliff")}
    return {"questionnaire": questionnaire, **files}


@pytest.fixture
def work(tmp_path: Path, exported: dict[str, Path]) -> dict[str, Path]:
    """Fresh copies for one test: the questionnaire (with its pictures) and the exported
    files."""
    shutil.copytree(exported["questionnaire"].parent / "media", tmp_path / "media")
    return {name: Path(shutil.copy(path, tmp_path / path.name))
            for name, path in exported.items()}


def refused(work: dict[str, Path], *files: Path, expect: list[str]) -> str:
    questionnaire = work["questionnaire"]
    before = questionnaire.read_bytes()
    result = run("translations", "import", questionnaire, *files)
    assert result.exit_code == 1, result.output
    for message in expect:
        assert message in result.output, result.output
    assert "was not changed" in result.output or "error:" in result.output
    assert questionnaire.read_bytes() == before
    return result.output


def test_a_file_for_another_questionnaire(work: dict[str, Path]) -> None:
    po = work["po"]
    po.write_text(po.read_text("utf-8").replace("X-Survey-Questionnaire: zusammen",
                                                "X-Survey-Questionnaire: nachbarn"), "utf-8")
    refused(work, po, expect=["ar.po: this file is for questionnaire 'nachbarn', not "
                              "'zusammen' (zusammen.yaml)"])


def test_a_file_for_another_version(work: dict[str, Path]) -> None:
    questionnaire = work["questionnaire"]
    questionnaire.write_text(questionnaire.read_text("utf-8").replace(
        'version: "2026.1"', 'version: "2026.2"'), "utf-8")
    refused(work, work["xlsx"], expect=["ar.xlsx: this file was exported from version 2026.1 "
                                        "of 'zusammen', the questionnaire is now version "
                                        "2026.2; export the texts again"])


def test_a_language_the_questionnaire_does_not_declare(work: dict[str, Path]) -> None:
    xliff = work["xliff"]
    xliff.write_text(xliff.read_text("utf-8").replace('trgLang="ar"', 'trgLang="tr"'), "utf-8")
    refused(work, xliff, expect=["ar.xlf: language 'tr' is not declared in zusammen.yaml (it "
                                 "has de, de-x-easy, en, ru, uk, ar, fa, vi)"])


def test_export_of_an_undeclared_language(work: dict[str, Path]) -> None:
    result = run("translations", "export", work["questionnaire"], "--lang", "tr")
    assert result.exit_code == 1
    assert "language 'tr' is not declared" in result.output
    source = run("translations", "export", work["questionnaire"], "--lang", "de")
    assert source.exit_code == 1
    assert "'de' is the source language" in source.output


def test_a_corrupted_workbook(work: dict[str, Path]) -> None:
    xlsx = work["xlsx"]
    xlsx.write_bytes(xlsx.read_bytes()[:2000])
    refused(work, xlsx, expect=["ar.xlsx is not a readable XLSX file", "save it again"])


def test_a_workbook_with_a_damaged_part(work: dict[str, Path], tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(work["xlsx"]) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[:len(data) // 2]
            target.writestr(item, data)
    refused(work, damaged, expect=["damaged.xlsx is not a readable XLSX file"])


def test_a_workbook_without_its_hidden_sheet(work: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(work["xlsx"])
    del book["about"]
    book.save(work["xlsx"])
    refused(work, work["xlsx"], expect=["ar.xlsx has no sheet 'about': it was not made by "
                                        "survey translations export"])


def test_a_po_file_with_broken_syntax(work: dict[str, Path]) -> None:
    po = work["po"]
    lines = po.read_text("utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("msgstr ") and i > 30)
    lines[number] = lines[number].replace('msgstr "', 'msgstr ', 1)
    po.write_text("\n".join(lines), "utf-8")
    refused(work, po, expect=[f"ar.po:{number + 1}: expected a text in double quotes"])


def test_a_po_file_with_an_unknown_keyword(work: dict[str, Path]) -> None:
    po = work["po"]
    po.write_text(po.read_text("utf-8") + '\nmsgtxt "x"\n', "utf-8")
    number = po.read_text("utf-8").count("\n")
    refused(work, po, expect=[f"ar.po:{number}: PO syntax error: expected msgctxt, msgid, "
                              "msgstr or a comment, found 'msgtxt \"x\"'"])


def test_broken_xliff(work: dict[str, Path]) -> None:
    xliff = work["xliff"]
    lines = xliff.read_text("utf-8").splitlines()
    lines[9] = lines[9].replace("</target>", "</targt>")
    xliff.write_text("\n".join(lines), "utf-8")
    refused(work, xliff, expect=["ar.xlf:10:", "XML syntax error: mismatched tag"])


def test_xliff_1_2_is_named(work: dict[str, Path], tmp_path: Path) -> None:
    old = tmp_path / "old.xlf"
    old.write_text('<?xml version="1.0"?><xliff version="1.2" '
                   'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file/></xliff>', "utf-8")
    refused(work, old, expect=["old.xlf: this is XLIFF 1.2, not XLIFF 2.0"])


def test_xliff_with_entity_declarations_is_refused(work: dict[str, Path]) -> None:
    xliff = work["xliff"]
    text = xliff.read_text("utf-8")
    xliff.write_text(text.replace("?>", '?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1), "utf-8")
    refused(work, xliff, expect=["ar.xlf: refused: XLIFF files have no DOCTYPE or ENTITY"])


def test_a_formula_cell_is_refused(work: dict[str, Path]) -> None:
    xlsx = work["xlsx"]
    edit_xlsx(xlsx, {"question.gender.label": '=HYPERLINK("http://example.org","x")',
                     "question.age.label": "عمرك بالسنوات"})
    row = xlsx_rows(xlsx)["question.gender.label"]
    refused(work, xlsx, expect=[f"ar.xlsx, row {row} (question.gender.label): the new "
                                "translation is a formula", "which is refused"])


def test_an_id_that_no_longer_exists(work: dict[str, Path]) -> None:
    xlsx = work["xlsx"]
    book = openpyxl.load_workbook(xlsx)
    sheet = book["translations"]
    row = xlsx_rows(xlsx)["question.gender.label"]
    sheet.cell(row, 1).value = "question.sex.label"
    sheet.cell(row, 6).value = "نص"
    book.save(xlsx)
    refused(work, xlsx, expect=[f"ar.xlsx, row {row}: 'question.sex.label' is not a text of "
                                "zusammen.yaml (any more)"])


@pytest.mark.parametrize("kind", ["xlsx", "po", "xliff"])
def test_a_dropped_placeholder(work: dict[str, Path], kind: str) -> None:
    EDITORS[kind](work[kind], {"question.arrival_year.constraint_message":
                               "لا يمكن أن تكون السنة قبل سنة ولادتك."})
    refused(work, work[kind], expect=["(question.arrival_year.constraint_message): the "
                                      "placeholders differ: the source has ${birth_year}, the "
                                      "translation none"])


def test_an_added_interface_placeholder(work: dict[str, Path]) -> None:
    EDITORS["po"](work["po"], {"interface.thank_you": "شكرًا {name}!"})
    refused(work, work["po"], expect=["the placeholders differ: the source has none, the "
                                      "translation {name}"])


def test_a_choice_list_with_an_entry_removed(work: dict[str, Path]) -> None:
    xlsx = work["xlsx"]
    book = openpyxl.load_workbook(xlsx)
    sheet = book["translations"]
    sheet.delete_rows(xlsx_rows(xlsx)["question.gender.choice.diverse.label"])
    book.save(xlsx)
    refused(work, xlsx, expect=["ar.xlsx: choice list 'question.gender.choice' was exported "
                                "with 3 entries, the file has 2"])


def test_a_po_entry_given_twice(work: dict[str, Path]) -> None:
    po = work["po"]
    text = po.read_text("utf-8")
    start = text.index('msgctxt "question.age.label"')
    entry = text[start:text.index("\n\n", start)]
    po.write_text(text + "\n\n#. fingerprints: source 00000000, translation -\n" + entry + "\n",
                  "utf-8")
    refused(work, po, expect=["'question.age.label' is given a second time"])


def test_empty_cells_are_reported_not_refused(work: dict[str, Path]) -> None:
    result = run("translations", "import", work["questionnaire"], work["xlsx"])
    assert result.exit_code == 0, result.output
    assert "left empty (no change)" in result.output
    assert "nothing to change" in result.output


def test_a_text_changed_by_someone_else_since_the_export(work: dict[str, Path]) -> None:
    questionnaire = work["questionnaire"]
    text = questionnaire.read_text("utf-8")
    questionnaire.write_text(text.replace("ar: ما هو جنسك؟", "ar: ما جنسك؟"), "utf-8")
    edit_xlsx(work["xlsx"], {"question.gender.label": "ما هو نوعك؟",
                             "question.age.label": "العمر"})
    output = refused(work, work["xlsx"], expect=[
        "zusammen.yaml was changed since this file was exported",
        "(question.gender.label): the ar text was changed in the questionnaire since the "
        "export (now: \"ما جنسك؟\")"])
    assert "question.age.label [ar]" in output  # the rest merges, but nothing is written


def test_a_change_elsewhere_merges_and_is_kept(work: dict[str, Path]) -> None:
    questionnaire = work["questionnaire"]
    text = questionnaire.read_text("utf-8")
    questionnaire.write_text(text.replace("ar: ما هو جنسك؟", "ar: ما جنسك؟"), "utf-8")
    edit_xlsx(work["xlsx"], {"question.age.label": "العمر"})
    result = run("translations", "import", questionnaire, work["xlsx"])
    assert result.exit_code == 0, result.output
    after = questionnaire.read_text("utf-8")
    assert "ar: ما جنسك؟" in after and "ar: العمر\n" in after


def test_an_import_that_would_break_the_questionnaire_writes_nothing(
        work: dict[str, Path]) -> None:
    questionnaire = work["questionnaire"]
    questionnaire.write_text(questionnaire.read_text("utf-8") + "bogus_key: 1\n", "utf-8")
    refused(work, work["xlsx"], expect=["fix these errors first", "unknown key 'bogus_key'"])


def test_an_unknown_kind_of_file(work: dict[str, Path], tmp_path: Path) -> None:
    other = tmp_path / "ar.csv"
    other.write_text("id,text\n", "utf-8")
    refused(work, other, expect=["ar.csv: unknown kind of file"])
