"""A live preview for questionnaire authors (survey preview): the validation messages, the
online form and the paper pages of one questionnaire file, refreshed on every save."""

from survey.preview.app import Preview
from survey.preview.command import PreviewError, open_preview, run_preview
from survey.preview.watcher import Message, Snapshot, Status, Watcher

__all__ = ["Message", "Preview", "PreviewError", "Snapshot", "Status", "Watcher",
           "open_preview", "run_preview"]
