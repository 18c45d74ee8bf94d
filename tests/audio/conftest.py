"""Every test here runs the real espeak-ng and opusenc (make test installs them)."""

import os
import shutil

import pytest


@pytest.fixture(autouse=True)
def speech_engine() -> None:
    if shutil.which("espeak-ng") is None or shutil.which("opusenc") is None:
        message = ("espeak-ng or opusenc is missing: install the Debian packages espeak-ng and "
                   "opus-tools (make test does)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
