"""`survey report` in every format (HTML + PDF + XLSX + PPTX with the chart pack) with and
without a previous wave (the plan's previous_wave, the section "What changed since …"), on the
sample data and on generated respondents.

Results are made first, outside the timing: the sample through `survey ingest` + `survey
analyse`, its earlier wave from data/sample/generate.py with another seed (two of its files);
generated data with benchmarks/analysis_plan.py's generator (another seed for the earlier
wave) + run_plan. The changes table (changes.csv) is made with the analysis, as `survey
analyse` does; its seconds are printed apart. Each report runs in a child process of its own
(benchmarks/report.py's timed_report), so seconds and peak memory (ru_maxrss of the children;
the largest so far, so runs go smallest first) are the report's own.

    .venv/bin/python benchmarks/report_scale.py [--respondents 100000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from analysis_plan import Generated
from report import FORMATS, PLAN, ROOT, SAMPLE, project_folder

from survey.jobs.analyse import analyse
from survey.jobs.ingest import IngestJob, ingest
from survey.questionnaire.validate import load_questionnaire
from survey.report.make import ReportRequest, make_report
from survey.stats.plan import load_plan
from survey.stats.run_plan import run_plan, write_outputs
from survey.stats.run_record import write_run_record
from survey.stats.waves import write_changes

EARLIER = ("online.jsonl", "kobo_export.csv")


def _report(project: Path, plan: Path, results: Path, out: Path, db_url: str | None,
            seconds: multiprocessing.Queue) -> None:
    began = time.perf_counter()
    make_report(ReportRequest(project, plan, "council", None, FORMATS, results, out, db_url))
    seconds.put(time.perf_counter() - began)


def timed_report(project: Path, plan: Path, results: Path, out: Path, db_url: str | None
                 ) -> tuple[float, float]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_report, args=(project, plan, results, out, db_url, queue))
    child.start()
    child.join()
    if child.exitcode != 0:
        sys.exit(f"the report failed (exit code {child.exitcode})")
    return queue.get(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def with_previous(folder: Path, previous: Path) -> Path:
    """A copy of the plan (and its margins) naming `previous` as the earlier wave."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("needs-assessment.yaml", "saxony-margins.yaml"):
        (folder / name).write_text((PLAN.parent / name).read_text(encoding="utf-8"),
                                   encoding="utf-8")
    plan = folder / "needs-assessment.yaml"
    with plan.open("a", encoding="utf-8") as file:
        file.write(f"\nprevious_wave:\n  results: {previous}\n  label: \"2025\"\n")
    return plan


def sample(base: Path) -> list[tuple[str, float, float, float]]:
    sys.path.insert(0, str(ROOT / "data" / "sample"))
    import generate

    earlier = project_folder(base / "earlier")
    generate.generate(base / "earlier" / "data", seed=20250503)
    db_earlier = f"sqlite:///{base / 'earlier' / 'store.sqlite'}"
    ingest(IngestJob(earlier, tuple(base / "earlier" / "data" / f for f in EARLIER),
                     user="benchmark", db_url=db_earlier))
    analyse(earlier, PLAN, base / "earlier" / "results", db_earlier)
    project = project_folder(base / "sample")
    db = f"sqlite:///{base / 'sample' / 'store.sqlite'}"
    ingest(IngestJob(project, tuple(SAMPLE), user="benchmark", db_url=db))
    rows = []
    for name, plan in (("without", PLAN), ("with", with_previous(
            base / "sample" / "analysis", base / "earlier" / "results"))):
        results = base / "sample" / f"results-{name}"
        began = time.perf_counter()
        analyse(project, plan, results, db)
        analysing = time.perf_counter() - began
        seconds, peak = timed_report(project, plan, results, base / "sample" / f"out-{name}",
                                     db)
        rows.append((f"sample data, {name} previous wave", analysing, seconds, peak))
    return rows


def _analyse(plan_file: Path, questionnaire, respondents: int, seed: int, results: Path
             ) -> tuple[float, float]:
    """Seconds of run_plan + writing, and of the changes table alone."""
    plan = load_plan(plan_file, questionnaire)
    dataset = Generated(questionnaire, respondents, seed).dataset()
    began = time.perf_counter()
    result = run_plan(plan, dataset)
    write_outputs(result, results)
    returns = pd.DataFrame({"mode": ["web"], "language": ["de"], "accepted": [respondents],
                            "quarantined": [0], "duplicate": [0], "withdrawn": [0]})
    write_run_record(result, {}, returns, results)
    analysing = time.perf_counter() - began
    began = time.perf_counter()
    write_changes(plan, results)
    return analysing, time.perf_counter() - began


def generated(base: Path, respondents: int) -> list[tuple[str, float, float, float]]:
    project = project_folder(base / "generated")
    questionnaire = load_questionnaire(ROOT / "questionnaires" / "zusammen.yaml")
    _analyse(PLAN, questionnaire, respondents, 2025, base / "generated" / "earlier")
    rows = []
    for name, plan in (("without", PLAN), ("with", with_previous(
            base / "generated" / "analysis", base / "generated" / "earlier"))):
        results = base / "generated" / f"results-{name}"
        analysing, changes = _analyse(plan, questionnaire, respondents, 2026, results)
        if name == "with":
            print(f"  changes.csv for {respondents:,} respondents: {changes:.2f} s")
        seconds, peak = timed_report(project, plan, results,
                                     base / "generated" / f"out-{name}", None)
        rows.append((f"generated, {respondents:,} respondents, {name} previous wave",
                     analysing, seconds, peak))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        rows = sample(base) + generated(base, args.respondents)
    print(f"council report, formats {','.join(FORMATS)}")
    for name, analysing, seconds, peak in rows:
        print(f"  {name}: report {seconds:6.1f} s, peak {peak:6.0f} MB (largest child so "
              f"far); survey analyse {analysing:6.1f} s")


if __name__ == "__main__":
    main()
