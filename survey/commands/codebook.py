"""What `survey codebook` prints, and its exit codes."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from survey.jobs.codebook import codebook


def run_codebook(questionnaire_file: Path, file_format: str, project_dir: Path | None,
                 out_file: Path | None, db_url: str | None, out_dir: Path = Path(".")) -> int:
    """Write the codebook to `out_file`, else to its default name in `out_dir`."""
    made = codebook(questionnaire_file, file_format, project_dir, out_file, db_url, out_dir)
    counted = (f", frequencies of {made.codebook.responses} responses"
               if made.codebook.responses is not None else "")
    Console(highlight=False, soft_wrap=True).print(
        f"wrote {made.path} ({len(made.codebook.entries)} variables{counted})")
    return 0
