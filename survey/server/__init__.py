"""The online form and collection server (survey serve): respondent pages, the submission API,
and the admin area, over the store."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = ["create_app", "open_server"]

if TYPE_CHECKING:
    from survey.server.app import create_app
    from survey.server.serve import open_server
else:
    export_lazily(__name__, {
        "survey.server.app": ("create_app",),
        "survey.server.serve": ("open_server",),
    })
