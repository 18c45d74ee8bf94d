"""The full council report (HTML + PDF + XLSX + PPTX with the chart pack) on the sample data
and on generated respondents (issue 8). Target: under 60 s on the sample data.

For each data set the results are made first (sample: `survey ingest` + `survey analyse` into
a temporary store; generated: benchmarks/analysis_plan.py's numpy generator + run_plan), then
`survey report` runs in a child process, so its seconds and its own peak memory (ru_maxrss of
the child) are measured apart from the analysis. Baseline, in the same run: the analysis of
the same data; the ratio says how the report compares with it.

    .venv/bin/python benchmarks/report.py [--respondents 100000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from analysis_plan import Generated

from survey.jobs.analyse import analyse
from survey.jobs.ingest import IngestJob, ingest
from survey.questionnaire.validate import load_questionnaire
from survey.report.make import ReportRequest, make_report
from survey.stats.plan import load_plan
from survey.stats.run_plan import run_plan, write_outputs
from survey.stats.run_record import write_run_record

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "analysis" / "needs-assessment.yaml"
SAMPLE = sorted(p for p in (ROOT / "data" / "sample").iterdir()
                if p.suffix in (".csv", ".xlsx", ".sav", ".jsonl"))
FORMATS = ("html", "pdf", "xlsx", "pptx")


def _report(project: Path, results: Path, out: Path, db_url: str | None,
            seconds: multiprocessing.Queue) -> None:
    began = time.perf_counter()
    make_report(ReportRequest(project, PLAN, "council", None, FORMATS, results, out, db_url))
    seconds.put(time.perf_counter() - began)


def timed_report(project: Path, results: Path, out: Path, db_url: str | None
                 ) -> tuple[float, float]:
    """Seconds and peak MB of the report, made in a child process of its own."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_report, args=(project, results, out, db_url, queue))
    child.start()
    child.join()
    if child.exitcode != 0:
        sys.exit(f"the report failed (exit code {child.exitcode})")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return queue.get(), peak


def project_folder(base: Path) -> Path:
    (base / "questionnaires").mkdir(parents=True)
    shutil.copy(ROOT / "questionnaires" / "zusammen.yaml", base / "questionnaires")
    return base


def sample(base: Path) -> tuple[float, float, float]:
    project = project_folder(base / "sample")
    db = f"sqlite:///{base / 'sample' / 'store.sqlite'}"
    ingest(IngestJob(project, tuple(SAMPLE), user="benchmark", db_url=db))
    began = time.perf_counter()
    analyse(project, PLAN, base / "sample" / "results", db)
    analysing = time.perf_counter() - began
    seconds, peak = timed_report(project, base / "sample" / "results",
                                 base / "sample" / "out", db)
    return analysing, seconds, peak


def generated(base: Path, respondents: int) -> tuple[float, float, float]:
    project = project_folder(base / "generated")
    questionnaire = load_questionnaire(ROOT / "questionnaires" / "zusammen.yaml")
    plan = load_plan(PLAN, questionnaire)
    dataset = Generated(questionnaire, respondents).dataset()
    began = time.perf_counter()
    result = run_plan(plan, dataset)
    results = base / "generated" / "results"
    write_outputs(result, results)
    analysing = time.perf_counter() - began
    returns = pd.DataFrame({"mode": ["web"], "language": ["de"], "accepted": [respondents],
                            "quarantined": [0], "duplicate": [0], "withdrawn": [0]})
    write_run_record(result, {}, returns, results)
    seconds, peak = timed_report(project, results, base / "generated" / "out", None)
    return analysing, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        rows = [("sample data (1,466 accepted)", *sample(base))]
        rows.append((f"generated, {args.respondents:,} respondents",
                     *generated(base, args.respondents)))
    print(f"council report, formats {','.join(FORMATS)} (target: < 60 s on the sample data)")
    for name, analysing, seconds, peak in rows:
        print(f"  {name}: report {seconds:6.1f} s, peak {peak:6.0f} MB (child process); "
              f"baseline survey analyse {analysing:6.1f} s; ratio report/analyse "
              f"{seconds / analysing:4.1f}")


if __name__ == "__main__":
    main()
