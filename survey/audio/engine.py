"""The local speech engine: Debian's espeak-ng speaks a text, opusenc (opus-tools) packs it
into Ogg/Opus.

Opus at 16 kbit/s keeps a spoken question at a few KB per second, which a phone on a slow
link loads at once; browsers play Ogg/Opus natively. Texts go to the engine on its standard
input, never as an argument, so a text starting with "-" can never be read as an option.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from survey.control_characters import strip_controls
from survey.user_error import UserError

SPEAKER = "espeak-ng"
ENCODER = "opusenc"
PACKAGES = {SPEAKER: "espeak-ng", ENCODER: "opus-tools"}
"""The Debian package that provides each program."""
BITRATE_KBIT = 16
SETTINGS = f"espeak-ng default rate; opusenc --bitrate {BITRATE_KBIT} --speech"
"""Part of every fingerprint: changing how files are made makes every file again."""
WAV_HEADER_BYTES = 44
TIMEOUT_SECONDS = 120


class AudioError(UserError, ValueError):
    """Speech cannot be made; the message says what to do."""


@dataclass(frozen=True)
class Speech:
    opus: bytes
    seconds: float


def missing_programs() -> list[str]:
    """The engine's programs not on PATH."""
    return [program for program in (SPEAKER, ENCODER) if shutil.which(program) is None]


def check_programs() -> None:
    """AudioError naming the Debian packages to install when a program is missing."""
    missing = missing_programs()
    if missing:
        packages = " ".join(PACKAGES[program] for program in missing)
        raise AudioError(f"{', '.join(missing)} not found: install the Debian package "
                         f"{packages} (sudo apt-get install {packages})")


def _first_line(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          timeout=TIMEOUT_SECONDS)
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or
                                                                       done.stderr) else ""


@cache
def engine_version() -> str:
    """The programs' versions, e.g. 'eSpeak NG text-to-speech: 1.51; opusenc opus-tools 0.2
    (using libopus 1.3.1)': part of every fingerprint, so an upgrade speaks everything again."""
    check_programs()
    speaker = _first_line([SPEAKER, "--version"]).split("Data at:")[0].strip()
    return f"{speaker}; {_first_line([ENCODER, '--version'])}"


@cache
def voices() -> frozenset[str]:
    """The languages espeak-ng has a voice for, lower case (en-gb, ar, fa, vi ...)."""
    check_programs()
    listing = subprocess.run([SPEAKER, "--voices"], capture_output=True, text=True, check=True,
                             timeout=TIMEOUT_SECONDS).stdout.splitlines()[1:]
    return frozenset(line.split()[1].lower() for line in listing if len(line.split()) > 1)


PREFERRED = {"en": "en-gb", "fr": "fr-fr", "pt": "pt", "zh": "cmn"}
"""Languages whose voice has another name than the language code."""


def voice_for(language: str) -> str | None:
    """The espeak-ng voice for a language code of the questionnaire (fa-AF -> fa), or None
    when espeak-ng cannot speak it."""
    known = voices()
    tag = language.lower()
    base = tag.split("-")[0]
    for candidate in (tag, PREFERRED.get(tag), PREFERRED.get(base), base):
        if candidate and candidate in known:
            return candidate
    return None


SENTENCE_ENDS = ".!?:;…؟۔"


def spoken_form(text: str) -> str:
    """What the engine is given: no control characters, and a full stop after a paragraph
    that has none (a heading), so the voice pauses there instead of running on."""
    paragraphs = [" ".join(p.split()) for p in strip_controls(text).split("\n\n")]
    return " ".join(p if p.endswith(tuple(SENTENCE_ENDS)) else p + "." for p in paragraphs if p)


def speak(text: str, voice: str) -> Speech:
    """`text` spoken by `voice` as Ogg/Opus."""
    check_programs()
    wav = subprocess.run([SPEAKER, "-v", voice, "--stdout"], input=spoken_form(text).encode(),
                         capture_output=True, check=False, timeout=TIMEOUT_SECONDS)
    if wav.returncode != 0 or len(wav.stdout) <= WAV_HEADER_BYTES:
        raise AudioError(f"espeak-ng could not speak a text with voice {voice}: "
                         f"{wav.stderr.decode(errors='replace').strip() or 'no sound made'}")
    rate = int.from_bytes(wav.stdout[24:28], "little")
    seconds = (len(wav.stdout) - WAV_HEADER_BYTES) / (2 * rate)
    opus = subprocess.run([ENCODER, "--quiet", "--bitrate", str(BITRATE_KBIT), "--speech",
                           "--ignorelength", "-", "-"], input=wav.stdout, capture_output=True,
                          check=False, timeout=TIMEOUT_SECONDS)
    if opus.returncode != 0 or not opus.stdout.startswith(b"OggS"):
        raise AudioError(f"opusenc could not encode the speech: "
                         f"{opus.stderr.decode(errors='replace').strip()}")
    return Speech(opus.stdout, round(seconds, 2))
