"""What `survey analyse` prints, and its exit codes."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from survey.jobs.analyse import analyse


def run_analysis(project_dir: Path, plan_file: Path, out_dir: Path, db_url: str | None) -> int:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("analysing", total=None)

        def advance(step: str, done: int, total: int | None) -> None:
            progress.update(task, description=step, completed=done, total=total)
        analysis = analyse(project_dir, plan_file, out_dir, db_url, advance)
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"analysed {analysis.responses} accepted responses with {plan_file}")
    for path in analysis.written:
        out.print(f"  wrote {path}")
    return 0
