"""`survey demo`: the whole pipeline on the flagship survey and its sample returns, into one
folder a newcomer can open."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = ["DemoError", "DemoRequest", "run_demo"]

if TYPE_CHECKING:
    from survey.demo.folder import DemoError
    from survey.demo.pipeline import DemoRequest, run_demo
else:
    export_lazily(__name__, {
        "survey.demo.folder": ("DemoError",),
        "survey.demo.pipeline": ("DemoRequest", "run_demo"),
    })
