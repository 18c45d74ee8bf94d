"""HTML pages (the report and the one-pagers) from jinja2 templates, autoescape always on.

A project overrides any template, or the stylesheet, by putting a file of the same name in its
`reports/` folder: the project's folder is searched first. The pages use only their own files
beside them (the stylesheet under assets/, the charts under charts/), so the folder can be put
on a web server or mailed as it is, and the PDF renderer needs nothing else.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from survey.report.charts import render
from survey.report.document import Chart, Document
from survey.report.errors import ReportError
from survey.report.maps import write_maps

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = "report.css"
ASSETS = "assets"
CHARTS = "charts"
REPORT_PAGE = "report.html"
ONE_PAGERS_PAGE = "one-pagers.html"


def environment(project_reports: Path | None) -> Environment:
    folders = [project_reports] if project_reports is not None and project_reports.is_dir() \
        else []
    # sandboxed: the project's templates may run no Python (no attribute walks to os, no
    # unsafe methods), whoever put them into reports/
    return SandboxedEnvironment(loader=FileSystemLoader([*folders, TEMPLATES]), autoescape=True,
                                undefined=StrictUndefined)


def stylesheet(project_reports: Path | None) -> Path:
    own = project_reports / STYLESHEET if project_reports is not None else None
    return own if own is not None and own.is_file() else TEMPLATES / STYLESHEET


def write_charts(charts: list[Chart], folder: Path) -> dict[str, str]:
    """Chart id -> the SVG's path relative to the page; charts with nothing published are
    left out (the page shows their note)."""
    written = {}
    for chart in charts:
        if chart.id in written or chart.empty:
            continue
        render(chart, folder / CHARTS / f"{chart.id}.svg")
        written[chart.id] = f"{CHARTS}/{chart.id}.svg"
    return written


def write_pages(doc: Document, out: Path, project_reports: Path | None,
                one_pagers_heading: str, contents: str) -> list[Path]:
    """report.html and one-pagers.html in `out`, with their stylesheet and charts."""
    out.mkdir(parents=True, exist_ok=True)
    (out / ASSETS).mkdir(exist_ok=True)
    shutil.copyfile(stylesheet(project_reports), out / ASSETS / STYLESHEET)
    charts = write_charts(doc.all_charts, out)
    charts |= write_maps([*(m for s in doc.sections for m in s.maps),
                          *(p.map for p in doc.one_pagers if p.map is not None)], out)
    env = environment(project_reports)
    common = {"doc": doc, "charts": charts, "stylesheet": f"{ASSETS}/{STYLESHEET}",
              "contents": contents, "heading": one_pagers_heading}
    written = []
    pages = [("report.html.j2", REPORT_PAGE)]
    if doc.one_pagers:
        pages.append(("one_pagers.html.j2", ONE_PAGERS_PAGE))
    for template, name in pages:
        try:
            html = env.get_template(template).render(**common)
        except TemplateError as error:
            filename, lineno = getattr(error, "filename", None), getattr(error, "lineno", None)
            where = f"{filename}:{lineno}: " if filename else ""
            raise ReportError(f"{where}the report template {template} cannot be used: "
                              f"{error}. Fix the override in reports/ or remove it.") from None
        (out / name).write_text(html, encoding="utf-8")
        written.append(out / name)
    return written
