"""What `survey codebook` does and prints, and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.text import Text

from survey.atomic_write import write_atomically
from survey.codebook.datapackage import datapackage
from survey.codebook.ddi import ddi_xml
from survey.codebook.entries import Codebook, build_codebook
from survey.codebook.html import render_html, render_pdf
from survey.codebook.markdown import render_markdown
from survey.codebook.workbook import write_xlsx
from survey.export.run import read_project_data
from survey.export.table import build_table
from survey.project import Project
from survey.questionnaire import validate_file
from survey.store.schema import Status
from survey.user_error import UserError

SUFFIXES = {"html": "-codebook.html", "pdf": "-codebook.pdf", "xlsx": "-codebook.xlsx",
            "md": "-codebook.md", "datapackage": "datapackage.json", "ddi": "-ddi.xml"}


class CodebookError(UserError):
    """The codebook cannot be made; the message says what to fix."""


def make_codebook(questionnaire_file: Path, project_dir: Path | None = None,
                  db_url: str | None = None) -> Codebook:
    result = validate_file(questionnaire_file)
    if result.questionnaire is None:
        problems = "\n".join(str(d) for d in result.errors)
        raise CodebookError(f"{questionnaire_file} does not validate; fix it first:\n{problems}")
    questionnaire = result.questionnaire
    if project_dir is None:
        return build_codebook(build_table(questionnaire, []))
    records, weights, _ = read_project_data(Project(project_dir), questionnaire.id,
                                            [Status.ACCEPTED], db_url)
    return build_codebook(build_table(questionnaire, records, weights=weights))


def write_codebook(codebook: Codebook, file_format: str, path: Path) -> None:
    if file_format == "pdf":
        write_atomically(path, render_pdf(codebook))
    elif file_format == "xlsx":
        write_xlsx(codebook, path)
    elif file_format == "ddi":
        write_atomically(path, ddi_xml(codebook))
    elif file_format == "datapackage":
        write_atomically(path, (json.dumps(datapackage(codebook), indent=2, ensure_ascii=False)
                                + "\n").encode("utf-8"))
    else:
        render = render_html if file_format == "html" else render_markdown
        write_atomically(path, render(codebook).encode("utf-8"))


def default_path(questionnaire_id: str, file_format: str, out_dir: Path = Path(".")) -> Path:
    suffix = SUFFIXES[file_format]
    return out_dir / (suffix if file_format == "datapackage" else questionnaire_id + suffix)


def run_codebook(questionnaire_file: Path, file_format: str, project_dir: Path | None,
                 out_file: Path | None, db_url: str | None, out_dir: Path = Path(".")) -> int:
    """Write the codebook to `out_file`, else to its default name in `out_dir`."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        codebook = make_codebook(questionnaire_file, project_dir, db_url)
        path = out_file or default_path(codebook.questionnaire.id, file_format, out_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_codebook(codebook, file_format, path)
    except OSError as error:
        err.print(Text(f"error: cannot write the codebook: {error}", style="bold red"))
        return 1
    counted = (f", frequencies of {codebook.responses} responses"
               if codebook.responses is not None else "")
    Console(highlight=False, soft_wrap=True).print(
        f"wrote {path} ({len(codebook.entries)} variables{counted})")
    return 0
