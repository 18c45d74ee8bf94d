"""Filled-in German and Arabic returns, scanned the ways offices and phones do, read into the
store end to end through `survey scan`."""

from __future__ import annotations

import numpy as np
from printed_forms import DPI, FLAGSHIP_FILE
from scan_helpers import (
    expected,
    report_text,
    scan,
    stored,
    tick_plans,
    write_jpeg,
    write_multipage,
    write_png,
)
from synthetic import distort, fill_copy

from survey.questionnaire import load_questionnaire
from survey.returns.doubts import copy_folder, read_doubts
from survey.returns.typed import UNREADABLE
from survey.store.entries import SCANNER, entries_of

FLAGSHIP = load_questionnaire(FLAGSHIP_FILE)


def _non_blank(raw: dict[str, str]) -> dict[str, str]:
    return {name: text for name, text in raw.items() if text not in ("-", "")}


def test_clear_returns_in_any_order_and_turn_are_stored_with_mode_scan(forms, project, tmp_path):
    rng = np.random.default_rng(11)
    plans = {}
    inputs = []
    for language, copy, style in [("de", 0, "tiff"), ("de", 1, "pdf"), ("ar", 0, "png"),
                                  ("ar", 1, "photo")]:
        form = forms[language]
        plan = tick_plans(FLAGSHIP, form.layout, 4)[copy + (2 if language == "ar" else 0)]
        serial = form.serials[copy]
        plans[serial] = plan
        pages = form.pages(copy)
        # a tick undone by filling the box in, as the cover tells respondents
        name = next(n for n in ("gender", "district", "status", "german") if n in plan)
        undone = {name: next(c for c in ("1", "2") if c != plan[name])}
        fill_copy(pages, form.layout, plan, rng, DPI, corrected=undone)
        scanned = [distort(page, rng, angle=rng.uniform(-3, 3), scale=rng.uniform(0.95, 1.04),
                           noise=4, shadow=0.3 if style == "photo" else 0.0,
                           perspective=0.012 if style == "photo" else 0.0,
                           turn=2 if number % 3 == 0 else 0, blur=0.7)
                   for number, page in enumerate(pages)]
        order = rng.permutation(len(scanned))
        shuffled = [scanned[i] for i in order]
        folder = tmp_path / "in"
        if style == "tiff":
            inputs.append(write_multipage(shuffled, folder / f"{serial}.tif"))
        elif style == "pdf":
            inputs.append(write_multipage(shuffled, folder / f"{serial}.pdf"))
        elif style == "png":
            inputs += write_png(shuffled, folder, serial)
        else:
            inputs += [write_jpeg(page, folder / f"{serial}-{n}.jpg")
                       for n, page in enumerate(shuffled)]
    result = scan(project, *inputs)
    assert result.exit_code == 0, result.output
    for serial, plan in plans.items():
        row = stored(project, serial)
        assert row is not None, f"serial {serial} not stored: {result.output}"
        want = expected(FLAGSHIP, plan)
        assert (row["mode"], row["status"]) == ("scan", "accepted")
        assert row["answers"] == want.validated
        assert _non_blank(row["raw"]) == _non_blank(want.kept)
    assert "stored 4" in report_text(project)


def test_unclear_marks_and_write_ins_wait_for_a_person_who_sees_the_cut_out(forms, project,
                                                                             tmp_path):
    form = forms["ar"]
    rng = np.random.default_rng(5)
    plan = dict(tick_plans(FLAGSHIP, form.layout, 1)[0])
    plan["gender"] = "1 2"  # two ticks where one answer is allowed
    pages = form.pages(0)
    fill_copy(pages, form.layout, plan, rng, DPI, written=frozenset({"birth_year"}))
    speck = next(b for p in form.layout["pages"] for b in p["boxes"]
                 if b["answer"] == "housing_sat" and str(b["code"]) == "1")
    x, y = (round((speck[k] + speck[d] / 2) / 25.4 * DPI) for k, d in (("x", "w"), ("y", "h")))
    pages[speck_page(form.layout, speck)][y - 3:y + 3, x - 3:x + 3] = 30  # a speck of ink
    paths = write_png([distort(p, rng, angle=1.0, noise=3) for p in pages], tmp_path, "ar")

    result = scan(project, *paths)

    assert result.exit_code == 3, result.output
    serial = form.serials[0]
    assert stored(project, serial) is None
    assert f"serial {serial}: to the reconciliation screen" in result.output
    store = project.store()
    try:
        (entry,) = entries_of(store, "zusammen", serial)
    finally:
        store.close()
    assert entry.entered_by == SCANNER
    unclear = {"gender", "birth_year", "housing_sat"}
    assert {n for n, t in entry.typed.items() if t == UNREADABLE} == unclear
    doubts = read_doubts(copy_folder(project.root, "zusammen", serial))
    assert set(doubts) == unclear
    assert "2 boxes ticked" in doubts["gender"].reason
    assert "written in" in doubts["birth_year"].reason
    for name in unclear:
        image = copy_folder(project.root, "zusammen", serial) / doubts[name].image
        assert image.read_bytes().startswith(b"\x89PNG")
    assert "| gender | 1 |" in report_text(project)


def speck_page(layout: dict, box: dict) -> int:
    return next(p["page"] - 1 for p in layout["pages"] if box in p["boxes"])


def test_scanning_the_same_pages_again_stores_nothing_twice(forms, project, tmp_path):
    form = forms["de"]
    rng = np.random.default_rng(8)
    pages = form.pages(1)
    fill_copy(pages, form.layout, tick_plans(FLAGSHIP, form.layout, 1)[0], rng, DPI)
    path = write_multipage(pages, tmp_path / "stack.tif")
    assert scan(project, path).exit_code == 0
    again = scan(project, path)
    assert again.exit_code == 0, again.output
    assert "already stored" in again.output
    store = project.store()
    try:
        assert store.count("zusammen") == {"accepted": 1}
    finally:
        store.close()


def test_help_names_every_option():
    from click.testing import CliRunner

    from survey.cli import cli
    text = CliRunner().invoke(cli, ["scan", "--help"]).output
    for option in ("--db", "--dpi", "--page", "reconciliation", "Exit code"):
        assert option in text
