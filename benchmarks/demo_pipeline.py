"""The pipeline part of `make demo` (issue 10): `survey demo` into a temporary folder, in this
process, as make demo runs it after its set-up. Target: under 2 minutes on 2 cores.

Prints its seconds and peak memory (ru_maxrss of this process, imports included). Baseline,
in the same run: the same steps as separate `survey` commands, one process each, as make demo
ran them before survey demo existed (peak: the largest of those processes), run first. The
ratio says what running the steps in one process saves. --no-baseline skips the baseline.

    .venv/bin/python benchmarks/demo_pipeline.py [--no-baseline]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from survey.demo.folder import PLAN, QUESTIONNAIRE, SAMPLE_FILES, SAMPLE_FOLDER, copy_inputs
from survey.demo.pipeline import DemoRequest, run_demo
from survey.project import Project

SURVEY = Path(sys.executable).parent / "survey"


def demo_seconds(folder: Path) -> float:
    began = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = run_demo(DemoRequest(folder))
    if code != 0:
        sys.exit(f"survey demo failed (exit code {code}); run survey demo to see why")
    return time.perf_counter() - began


def baseline_seconds(folder: Path) -> float:
    """The demo's steps as separate commands (the make demo of before)."""
    copy_inputs(folder, SAMPLE_FILES)
    plan, questionnaire = str(folder / PLAN), str(folder / QUESTIONNAIRE)
    samples = [str(folder / SAMPLE_FOLDER / name) for name in SAMPLE_FILES]
    languages = [arg for lang in Project(folder).questionnaire().languages
                 for arg in ("--lang", lang)]
    commands = [
        ["paper", questionnaire, *languages, "--bilingual", "de+ar", "--out",
         str(folder / "paper")],
        ["ingest", str(folder), *samples, "--user", "demo"],
        ["analyse", str(folder), "--plan", plan],
        ["report", str(folder), "--plan", plan, "--audience", "council"],
        ["report", str(folder), "--plan", plan, "--audience", "conference"],
        ["export", str(folder), "--format", "sav"],
        ["export", str(folder), "--format", "dta"],
        ["codebook", questionnaire, "--format", "html", "--project", str(folder), "--out",
         str(folder / "exports" / "zusammen-codebook.html")],
    ]
    began = time.perf_counter()
    for command in commands:
        done = subprocess.run([str(SURVEY), *command], capture_output=True, check=False)
        if done.returncode not in (0, 3):
            sys.exit(f"survey {command[0]} failed: {done.stderr.decode()[-500:]}")
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-baseline", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="demo-bench-") as scratch:
        if not options.no_baseline:
            # First, while this process is small: a child's peak counts from its fork.
            baseline = baseline_seconds(Path(scratch) / "separate")
            child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        seconds = demo_seconds(Path(scratch) / "demo")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"survey demo (7 paper languages + de+ar, {len(SAMPLE_FILES)} sample files, "
              f"analysis, 2 reports, 2 exports, codebook): {seconds:.1f} s, peak {peak:.0f} MB")
        if options.no_baseline:
            return
        print(f"baseline, the same steps as 8 separate survey commands: {baseline:.1f} s, "
              f"largest process {child_peak:.0f} MB")
        print(f"ratio survey demo / separate commands: {seconds / baseline:.2f}")

if __name__ == "__main__":
    main()
