"""Paper forms of the flagship questionnaire: all seven languages, and serialised copies.

Times one German form (baseline), the form in all seven languages as `survey paper` makes
them, one process per core (target: under 20 s on a 2-core machine), and one German PDF of
COPIES serialised copies (default 500),
reported as pages per second and as a ratio to the baseline. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/paper_forms.py [COPIES]
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from survey.paper.produce import make_form, make_forms
from survey.paper.serials import serial_numbers
from survey.questionnaire import load_questionnaire

FLAGSHIP = Path(__file__).resolve().parent.parent / "questionnaires" / "zusammen.yaml"


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    questionnaire = load_questionnaire(FLAGSHIP)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        make_form(questionnaire, ("en",), out)  # warm up fonts and templates

        start = time.perf_counter()
        base = make_form(questionnaire, ("de",), out)
        baseline = time.perf_counter() - start
        print(f"baseline: one German form, {base.pages} pages: {baseline:.2f} s")

        start = time.perf_counter()
        variants = [(lang,) for lang in questionnaire.languages]
        pages = sum(made.pages for made in make_forms(questionnaire, variants, out))
        seven = time.perf_counter() - start
        print(f"all {len(variants)} languages ({pages} pages, {os.cpu_count()} processes as "
              f"survey paper runs them): {seven:.2f} s (target < 20 s; "
              f"{seven / baseline:.1f} × baseline)")

        start = time.perf_counter()
        made = make_form(questionnaire, ("de",), out, serial_numbers(copies, 1))
        elapsed = time.perf_counter() - start
        total = made.pages * made.copies
        size = made.pdf.stat().st_size / 1e6
        print(f"{copies} serialised copies ({total} pages, {size:.1f} MB): {elapsed:.2f} s, "
              f"{total / elapsed:.0f} pages/s ({elapsed / baseline:.1f} × baseline)")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
