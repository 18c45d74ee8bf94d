"""A small German, English and Arabic project to speak, and a reader of Ogg/Opus files:
imported as `speech_project` (a conftest of a subfolder would shadow the name)."""

from __future__ import annotations

import struct
from pathlib import Path

QUESTIONNAIRE = """\
survey:
  id: neighbours
  version: "1"
  title: {de: Nachbarschaft, en: Neighbourhood, ar: الجيرة}
  organisation: Nachbarschaftshilfe e. V.
  privacy:
    de: Die Teilnahme ist freiwillig und anonym.
    en: Taking part is voluntary and anonymous.
    ar: المشاركة طوعية ومجهولة الهوية.
  languages: [de, en, ar]
  default_language: de
sections:
  - id: start
    title: {de: Start, en: Start, ar: البداية}
    questions:
      - id: consent
        type: consent
        required: true
        label: {de: Ich bin einverstanden., en: I agree., ar: أوافق.}
      - id: home
        type: single_choice
        label: {de: Wie wohnen Sie?, en: How do you live?, ar: كيف تسكن؟}
        hint: {de: Eine Antwort., en: One answer., ar: إجابة واحدة.}
        choices:
          - {name: flat, code: 1, label: {de: Wohnung, en: Flat, ar: شقة}}
          - {name: shelter, code: 2, label: {de: Unterkunft, en: Shelter, ar: سكن جماعي}}
"""
TEXTS_PER_LANGUAGE = 6
"""The privacy notice, the consent, the question, its hint and its two choices."""


def speech_project(root: Path, text: str = QUESTIONNAIRE) -> Path:
    """A project at `root` holding the questionnaire `text`; returns the questionnaire file."""
    folder = root / "questionnaires"
    folder.mkdir(parents=True)
    path = folder / "neighbours.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def ogg_pages(data: bytes) -> list[tuple[int, bytes]]:
    """(granule position, payload) of each Ogg page, read by the format's own layout."""
    pages = []
    offset = 0
    while offset < len(data):
        assert data[offset:offset + 4] == b"OggS", f"no Ogg page at byte {offset}"
        granule = struct.unpack_from("<q", data, offset + 6)[0]
        segments = data[offset + 26]
        lacing = data[offset + 27:offset + 27 + segments]
        start = offset + 27 + segments
        pages.append((granule, data[start:start + sum(lacing)]))
        offset = start + sum(lacing)
    return pages


def opus_seconds(path: Path) -> float:
    """The playing time of an Ogg/Opus file: last granule position less the pre-skip, at the
    48 kHz Opus always counts in (RFC 7845)."""
    pages = ogg_pages(path.read_bytes())
    head = pages[0][1]
    assert head.startswith(b"OpusHead"), "the first packet is not an Opus header"
    pre_skip = struct.unpack_from("<H", head, 10)[0]
    return (pages[-1][0] - pre_skip) / 48000
