"""A large-print return (`survey paper --large-print`): its larger boxes are found through its
own layout file, so a filled-in copy, scanned, is read and stored like any other."""

from __future__ import annotations

import numpy as np
from printed_forms import DPI, FLAGSHIP_FILE, PrintedForm
from scan_helpers import expected, scan, stored, tick_plans, write_png
from support import copy_flagship
from synthetic import distort, fill_copy

from survey.jobs.paper import PaperJob, print_forms
from survey.project import Project
from survey.questionnaire import load_questionnaire

FLAGSHIP = load_questionnaire(FLAGSHIP_FILE)


def test_a_large_print_return_is_read_from_its_layout_file(tmp_path):
    """Standard and large-print forms of the same language lie in one paper/ folder: the
    serial says which layout a page has."""
    root = tmp_path / "project"
    (root / "questionnaires").mkdir(parents=True)
    copy_flagship(root / "questionnaires")
    assert print_forms(PaperJob(FLAGSHIP_FILE, root / "paper", ("ar",), (), 1)).forms
    assert print_forms(PaperJob(FLAGSHIP_FILE, root / "paper", ("ar",), (), 1, 2,
                                large_print=True)).forms
    form = PrintedForm(next((root / "paper").glob("zusammen-*-ar-large-*.pdf")))
    assert form.layout["large_print"] is True
    assert min(b["w"] for page in form.layout["pages"] for b in page["boxes"]
               if b["kind"] == "tick") >= 6.95
    rng = np.random.default_rng(3)
    plan = tick_plans(FLAGSHIP, form.layout, 1)[0]
    pages = form.pages(0)
    fill_copy(pages, form.layout, plan, rng, DPI)
    scanned = [distort(page, rng, angle=rng.uniform(-2, 2), scale=rng.uniform(0.97, 1.03),
                       noise=4, blur=0.7) for page in pages]
    serial = form.serials[0]
    result = scan(Project(root), *write_png(scanned[::-1], tmp_path / "in", serial))
    assert result.exit_code == 0, result.output
    row = stored(Project(root), serial)
    assert row is not None, result.output
    want = expected(FLAGSHIP, plan)
    assert (row["mode"], row["status"]) == ("scan", "accepted")
    assert row["answers"] == want.validated
