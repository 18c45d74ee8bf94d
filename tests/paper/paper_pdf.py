"""Reading our PDFs back the way a person and a scanner do: text, page images, QR codes."""

from __future__ import annotations

import math
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
    their right order (see the rendered pages). Long words in narrow grid headings are
    hyphenated: a reader reads them whole, and so does this check."""
    found = normalise(re.sub(r"[\u2010-]\n", "", text))  # a word hyphenated at a line end

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


MM_PER_PT = 25.4 / 72
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r'(.*?)</word>')


class Word:
    """A word as poppler's pdftotext -bbox finds it on the page, in mm from the top left."""

    def __init__(self, text: str, x0: float, y0: float, x1: float, y1: float) -> None:
        self.text, self.x0, self.y0, self.x1, self.y1 = text, x0, y0, x1, y1

    def __repr__(self) -> str:
        return f"Word({self.text!r}, x={self.x0:.1f}-{self.x1:.1f}, y={self.y0:.1f}-{self.y1:.1f})"

    @property
    def only_marks(self) -> bool:
        """Arabic vowel signs come out as words of their own, drawn over their letters."""
        return all(unicodedata.category(ch) in ("Mn", "Cf") for ch in self.text)

    def core(self) -> tuple[float, float, float, float]:
        """The box without the font's line gap: glyphs of neighbouring lines may share that."""
        dy = (self.y1 - self.y0) * 0.3
        dx = min((self.x1 - self.x0) * 0.05, 0.2)
        return self.x0 + dx, self.y0 + dy, self.x1 - dx, self.y1 - dy


def page_words(pdf: Path) -> list[list[Word]]:
    """Every word on every page with its position, as drawn (visual order)."""
    import html

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for chunk in out.split("<page ")[1:]:
        pages.append([Word(html.unescape(m.group(5)),
                           *(float(v) * MM_PER_PT for v in m.groups()[:4]))
                      for m in _WORD.finditer(chunk)])
    return pages


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def text_sizes(pdf: Path) -> list[list[tuple[str, float]]]:
    """Every piece of text each page draws, with the size it is drawn at on paper (points)."""
    pages = []
    for page in PdfReader(pdf).pages:
        drawn: list[tuple[str, float]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  drawn: list[tuple[str, float]] = drawn) -> None:
            if text.strip():
                scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
                drawn.append((text, round(size * scale, 2)))

        page.extract_text(visitor_text=visit)
        pages.append(drawn)
    return pages


def box_rect(box: dict) -> tuple[float, float, float, float]:
    return box["x"], box["y"], box["x"] + box["w"], box["y"] + box["h"]


def words_over_boxes(layout: dict, pages: list[list[Word]]) -> list[tuple[int, str, str]]:
    """(page, word, answer) of every word drawn over a box of the layout file."""
    return [(page["page"], word.text, box["answer"]) for page in layout["pages"]
            for word in pages[page["page"] - 1] for box in page["boxes"]
            if overlap(word.core(), box_rect(box))]


def words_over_words(pages: list[list[Word]]) -> list[tuple[int, str, str]]:
    """(page, word, word) of every two words drawn over each other."""
    collisions = []
    for number, page in enumerate(pages, start=1):
        drawn = [w for w in page if not w.only_marks]
        collisions += [(number, a.text, b.text) for i, a in enumerate(drawn)
                       for b in drawn[i + 1:] if overlap(a.core(), b.core())]
    return collisions
