"""The demo's earlier wave: "Zusammen sind wir stärker" a year before, so the report shows
what changed since then.

The sample generator (data/sample/generate.py) writes the earlier wave's returns with a seed of
its own; two of its five files are imported (the online form and the KoboToolbox export, some
600 respondents: enough for figures, quick to analyse). In the online returns, housing was a
little less pressing then: some respondents who rank it among the three most urgent topics
named German courses or digital access instead, and some rated it one step less important. So
the demo's report has clear changes to show next to figures that did not change clearly.
"""

from __future__ import annotations

import importlib
import json
import shutil
import sys
from pathlib import Path

import numpy as np

from survey.demo.folder import (
    MARGINS,
    PLAN,
    QUESTIONNAIRE,
    REPOSITORY,
    SAMPLE_FOLDER,
    copy_pictures,
)
from survey.demo.imported import imported_lines
from survey.jobs.analyse import analyse
from survey.jobs.ingest import IngestJob, ingest

WAVE_FOLDER = Path("wave-2025")
LABEL = "2025"
SEED = 20250503
FILES = ("online.jsonl", "kobo_export.csv")
LESS_URGENT = 0.45
"""Share of the online respondents ranking housing urgent who named another topic in 2025."""
IMPORTANCE = ("not_important", "less_important", "important", "very_important")


def _generate(out: Path) -> None:
    """The sample files of the earlier wave, from the repository's generator."""
    folder = str(REPOSITORY / SAMPLE_FOLDER)
    sys.path.insert(0, folder)
    try:
        generator = importlib.import_module("generate")
        generator.generate(out, seed=SEED)
    finally:
        sys.path.remove(folder)


def _less_housing(path: Path) -> None:
    """Housing a little less pressing in the earlier wave's online returns."""
    rng = np.random.default_rng(SEED)
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        answers = record.get("answers", {})
        urgent = answers.get("urgent")
        if isinstance(urgent, list) and "housing" in urgent and rng.random() < LESS_URGENT:
            other = next(t for t in ("german", "digital", "politics") if t not in urgent)
            answers["urgent"] = [other if t == "housing" else t for t in urgent]
        level = answers.get("imp__housing")
        if level in IMPORTANCE[1:] and rng.random() < .3:
            answers["imp__housing"] = IMPORTANCE[IMPORTANCE.index(level) - 1]
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_earlier_wave(folder: Path) -> list[str]:
    """A project of its own in folder/wave-2025 with the earlier wave's results, and the demo
    plan's previous_wave pointing at them; what was made, in lines to show."""
    wave = folder / WAVE_FOLDER
    shutil.rmtree(wave, ignore_errors=True)
    for path in (QUESTIONNAIRE, PLAN, MARGINS):
        (wave / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPOSITORY / path, wave / path)
    copy_pictures(wave)
    data = wave / "data"
    _generate(data)
    _less_housing(data / "online.jsonl")
    imported = imported_lines(ingest(IngestJob(wave, tuple(data / f for f in FILES),
                                               user="demo")))
    analysis = analyse(wave, wave / PLAN, wave / "results")
    plan = folder / PLAN
    text = plan.read_text(encoding="utf-8")
    if "previous_wave:" not in text:
        plan.write_text(text.rstrip("\n") + "\n\n# The earlier wave this one is compared with "
                        "(made by survey demo).\nprevious_wave:\n"
                        f"  results: ../{WAVE_FOLDER}/results\n  label: \"{LABEL}\"\n",
                        encoding="utf-8")
    return [*imported, f"analysed {analysis.responses} responses into {wave / 'results'}"]
