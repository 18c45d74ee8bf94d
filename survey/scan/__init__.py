"""Reading scanned paper returns: identify, align and read each page, store the clear returns."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = ["KnownForms", "PageIdError", "PageResult", "read_page", "scan_files"]

if TYPE_CHECKING:
    from survey.scan.known_forms import KnownForms
    from survey.scan.read_page import PageResult, read_page
    from survey.scan.run import PageIdError, scan_files
else:
    export_lazily(__name__, {
        "survey.scan.known_forms": ("KnownForms",),
        "survey.scan.read_page": ("PageResult", "read_page"),
        "survey.scan.run": ("PageIdError", "scan_files"),
    })
