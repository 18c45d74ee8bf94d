"""The codebook of a questionnaire (with a project's frequencies), in each format."""

from __future__ import annotations

import json
from pathlib import Path

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
    """The codebook of a questionnaire file; with a project, with the frequencies of its accepted
    responses. CodebookError when the questionnaire does not validate."""
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
    """Write `codebook` to `path` in one format (html, pdf, xlsx, md, datapackage or ddi), as a
    whole file or not at all."""
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
