"""Pictures and recordings attached to questions and choices, kept as files beside the
questionnaire.

A file is named relative to the questionnaire's folder and must stay inside it: the online form
serves exactly the files a questionnaire names, so a path may never reach the rest of the
machine. Each file's first bytes must say what its name says, because browsers and the PDF
renderer decide by content, and a renamed file would otherwise fail only on a respondent's phone.

A picture is written as a file (`media/house.png`), one file per language, or, to give it
alternative text for screen readers and the tagged PDF, as `{file: ..., alt: ...}`: `alt` is a
text per declared language, or `""` for a decorative picture that says nothing its label does
not (screen readers then skip it). A question's picture carries meaning of its own, so it
needs alt text in every language; a choice's picture stands beside the choice's label.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from survey.questionnaire.model import Questionnaire, Text
from survey.questionnaire.svg_safety import svg_problem

IMAGE = "image"
AUDIO = "audio"
MEDIA_KEYS = (IMAGE, AUDIO)
FILE = "file"
ALT = "alt"
PICTURE_KEYS = (FILE, ALT)
"""The keys of a picture written with its alternative text: {file: ..., alt: ...}."""
SVG = "image/svg+xml"
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
"""Served with an SVG: drawing and its own styles, nothing run or fetched."""


@dataclass(frozen=True)
class MediaType:
    mime: str
    signature: tuple[tuple[int, bytes], ...]
    """(offset, bytes) pairs that the file's first bytes must all hold."""


_TYPES: dict[str, dict[str, MediaType]] = {
    IMAGE: {
        ".png": MediaType("image/png", ((0, b"\x89PNG\r\n\x1a\n"),)),
        ".jpg": MediaType("image/jpeg", ((0, b"\xff\xd8\xff"),)),
        ".jpeg": MediaType("image/jpeg", ((0, b"\xff\xd8\xff"),)),
        ".webp": MediaType("image/webp", ((0, b"RIFF"), (8, b"WEBP"))),
        ".svg": MediaType(SVG, ()),  # XML: checked whole by svg_safety
    },
    AUDIO: {
        ".mp3": MediaType("audio/mpeg", ()),  # an ID3 tag or a bare frame: checked below
        ".ogg": MediaType("audio/ogg", ((0, b"OggS"),)),
        ".opus": MediaType("audio/ogg", ((0, b"OggS"),)),
        ".m4a": MediaType("audio/mp4", ((4, b"ftyp"),)),
        ".wav": MediaType("audio/wav", ((0, b"RIFF"), (8, b"WAVE"))),
    },
}

LARGE_IMAGE_BYTES = 1_000_000
LARGE_AUDIO_BYTES = 3_000_000
"""Above these a phone on a slow connection waits noticeably for one question."""
MAX_MEDIA_BYTES = 20_000_000
"""A file this large is a mistake (a video, an uncompressed scan), not a question's picture."""


def allowed_suffixes(kind: str) -> tuple[str, ...]:
    return tuple(_TYPES[kind])


def media_type(relative: str) -> str:
    """The content type the online form serves `relative` with."""
    suffix = PurePosixPath(relative).suffix.lower()
    for types in _TYPES.values():
        if suffix in types:
            return types[suffix].mime
    raise ValueError(relative)


def _matches(kind: str, suffix: str, head: bytes) -> bool:
    expected = _TYPES[kind][suffix]
    if suffix == ".svg":
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    if suffix == ".mp3":
        return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF
                                           and head[1] & 0xE0 == 0xE0)
    return all(head[offset:offset + len(magic)] == magic
               for offset, magic in expected.signature)


def media_problem(kind: str, relative: str, folder: Path) -> str | None:
    """What is wrong with `relative` as a file of `kind` beside a questionnaire in `folder`,
    or None. The message says what to do."""
    pure = PurePosixPath(relative)
    if not relative.strip():
        return "is empty; name a file such as media/house.png"
    if "\\" in relative:
        return (f"'{relative}' must be written with / between folders, as "
                f"'{relative.replace(chr(92), '/')}' (it is also the file's web address)")
    if pure.is_absolute() or ":" in pure.parts[0] or ".." in pure.parts:
        return (f"'{relative}' must be a path inside the questionnaire's folder, such as "
                f"media/{pure.name}; copy the file there")
    suffix = pure.suffix.lower()
    if suffix not in _TYPES[kind]:
        return (f"'{relative}' is not a file type the form can show as {kind}; use "
                + ", ".join(allowed_suffixes(kind)))
    path = folder / pure
    if not path.is_file():
        return (f"file '{relative}' is not there (looked in {folder.resolve()}); copy it there "
                "or fix the name")
    if not path.resolve().is_relative_to(folder.resolve()):
        return (f"'{relative}' leads outside the questionnaire's folder (a link?); copy the file "
                "into the folder itself")
    size = path.stat().st_size
    if size > MAX_MEDIA_BYTES:
        return (f"'{relative}' is {size / 1e6:.0f} MB; make it smaller (a picture of a few "
                "hundred KB, a recording of a few hundred KB prints and loads well)")
    with path.open("rb") as handle:
        head = handle.read(16)
    if not _matches(kind, suffix, head):
        kind_name = suffix[1:].upper()
        article = "an" if kind_name[0] in "AEFHILMNORSX" else "a"
        return (f"'{relative}' is not {article} {kind_name} file inside (renamed from another "
                "type?); save it again in that format")
    if suffix == ".svg" and (problem := svg_problem(path)):
        return f"'{relative}' {problem}"
    return None


def is_picture_with_alt(value: object) -> bool:
    """True for the written form {file: ..., alt: ...} (a per-language mapping has no `file`)."""
    return isinstance(value, dict) and FILE in value


def picture_parts(value: object) -> tuple[object, object]:
    """(the file or files, the alt text or None) of an `image:` value as written."""
    if is_picture_with_alt(value):
        assert isinstance(value, dict)
        return value[FILE], value.get(ALT)
    return value, None


def missing_alt(alt: object, languages: list[str]) -> list[str]:
    """The declared languages `alt` (as written) gives no text for; none when it is ""
    (decorative), or one text in a questionnaire of one language."""
    if isinstance(alt, str):
        return [] if not alt.strip() or len(languages) <= 1 else list(languages)
    given = alt if isinstance(alt, dict) else {}
    return [language for language in languages
            if not (isinstance(given.get(language), str) and given[language].strip())]


def size_warning(kind: str, relative: str, folder: Path) -> str | None:
    size = (folder / relative).stat().st_size
    limit = LARGE_IMAGE_BYTES if kind == IMAGE else LARGE_AUDIO_BYTES
    if size <= limit:
        return None
    return (f"'{relative}' is {size / 1e6:.1f} MB: respondents on a phone wait for it; "
            f"keep it under {limit / 1e6:.0f} MB")


def text_files(value: Text) -> Iterator[str]:
    if value.neutral is not None:
        yield value.neutral
    yield from value.translations.values()


def declared_media(questionnaire: Questionnaire) -> frozenset[str]:
    """Every file the questionnaire names: the only files the online form serves."""
    found: set[str] = set()
    for question in questionnaire.questions:
        for value in (question.image, question.audio):
            found.update(text_files(value))
        if question.choices is not None:
            for choice in question.choices.choices:
                for value in (choice.image, choice.audio):
                    found.update(text_files(value))
    return frozenset(found)


def media_file(questionnaire: Questionnaire, relative: str) -> Path | None:
    """The file `relative` of `questionnaire` on disk, or None when the questionnaire does
    not name it (so nothing else in its folder can be fetched) or when it now leads out of
    the folder (a link made after the questionnaire was checked)."""
    if relative not in declared_media(questionnaire):
        return None
    folder = Path(questionnaire.file).resolve().parent
    path = (folder / relative).resolve()
    return path if path.is_relative_to(folder) else None
