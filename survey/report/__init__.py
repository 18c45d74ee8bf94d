"""Reports made from the results table and the questionnaire's metadata: HTML and PDF, XLSX
tables, PPTX slides, a chart pack and district one-pagers (docs/howto-reports.md)."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = ["ReportError", "ReportRequest", "check_report", "make_report"]

if TYPE_CHECKING:
    from survey.report.errors import ReportError
    from survey.report.make import ReportRequest, check_report, make_report
else:
    export_lazily(__name__, {
        "survey.report.errors": ("ReportError",),
        "survey.report.make": ("ReportRequest", "check_report", "make_report"),
    })
