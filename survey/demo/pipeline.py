"""The demo's steps: the same library functions the commands call, in the order a survey
team would run them, with progress and a closing summary."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.text import Text

from survey.codebook.command import run_codebook
from survey.demo.earlier_wave import LABEL, make_earlier_wave
from survey.demo.folder import (
    PLAN,
    QUESTIONNAIRE,
    SAMPLE_FILES,
    copy_inputs,
    prepare_folder,
)
from survey.demo.outputs import OUTPUTS, where
from survey.demo.port import TRIES, free_port
from survey.export.command import run_export
from survey.ingest.command import EXIT_QUARANTINED, run_ingest
from survey.paper.command import run_paper
from survey.project import Project
from survey.report.command import ReportRequest, run_report
from survey.stats.command import run_analysis
from survey.user_error import UserError

HOST = "127.0.0.1"


@dataclass(frozen=True)
class DemoRequest:
    folder: Path
    force: bool = False
    port: int = 8080
    languages: tuple[str, ...] = ()
    """Paper forms in these languages; () for every language of the questionnaire."""
    bilingual: tuple[str, ...] = ("de+ar",)
    samples: tuple[str, ...] = SAMPLE_FILES
    """Names of files in data/sample/ to import (a reduced set keeps tests quick)."""


@dataclass(frozen=True)
class Step:
    title: str
    run: Callable[[], int]
    accepted: frozenset[int] = field(default_factory=lambda: frozenset({0}))


def _steps(request: DemoRequest, samples: list[Path], languages: tuple[str, ...]) -> list[Step]:
    folder = request.folder
    plan = folder / PLAN
    questionnaire = folder / QUESTIONNAIRE
    return [
        Step(f"Paper forms in {len(languages)} languages and {' and '.join(request.bilingual)}",
             lambda: run_paper(questionnaire, languages, request.bilingual, None, None,
                               folder / "paper")),
        # The sample files plant problems on purpose: quarantined rows are part of the tour.
        Step(f"Importing {len(samples)} sample files",
             lambda: run_ingest(folder, tuple(samples), survey_id=None, mapping=None,
                                sheet=None, encoding=None, dry_run=False, user="demo",
                                db_url=None),
             frozenset({0, EXIT_QUARANTINED})),
        Step(f"Earlier wave ({LABEL}) from the sample generator, for the comparison",
             lambda: make_earlier_wave(folder)),
        Step("Needs-assessment analysis",
             lambda: run_analysis(folder, plan, folder / "results", None)),
        Step("Council report, one-pagers and tables",
             lambda: run_report(ReportRequest(folder, plan, "council"), None)),
        Step("Conference slides and chart pack",
             lambda: run_report(ReportRequest(folder, plan, "conference"), None)),
        Step("SPSS export", lambda: run_export(folder, "sav")),
        Step("Stata export", lambda: run_export(folder, "dta")),
        Step("Codebook", lambda: run_codebook(questionnaire, "html", folder, folder / "exports"
                                              / f"{questionnaire.stem}-codebook.html", None)),
    ]


def survey_command() -> str:
    """How to call `survey` from here: `make demo` users have it in .venv/bin, not on PATH."""
    beside = Path(sys.executable).parent / "survey"
    if shutil.which("survey") or not beside.is_file():
        return "survey"
    return os.path.relpath(beside)


def _online_form(request: DemoRequest, survey_id: str, out: Console) -> None:
    serve = f"{survey_command()} serve {request.folder}"
    port = free_port(HOST, request.port)
    if port is None:
        out.print(Text(f"Online form: ports {request.port}–{request.port + TRIES - 1} are all "
                       f"in use; start it on another with  {serve} --port N", style="yellow"))
        return
    if port != request.port:
        out.print(Text(f"port {request.port} is in use; port {port} is free", style="yellow"))
    option = "" if port == 8080 else f" --port {port}"
    out.print(f"Online form: start it with  {serve}{option}  then open "
              f"http://{HOST}:{port}/s/{survey_id}/ (staff pages: /admin/, /entry/)")


def run_demo(request: DemoRequest) -> int:
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    prepare_folder(request.folder, request.force)
    samples = copy_inputs(request.folder, request.samples)
    questionnaire = Project(request.folder).questionnaire()
    steps = _steps(request, samples, request.languages or questionnaire.languages)
    started = time.perf_counter()
    for number, step in enumerate(steps, 1):
        out.print(Text(f"[{number}/{len(steps)}] {step.title}", style="bold"))
        began = time.perf_counter()
        try:
            code = step.run()
        except UserError as error:  # said here, so the step it stopped at is said after it
            err.print(Text(f"error: {error}", style="bold red"))
            code = 1
        if code not in step.accepted:
            err.print(Text(f"error: the demo stopped at step {number} ({step.title}); the "
                           "messages above say why", style="bold red"))
            return 1
        out.print(Text(f"      done in {time.perf_counter() - began:.1f} s", style="green"))
    missing = [f"{o.label}: {', '.join(gaps)}" for o in OUTPUTS
               if (gaps := o.missing(request.folder))]
    if missing:
        err.print(Text("error: the demo did not make every output:\n  " + "\n  ".join(missing),
                       style="bold red"))
        return 1
    out.print(Text(f"\nThe demo made, in {time.perf_counter() - started:.0f} s:", style="bold"))
    for output in OUTPUTS:
        out.print(f"  {output.label}: {where(output, request.folder)}")
    _online_form(request, questionnaire.id, out)
    out.print(f"{request.folder} is a survey project: survey commands run inside it without "
              "paths, e.g. survey report --audience organisation --lang en")
    return 0
