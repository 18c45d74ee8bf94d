"""Scanned pages as grey images, one at a time, from PDFs and image files.

Pages are yielded one by one so a stack of several hundred pages never sits in memory at once.
A file that cannot be read is one clear error naming the file; pages read before a PDF breaks
off are still read.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from survey.user_error import UserError

DEFAULT_DPI = 200
MIN_DPI, MAX_DPI = 100, 400
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
PDF_SUFFIX = ".pdf"
SCAN_SUFFIXES = frozenset({PDF_SUFFIX, *IMAGE_SUFFIXES})
"""The files `survey scan` reads."""
PDF_PAGES_AT_ONCE = 8
Image.MAX_IMAGE_PIXELS = 20_000 * 20_000  # a 1200 dpi A4 scan is well below this


class PageFileError(UserError):
    """A file that yields no pages (or stops part-way); the message names it and what to do."""


@dataclass(frozen=True)
class ScannedPage:
    file: Path
    number: int  # 1-based, within its file
    pixels: np.ndarray  # grey, uint8

    @property
    def where(self) -> str:
        return f"{self.file.name} page {self.number}"


def _grey(image: Image.Image) -> np.ndarray:
    return np.asarray(ImageOps.exif_transpose(image).convert("L"))


def _image_pages(path: Path) -> Iterator[ScannedPage]:
    try:
        with Image.open(path) as image:
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                yield ScannedPage(path, number, _grey(frame))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PageFileError(f"{path}: not a readable image ({error}); scan it again as PDF, "
                            "TIFF, PNG or JPEG") from None


def _page_count(path: Path) -> int:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("Pages:") and line.split()[-1].isdigit():
            return int(line.split()[-1])
    reason = (done.stderr.strip().splitlines() or ["no pages"])[-1]
    raise PageFileError(f"{path}: not a readable PDF ({reason}); export or scan it again")


def _pdf_pages(path: Path, dpi: int) -> Iterator[ScannedPage]:
    """Rendered a few pages at a time, so a long stack never fills the temporary folder."""
    if shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None:
        raise PageFileError("pdftoppm is not installed; install poppler-utils (Debian/Ubuntu: "
                            "apt install poppler-utils) to read scanned PDFs")
    count = _page_count(path)
    for first in range(1, count + 1, PDF_PAGES_AT_ONCE):
        last = min(first + PDF_PAGES_AT_ONCE - 1, count)
        with tempfile.TemporaryDirectory(prefix="survey-scan-") as folder:
            # PGM, not PNG: compressing a noisy scan again would take longer than reading it
            done = subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(first), "-l",
                                   str(last), str(path), f"{folder}/page"],
                                  capture_output=True, text=True)
            rendered = sorted(Path(folder).glob("page-*.pgm"),
                              key=lambda p: int(p.stem.rsplit("-", 1)[1]))
            for number, image_path in enumerate(rendered, start=first):
                with Image.open(image_path) as image:
                    yield ScannedPage(path, number, _grey(image))
        if done.returncode != 0 or len(rendered) < last - first + 1:
            reason = (done.stderr.strip().splitlines() or ["pages missing"])[-1]
            read = f"pages 1–{first + len(rendered) - 1} were read; " if (
                first + len(rendered) > 1) else ""
            raise PageFileError(f"{path}: not a readable PDF ({reason}); {read}export or "
                                "scan it again")


def scanned_pages(path: Path, dpi: int = DEFAULT_DPI) -> Iterator[ScannedPage]:
    """Every page of one scanned file, in file order."""
    if not path.is_file():
        raise PageFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == PDF_SUFFIX:
        yield from _pdf_pages(path, dpi)
    elif suffix in IMAGE_SUFFIXES:
        yield from _image_pages(path)
    else:
        raise PageFileError(f"{path}: {suffix or 'no suffix'} is not a scan format; give PDF, "
                            "TIFF, PNG or JPEG files")
