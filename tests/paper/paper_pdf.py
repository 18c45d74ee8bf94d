"""Reading our PDFs back the way a person and a scanner do: text, page images, QR codes."""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader

SCAN_DPI = 150


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def normalise(text: str) -> str:
    """Letters and digits only, single spaces: what survives any line wrapping or bidi."""
    kept = "".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text
                   if unicodedata.category(ch) != "Cf")  # joiners (ZWNJ in Farsi) join
    return re.sub(r"\s+", " ", kept).strip()


def _script(char: str) -> str:
    if char.isdigit():
        return "digits"
    return "arabic" if "ARABIC" in unicodedata.name(char, "") else "other"


def script_runs(label: str) -> list[str]:
    """A label cut where the script changes or punctuation stands: each run must appear with
    its words in logical order. (Runs are drawn one by one, in visual order, wherever the
    font or direction changes, e.g. for brackets in Arabic text; extraction keeps that order.)"""
    runs: list[str] = []
    for chunk in re.split(r"[^\w\s]|_", label):
        current, script = "", None
        for char in normalise(chunk):
            kind = script if char == " " or unicodedata.category(char)[0] == "M" else (
                _script(char))
            if script is not None and kind != script:
                runs.append(current)
                current = ""
            current, script = current + char, kind
        runs.append(current)
    return [run.strip() for run in runs if run.strip()]


def missing_labels(labels: list[str], text: str) -> list[str]:
    """The labels some run of which is not in `text`. A number inside right-to-left text may
    come out reversed: pypdf turns the whole run around, though the digits are drawn in
    their right order (see the rendered pages)."""
    found = normalise(text)

    def present(run: str) -> bool:
        return run in found or (run.isdigit() and run[::-1] in found)

    return [label for label in labels if not all(map(present, script_runs(label)))]


def page_images(pdf: Path, dpi: int = SCAN_DPI, first: int | None = None,
                last: int | None = None, mode: str = "L") -> list[Image.Image]:
    """The pages as a scanner sees them (grey, or "RGB"), rendered by poppler's pdftoppm."""
    with tempfile.TemporaryDirectory() as folder:
        command = ["pdftoppm", "-r", str(dpi), "-png", *(["-gray"] if mode == "L" else [])]
        if first is not None:
            command += ["-f", str(first)]
        if last is not None:
            command += ["-l", str(last)]
        subprocess.run([*command, str(pdf), f"{folder}/page"], check=True)
        images = []
        for path in sorted(Path(folder).glob("page-*.png")):
            with Image.open(path) as image:
                images.append(image.convert(mode))
        return images


def qr_texts(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def px(mm: float, dpi: int = SCAN_DPI) -> int:
    return round(mm / 25.4 * dpi)


def darkest(image: Image.Image, x0: float, y0: float, x1: float, y1: float,
            dpi: int = SCAN_DPI) -> int:
    """The darkest grey value in a rectangle given in mm."""
    region = image.crop((px(x0, dpi), px(y0, dpi), max(px(x1, dpi), px(x0, dpi) + 1),
                         max(px(y1, dpi), px(y0, dpi) + 1)))
    return region.getextrema()[0]


def looks_like_drawn_box(image: Image.Image, box: dict, dpi: int = SCAN_DPI) -> bool:
    """A dark frame on all four sides and white inside, where the layout file says."""
    x, y, w, h = box["x"], box["y"], box["w"], box["h"]
    band = 0.5  # mm either side of each edge, for rounding to pixels
    mid_x, mid_y = x + w / 2, y + h / 2
    edges = [darkest(image, x - band, mid_y - 0.3, x + band, mid_y + 0.3, dpi),
             darkest(image, x + w - band, mid_y - 0.3, x + w + band, mid_y + 0.3, dpi),
             darkest(image, mid_x - 0.3, y - band, mid_x + 0.3, y + band, dpi),
             darkest(image, mid_x - 0.3, y + h - band, mid_x + 0.3, y + h + band, dpi)]
    inside = darkest(image, mid_x - 0.6, mid_y - 0.6, mid_x + 0.6, mid_y + 0.6, dpi)
    return all(edge < 110 for edge in edges) and inside > 235
