"""`survey report`: from the results folder to the documents an organisation publishes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from survey.project import Project
from survey.report.build import AUDIENCES, Builder, build_document, make_builder
from survey.report.errors import ReportError
from survey.report.html_report import write_pages
from survey.report.load_results import Results, analyse_command, load_results
from survey.report.maps import read_area_shapes
from survey.report.project_facts import FACTS_FILE, Facts, quote_id, read_facts
from survey.report.texts import Texts, load_texts
from survey.report.xlsx_tables import write_tables
from survey.stats.disclosure import LOW_BASE, SUPPRESSED
from survey.stats.plan import load_plan, read_questionnaire_id
from survey.stats.run_record import store_fingerprint
from survey.store.store import STORE_FILE

FORMATS = ("html", "pdf", "xlsx", "pptx")
DEFAULT_FORMATS = {"council": ("html", "pdf", "xlsx"), "organisation": ("html", "pdf", "xlsx"),
                   "conference": ("pptx",)}


@dataclass(frozen=True)
class ReportRequest:
    """What `survey report` publishes: which project and plan, for which audience, in which
    language and formats; with `check`, only what is missing for it."""

    project: Path
    plan_file: Path
    audience: str = "council"
    language: str | None = None
    """None: the plan's language."""
    formats: tuple[str, ...] | None = None
    """None: the audience's usual formats (DEFAULT_FORMATS)."""
    results: Path | None = None
    """None: PROJECT/results."""
    out: Path | None = None
    """None: PROJECT/published/AUDIENCE-LANGUAGE."""
    db_url: str | None = None
    check: bool = False
    """List what is missing for a publishable report instead of writing it."""


def parse_formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ReportError(f"unknown report format {', '.join(unknown) or '(none)'}; choose "
                          f"from {','.join(FORMATS)}, e.g. --format html,pdf")
    return chosen


def _store_state(project: Project, questionnaire_id: str,
                 db_url: str | None) -> dict[str, Any] | None:
    """The store's fingerprint now; None when the project's store is not here (results
    copied to another machine), which a report does not need."""
    if db_url is None and not (project.root / STORE_FILE).is_file():
        return None
    store = project.store(db_url)
    try:
        return store_fingerprint(store, questionnaire_id)
    finally:
        store.close()


def _caveats(builder: Builder) -> list[str]:
    t, flags = builder.t, builder.table["flags"]
    found = [t("slides.caveat_interval", level=builder.level)]
    if flags.str.contains(LOW_BASE, regex=False).any():
        found.append(t("slides.caveat_low_base", low_base=builder.low_base))
    if flags.str.contains(SUPPRESSED, regex=False).any():
        found.append(t("slides.caveat_suppressed", min_cell=builder.min_cell))
    if builder.run.get("illustrative"):
        found.append(t("illustrative_warning"))
    return found


@dataclass(frozen=True)
class Prepared:
    """Everything a report is made from, read and checked, before anything is written."""

    builder: Builder
    texts: Texts
    facts: Facts
    results: Results
    language: str


def prepare(request: ReportRequest) -> Prepared:
    """Read and check the plan, the results, the texts and reports/report.yaml. Raises
    ReportError (or the project's, plan's and store's own errors) saying what to do."""
    if request.audience not in AUDIENCES:
        raise ReportError(f"unknown audience '{request.audience}'; choose one of "
                          f"{', '.join(AUDIENCES)}")
    project = Project(request.project)
    questionnaire = project.questionnaire(read_questionnaire_id(request.plan_file))
    plan = load_plan(request.plan_file, questionnaire)
    language = request.language or plan.language
    texts = load_texts(language)
    if language not in questionnaire.languages:
        raise ReportError(f"{questionnaire.file}: the questionnaire has no texts in "
                          f"'{language}', so its questions and answers would appear in another "
                          f"language; choose one of {', '.join(questionnaire.languages)} with "
                          "--lang, or translate the questionnaire")
    facts = read_facts(request.project, language, texts.flat(),
                       {i.id for i in plan.indicators})
    texts = texts.with_overrides(facts.texts)
    folder = request.results or request.project / "results"
    command = analyse_command(request.project, request.plan_file, folder, request.db_url)
    results = load_results(folder, plan, _store_state(project, questionnaire.id,
                                                      request.db_url), command)
    builder = make_builder(results, plan, language, texts, request.audience, facts)
    if builder.area is not None:
        builder.area_shapes = read_area_shapes(request.project, facts.map, plan, builder.area,
                                               [g for g, _ in builder.groups(builder.area)])
    return Prepared(builder, texts, facts, results, language)


def make_report(request: ReportRequest) -> list[Path]:
    """Every document asked for; the paths written. Raises ReportError (or the project's,
    plan's and store's own errors) with a message saying what to do, before anything is
    written."""
    prepared = prepare(request)
    builder, texts, language = prepared.builder, prepared.texts, prepared.language
    formats = parse_formats(",".join(request.formats)) if request.formats else \
        DEFAULT_FORMATS[request.audience]
    out = request.out or request.project / "published" / f"{request.audience}-{language}"
    doc = build_document(builder)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "html" in formats or "pdf" in formats:
        pages = write_pages(doc, out, request.project / "reports", texts("one_pagers"),
                            texts("contents"))
        written += pages
        if "pdf" in formats:
            from survey.report.pdf import write_pdf

            for page in pages:
                write_pdf(page, page.with_suffix(".pdf"))
                written.append(page.with_suffix(".pdf"))
    if "xlsx" in formats:
        written.append(write_tables(builder, texts, out))
    if "pptx" in formats:
        from survey.report.slides import write_chart_pack, write_slides

        method = next((s.paragraphs for s in doc.sections if s.key == "methodology"), [])
        written.append(write_slides(doc, texts, out, builder.n.count(builder.run["respondents"]),
                                    _caveats(builder), method, builder.method_points()))
        written.append(write_chart_pack(doc.all_charts, out))
    return written


def check_report(request: ReportRequest) -> tuple[list[str], list[str]]:
    """What is missing for a publishable report in the request's language, and the scrubbed
    open answers a project can approve as quotes ("id  question: answer"). Bad input raises,
    as for the report itself."""
    prepared = prepare(request)
    facts, builder, language = prepared.facts, prepared.builder, prepared.language
    run = prepared.results.run
    missing: list[str] = []
    where = request.project / FACTS_FILE
    if facts.file is None:
        missing.append(f"{where} does not exist: write it from the template in "
                       "docs/howto-reports.md (survey init makes one)")
    for key in facts.missing(bool(run.get("weighted"))):
        missing.append(f"{where}: '{language}: {key}:' is not given, so the report says "
                       "nothing about it")
    if not facts.recommendations:
        missing.append(f"{where}: '{language}: recommendations:' is not given: the summary "
                       "ends without the project's recommendations")
    if run.get("illustrative"):
        missing.append(f"{request.plan_file}: the weighting targets (its margins file) are "
                       "marked illustrative: the report carries a warning until official "
                       "figures are used")
    try:
        build_document(builder)
    except ReportError as error:
        missing.append(str(error))
    candidates = []
    answers = prepared.results.open_answers
    if answers is not None:
        approved = {q.id for q in facts.quotes}
        seen: set[str] = set()
        for _, row in answers.iterrows():
            ident = quote_id(row["question"], row["answer"])
            if ident not in seen and ident not in approved:
                seen.add(ident)
                candidates.append(f"{ident}  {builder.open_question(row['question'], answers)}"
                                  f": {row['answer']}")
        if not facts.quotes:
            missing.append(f"{where}: no quotes approved in '{language}: quotes:'; open "
                           "answers appear only as approved quotes (ids listed above)")
    return missing, candidates
