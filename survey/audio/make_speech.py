"""`survey audio`: speak every text of a questionnaire that has no recording, into files
cached by a fingerprint, so a rerun speaks only what changed and removes what no text uses.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from survey.atomic_write import write_atomically
from survey.audio.engine import SETTINGS, AudioError, check_programs, engine_version, speak
from survey.audio.engine import voice_for as engine_voice
from survey.audio.manifest import (
    SPEECH_SUFFIX,
    Entry,
    manifest_path,
    questionnaire_folder,
    read_entries,
    speech_folder,
    write_entries,
)
from survey.audio.texts import SpokenText, Unspoken, spoken_texts
from survey.questionnaire.model import Questionnaire

CHARACTERS_PER_SECOND = 15.0
"""espeak-ng's default pace, measured on the flagship (pauses included), for --dry-run."""
MAKING_PER_SPOKEN_SECOND = 0.05
"""Seconds this machine takes to make one second of speech (benchmarks/audio_speech.py)."""


@dataclass
class LanguageFigures:
    voice: str
    spoken: int = 0
    reused: int = 0
    removed: int = 0
    seconds: float = 0.0
    """Seconds of speech spoken now (estimated on a dry run)."""


@dataclass
class SpeechSummary:
    """What `survey audio` spoke, reused and removed per language, and the texts it could not
    speak; on a dry run, what it would speak."""

    languages: dict[str, LanguageFigures] = field(default_factory=dict)
    no_voice: dict[str, int] = field(default_factory=dict)
    """Languages espeak-ng cannot speak, with the number of their texts."""
    left_out: list[Unspoken] = field(default_factory=list)
    to_speak: list[SpokenText] = field(default_factory=list)
    """On a dry run: what would be spoken."""
    manifest: Path | None = None
    dry_run: bool = False

    @property
    def seconds(self) -> float:
        return sum(f.seconds for f in self.languages.values())


def fingerprint(text: str, language: str, voice: str, engine: str) -> str:
    """Changes when anything that changes the sound changes."""
    key = json.dumps([text, language, voice, engine, SETTINGS], ensure_ascii=False)
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def _chosen_languages(questionnaire: Questionnaire, languages: tuple[str, ...]
                      ) -> tuple[str, ...]:
    for language in languages:
        if language not in questionnaire.languages:
            raise AudioError(f"--language {language} is not a language of questionnaire "
                             f"'{questionnaire.id}'; it has {', '.join(questionnaire.languages)}")
    return languages or questionnaire.languages


def _speech_folder(questionnaire: Questionnaire, dry_run: bool) -> Path:
    """The folder the files go into, made now; AudioError when it cannot be written."""
    folder = questionnaire_folder(questionnaire) / speech_folder(questionnaire)
    if dry_run:
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".writable"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise AudioError(f"cannot write the speech files into {folder} ({error.strerror}); "
                         "make that folder writable for you, or remove what is in its way") \
            from None
    return folder


def make_speech(questionnaire: Questionnaire, languages: tuple[str, ...] = (), *,
                force: bool = False, dry_run: bool = False,
                progress: Callable[[SpokenText], None] | None = None) -> SpeechSummary:
    """Speak the texts of `questionnaire` in `languages` (default: all of its languages)
    that have no recording and no file yet (all of them with `force`); remove files no text
    uses any more; write the manifest. `dry_run` only counts."""
    chosen = _chosen_languages(questionnaire, languages)
    check_programs()
    engine = engine_version()
    folder = _speech_folder(questionnaire, dry_run)
    root = questionnaire_folder(questionnaire)
    path = manifest_path(questionnaire)
    previous = read_entries(path)
    texts, left_out = spoken_texts(questionnaire, chosen)
    summary = SpeechSummary(left_out=left_out, manifest=path, dry_run=dry_run)
    kept = [e for e in previous if e.language not in chosen]
    old_seconds = {e.file: e.seconds for e in previous}
    wanted = {e.file for e in kept}
    for language in chosen:
        voice = engine_voice(language)
        count = sum(1 for t in texts if t.language == language)
        if voice is None:
            if count:
                summary.no_voice[language] = count
            continue
        summary.languages[language] = LanguageFigures(voice)
    for item in texts:
        figures = summary.languages.get(item.language)
        if figures is None:
            continue
        relative = (f"{speech_folder(questionnaire)}/{item.language}/"
                    f"{fingerprint(item.text, item.language, figures.voice, engine)}"
                    f"{SPEECH_SUFFIX}")
        target = root / relative
        wanted.add(relative)
        if target.is_file() and relative in old_seconds and not force:
            figures.reused += 1
            kept.append(Entry(item.language, item.text, relative, figures.voice,
                              old_seconds[relative]))
            continue
        figures.spoken += 1
        if dry_run:
            figures.seconds += len(item.text) / CHARACTERS_PER_SECOND
            summary.to_speak.append(item)
            continue
        if progress is not None:
            progress(item)
        speech = speak(item.text, figures.voice)
        target.parent.mkdir(exist_ok=True)
        write_atomically(target, speech.opus)
        figures.seconds += speech.seconds
        kept.append(Entry(item.language, item.text, relative, figures.voice, speech.seconds))
    for language in chosen:
        for stale in sorted((folder / language).glob(f"*{SPEECH_SUFFIX}")):
            if stale.relative_to(root).as_posix() not in wanted:
                if language in summary.languages:
                    summary.languages[language].removed += 1
                if not dry_run:
                    stale.unlink()
    if not dry_run:
        write_entries(path, questionnaire.id, engine, kept)
    return summary
