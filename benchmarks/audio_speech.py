"""Seconds `survey audio` takes on the flagship questionnaire in all its languages, and for
a rerun after one text changed (which must speak that text only)."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from survey.audio import make_speech
from survey.questionnaire.validate import validate_file

FLAGSHIP = Path(__file__).resolve().parent.parent / "questionnaires" / "zusammen.yaml"


def timed(path: Path) -> tuple[float, int, float]:
    """(seconds taken, texts spoken, seconds of speech made)."""
    questionnaire = validate_file(path).questionnaire
    assert questionnaire is not None
    start = time.perf_counter()
    summary = make_speech(questionnaire)
    spoken = sum(f.spoken for f in summary.languages.values())
    return time.perf_counter() - start, spoken, summary.seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "zusammen.yaml"
        shutil.copy(FLAGSHIP, path)
        taken, spoken, speech = timed(path)
        files = list(Path(scratch).rglob("*.opus"))
        size = sum(f.stat().st_size for f in files)
        print(f"first run:  {taken:6.1f} s for {spoken} texts ({speech:.0f} s of speech, "
              f"{len(files)} files, {size / 1e6:.1f} MB, {size / max(speech, 1) / 1e3:.1f} KB "
              "per second of speech)")
        text = path.read_text("utf-8")
        path.write_text(text.replace("en: In which year were you born?",
                                     "en: In what year were you born?", 1), "utf-8")
        taken, spoken, _ = timed(path)
        print(f"one change: {taken:6.1f} s for {spoken} texts spoken again")


if __name__ == "__main__":
    main()
