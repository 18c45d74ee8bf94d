"""The application layer: one function per job of the pipeline. Each takes typed arguments,
returns what it made and raises a UserError that says what to do; none prints. The command line
(survey.commands) and the demo call them, and show progress through a callback
(survey.jobs.progress)."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = [
    "Analysis",
    "ErasureReport",
    "ExportResult",
    "Fieldwork",
    "FileImport",
    "IngestJob",
    "MadeCodebook",
    "PaperJob",
    "PrintedForms",
    "Progress",
    "ReportRequest",
    "ValidationResult",
    "analyse",
    "check_report",
    "codebook",
    "compute_fieldwork",
    "erase_return",
    "export_project",
    "ingest",
    "init_project",
    "make_report",
    "print_forms",
    "quietly",
    "validate_file",
]

if TYPE_CHECKING:
    from survey.export.run import ExportResult, export_project
    from survey.fieldwork.dashboard import Fieldwork, compute_fieldwork
    from survey.jobs.analyse import Analysis, analyse
    from survey.jobs.codebook import MadeCodebook, codebook
    from survey.jobs.erase import ErasureReport, erase_return
    from survey.jobs.ingest import FileImport, IngestJob, ingest
    from survey.jobs.new_project import init_project
    from survey.jobs.paper import PaperJob, PrintedForms, print_forms
    from survey.jobs.progress import Progress, quietly
    from survey.questionnaire.validate import ValidationResult, validate_file
    from survey.report.make import ReportRequest, check_report, make_report
else:
    export_lazily(__name__, {
        "survey.export.run": ("ExportResult", "export_project"),
        "survey.fieldwork.dashboard": ("Fieldwork", "compute_fieldwork"),
        "survey.jobs.analyse": ("Analysis", "analyse"),
        "survey.jobs.codebook": ("MadeCodebook", "codebook"),
        "survey.jobs.erase": ("ErasureReport", "erase_return"),
        "survey.jobs.ingest": ("FileImport", "IngestJob", "ingest"),
        "survey.jobs.new_project": ("init_project",),
        "survey.jobs.paper": ("PaperJob", "PrintedForms", "print_forms"),
        "survey.jobs.progress": ("Progress", "quietly"),
        "survey.questionnaire.validate": ("ValidationResult", "validate_file"),
        "survey.report.make": ("ReportRequest", "check_report", "make_report"),
    })
