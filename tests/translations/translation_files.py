"""Helpers for the translation tests: run the CLI, and edit exported files as translators do."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
from click.testing import CliRunner, Result

from survey.cli import cli

FLAGSHIP = Path(__file__).resolve().parents[2] / "questionnaires" / "zusammen.yaml"
XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"
NEW_COLUMN = 6  # id, context, state, source, current, new, notes


def copy_flagship(folder: Path) -> Path:
    """The flagship with its pictures into `folder`."""
    target = folder / "zusammen.yaml"
    shutil.copyfile(FLAGSHIP, target)
    shutil.copytree(FLAGSHIP.parent / "media", folder / "media", dirs_exist_ok=True)
    return target


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def export(questionnaire: Path, language: str, file_format: str, *options: str) -> Path:
    suffix = {"xlsx": ".xlsx", "po": ".po", "xliff": ".xlf"}[file_format]
    out = questionnaire.parent / f"{language}{suffix}"
    result = run("translations", "export", questionnaire, "--lang", language, "--format",
                 file_format, "--out", out, *options)
    assert result.exit_code == 0, result.output
    return out


def xlsx_rows(path: Path) -> dict[str, int]:
    sheet = openpyxl.load_workbook(path)["translations"]
    return {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}


def edit_xlsx(path: Path, texts: dict[str, str], notes: dict[str, str] | None = None) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["translations"]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    for identifier, text in texts.items():
        sheet.cell(rows[identifier], NEW_COLUMN).value = text
    for identifier, note in (notes or {}).items():
        sheet.cell(rows[identifier], NEW_COLUMN + 1).value = note
    book.save(path)


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def edit_po(path: Path, texts: dict[str, str]) -> None:
    """Replace the msgstr (possibly continued over several lines) of the given entries."""
    source = path.read_text("utf-8")
    for identifier, text in texts.items():
        pattern = re.compile(r'(msgctxt "' + re.escape(identifier) +
                             r'"\nmsgid (?:".*"\n)+)msgstr (?:".*"\n?)+')
        source, count = pattern.subn(lambda m, t=text: m.group(1) + "msgstr " + _po_string(t)
                                     + "\n", source)
        assert count == 1, identifier
    path.write_text(source, "utf-8")


def edit_xliff(path: Path, texts: dict[str, str]) -> None:
    ET.register_namespace("", XLIFF[1:-1])
    ET.register_namespace("survey", "urn:survey-toolkit:translations")
    tree = ET.parse(path)
    for unit in tree.iter(f"{XLIFF}unit"):
        if unit.get("id") in texts:
            segment = unit.find(f"{XLIFF}segment")
            target = segment.find(f"{XLIFF}target")
            if target is None:
                target = ET.SubElement(segment, f"{XLIFF}target")
            target.text = texts[unit.get("id")]
    tree.write(path, encoding="utf-8", xml_declaration=True)


EDITORS = {"xlsx": edit_xlsx, "po": edit_po, "xliff": edit_xliff}
