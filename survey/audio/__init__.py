"""Spoken questions: a local speech engine reads the form's texts aloud where no recording
was made (survey audio), and the online form finds the files through a manifest."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = ["AudioError", "ManifestError", "SpeechSummary", "make_speech", "spoken_file",
           "spoken_media_file"]

if TYPE_CHECKING:
    from survey.audio.engine import AudioError
    from survey.audio.make_speech import SpeechSummary, make_speech
    from survey.audio.manifest import ManifestError, spoken_file, spoken_media_file
else:
    export_lazily(__name__, {
        "survey.audio.engine": ("AudioError",),
        "survey.audio.make_speech": ("SpeechSummary", "make_speech"),
        "survey.audio.manifest": ("ManifestError", "spoken_file", "spoken_media_file"),
    })
