"""A project with only a handful of returns still gets its report: figures that cannot be
computed from so few answers (a median's interval) are shown as not computable, not a crash."""

from pathlib import Path

from support import run


def test_a_median_without_interval_is_shown_as_not_computable(tmp_path: Path) -> None:
    root = tmp_path / "project"
    assert run("init", root).exit_code == 0
    (root / "returns.csv").write_text(
        "consent,area,arrival_year,needs,used_counselling,counselling_rating,comments\n"
        "yes,north,2015,german,yes,good,a\n"
        "yes,north,2019,work,no,,b\n"
        "yes,south,2021,housing,yes,ok,c\n", encoding="utf-8")
    assert run("ingest", root, root / "returns.csv").exit_code == 0
    plan = root / "analysis" / "needs.yaml"  # a pilot's three returns, published as they are
    plan.write_text(plan.read_text(encoding="utf-8").replace("min_cell: 10", "min_cell: 1")
                    .replace("low_base: 30", "low_base: 2"), encoding="utf-8")
    assert run("analyse", root).exit_code == 0
    made = run("report", root, "--format", "html", "--out", tmp_path / "out")
    assert made.exit_code == 0, made.output
    assert "Traceback" not in made.output
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "2019" in html  # the median itself is reported, its interval as not computable
