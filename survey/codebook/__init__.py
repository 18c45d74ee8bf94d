"""The codebook: what every variable of a questionnaire means, in every language and format."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = ["Codebook", "CodebookError", "make_codebook", "write_codebook"]

if TYPE_CHECKING:
    from survey.codebook.entries import Codebook
    from survey.codebook.make import CodebookError, make_codebook, write_codebook
else:
    export_lazily(__name__, {
        "survey.codebook.entries": ("Codebook",),
        "survey.codebook.make": ("CodebookError", "make_codebook", "write_codebook"),
    })
