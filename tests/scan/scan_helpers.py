"""Helpers of the scan tests: answer sets that can be ticked, scans written in the formats
office scanners and phones produce, and the `survey scan` command run in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from click.testing import CliRunner, Result
from PIL import Image

from survey.cli import cli
from survey.project import Project
from survey.questionnaire.model import Questionnaire
from survey.returns.reconcile import Verdict, verdict
from survey.returns.typed import typed_answers
from survey.store.entries import paper_submission_id

ROOT = Path(__file__).resolve().parents[2]


def tickable(layout: dict[str, Any]) -> dict[str, set[str]]:
    """Answer name → the codes printed beside its tick boxes."""
    codes: dict[str, set[str]] = {}
    for page in layout["pages"]:
        for box in page["boxes"]:
            if box["kind"] in ("tick", "grid-cell"):
                codes.setdefault(box["answer"], set()).add(str(box["code"]))
    return codes


def tick_plans(flagship: Questionnaire, layout: dict[str, Any], count: int) -> list[
        dict[str, str]]:
    """Typed codes of sample returns (data/sample/online.jsonl) kept to what is ticked on
    paper (write-ins left out), each passing the questionnaire's checks."""
    boxes = tickable(layout)
    plans = []
    for line in (ROOT / "data" / "sample" / "online.jsonl").read_text("utf-8").splitlines():
        typed = dict(typed_answers(flagship, json.loads(line)["answers"]))
        plan = {name: text for name, text in typed.items()
                if name in boxes and set(text.split()) <= boxes[name]}
        if expected(flagship, plan).accepted:
            plans.append(plan)
        if len(plans) == count:
            return plans
    raise AssertionError("not enough sample returns to tick")


def expected(flagship: Questionnaire, plan: dict[str, str]) -> Verdict:
    """What the store must hold for a copy ticked as `plan`: the one validation of returns."""
    return verdict(flagship, plan)


def write_png(pages: list[np.ndarray], folder: Path, stem: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, page in enumerate(pages, start=1):
        path = folder / f"{stem}-{number:02d}.png"
        cv2.imwrite(str(path), page)
        paths.append(path)
    return paths


def write_multipage(pages: list[np.ndarray], path: Path) -> Path:
    """A multi-page TIFF or PDF, as a sheet-fed office scanner writes them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    images = [Image.fromarray(page) for page in pages]
    extra = {"resolution": 200.0} if path.suffix == ".pdf" else {"compression": "tiff_lzw"}
    images[0].save(path, save_all=True, append_images=images[1:], **extra)
    return path


def write_jpeg(page: np.ndarray, path: Path, quality: int = 70) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), page, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return path


def scan(project: Project, *args: object) -> Result:
    return CliRunner().invoke(cli, ["scan", str(project.root), *map(str, args)],
                              env={"COLUMNS": "250"})


def stored(project: Project, serial: str) -> dict[str, Any] | None:
    store = project.store()
    try:
        return store.response(paper_submission_id("zusammen", serial))
    finally:
        store.close()


def report_text(project: Project) -> str:
    reports = sorted((project.root / "scans").glob("scan-report-*.md"))
    assert reports, "no scan report written"
    return reports[-1].read_text("utf-8")
