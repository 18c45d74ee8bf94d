"""A live preview for questionnaire authors (survey preview): the validation messages, the
online form and the paper pages of one questionnaire file, refreshed on every save."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = ["Message", "Preview", "PreviewError", "Snapshot", "Status", "Watcher",
           "open_preview", "run_preview"]

if TYPE_CHECKING:
    from survey.preview.app import Preview
    from survey.preview.command import PreviewError, open_preview, run_preview
    from survey.preview.watcher import Message, Snapshot, Status, Watcher
else:
    export_lazily(__name__, {
        "survey.preview.app": ("Preview",),
        "survey.preview.command": ("PreviewError", "open_preview", "run_preview"),
        "survey.preview.watcher": ("Message", "Snapshot", "Status", "Watcher"),
    })
