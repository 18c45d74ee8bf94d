"""Reading scanned returns: pages per second and the share of boxes read right.

Prints the flagship's German and Arabic forms (COPIES serialised copies each, default 4), draws
random ticks, crosses, corrections and handwriting into every page (tests/scan/synthetic.py),
puts each page through a scanner or phone distortion and writes them as one multi-page TIFF
and one PDF. Then times: the baseline, decoding only the QR codes of the pages; reading every
page from the files as `survey scan` does (load, identify, align, read boxes), as pages per
second (target: at least 2) and as a ratio to the baseline. Box accuracy on unambiguous marks
(target: at least 99.5 %) and reads that are wrong without being flagged doubtful (target: 0).
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/scan_pages.py [COPIES]
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "scan"), str(ROOT / "tests" / "paper")]

from paper_pdf import page_images  # noqa: E402
from synthetic import SCANNERS, distort, random_marks  # noqa: E402

from survey.jobs.paper import PaperJob, print_forms  # noqa: E402
from survey.project import Project  # noqa: E402
from survey.scan.identify import find_page_qr  # noqa: E402
from survey.scan.known_forms import KnownForms  # noqa: E402
from survey.scan.marks import Mark  # noqa: E402
from survey.scan.pages import DEFAULT_DPI, scanned_pages  # noqa: E402
from survey.scan.read_page import read_page  # noqa: E402

FLAGSHIP = ROOT / "questionnaires" / "zusammen.yaml"


def make_scans(root: Path, copies: int) -> tuple[list[Path], dict[tuple[str, int], list[str]]]:
    """The scan files, and what each box of each (file, page) holds."""
    rng = np.random.default_rng(7)
    files, truth = [], {}
    for language in ("de", "ar"):
        pdf = next((root / "paper").glob(f"zusammen-*-{language}-*.pdf"))
        layout = KnownForms.of(Project(root)).layouts[("zusammen", "2026.1", language)]
        per_copy = layout["pages_per_copy"]
        pages = []
        for index, image in enumerate(page_images(pdf, dpi=DEFAULT_DPI)):
            pixels = np.array(image.convert("L"))
            boxes = layout["pages"][index % per_copy]["boxes"]
            truth[(language, len(pages) + 1)] = random_marks(pixels, boxes, rng, DEFAULT_DPI)
            pages.append(distort(pixels, rng, **SCANNERS[index % len(SCANNERS)]))
        suffix = ".tif" if language == "de" else ".pdf"
        path = root / f"scans-{language}{suffix}"
        images = [Image.fromarray(p) for p in pages]
        extra = {"resolution": float(DEFAULT_DPI)} if suffix == ".pdf" else {
            "compression": "tiff_lzw"}
        images[0].save(path, save_all=True, append_images=images[1:], **extra)
        files.append(path)
    return files, truth


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    root = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    try:
        (root / "questionnaires").mkdir()
        shutil.copy(FLAGSHIP, root / "questionnaires")
        print_forms(PaperJob(FLAGSHIP, root / "paper", ("de", "ar"), (), copies))
        files, truth = make_scans(root, copies)
        known = KnownForms.of(Project(root))
        pages = [p for f in files for p in scanned_pages(f)]
        start = time.perf_counter()
        for page in pages:
            find_page_qr(page.pixels)
        baseline = time.perf_counter() - start
        print(f"baseline: QR codes only, {len(pages)} pages: {baseline:.2f} s, "
              f"{len(pages) / baseline:.1f} pages/s")
        del pages
        right = flagged = wrong = 0
        count = 0
        start = time.perf_counter()
        for path in files:
            language = "de" if path.suffix == ".tif" else "ar"
            for page in scanned_pages(path):
                result = read_page(page, known, None, root / "unidentified")
                count += 1
                for read, want in zip(result.reads, truth[(language, page.number)],
                                      strict=True):
                    right += read.mark == want
                    flagged += read.mark != want and read.mark == Mark.DOUBTFUL
                    wrong += read.mark not in (want, Mark.DOUBTFUL)
        elapsed = time.perf_counter() - start
        boxes = right + flagged + wrong
        print(f"survey scan reading (load {DEFAULT_DPI} dpi, identify, align, read boxes): "
              f"{count} pages in {elapsed:.2f} s, {count / elapsed:.1f} pages/s "
              f"(target >= 2), {elapsed / baseline:.1f}x the baseline")
        print(f"boxes: {boxes}; read right {right / boxes:.2%} (target >= 99.5 %), flagged "
              f"doubtful {flagged}, wrong without a flag {wrong} (target 0)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory: {peak:.0f} MB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
