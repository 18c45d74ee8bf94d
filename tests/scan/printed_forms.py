"""The printed forms of the scan tests: the flagship's PDFs and layout files, and their pages
rendered as a scanner sees them (poppler's pdftoppm, through tests/paper/paper_pdf.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "paper"))

from paper_pdf import page_images

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP_FILE = ROOT / "questionnaires" / "zusammen.yaml"
DPI = 200
LANGUAGES = ("de", "ar")


class PrintedForm:
    """One printed PDF: its layout file and its rendered pages, per copy."""

    def __init__(self, pdf: Path) -> None:
        self.pdf = pdf
        layout_file = pdf.with_name(pdf.name.removesuffix(".pdf") + ".layout.json")
        self.layout = json.loads(layout_file.read_text("utf-8"))
        images = [np.asarray(i.convert("L")) for i in page_images(pdf, dpi=DPI)]
        per_copy = self.layout["pages_per_copy"]
        self.copies = [images[i:i + per_copy] for i in range(0, len(images), per_copy)]
        first, last = self.layout["copies"]["serials"]
        self.serials = [f"{n:06d}" for n in range(int(first), int(last) + 1)]

    def pages(self, copy: int) -> list[np.ndarray]:
        """Fresh, writable page images of one copy."""
        return [page.copy() for page in self.copies[copy]]
