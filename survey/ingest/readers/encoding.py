"""Which text encoding a partner's CSV file is in, and proof that the whole file decodes with it.

Partners export from Excel on German Windows (cp1252), Russian Windows (cp1251), old Unix tools
(KOI8-R), or anything modern (UTF-8, sometimes with a byte-order mark; UTF-16 from Excel's
"Unicode text"). The single-byte code pages decode almost any bytes, so a strict decode cannot
tell them apart: the text each one gives is scored for being plausible German or Russian/Ukrainian
text, and when no candidate is clearly best the user is asked to name the encoding.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from survey.ingest.readers.table import ReadError
from survey.staff_texts import staff_text

SAMPLE = 64 * 1024
CHUNK = 1 << 20

SINGLE_BYTE = ("cp1252", "cp1251", "koi8-r")
CYRILLIC = ("cp1251", "koi8-r")
PLAUSIBLE = 0.9
"""Share of non-ASCII characters that must read as real words for an encoding to be considered."""
MARGIN = 3.0
"""How much more likely (log scale, summed over letters) cp1251 or KOI8-R must make the letters
than the other; e^3 = 20 times."""

# Letter frequencies (per cent) of Russian and Ukrainian text together; unlisted Cyrillic letters
# (Serbian, Macedonian, …) are not expected in our partners' files.
_FREQUENCY = {
    "о": 10.0, "е": 8.0, "а": 8.0, "и": 6.5, "н": 6.6, "т": 6.0, "с": 5.2, "р": 4.7,
    "в": 4.5, "л": 4.2, "к": 3.5, "м": 3.1, "д": 3.0, "п": 2.8, "у": 2.8, "я": 2.1, "ы": 1.6,
    "ь": 1.7, "г": 1.6, "з": 1.7, "б": 1.6, "ч": 1.4, "й": 1.2, "х": 1.0, "ж": 0.9, "ш": 0.7,
    "ю": 0.6, "ц": 0.5, "щ": 0.4, "э": 0.3, "ф": 0.3, "ъ": 0.05, "ё": 0.1,
    "і": 1.5, "ї": 0.4, "є": 0.3, "ґ": 0.05,
}
_LOG_FREQUENCY = {letter: math.log(share / 100) for letter, share in _FREQUENCY.items()}
_PUNCTUATION = set("\u00a0«»„“”‘’‚–—…€№°§·")
_WORD = re.compile(r"[^\W\d_]+")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
_LANGUAGE = {"cp1252": staff_text("Western European, Windows"),
             "latin-1": staff_text("Western European, ISO"),
             "cp1251": staff_text("Cyrillic, Windows"), "koi8-r": staff_text("Cyrillic, KOI8-R")}
_BOMS = ((codecs.BOM_UTF8, "utf-8", "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"))
"""(byte-order mark, codec for the bytes after it, encoding name for the user)."""


@dataclass(frozen=True)
class Encoding:
    name: str
    """What to tell the user and what `--encoding` accepts (utf-8-sig, utf-16, cp1251, …)."""
    codec: str
    """The codec that decodes the bytes after the byte-order mark."""
    bom: int = 0
    """Length of the byte-order mark to skip."""


def given(path: Path, name: str) -> Encoding:
    """The encoding the user named, checked to exist, with a byte-order mark skipped if present."""
    codec = text_codec(name)
    if codec is None:
        raise ReadError(staff_text("{file}: unknown text encoding '{name}'; use a name such as "
                                   "utf-8, utf-16, cp1252, cp1251, koi8-r or latin-1",
                                   file=path.name, name=name))
    with path.open("rb") as handle:
        head = handle.read(4)
    if codec in ("utf-8", "utf-8-sig"):
        bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
        return Encoding(name, "utf-8", bom)
    if codec == "utf-16":
        for mark, raw, family in _BOMS:
            if family == "utf-16" and head.startswith(mark):
                return Encoding(name, raw, len(mark))
        return Encoding(name, "utf-16-le")
    return Encoding(name, codec)


def text_codec(name: str) -> str | None:
    """Python's name for a text encoding, or None if there is none by that name ('rot13' is a
    codec, but not a text encoding)."""
    try:
        b"\0\0\0\0".decode(name)  # decoding b"" would not even look the name up
    except LookupError:
        return None
    except UnicodeError:
        pass
    return codecs.lookup(name).name


def detect(path: Path, head: bytes) -> tuple[Encoding, str | None]:
    """The encoding of the file (whose first bytes are `head`) and a note for the user, if any."""
    for bom, raw, name in _BOMS:
        if head.startswith(bom):
            note = staff_text("text encoding UTF-16 (byte-order mark found)"
                              ) if raw != "utf-8" else None
            return Encoding(name, raw, len(bom)), note
    check_no_nul(path, head)
    evidence, complete = _non_ascii_sample(path, head)
    if evidence is None:
        return Encoding("utf-8", "utf-8"), None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(evidence, final=complete)
    except UnicodeDecodeError:
        pass
    else:
        return Encoding("utf-8", "utf-8"), None
    return _single_byte(path, evidence)


def _non_ascii_sample(path: Path, head: bytes) -> tuple[bytes | None, bool]:
    """Up to 64 KB of the file from its first non-ASCII line (a German export may show its first
    umlaut only after thousands of rows), and whether that is the whole file."""
    if not head.isascii():
        return head, len(head) < SAMPLE
    with path.open("rb") as handle:
        handle.seek(len(head))
        while chunk := handle.read(CHUNK):
            found = None if chunk.isascii() else _HIGH_BYTE.search(chunk)
            if found:
                start = chunk.rfind(b"\n", 0, found.start()) + 1
                return chunk[start:start + SAMPLE], False
    return None, True


@dataclass(frozen=True)
class Score:
    plausible: float
    """Share of non-ASCII characters in plausible words or ordinary punctuation (€, „, №, …)."""
    likelihood: float
    """Summed log-frequency of the Cyrillic letters (meaningful for the Cyrillic candidates)."""


def score(text: str, cyrillic: bool) -> Score:
    """How much `text` looks like German (cp1252) or Russian/Ukrainian (cp1251, KOI8-R) text."""
    good = bad = 0
    likelihood = 0.0
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        non_ascii = sum(not c.isascii() for c in word)
        if cyrillic:
            likelihood += sum(_LOG_FREQUENCY.get(c.lower(), -12.0) for c in word if not c.isascii())
            fine = all(c.lower() in _LOG_FREQUENCY for c in word) and _cased_like_a_word(word)
        else:
            # Umlauts and accents sit among plain letters; a word of only accented letters
            # ("Äà" for "Да") is Cyrillic read in the wrong code page.
            fine = (all("LATIN" in unicodedata.name(c, "") for c in word)
                    and (non_ascii < len(word) or len(word) == 1) and _cased_like_a_word(word))
        if fine:
            good += non_ascii
        else:
            bad += non_ascii
    for char in _WORD.sub("", text):
        if not char.isascii():
            if char in _PUNCTUATION:
                good += 1
            else:
                bad += 1
    total = good + bad
    return Score(good / total if total else 0.0, likelihood)


def _cased_like_a_word(word: str) -> bool:
    """lower, Title or UPPER: a cp1251 word read as KOI8-R (and back) comes out as "лЕЙПЦИГ"."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def _single_byte(path: Path, evidence: bytes) -> tuple[Encoding, str | None]:
    scores = {}
    for name in SINGLE_BYTE:
        try:
            text = evidence.decode(name)
        except UnicodeDecodeError:
            if name != "cp1252":
                continue
            # Bytes cp1252 leaves undefined: Latin-1 is the only Western reading left.
            name, text = "latin-1", evidence.decode("latin-1")
        scores[name] = score(text, name in CYRILLIC)
    plausible = [n for n, s in scores.items() if s.plausible >= PLAUSIBLE]
    if len(plausible) == 2 and set(plausible) == set(CYRILLIC):
        first, second = sorted(plausible, key=lambda n: scores[n].likelihood, reverse=True)
        if scores[first].likelihood - scores[second].likelihood >= MARGIN:
            plausible = [first]
    if len(plausible) == 1:
        name = plausible[0]
        return Encoding(name, name), staff_text("text encoding {name} detected ({kind})",
                                                name=name, kind=_LANGUAGE[name])
    doubt: str
    if plausible:
        doubt = staff_text("it reads equally well as {encodings}",
                           encodings=", ".join(plausible))
        candidates = plausible
    elif _UTF8_SEQUENCE.search(evidence):
        doubt = staff_text("it reads as neither German nor Russian/Ukrainian text in "
                           "{encodings}; parts of it are UTF-8, so it may mix encodings",
                           encodings=", ".join(scores))
        candidates = [*SINGLE_BYTE, "latin-1"]
    else:
        doubt = staff_text("it reads as neither German nor Russian/Ukrainian text in "
                           "{encodings}", encodings=", ".join(scores))
        candidates = [*SINGLE_BYTE, "latin-1"]
    raise ReadError(staff_text("{file}: the text encoding could not be determined: it is not "
                               "UTF-8, and {doubt}. Pass --encoding with the right one "
                               "(candidates: {candidates}), or save the file as CSV UTF-8",
                               file=path.name, doubt=doubt, candidates=", ".join(candidates)))


def verify(path: Path, encoding: Encoding, told: bool) -> None:
    """Decode the whole file once before any row is read, so a stray byte or a NUL deep inside a
    large file stops the import at the start, with its line and byte offset, not halfway."""
    decoder = codecs.getincrementaldecoder(encoding.codec)()
    offset = encoding.bom
    with path.open("rb") as handle:
        handle.seek(offset)
        while True:
            chunk = handle.read(CHUNK)
            pending = len(decoder.getstate()[0])
            start = offset - pending
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                at = start + error.start
                byte = error.object[error.start]
                how = staff_text("is not valid {encoding}", encoding=encoding.name) if told \
                    else staff_text("does not fit the encoding {encoding} detected from the "
                                    "start of the file; the file may mix encodings",
                                    encoding=encoding.name)
                raise ReadError(staff_text(
                    "{file}, line {line}: byte {byte} at byte offset {offset} {problem}. Pass "
                    "the right --encoding, or save the file again as CSV UTF-8", file=path.name,
                    line=line_at(path, at, encoding), byte=f"0x{byte:02X}", offset=at,
                    problem=how)) from None
            nul = text.find("\x00")
            if nul >= 0:
                at = start + len(text[:nul].encode(encoding.codec))
                raise nul_error(path, at, line_at(path, at, encoding))
            if not chunk:
                return
            offset += len(chunk)


def check_no_nul(path: Path, head: bytes) -> None:
    """A NUL byte at the start means a binary or damaged file (or UTF-16 without its mark); say
    so before trying to guess an encoding for it."""
    offset = head.find(b"\x00")
    if offset < 0:
        return
    before = head[:offset]
    line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    hint = EXPORT_AGAIN
    for order, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if zeros.count(0) > 0.8 * len(zeros):
            hint = staff_text("It looks like UTF-16 text without a byte-order mark: pass "
                              "--encoding {encoding}", encoding=order)
    raise nul_error(path, offset, line, hint)


EXPORT_AGAIN = staff_text("Export it again as CSV")


def nul_error(path: Path, offset: int, line: int, hint: str = EXPORT_AGAIN) -> ReadError:
    return ReadError(staff_text("{file}: the file contains a NUL byte at line {line} (byte "
                                "offset {offset}); it is probably not a text file or is "
                                "damaged. {hint}", file=path.name, line=line, offset=offset,
                                hint=hint))


def line_at(path: Path, offset: int, encoding: Encoding) -> int:
    """The line a byte offset falls on, counting \\n, \\r\\n and lone \\r as line ends."""
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors="replace")
    line, last = 1, ""
    with path.open("rb") as handle:
        handle.seek(encoding.bom)
        remaining = offset - encoding.bom
        while remaining > 0 and (chunk := handle.read(min(CHUNK, remaining))):
            remaining -= len(chunk)
            text = decoder.decode(chunk)
            line += text.count("\n") + text.count("\r") - text.count("\r\n")
            if last == "\r" and text.startswith("\n"):
                line -= 1
            last = text[-1:] or last
    return line
