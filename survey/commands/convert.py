"""What `survey convert` prints, and its exit codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.text import Text

from survey.convert.files import convert_file, output_path
from survey.convert.report import ConversionReport, ConvertError


def run_convert(source: Path, target: str, out: Path | None, language: str,
                confirm: Callable[[str], bool]) -> int:
    """Convert and print; `confirm` is asked before a file that exists is overwritten (a
    questionnaire or a hand-edited XLSForm cannot be got back)."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out_console = Console(highlight=False, soft_wrap=True)
    report = ConversionReport()
    written = output_path(source, target, out)
    if source.is_file() and written is not None and written.exists() \
            and not confirm(f"overwrite {written}"):
        err.print("nothing was written")
        return 1
    try:
        path, _ = convert_file(source, target, out, language, report)
    except (ConvertError, OSError):
        _print_notes(out_console, report)  # what was found before it stopped; then the error
        raise
    _print_notes(out_console, report)
    out_console.print(f"wrote {path}")
    return 0


def _print_notes(console: Console, report: ConversionReport) -> None:
    if report.notes:
        console.print(f"not carried over or changed ({len(report.notes)}):")
        for note in report.notes:
            console.print(Text(f"  {note}", style="yellow"))
