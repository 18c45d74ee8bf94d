"""XLIFF 2.0 files, for translation tools (OmegaT, Trados, memoQ, Weblate, Okapi).

One <unit> per text, its id the text id; the source text and the current translation as
<source> and <target>, the context as a note. What import needs to recognise the file and merge
safely travels as attributes in our own namespace, which XLIFF 2.0 allows and tools keep.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from xml.parsers import expat

from survey.atomic_write import save_atomically
from survey.translations.errors import TranslationError
from survey.translations.exchange import (
    Entry,
    ExchangeFile,
    Header,
    decode_sizes,
    encode_sizes,
)

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
OURS = "urn:survey-toolkit:translations"
_X = f"{{{XLIFF}}}"
_O = f"{{{OURS}}}"
_FILE_ATTRIBUTES = {"questionnaire": "questionnaire", "version": "version",
                    "exported": "exported_at", "file-fingerprint": "file_fingerprint"}
MAX_BYTES = 64 * 1024 * 1024


def write_xliff(exchange: ExchangeFile, path: Path) -> None:
    header = exchange.header
    ET.register_namespace("", XLIFF)
    ET.register_namespace("survey", OURS)
    root = ET.Element(f"{_X}xliff", {"version": "2.0", "srcLang": header.source_language,
                                     "trgLang": header.language})
    attributes = {"id": header.questionnaire}
    attributes |= {f"{_O}{name}": getattr(header, attribute)
                   for name, attribute in _FILE_ATTRIBUTES.items()}
    attributes[f"{_O}choice-lists"] = encode_sizes(header.group_sizes)
    file = ET.SubElement(root, f"{_X}file", attributes)
    for entry in exchange.entries:
        unit = ET.SubElement(file, f"{_X}unit", {
            "id": entry.id, f"{_O}source-fingerprint": entry.source_fingerprint,
            f"{_O}translation-fingerprint": entry.current_fingerprint})
        notes = ET.SubElement(unit, f"{_X}notes")
        ET.SubElement(notes, f"{_X}note", {"category": "context"}).text = entry.context
        if entry.notes:
            ET.SubElement(notes, f"{_X}note").text = entry.notes
        state = "initial" if entry.stale or not entry.current else "translated"
        segment = ET.SubElement(unit, f"{_X}segment", {"state": state})
        ET.SubElement(segment, f"{_X}source").text = entry.source
        if entry.current:
            ET.SubElement(segment, f"{_X}target").text = entry.current
    ET.indent(root)
    save_atomically(path, lambda stream: ET.ElementTree(root).write(
        stream, encoding="utf-8", xml_declaration=True))


def _refuse_declarations(raw: bytes, name: str) -> None:
    """Refuse DOCTYPE and ENTITY declarations (entity expansion, external entities), seen by
    the XML parser itself, so no encoding (UTF-16, UTF-32, a declared legacy one) hides them
    from the check."""
    def refuse(*_: object) -> None:
        raise TranslationError(f"{name}: refused: XLIFF files have no DOCTYPE or ENTITY "
                               "declarations (they can be used to attack the reader)")

    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        refuse()
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.Parse(raw, True)


def read_xliff(path: Path) -> ExchangeFile:
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise TranslationError(f"{path.name}: {len(raw) / 2**20:.0f} MB is far more than a "
                               "questionnaire's texts; is this the right file?")
    try:
        _refuse_declarations(raw, path.name)
        root = ET.fromstring(raw)
    except (ValueError, LookupError) as error:  # an encoding the parser does not read
        raise TranslationError(f"{path.name}: the file's encoding cannot be read ({error}); "
                               "save it as UTF-8, as we exported it") from None
    except (ET.ParseError, expat.ExpatError) as error:
        line, column = getattr(error, "position", (getattr(error, "lineno", 0),
                                                   getattr(error, "offset", 0)))
        raise TranslationError(f"{path.name}:{line}:{column + 1}: XML syntax error: "
                               f"{str(error).split(':')[0]}; the file is damaged: export it "
                               "again, or fix the tag at that place") from None
    if root.tag != f"{_X}xliff":
        version = root.get("version")
        what = f"XLIFF {version}" if root.tag.endswith("xliff") and version else \
            f"<{root.tag.split('}')[-1]}>"
        raise TranslationError(f"{path.name}: this is {what}, not XLIFF 2.0; export from your "
                               "translation tool as XLIFF 2.0, or use the file we exported")
    file = root.find(f"{_X}file")
    if file is None or any(file.get(f"{_O}{name}") is None for name in _FILE_ATTRIBUTES):
        raise TranslationError(f"{path.name}: the <file> element has no survey:questionnaire, "
                               "survey:version ... attributes: the file was not made by survey "
                               "translations export, or a tool removed them; export it again")
    header = Header(file.get(f"{_O}questionnaire", ""), file.get(f"{_O}version", ""),
                    root.get("srcLang", ""), root.get("trgLang", ""),
                    file.get(f"{_O}exported", ""), file.get(f"{_O}file-fingerprint", ""),
                    decode_sizes(file.get(f"{_O}choice-lists", ""), f"{path.name}, <file>"))
    exchange = ExchangeFile(header, [], path)
    for number, unit in enumerate(file.iter(f"{_X}unit"), start=1):
        identifier = unit.get("id", "")
        where = f"{path.name}, unit {number} ({identifier})"
        segments = unit.findall(f"{_X}segment")
        if len(segments) != 1:
            exchange.problems.append(f"{where}: has {len(segments)} segments; a text must stay "
                                     "one segment (join the segments in your tool)")
            continue
        source, target = segments[0].find(f"{_X}source"), segments[0].find(f"{_X}target")
        notes = [n for n in unit.iter(f"{_X}note") if n.get("category") != "context"]
        context = [n for n in unit.iter(f"{_X}note") if n.get("category") == "context"]
        exchange.entries.append(Entry(
            identifier, "".join(context[0].itertext()) if context else "",
            "".join(source.itertext()) if source is not None else "", "",
            "".join(target.itertext()) if target is not None else "",
            "\n".join("".join(n.itertext()) for n in notes),
            unit.get(f"{_O}source-fingerprint", ""),
            unit.get(f"{_O}translation-fingerprint", ""), where,
            stale=segments[0].get("state", "initial") == "initial"))
    return exchange
