"""Gettext PO files, for translators who work in Poedit, Weblate or a text editor.

Each text is one entry: msgctxt is its id, msgid the source text and msgstr the translation
(pre-filled with the current one; a stale translation is marked fuzzy). The fingerprints import
needs travel as an extracted comment ('#. fingerprints: ...'), which PO tools keep. Our own small
reader names the line of any syntax error, which generic libraries do not always do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from survey.atomic_write import write_atomically
from survey.translations.errors import TranslationError
from survey.translations.exchange import (
    Entry,
    ExchangeFile,
    Header,
    decode_sizes,
    encode_sizes,
)

_HEADER_FIELDS = {"X-Survey-Questionnaire": "questionnaire", "X-Survey-Version": "version",
                  "X-Survey-Source-Language": "source_language", "Language": "language",
                  "X-Survey-Exported": "exported_at",
                  "X-Survey-File-Fingerprint": "file_fingerprint"}
_SIZES = "X-Survey-Choice-Lists"
_FINGERPRINTS = re.compile(r"^fingerprints: source (\S+), translation (\S+)$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r"^(msgctxt|msgid|msgstr|msgid_plural|msgstr\[\d+\])\s+(.*)$")


def _quote(text: str) -> str:
    """A PO string, split after each newline as gettext tools write multi-line texts."""
    def escape(part: str) -> str:
        return ('"' + part.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                .replace("\t", "\\t").replace("\r", "\\r") + '"')
    lines = text.splitlines(keepends=True)
    if len(lines) <= 1:
        return escape(text)
    return '""\n' + "\n".join(escape(line) for line in lines)


def write_po(exchange: ExchangeFile, path: Path) -> None:
    header = exchange.header
    fields = {"Project-Id-Version": f"{header.questionnaire} {header.version}",
              "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
              "Content-Transfer-Encoding": "8bit"}
    fields |= {name: getattr(header, attribute) for name, attribute in _HEADER_FIELDS.items()}
    fields[_SIZES] = encode_sizes(header.group_sizes)
    out = [f"# Translation of questionnaire {header.questionnaire} {header.version} into "
           f"{header.language}.",
           "# Keep every ${name} placeholder as it is. An empty msgstr keeps the current text.",
           'msgid ""', "msgstr " + _quote("".join(f"{k}: {v}\n" for k, v in fields.items())),
           ""]
    for entry in exchange.entries:
        out += [f"#. {line}" for line in entry.context.splitlines()]
        out.append(f"#. fingerprints: source {entry.source_fingerprint}, translation "
                   f"{entry.current_fingerprint}")
        out += [f"# {line}" for line in entry.notes.splitlines()]
        if entry.stale:
            out.append("#, fuzzy")
        out += [f"msgctxt {_quote(entry.id)}", f"msgid {_quote(entry.source)}",
                f"msgstr {_quote(entry.current)}", ""]
    write_atomically(path, "\n".join(out).encode("utf-8"))


# -- reading -------------------------------------------------------------------------------


@dataclass
class _Raw:
    line: int
    strings: dict[str, str] = field(default_factory=dict)
    extracted: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fuzzy: bool = False
    last: str | None = None


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise TranslationError(f"{where}: expected a text in double quotes, found {text[:40]!r}")
    out: list[str] = []
    body = text[1:-1]
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            following = body[index + 1:index + 2]
            if following not in _ESCAPES:
                raise TranslationError(f"{where}: unknown escape '\\{following}' in a text; "
                                       "write a backslash as \\\\")
            out.append(_ESCAPES[following])
            index += 2
            continue
        if char == '"':
            raise TranslationError(f"{where}: a double quote inside a text must be written "
                                   '\\"')
        out.append(char)
        index += 1
    return "".join(out)


def _parse(path: Path) -> list[_Raw]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TranslationError(f"{path.name}: not UTF-8 text ({error.reason} at byte "
                               f"{error.start}); save the PO file as UTF-8") from None
    entries: list[_Raw] = []
    current: _Raw | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"{path.name}:{number}"
        if not line:
            continue
        if line.startswith("#"):
            if current is not None and current.strings:
                entries.append(current)
                current = None
            current = current or _Raw(number)
            if line.startswith("#."):
                current.extracted.append(line[2:].strip())
            elif line.startswith("#~"):
                continue  # an obsolete entry, kept by PO tools for reference
            elif line.startswith("#,"):
                current.fuzzy = "fuzzy" in line
            elif not line.startswith(("#:", "#|")):
                current.notes.append(line[1:].strip())
            continue
        if line.startswith('"'):
            if current is None or current.last is None:
                raise TranslationError(f"{where}: a text line with no msgid or msgstr before it")
            current.strings[current.last] += _unquote(line, where)
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise TranslationError(f"{where}: PO syntax error: expected msgctxt, msgid, msgstr "
                                   f"or a comment, found {line[:40]!r}")
        keyword, rest = match.groups()
        if keyword.startswith(("msgid_plural", "msgstr[")):
            raise TranslationError(f"{where}: plural forms are not used in questionnaire "
                                   "translations; remove them")
        starts = keyword in ("msgctxt", "msgid") and current is not None and (
            "msgstr" in current.strings or keyword in current.strings)
        if current is None or starts:
            if current is not None:
                entries.append(current)
            current = _Raw(number)
        if keyword in current.strings:
            raise TranslationError(f"{where}: a second {keyword} in the same entry")
        current.strings[keyword] = _unquote(rest, where)
        current.last = keyword
    if current is not None and current.strings:
        entries.append(current)
    for entry in entries:
        if "msgid" not in entry.strings or "msgstr" not in entry.strings:
            raise TranslationError(f"{path.name}:{entry.line}: PO syntax error: an entry needs "
                                   "both msgid and msgstr")
    return entries


def read_po(path: Path) -> ExchangeFile:
    entries = _parse(path)
    head = next((e for e in entries if e.strings["msgid"] == "" and "msgctxt" not in e.strings),
                None)
    fields: dict[str, str] = {}
    if head is not None:
        for line in head.strings["msgstr"].splitlines():
            name, _, value = line.partition(":")
            fields[name.strip()] = value.strip()
    missing = [name for name in (*_HEADER_FIELDS, _SIZES) if name not in fields]
    if missing:
        raise TranslationError(f"{path.name}: the PO header has no {', '.join(missing)}: the "
                               "file was not made by survey translations export, or its header "
                               "was edited; export the file again")
    header = Header(**{attribute: fields[name] for name, attribute in _HEADER_FIELDS.items()},
                    group_sizes=decode_sizes(fields[_SIZES], f"{path.name}, PO header"))
    exchange = ExchangeFile(header, [], path)
    for raw in entries:
        if raw is head:
            continue
        where = f"{path.name}:{raw.line}"
        if "msgctxt" not in raw.strings:
            exchange.problems.append(f"{where}: an entry without msgctxt (the text id); "
                                     "entries must not be added")
            continue
        fingerprints = [m for m in map(_FINGERPRINTS.match, raw.extracted) if m]
        source_fp, current_fp = fingerprints[0].groups() if fingerprints else ("", "")
        context = "\n".join(line for line in raw.extracted if not _FINGERPRINTS.match(line))
        exchange.entries.append(Entry(raw.strings["msgctxt"], context, raw.strings["msgid"],
                                      "", raw.strings["msgstr"], "\n".join(raw.notes),
                                      source_fp, current_fp, where, stale=raw.fuzzy))
    return exchange
