"""Spoken questions: a local speech engine reads the form's texts aloud where no recording
was made (survey audio), and the online form finds the files through a manifest."""

from survey.audio.engine import AudioError
from survey.audio.make_speech import SpeechSummary, make_speech
from survey.audio.manifest import ManifestError, spoken_file, spoken_media_file

__all__ = ["AudioError", "ManifestError", "SpeechSummary", "make_speech", "spoken_file",
           "spoken_media_file"]
