"""The paper form of the last good version as page images, made in a background thread.

survey.paper makes the PDF and its layout file; `pdftoppm` (poppler-utils) turns the pages
into PNG images. A form takes a few seconds, so the pages of the previous version stay on
screen until the new ones are ready; when several versions are saved in between, only the
latest is made.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from survey.paper.produce import make_form
from survey.questionnaire.model import Questionnaire

log = logging.getLogger(__name__)
RESOLUTION = 80
"""Pixels per inch of the page images: an A4 page 662 px wide, sharp enough to read."""
PDFTOPPM_SECONDS = 120
HIGHLIGHT_MARGIN_MM = 2.5
KEPT_RENDERS = 3
"""Renders whose images are still served: a browser may be fetching an older one's pages."""


@dataclass(frozen=True)
class Rendered:
    render: int
    """Its own number, part of the image addresses, so a browser never shows a stale page."""
    good: int
    """The good version it shows."""
    language: str
    folder: Path
    pages: int
    layout: dict[str, Any]
    questionnaire: Questionnaire

    def page_file(self, page: int) -> Path | None:
        if not 1 <= page <= self.pages:
            return None
        found = sorted(self.folder.glob("page-*.png"))
        return found[page - 1] if len(found) >= page else None

    def highlight(self, question_id: str) -> list[dict[str, float]]:
        """Where `question_id`'s answer boxes are, per page, as percentages of the page (one
        rectangle around all of them on each page they are on)."""
        size = self.layout["page_size"]
        index = self.questionnaire.answer_index
        found = []
        for page in self.layout["pages"]:
            boxes = [b for b in page["boxes"] if _question_of(b.get("answer", ""), index)
                     == question_id]
            if not boxes:
                continue
            left = min(b["x"] for b in boxes) - HIGHLIGHT_MARGIN_MM
            top = min(b["y"] for b in boxes) - HIGHLIGHT_MARGIN_MM
            right = max(b["x"] + b["w"] for b in boxes) + HIGHLIGHT_MARGIN_MM
            bottom = max(b["y"] + b["h"] for b in boxes) + HIGHLIGHT_MARGIN_MM
            found.append({"page": page["page"], "x": 100 * left / size["w"],
                          "y": 100 * top / size["h"], "w": 100 * (right - left) / size["w"],
                          "h": 100 * (bottom - top) / size["h"]})
        return found


def _question_of(answer: str, index: dict[str, Any]) -> str | None:
    question = index.get(answer) or index.get(answer.split("__")[0])
    return question.id if question is not None else None


class PaperPages:
    """Makes page images of the wanted (good version, language) in one background thread."""

    def __init__(self, scratch: Path, pdftoppm: str = "pdftoppm"):
        self.folder = scratch / "paper"
        self.pdftoppm = pdftoppm
        self._wanted: tuple[int, str, Questionnaire] | None = None
        self._condition = threading.Condition()
        self._renders = 0
        self._stopped = False
        self.shown: Rendered | None = None
        self._recent: dict[int, Rendered] = {}
        self.working_on: tuple[int, str] | None = None
        self.error: str | None = None
        self.failed: tuple[int, str] | None = None
        self._thread = threading.Thread(target=self._run, name="paper pages", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
        self._thread.join(timeout=30)

    def want(self, good: int, language: str, questionnaire: Questionnaire) -> None:
        """Ask for the pages of this version in this language (nothing if shown or queued)."""
        with self._condition:
            key = (good, language)
            queued = self._wanted[:2] if self._wanted else None
            shown = (self.shown.good, self.shown.language) if self.shown else None
            if key == queued:
                return
            if key in (self.working_on, shown, self.failed):
                self._wanted = None  # the latest wish is being made, is shown, or cannot be
                return
            self._wanted = (good, language, questionnaire)
            self._condition.notify_all()

    @property
    def busy(self) -> bool:
        return self.working_on is not None or self._wanted is not None

    def _run(self) -> None:
        while True:
            with self._condition:
                while self._wanted is None and not self._stopped:
                    self._condition.wait()
                if self._stopped:
                    return
                good, language, questionnaire = self._wanted  # type: ignore[misc]
                self._wanted = None
                self.working_on = (good, language)
                self._renders += 1
                render = self._renders
            try:
                made = self._render(render, good, language, questionnaire)
                error = None
            except Exception as problem:  # shown beside the pages; the last pages stay
                log.warning("paper pages of version %s failed: %s", good, problem)
                made, error = None, f"the paper form could not be made: {problem}"
            with self._condition:
                self.working_on = None
                self.error = error
                self.failed = None if made else (good, language)
                if made is not None:
                    self.shown = self._recent[made.render] = made
                    self._tidy()

    def _render(self, render: int, good: int, language: str,
                questionnaire: Questionnaire) -> Rendered:
        folder = self.folder / str(render)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        made = make_form(questionnaire, (language,), folder)
        try:
            subprocess.run([self.pdftoppm, "-png", "-r", str(RESOLUTION), str(made.pdf),
                            str(folder / "page")], check=True, capture_output=True,
                           timeout=PDFTOPPM_SECONDS)
        except FileNotFoundError:
            raise RuntimeError("pdftoppm is not installed (Debian: apt install "
                               "poppler-utils)") from None
        except subprocess.CalledProcessError as error:
            raise RuntimeError(f"pdftoppm failed: {error.stderr.decode(errors='replace')}"
                               ) from None
        layout = json.loads(made.layout.read_text(encoding="utf-8"))
        return Rendered(render, good, language, folder, made.pages, layout, questionnaire)

    def _tidy(self) -> None:
        """Keep the latest KEPT_RENDERS renders; remove the others' files."""
        for render in sorted(self._recent)[:-KEPT_RENDERS]:
            del self._recent[render]
        keep = {str(render) for render in self._recent}
        for folder in self.folder.glob("*"):
            if folder.name not in keep and folder.name != str(self._renders):
                shutil.rmtree(folder, ignore_errors=True)

    def rendered(self, render: int) -> Rendered | None:
        """A recent render by its number (its images may still be asked for)."""
        return self._recent.get(render)

    def as_json(self, question: str | None) -> dict[str, Any]:
        shown = self.shown
        return {
            "render": shown.render if shown else None,
            "good": shown.good if shown else None,
            "language": shown.language if shown else None,
            "pages": [f"/_preview/paper/{shown.render}/{n}.png"
                      for n in range(1, shown.pages + 1)] if shown else [],
            "highlight": shown.highlight(question) if shown and question else [],
            "rendering": self.busy,
            "error": self.error,
        }
