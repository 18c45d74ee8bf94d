"""The fieldwork dashboard at /admin/<survey_id>/fieldwork (admin role only), and the project's
partner ids for the respondent pages (?partner=ID links).

Thin: survey.fieldwork computes every figure and the tables; this page only says them in the
staff member's language. The CSV/XLSX of `survey fieldwork --out` holds the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from flask import Flask, current_app, render_template

from survey.fieldwork import compute_fieldwork, fieldwork_sheets, said
from survey.project import Project
from survey.server.admin import admin, admin_only
from survey.server.context import served_questionnaire, site
from survey.server.staff_language import staff_language

EXTENSION = "survey_fieldwork"


@dataclass(frozen=True)
class FieldworkSite:
    project: Project
    partners: frozenset[str]


def register(app: Flask, project_root: Path) -> None:
    """Read the project's partners.yaml (a malformed file stops the server with a message
    naming its line: ProjectError) for the dashboard and the ?partner=ID links."""
    project = Project(project_root)
    app.extensions[EXTENSION] = FieldworkSite(
        project, frozenset(p.id for p in project.partners()))


def known_partner(value: object) -> str | None:
    """`value` if it is the id of a partner in partners.yaml, else None (ignored)."""
    found: FieldworkSite | None = current_app.extensions.get(EXTENSION)
    if found is None or not isinstance(value, str) or value not in found.partners:
        return None
    return value


def _shown(value: Any, language: str) -> str:
    value = said(value, language)
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format_decimal(value, locale=language, decimal_quantization=False)
    return str(value)


@admin.get("/<survey_id>/fieldwork")
@admin_only
def fieldwork(survey_id: str) -> Any:
    questionnaire = served_questionnaire(survey_id)
    found: FieldworkSite = current_app.extensions[EXTENSION]
    language = staff_language()
    figures = compute_fieldwork(found.project, site().store, questionnaire)
    sheets = [{"key": sheet.key, "title": said(sheet.title, language),
               "headers": [said(h, language) for h in sheet.headers],
               "rows": [[_shown(v, language) for v in row] for row in sheet.rows]}
              for sheet in fieldwork_sheets(figures)]
    return render_template("admin/fieldwork.html", questionnaire=questionnaire,
                           figures=figures, sheets=sheets,
                           min_cell=figures.rules.min_cell)
