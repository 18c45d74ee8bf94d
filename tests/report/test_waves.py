"""Waves on a project's own survey (not the flagship): an earlier wave and this one, each made
with survey init + ingest + analyse, the plan naming the earlier wave's results. Every number
of the section "What changed since 2025" is recomputed from the two results.csv; codes that
differ are listed and only matching codes compared; a missing previous wave stops analyse and
report with the plan's file:line."""

import csv
import math
import random
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from babel.numbers import format_decimal
from html_pages import expected
from pptx import Presentation
from scipy import stats
from support import run

HERE = Path(__file__).parent / "volunteers"
PLAN = Path("analysis") / "volunteers.yaml"
SHARE_KINDS = {"share", "multi", "needs", "top_ranked", "co_occurrence"}
PREVIOUS = "\nprevious_wave:\n  results: ../../wave-2025/results\n  label: \"2025\"\n"


def write_returns(path: Path, seed: int, rows: int, supervision: float) -> None:
    """Returns as a partner's CSV holds them; `supervision`: the chance of wishing for it."""
    draw = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(["consent_given", "home_area", "arrival_yr", "vol_role", "hours_month",
                      "coop_grid__welfare_office", "coop_grid__job_centre",
                      "coop_grid__schools", "overall_sat", "support_wish"])
        for _ in range(rows):
            role = draw.choice(["mentor", "teaching", "events"])
            wishes = [w for w in ("training", "expenses", "exchange") if draw.random() < .35]
            if draw.random() < supervision:
                wishes.append("supervision")
            out.writerow([
                "yes", draw.choice(["north", "harbour", "old_town"]), draw.randint(1995, 2023),
                role, draw.randint(2, 40) if role == "mentor" else "",
                draw.choice(["bad", "ok", "good", "very_good"]),
                draw.choice(["very_bad", "bad", "ok", "good"]),
                draw.choice(["ok", "good", "very_good"]),
                draw.choice(["ok", "good", "very_good", "bad"]), " ".join(wishes)])


def make_wave(root: Path, name: str, seed: int, rows: int, supervision: float,
              questionnaire: str) -> Path:
    project = root / name
    assert run("init", project).exit_code == 0
    (project / "questionnaires" / "our-survey.yaml").unlink()
    (project / "analysis" / "needs.yaml").unlink()
    (project / "questionnaires" / "volunteers.yaml").write_text(questionnaire, encoding="utf-8")
    shutil.copyfile(HERE / "plan.yaml", project / PLAN)
    write_returns(project / "returns.csv", seed, rows, supervision)
    assert run("ingest", project, project / "returns.csv").exit_code == 0
    return project


def analyse(project: Path):
    return run("analyse", project, "--plan", project / PLAN)


@pytest.fixture(scope="module")
def waves(tmp_path_factory):
    """wave-2025 with fewer wishes for supervision and the code of 'events' changed (3 -> 7);
    wave-2026 naming wave-2025 as its previous wave; the council report (html, pdf, pptx)."""
    root = tmp_path_factory.mktemp("waves")
    text = (HERE / "questionnaire.yaml").read_text(encoding="utf-8")
    earlier_text = text.replace("{name: events, code: 3,", "{name: events, code: 7,")
    assert earlier_text != text
    earlier = make_wave(root, "wave-2025", 11, 300, .15, earlier_text)
    assert analyse(earlier).exit_code == 0
    now = make_wave(root, "wave-2026", 12, 320, .6, text)
    plan = now / PLAN
    plan.write_text(plan.read_text(encoding="utf-8") + PREVIOUS, encoding="utf-8")
    outcome = analyse(now)
    assert outcome.exit_code == 0, outcome.output
    out = now / "published" / "council-de"
    made = run("report", now, "--plan", plan, "--format", "html,pdf,xlsx,pptx", "--out", out)
    assert made.exit_code == 0, made.output
    return earlier, now, out


def results(project: Path) -> pd.DataFrame:
    frame = pd.read_csv(project / "results" / "results.csv", dtype={"flags": str,
                                                                     "category": str})
    frame["flags"] = frame["flags"].fillna("")
    frame["key"] = (frame["indicator"] + "|" + frame["breakdown"] + "|" + frame["group"] + "|"
                    + frame["category"])
    return frame.set_index("key")


def section_html(out: Path) -> str:
    html = (out / "report.html").read_text(encoding="utf-8")
    found = re.search(r'<section id="changes".*?</section>', html, re.S)
    assert found, "the report has no section on changes"
    return found.group(0)


def signed(value: float) -> str:
    if round(value, 1) == 0:
        return format_decimal(0.0, "#,##0.0", locale="de")
    return ("+" if value > 0 else "-") + expected(abs(value), "estimate", False, "de", "mean")


def test_every_number_of_the_section_is_recomputed_from_both_results_tables(waves):
    earlier, now, out = waves
    before, after = results(earlier), results(now)
    df = min(json_df(earlier), json_df(now))
    t = stats.t.ppf(0.975, df)
    page = read_page_from(section_html(out))
    assert page.figures
    checked = 0
    for (ref, text), style in zip(page.figures, page.styles, strict=True):
        key, column = ref.rsplit("|", 1)
        changes = key.startswith("changes:")
        key = key.removeprefix("changes:")
        old, new = before.loc[key], after.loc[key]
        assert "suppressed" not in old["flags"] and "suppressed" not in new["flags"], ref
        share = new["kind"] in SHARE_KINDS
        diff = new["estimate"] - old["estimate"]
        se = math.hypot(new["se"], old["se"])
        value = {"estimate": new["estimate"], "estimate_previous": old["estimate"],
                 "change": diff, "ci_low": diff - t * se, "ci_high": diff + t * se}[column]
        if column in ("estimate", "estimate_previous"):
            assert changes == (column == "estimate_previous"), ref
            assert text == expected(value, "estimate", share, "de", style), ref
        elif share:
            number = signed(value * 100)
            assert text == (f"{number} Prozentpunkte" if column == "change" else number), ref
        else:
            assert text == signed(value), ref
        checked += 1
    assert checked >= 10
    # every number in the section's text, in tables too, is one recomputed here
    allowed = {"2025", "95", "5", str(df), str(compared_count(before, after))}
    for key in after.index[after["breakdown"] == "total"]:
        if key not in before.index:
            continue
        old, new = before.loc[key], after.loc[key]
        share = new["kind"] in SHARE_KINDS
        diff = new["estimate"] - old["estimate"]
        se = math.hypot(new["se"], old["se"])
        for value in (old["estimate"], new["estimate"]):
            allowed.add(expected(value, "estimate", share, "de", "percent" if share
                                 else "mean").split("\u00a0")[0])
            allowed.add(expected(value, "estimate", False, "de", "whole"))
            allowed.add(expected(value, "estimate", False, "de", "year"))
        for value in (diff, diff - t * se, diff + t * se):
            allowed.add(signed(value * 100 if share else value))
    allowed.add(str(sum(1 for _ in clear_rows(now))))
    words = " ".join(page.text)
    for number in re.findall(r"[+-]?\d[\d.,]*\d|[+-]?\d", words):
        assert number in allowed, number


def compared_count(before, after) -> int:
    count = 0
    for key in after.index[after["breakdown"] == "total"]:
        if key not in before.index or (key.startswith("role|") and key.endswith("|events")):
            continue
        if "suppressed" in before.loc[key, "flags"] + after.loc[key, "flags"]:
            continue
        count += 1
    return count


def clear_rows(project: Path):
    changes = pd.read_csv(project / "results" / "changes.csv", dtype=str,
                          keep_default_na=False)
    return [r for _, r in changes.iterrows()
            if r["breakdown"] == "total" and r["significant"] == "yes"]


def json_df(project: Path) -> int:
    import json
    return json.loads((project / "results" / "run.json").read_text())["degrees_of_freedom"]


def read_page_from(html: str):
    from html_pages import Page
    page = Page()
    page.feed(html)
    return page


def test_the_clear_change_is_named_and_the_rest_is_no_clear_change(waves):
    _, now, out = waves
    text = re.sub(r"\s+", " ", " ".join(read_page_from(section_html(out)).text))
    assert "Was sich seit 2025 verändert hat" in text
    assert "Gestiegen seit 2025: „Supervision“" in text
    assert "keine deutliche Veränderung" in text
    changes = pd.read_csv(now / "results" / "changes.csv", dtype=str, keep_default_na=False)
    total = changes[changes["breakdown"] == "total"]
    row = total[(total["indicator"] == "support") & (total["category"] == "supervision")]
    assert row["significant"].iloc[0] == "yes"
    for _, r in total.iterrows():
        if r["ci_low"] and float(r["ci_low"]) <= 0 <= float(r["ci_high"]):
            assert r["significant"] != "yes", r["category"]


def test_differing_codes_are_listed_and_only_matching_codes_compared(waves):
    _, now, out = waves
    changes = pd.read_csv(now / "results" / "changes.csv", dtype=str, keep_default_na=False)
    role = changes[changes["indicator"] == "role"]
    events = role[role["category"] == "events"]
    assert (events["change"] == "").all()
    assert events["flags"].str.contains("codes-differ").all()
    assert "vol_role.events: code 7 in 2025, 3 now" in events["codes"].iloc[0]
    others = role[role["category"] != "events"]
    assert len(others) and (others["change"] != "").all()
    assert others["flags"].str.contains("codes-differ").all()
    unaffected = changes[changes["indicator"] == "support"]
    assert not unaffected["flags"].str.contains("codes-differ").any()
    text = re.sub(r"\s+", " ", " ".join(read_page_from(section_html(out)).text))
    assert "anders codiert sind als 2025, werden nicht verglichen" in text
    assert "Veranstaltungen" in text


def test_suppressed_cells_stay_suppressed_in_the_change(waves):
    earlier, now, _ = waves
    before, after = results(earlier), results(now)
    changes = pd.read_csv(now / "results" / "changes.csv", dtype=str, keep_default_na=False)
    for _, row in changes.iterrows():
        key = f"{row['indicator']}|{row['breakdown']}|{row['group']}|{row['category']}"
        if "suppressed" in before.loc[key, "flags"] or "suppressed" in after.loc[key, "flags"]:
            assert row["change"] == row["estimate"] == row["estimate_previous"] == ""
            assert "suppressed" in row["flags"]


def test_the_slides_have_the_changes(waves):
    out = waves[2]
    deck = Presentation(str(out / "slides.pptx"))
    titles = [s.shapes[0].text_frame.text for s in deck.slides if s.shapes]
    assert "Was sich seit 2025 verändert hat" in titles
    slide = deck.slides[titles.index("Was sich seit 2025 verändert hat")]
    tables = [s for s in slide.shapes if s.has_table]
    assert tables and "Supervision" in tables[0].table.cell(1, 0).text


@pytest.mark.parametrize("problem", ["missing", "empty"])
def test_a_previous_wave_that_is_not_there_stops_analyse_and_report(waves, tmp_path, problem):
    _, now, _ = waves
    project = tmp_path / "wave"
    shutil.copytree(now, project)
    plan = project / PLAN
    if problem == "empty":
        (tmp_path / "empty-results").mkdir()
        target = "../../empty-results"
    else:
        target = "../../no-such-wave/results"
    plan.write_text(plan.read_text(encoding="utf-8").replace("../../wave-2025/results", target),
                    encoding="utf-8")
    line = plan.read_text(encoding="utf-8").splitlines().index(f"  results: {target}") + 1
    for outcome in (analyse(project), run("report", project, "--plan", plan)):
        assert outcome.exit_code == 1
        assert f"volunteers.yaml:{line}:" in outcome.output
        assert ("not found" if problem == "missing" else "has no results.csv") \
            in outcome.output
