"""The demo's steps: the jobs the commands run (survey.jobs), in the order a survey team would
run them, with what each made and a closing summary."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from survey.demo.earlier_wave import LABEL, make_earlier_wave
from survey.demo.folder import (
    PLAN,
    QUESTIONNAIRE,
    SAMPLE_FILES,
    copy_inputs,
    prepare_folder,
)
from survey.demo.imported import imported_lines
from survey.demo.outputs import OUTPUTS, where
from survey.demo.port import TRIES, free_port
from survey.export.run import export_project
from survey.jobs.analyse import analyse
from survey.jobs.codebook import codebook
from survey.jobs.ingest import IngestJob, ingest
from survey.jobs.paper import PaperJob, print_forms
from survey.project import Project
from survey.report.make import ReportRequest, make_report
from survey.user_error import UserError

HOST = "127.0.0.1"


@dataclass(frozen=True)
class DemoRequest:
    """What `survey demo` makes and where: the folder to fill, the form's port, and the languages
    and sample files to use."""

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
    run: Callable[[], list[str]]
    """The step's job; what it made, in lines to show. Raises a UserError to stop the demo."""


def _steps(request: DemoRequest, samples: list[Path], languages: tuple[str, ...]) -> list[Step]:
    folder = request.folder
    plan = folder / PLAN
    questionnaire = folder / QUESTIONNAIRE

    def paper() -> list[str]:
        printed = print_forms(PaperJob(questionnaire, folder / "paper", languages,
                                       request.bilingual))
        return [f"{'+'.join(variant)}: {made.pdf} ({made.pages} pages)"
                for variant, made in printed.forms]

    def analysis() -> list[str]:
        done = analyse(folder, plan, folder / "results")
        return [f"analysed {done.responses} responses into {folder / 'results'}"]

    def report(audience: str) -> list[str]:
        return [f"wrote {path}" for path in make_report(ReportRequest(folder, plan, audience))]

    def export(file_format: str) -> list[str]:
        return [f"wrote {path}" for path in export_project(folder, file_format).written]

    def codebook_step() -> list[str]:
        made = codebook(questionnaire, "html", folder, folder / "exports"
                        / f"{questionnaire.stem}-codebook.html")
        return [f"wrote {made.path}"]

    return [
        Step(f"Paper forms in {len(languages)} languages and {' and '.join(request.bilingual)}",
             paper),
        Step(f"Importing {len(samples)} sample files",
             lambda: imported_lines(ingest(IngestJob(folder, tuple(samples), user="demo")))),
        Step(f"Earlier wave ({LABEL}) from the sample generator, for the comparison",
             lambda: make_earlier_wave(folder)),
        Step("Needs-assessment analysis", analysis),
        Step("Council report, one-pagers and tables", lambda: report("council")),
        Step("Conference slides and chart pack", lambda: report("conference")),
        Step("SPSS export", lambda: export("sav")),
        Step("Stata export", lambda: export("dta")),
        Step("Codebook", codebook_step),
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
    """Run every step of the demo into `request.folder`, printing what each made; returns the
    exit code (1 when a step stopped or an output is missing)."""
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
            made = step.run()
        except UserError as error:  # said here, so the step it stopped at is said after it
            err.print(Text(f"error: {error}", style="bold red"))
            err.print(Text(f"error: the demo stopped at step {number} ({step.title}); the "
                           "message above says why", style="bold red"))
            return 1
        for line in made:
            out.print(Text(f"      {line}"))
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
