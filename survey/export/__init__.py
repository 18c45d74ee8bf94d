"""Handing the accepted responses to SPSS, Stata, R and spreadsheets with all their metadata."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = ["ExportError", "ExportResult", "export_project"]

if TYPE_CHECKING:
    from survey.export.run import ExportResult, export_project
    from survey.export.table import ExportError
else:
    export_lazily(__name__, {
        "survey.export.run": ("ExportResult", "export_project"),
        "survey.export.table": ("ExportError",),
    })
