"""What `survey export` prints, and its exit codes."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from survey.export.run import export_project


def run_export(project_dir: Path, file_format: str, **options: object) -> int:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    result = export_project(project_dir, file_format, **options)  # type: ignore[arg-type]
    for warning in result.table.warnings:
        err.print(Text(f"warning: {warning}", style="yellow"))
    out = Console(highlight=False, soft_wrap=True)
    if result.weights is not None:
        out.print(f"weights from {result.weights}")
    out.print(f"exported {len(result.table.data)} responses × {len(result.table.columns)} "
              f"columns ({result.table.language})")
    for path in result.written:
        out.print(f"  wrote {path}")
    return 0
