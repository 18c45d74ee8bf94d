"""Pivot tables in a workbook: which sheets show one, found from the workbook's own parts.

A pivot table is a summary of the answers (how many said "female", say), not one row per
respondent: read as data, its lines ("Row Labels", "female", "Grand Total") would be imported as
if they were people. Excel and LibreOffice keep a pivot table as a part of its own
(`xl/pivotTables/pivotTable1.xml`), tied to the sheet that shows it by a relationship of type
`…/relationships/pivotTable` in the sheet's `_rels` part; its cache (`pivotCacheDefinition`)
names the source data (`<worksheetSource sheet="Daten" ref="A1:F300"/>`).

The parts are found the way Office finds them, by relationship type from the package root, so
part names and folders chosen by other programs do not matter. openpyxl (which reads pivot
tables into a private attribute) is asked only when the parts cannot be followed.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

MAX_PART = 16 << 20
"""Relationship, workbook and pivot cache parts are small; a larger one is not looked into."""


class _Unusual(Exception):
    """The workbook's parts cannot be followed as Office writes them."""


def pivot_sheets(path: Path) -> dict[str, str | None]:
    """The sheets of an XLSX/XLSM workbook that show a pivot table, each with the sheet of the
    workbook its source data is on (None when the source is elsewhere or not a sheet)."""
    try:
        return _from_parts(path)
    except (_Unusual, KeyError, ValueError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
        return _from_openpyxl(path)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attribute(element: ElementTree.Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (r:id is `{…}id`)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _from_parts(path: Path) -> dict[str, str | None]:
    with zipfile.ZipFile(path) as archive:
        # Part names are case-insensitive in a package.
        names = {info.filename.lower(): info for info in archive.infolist()}

        def read(part: str) -> ElementTree.Element:
            info = names.get(part.lower())
            if info is None:
                raise _Unusual(part)
            if info.file_size > MAX_PART:
                raise _Unusual(f"{part} is too large")
            raw = archive.read(info)
            if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
                raise _Unusual(f"{part} has declarations")
            return ElementTree.fromstring(raw)

        def relationships(part: str) -> list[tuple[str, str, str]]:
            """(id, type, target part) of each internal relationship of `part` ("" for the
            package itself)."""
            folder, name = posixpath.split(part)
            rels = posixpath.join(folder, "_rels", f"{name}.rels")
            if rels.lower() not in names:
                return []
            found = []
            for rel in read(rels):
                if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target", "")
                resolved = (target.lstrip("/") if target.startswith("/")
                            else posixpath.normpath(posixpath.join(folder, target)))
                found.append((rel.get("Id", ""), rel.get("Type", ""), resolved))
            return found

        workbook = next((target for _, kind, target in relationships("")
                         if kind.endswith("/officeDocument")), None)
        if workbook is None:
            raise _Unusual("no workbook part")
        targets = {rid: target for rid, _, target in relationships(workbook)}
        sheets = {_attribute(e, "name") or "": targets.get(_attribute(e, "id") or "")
                  for e in read(workbook).iter() if _local(e.tag) == "sheet"}
        pivots: dict[str, str | None] = {}
        for sheet, part in sheets.items():
            if part is None:
                continue
            tables = [target for _, kind, target in relationships(part)
                      if kind.endswith("/pivotTable")]
            if tables:
                sources = [_source(read, relationships, table) for table in tables]
                pivots[sheet] = next((s for s in sources if s in sheets), None)
        return pivots


def _source(read: Any, relationships: Any, table: str) -> str | None:
    """The sheet a pivot table's cache takes its data from, if it says so."""
    for _, kind, cache in relationships(table):
        if kind.endswith("/pivotCacheDefinition"):
            for element in read(cache).iter():
                if _local(element.tag) == "worksheetSource":
                    return _attribute(element, "sheet")
    return None


def _from_openpyxl(path: Path) -> dict[str, str | None]:
    """openpyxl's reading of the pivot tables (a private attribute, so only a fallback); an
    unreadable workbook is left to the reader to report."""
    try:
        from openpyxl import load_workbook

        # Only a full (not read-only) load reads the pivot tables.
        book = load_workbook(path)
        found: dict[str, str | None] = {}
        for sheet in book.worksheets:
            pivots = getattr(sheet, "_pivots", None) or []
            if pivots:
                source = getattr(getattr(getattr(pivots[0], "cache", None), "cacheSource", None),
                                 "worksheetSource", None)
                name = getattr(source, "sheet", None)
                found[sheet.title] = name if name in book.sheetnames else None
        return found
    except Exception:
        return {}
