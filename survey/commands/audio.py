"""What `survey audio` prints, and its exit codes."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from survey.audio.make_speech import MAKING_PER_SPOKEN_SECOND, SpeechSummary, make_speech
from survey.audio.texts import SpokenText
from survey.project import Project

PREVIEW_CHARACTERS = 70


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARACTERS else flat[:PREVIEW_CHARACTERS - 1] + "…"


def _table(summary: SpeechSummary) -> Table:
    table = Table(title="estimate (dry run: nothing written)" if summary.dry_run else None)
    for heading in ("language", "voice", "spoken", "reused", "removed", "seconds"):
        table.add_column(heading, justify="left" if heading in ("language", "voice")
                         else "right")
    for language, f in summary.languages.items():
        table.add_row(language, f.voice, str(f.spoken), str(f.reused), str(f.removed),
                      f"{f.seconds:.0f}")
    return table


def run_audio(project_dir: Path, survey_id: str | None, languages: tuple[str, ...],
              force: bool, dry_run: bool) -> int:
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)

    def progress(item: SpokenText) -> None:
        out.print(Text(f"  speaking {item.language} {item.where}"), style="dim")

    questionnaire = Project(project_dir).questionnaire(survey_id)
    summary = make_speech(questionnaire, languages, force=force, dry_run=dry_run,
                          progress=progress)
    if dry_run:
        for item in summary.to_speak:
            out.print(Text(f"  would speak {item.language} {item.where}: {_preview(item.text)}"))
    out.print(_table(summary))
    for language, count in summary.no_voice.items():
        texts = "1 text is" if count == 1 else f"{count} texts are"
        err.print(Text(f"warning: espeak-ng has no voice for '{language}': {texts} not spoken "
                       "in it; record them (see docs/howto-audio.md)", style="yellow"))
    for left in summary.left_out:
        err.print(Text(f"note: {left.language} {left.where} not spoken: it {left.reason}",
                       style="yellow"))
    spoken = sum(f.spoken for f in summary.languages.values())
    if dry_run:
        out.print(f"would speak {spoken} texts: about {summary.seconds:.0f} s of speech, "
                  f"made in about {summary.seconds * MAKING_PER_SPOKEN_SECOND:.0f} s")
    else:
        out.print(f"spoke {spoken} texts ({summary.seconds:.0f} s of speech); manifest "
                  f"{summary.manifest}")
    return 0
