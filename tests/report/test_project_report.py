"""Two projects' own surveys, not the flagship: survey init, the project's own questionnaire
and plan, generated returns, ingest, analyse, then the council report and the conference
slides in German and English. The report says about the survey only what the project said,
writes years as years and means with their scale, words headlines by the indicator's kind,
keeps developer notation, ids and the other report language out of what a council or a
conference sees, and writes tagged PDFs.

The projects: a volunteers' network asking its volunteers (tests/report/volunteers/) and a
tenants' initiative asking the households of its part of town about their housing
(tests/report/housing/). Every test about what any report must do runs for both; tests about
one project's findings use that project alone."""

import csv
import functools
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
import yaml
from html_pages import read_page
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pptx import Presentation
from pypdf import PdfReader
from support import run

from survey.report.charts import _bars, _quadrant
from survey.report.document import Bar, Chart, Point
from survey.report.project_facts import quote_id
from survey.report.texts import TEXTS_DIR

NOTATION = [re.compile(r"\$\{"), re.compile(":="), re.compile(r"\[[^\]]*·[^\]]*\]")]
YEAR_WITH_SEPARATOR = re.compile(r"\b(?:19|20)\d{2}[.,]\d|\b[12][.,\u00a0\u202f]\d{3}\b")
CLAIMS = ("Migrantenorganisation", "Beratungsstellen", "Bevölkerung", "migrant organisation",
          "counselling services", "population", "reached through", "wurden über")
FILE_NAMES = ("results.csv", "run.json", "report.yaml", "__")


@dataclass(frozen=True)
class Spec:
    """One project: its files, its returns and what its report.yaml says."""

    name: str
    folder: Path
    """Holds questionnaire.yaml and plan.yaml."""
    rows: int
    write_returns: Callable[[Path], None]
    comment_question: str
    approved: str
    """The open answer the project approves as a quote (German report only)."""
    withheld: str
    """An open answer it does not approve."""
    facts: dict
    ids: tuple[str, ...]
    """Ids and names a reader must never see."""
    names: frozenset[str]
    """Proper names, in both report languages."""
    published_marks: dict[str, tuple[str, ...]]
    """Words of the recommendations, per language, that the report prints."""
    scale_end: dict[str, str]
    """The labelled low end of the mean's rating scale, per language."""
    plan_label: tuple[str, str]
    """A label the plan writes itself, in German and English."""
    extra: dict = field(default_factory=dict)
    """Indicators of the numbers test: `year` and `whole` (medians), `mean` (a rating)."""
    top: dict = field(default_factory=dict)
    """report.yaml's keys besides the languages."""

    @property
    def questionnaire(self) -> Path:
        return self.folder / "questionnaire.yaml"

    @property
    def plan(self) -> Path:
        return Path("analysis") / f"{self.name}.yaml"

    def recruitment(self, language: str) -> str:
        return self.facts[language]["recruitment"]

    def fieldwork(self, language: str) -> str:
        return self.facts[language]["fieldwork"]

    def facts_text(self, quote: str) -> str:
        facts = {"format": 1, **self.top,
                 **{lang: dict(section) for lang, section in self.facts.items()}}
        facts["de"]["quotes"] = [quote]
        return yaml.safe_dump(facts, allow_unicode=True, sort_keys=False)


# --- the volunteers' network --------------------------------------------------------------

VOLUNTEER_COMMENTS = ["Mehr Austausch wäre schön.", "Die Fortbildungen helfen mir sehr.",
                      "Ruf mich an: 0170 1234567", ""]


def volunteer_returns(path: Path) -> None:
    """Returns as a partner's CSV holds them: variable names, choice names; deterministic."""
    draw = random.Random(3)
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(["consent_given", "home_area", "arrival_yr", "vol_role", "hours_month",
                      "coop_grid__welfare_office", "coop_grid__job_centre",
                      "coop_grid__schools", "overall_sat", "support_wish", "free_comment"])
        for _ in range(240):
            role = draw.choice(["mentor", "teaching", "events"])
            out.writerow([
                "yes", draw.choice(["north", "harbour", "old_town"]), draw.randint(1995, 2023),
                role, draw.randint(2, 40) if role == "mentor" else "",
                draw.choice(["bad", "ok", "good", "very_good"]),
                draw.choice(["very_bad", "bad", "ok", "good"]),
                draw.choice(["ok", "good", "very_good"]),
                draw.choice(["ok", "good", "very_good", "bad"]),
                " ".join(draw.sample(["training", "supervision", "expenses", "exchange"],
                                     draw.randint(1, 2))),
                draw.choice(VOLUNTEER_COMMENTS)])


VOLUNTEERS = Spec(
    name="volunteers", folder=Path(__file__).parent / "volunteers", rows=240,
    write_returns=volunteer_returns, comment_question="free_comment",
    approved="Mehr Austausch wäre schön.", withheld="Die Fortbildungen helfen mir sehr.",
    facts={"de": {
        "organisation": "Netzwerk Ehrenamt Nordstadt e. V.", "authors": ["Anna Beispiel"],
        "fieldwork": "2. bis 27. März 2026",
        "recruitment": "Wir haben alle 310 Ehrenamtlichen per E-Mail und bei zwei "
                       "Netzwerktreffen eingeladen.",
        "imprint": "Herausgeber: Netzwerk Ehrenamt Nordstadt e. V., Hafenstraße 1",
        "recommendations": ["Das Netzwerk bietet jedes Quartal eine Supervision an."]},
        "en": {
        "organisation": "Nordstadt Volunteer Network", "authors": ["Anna Beispiel"],
        "fieldwork": "2 to 27 March 2026",
        "recruitment": "We invited all 310 volunteers by e-mail and at two network meetings.",
        "imprint": "Published by Nordstadt Volunteer Network, Hafenstraße 1",
        "recommendations": ["The network offers supervision every quarter."]}},
    ids=("consent_given", "home_area", "arrival_yr", "vol_role", "years_active",
         "hours_month", "coop_grid", "overall_sat", "support_wish", "free_comment",
         "area_group", "welfare_office", "job_centre", "old_town", "very_good", "very_bad",
         "empty_wish", "volunteer_net", "volunteers.yaml"),
    names=frozenset({"nordstadt", "hafenstraße", "anna", "beispiel", "supervision", "holm"}),
    published_marks={"de": ("Supervision", "Quartal"), "en": ("Supervision", "quarter")},
    scale_end={"de": "Sehr schlecht", "en": "Very poor"},
    plan_label=("Stadtteil", "Part of town"),
    extra={"year": "arrival", "whole": "hours", "mean": "satisfaction"})


# --- the tenants' initiative --------------------------------------------------------------

HOUSING_COMMENTS = ["Der Spielplatz im Hof sollte repariert werden.",
                    "Die Heizung fällt jeden Winter aus.",
                    "Frau Krause von der Hausverwaltung antwortet nie.",
                    "Rufen Sie mich an: 0341 9876543", "", ""]
QUARTERS = {  # chance of each problem, by quarter: the quarters differ
    "linden_ct": {"damp_mould": .15, "heat_fail": .10, "street_noise": .20, "rent_rise": .55},
    "station_qtr": {"damp_mould": .35, "heat_fail": .45, "street_noise": .60, "rent_rise": .40},
    "water_twr": {"damp_mould": .20, "heat_fail": .15, "street_noise": .25, "rent_rise": .35},
    "estate_e": {"damp_mould": .45, "heat_fail": .30, "street_noise": .15, "rent_rise": .20},
}


LOCAL = {item: ["unsat", "mid_sat", "sat_ok", "sat_ok", "very_sat"]  # shops clearly lead
         for item in ("doctors_gp", "play_grd", "bus_tram")}
LOCAL["shops_fd"] = ["mid_sat", "sat_ok", "sat_ok", "very_sat", "very_sat"]


def housing_returns(path: Path) -> None:
    """A tenants' initiative's typed-in paper returns; deterministic, a few answers left
    blank as on paper."""
    draw = random.Random(11)
    items = ["shops_fd", "doctors_gp", "play_grd", "bus_tram"]
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(["home_qtr", "moved_yr", "hh_persons", "tenure_kind", "flat_probs",
                      "flat_sat", *(f"local_grid__{i}" for i in items), "help_want",
                      "ideas_txt"])
        for _ in range(320):
            quarter = draw.choices(list(QUARTERS), weights=[3, 3, 2, 2])[0]
            persons = draw.choices(range(1, 8), weights=[25, 25, 15, 15, 10, 6, 4])[0]
            problems = [p for p, chance in QUARTERS[quarter].items() if draw.random() < chance]
            problems += ["too_small"] if persons >= 4 and draw.random() < .6 else []
            problems += ["no_lift"] if draw.random() < .12 else []
            satisfied = max(1, min(5, 4 - len(problems) + draw.choice([-1, 0, 0, 1])))
            out.writerow([
                quarter, draw.randint(1978, 2025) if draw.random() < .95 else "",
                persons, draw.choices(["private_ll", "coop_assoc", "city_co", "owner_occ"],
                                      weights=[45, 25, 22, 8])[0],
                " ".join(problems) or "no_probs",
                ["very_unsat", "unsat", "mid_sat", "sat_ok", "very_sat"][satisfied - 1],
                *(draw.choice(LOCAL[item]) for item in items),
                " ".join(draw.sample(["rent_law", "benefit_app", "flat_swap", "interp_ll"],
                                     draw.randint(0, 2))),
                draw.choice(HOUSING_COMMENTS)])


def ids_and_names(*files: Path) -> tuple[str, ...]:
    """Every `id:` and `name:` of a questionnaire and a plan (this project's are all
    written so that no label contains one)."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            found.update(str(node[k]) for k in ("id", "name", "questionnaire") if k in node
                         and isinstance(node[k], str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in files:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return tuple(sorted(found))


HOUSING_DIR = Path(__file__).parent / "housing"
HOUSING = Spec(
    name="housing", folder=HOUSING_DIR, rows=320,
    write_returns=housing_returns, comment_question="ideas_txt",
    approved="Der Spielplatz im Hof sollte repariert werden.",
    withheld="Die Heizung fällt jeden Winter aus.",
    facts={"de": {
        "organisation": "Mieterinitiative Südstadt e. V.",
        "authors": ["Jana Kowalski", "Emre Yıldız"],
        "fieldwork": "12. Januar bis 8. Februar 2026",
        "recruitment": "Wir haben Fragebögen in alle 900 Briefkästen der Südstadt gesteckt "
                       "und an zwei Samstagen an Infoständen nachgefragt.",
        "invited": 900,
        "limitations": "Haushalte ohne Namen am Briefkasten haben keinen Bogen bekommen.",
        "imprint": "Herausgeber: Mieterinitiative Südstadt e. V., Lindenstraße 5",
        "contact": "wohnen@example.org",
        "recommendations": [
            "Die Stadt lässt die Heizungen im Bahnhofsviertel vor dem Winter prüfen.",
            "Die Initiative bietet jeden Monat eine Mietrechtsberatung an."]},
        "en": {
        "organisation": "South Side Tenants' Initiative",
        "authors": ["Jana Kowalski", "Emre Yıldız"],
        "fieldwork": "12 January to 8 February 2026",
        "recruitment": "We put questionnaires into all 900 letterboxes of the south side "
                       "and asked again at information stands on two Saturdays.",
        "invited": 900,
        "limitations": "Households without a name on their letterbox got no questionnaire.",
        "imprint": "Published by South Side Tenants' Initiative, Lindenstraße 5",
        "contact": "wohnen@example.org",
        "recommendations": [
            "The city has the heating in the station quarter checked before winter.",
            "The initiative offers advice on tenancy law every month."]}},
    ids=(*ids_and_names(HOUSING_DIR / "questionnaire.yaml", HOUSING_DIR / "plan.yaml"),
         "housing.yaml"),
    names=frozenset({"südstadt", "mieterinitiative", "lindenstraße", "lindenhof", "jana",
                     "kowalski", "emre", "yıldız", "wohnen", "example"}),
    published_marks={"de": ("Bahnhofsviertel", "Mietrechtsberatung"),
                     "en": ("station quarter", "tenancy law")},
    scale_end={"de": "Sehr unzufrieden", "en": "Very dissatisfied"},
    plan_label=("Haushaltsgröße", "Household size"),
    extra={"year": "moved_md", "whole": "persons_md", "mean": "flat_mean"},
    top={"wording": {"local_ok": "satisfaction"}})

SPECS = [VOLUNTEERS, HOUSING]


# --- building the projects ----------------------------------------------------------------

@dataclass(frozen=True)
class Made:
    spec: Spec
    project: Path
    outs: dict[tuple[str, str], Path]
    """(audience, language) -> the folder its report was written to."""

    @property
    def plan(self) -> Path:
        return self.project / self.spec.plan


def make(spec: Spec, root: Path) -> Made:
    """survey init, the project's own questionnaire and plan, returns, analyse; report.yaml
    with the project's facts and one approved quote; then the council report (every format)
    and the conference slides in German and English."""
    project = root / "project"
    assert run("init", project).exit_code == 0
    (project / "questionnaires" / "our-survey.yaml").unlink()
    (project / "analysis" / "needs.yaml").unlink()
    shutil.copyfile(spec.questionnaire, project / "questionnaires" / f"{spec.name}.yaml")
    shutil.copyfile(spec.folder / "plan.yaml", project / spec.plan)
    spec.write_returns(project / "returns.csv")
    ingested = run("ingest", project, project / "returns.csv")
    assert ingested.exit_code == 0, ingested.output
    analysed = run("analyse", project, "--plan", project / spec.plan)
    assert analysed.exit_code == 0, analysed.output
    answers = pd.read_csv(project / "results" / "open-answers.csv", dtype=str)
    approved = answers[answers["answer"] == spec.approved].iloc[0]
    (project / "reports" / "report.yaml").write_text(
        spec.facts_text(quote_id(approved["question"], approved["answer"])),
        encoding="utf-8")
    outs = {}
    for language in ("de", "en"):
        for audience in ("council", "conference"):
            out = project / "published" / f"{audience}-{language}"
            formats = "html,pdf,xlsx" if audience == "council" else "pptx"
            made = run("report", project, "--plan", project / spec.plan, "--lang", language,
                       "--audience", audience, "--format", formats, "--out", out)
            assert made.exit_code == 0, made.output
            outs[audience, language] = out
    return Made(spec, project, outs)


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    """Each project made once for the module, when a test first asks for it."""
    made: dict[str, Made] = {}

    def get(spec: Spec) -> Made:
        if spec.name not in made:
            made[spec.name] = make(spec, tmp_path_factory.mktemp(spec.name))
        return made[spec.name]

    return get


@pytest.fixture(scope="module", params=SPECS, ids=[s.name for s in SPECS])
def case(request, projects) -> Made:
    """Each project in turn: for what every project's report must do."""
    return projects(request.param)


@pytest.fixture(scope="module")
def volunteers(projects) -> Made:
    return projects(VOLUNTEERS)


@pytest.fixture(scope="module")
def housing(projects) -> Made:
    return projects(HOUSING)


# --- reading what was written -------------------------------------------------------------

@functools.cache
def council_text(out: Path) -> str:
    """Everything a reader of the council report sees: page text, alt texts, PDF text."""
    parts = []
    for name in ("report.html", "one-pagers.html"):
        if (out / name).is_file():
            page = read_page(out / name)
            parts += page.text
            parts += [a.get("alt", "") for t, a in page.tags if t == "img"]
    for name in ("report.pdf", "one-pagers.pdf"):
        if (out / name).is_file():
            parts += [p.extract_text() for p in PdfReader(out / name).pages]
    return "\n".join(parts)


@functools.cache
def slides_text(out: Path) -> str:
    deck = Presentation(str(out / "slides.pptx"))
    parts = []
    for slide in deck.slides:
        parts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        parts.append(slide.notes_slide.notes_text_frame.text)
    with (out / "chart-pack" / "alt-texts.csv").open(encoding="utf-8") as pack:
        parts += [f"{r['title']}\n{r['alt_text']}" for r in csv.DictReader(pack)]
    return "\n".join(parts)


def outputs(made: Made, language: str) -> dict[str, str]:
    return {"council": council_text(made.outs["council", language]),
            "conference": slides_text(made.outs["conference", language])}


def page_text(out: Path) -> str:
    return " ".join(read_page(out / "report.html").text)


# --- what every project's report must do --------------------------------------------------

@pytest.mark.parametrize("language", ["de", "en"])
def test_no_notation_ids_or_separated_years_reach_council_or_conference(case, language):
    for audience, text in outputs(case, language).items():
        for pattern in NOTATION:
            assert not pattern.search(text), (audience, pattern.pattern)
        for ident in (*case.spec.ids, *FILE_NAMES):
            assert ident not in text, (audience, ident)
        found = YEAR_WITH_SEPARATOR.search(text)
        assert found is None, (audience, found and text[found.start() - 40:found.end() + 40])


def catalogue_words(language: str) -> set[str]:
    tree = yaml.safe_load((TEXTS_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        else:
            text = re.sub(r"\{[^}]*\}", " ", str(node))
            found.update(w.lower() for w in re.findall(r"[^\W\d_]{3,}", text))

    walk(tree)
    return found


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}


@pytest.mark.parametrize("language, other", [("de", "en"), ("en", "de")])
def test_no_word_of_the_other_report_language(case, language, other):
    """Words of the other language's report texts that this language does not share appear
    nowhere in this language's council report or slides (the project's own sentences in this
    language are its own words)."""
    facts = case.spec.facts[language]
    own = " ".join(str(facts.get(k, "")) for k in ("recruitment", "limitations"))
    own += " ".join(facts["recommendations"])
    foreign = catalogue_words(other) - catalogue_words(language) - case.spec.names - words(own)
    for audience, text in outputs(case, language).items():
        assert not words(text) & foreign, (audience, sorted(words(text) & foreign))


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_report_states_the_projects_facts_and_no_others(case, language):
    spec = case.spec
    flat = re.sub(r"\s+", " ", council_text(case.outs["council", language]))
    assert spec.recruitment(language) in flat
    assert spec.fieldwork(language) in flat
    for author in spec.facts[language]["authors"]:
        assert author in flat
    for claim in CLAIMS:
        assert claim not in flat, claim
    page = page_text(case.outs["council", language])
    assert spec.facts[language]["imprint"].rsplit(", ", 1)[1] in page  # the imprint
    for mark in spec.published_marks[language]:
        assert mark in page, mark
    if "limitations" in spec.facts[language]:
        assert spec.facts[language]["limitations"] in re.sub(r"\s+", " ", page)


def test_without_report_yaml_nothing_about_the_survey_is_invented(case, tmp_path):
    spec, project = case.spec, case.project
    facts = project / "reports" / "report.yaml"
    kept = facts.read_text(encoding="utf-8")
    facts.unlink()
    try:
        made = run("report", project, "--plan", case.plan, "--format", "html",
                   "--out", tmp_path / "plain")
        checked = run("report", project, "--plan", case.plan, "--check")
    finally:
        facts.write_text(kept, encoding="utf-8")
    assert made.exit_code == 0, made.output
    text = page_text(tmp_path / "plain")
    for claim in (*CLAIMS, "erreicht", "Befragungszeitraum", "Impressum", "Empfehlungen",
                  "Rücklaufquote", spec.approved[:12]):
        assert claim not in text, claim
    assert f"{spec.rows} Antworten wurden in die Auswertung aufgenommen" in text
    assert checked.exit_code == 1
    for missing in ("report.yaml does not exist", "recommendations"):
        assert missing in checked.output
    approvable = quote_id(spec.comment_question, spec.approved)
    assert approvable in checked.output and "[phone]" in checked.output


def test_check_lists_what_is_still_missing(case):
    checked = run("report", case.project, "--plan", case.plan, "--check")
    assert checked.exit_code == 0, checked.output
    assert "Nothing is missing" in checked.output


def test_open_answers_only_as_approved_quotes(case):
    page = page_text(case.outs["council", "de"])
    assert case.spec.approved in page
    assert case.spec.withheld not in page and "[phone]" not in page
    assert case.spec.approved not in page_text(case.outs["council", "en"])


def figures_by_style(out: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    html = (out / "report.html").read_text(encoding="utf-8")
    for style, text in re.findall(r'data-style="([^"]+)">([^<]*)<', html):
        found.setdefault(style, []).append(text)
    return found


@pytest.mark.parametrize("language, of", [("de", "von"), ("en", "of")])
def test_numbers_carry_their_meaning(case, language, of):
    table = pd.read_csv(case.project / "results" / "results.csv", dtype={"category": str})
    total = table[(table["breakdown"] == "total")].set_index(["indicator", "category"])
    out = case.outs["council", language]
    figures = figures_by_style(out)
    year = total.loc[(case.spec.extra["year"], "p50"), "estimate"]
    assert figures["year"] and set(figures["year"]) == {str(round(year))}
    whole = total.loc[(case.spec.extra["whole"], "p50"), "estimate"]
    assert str(round(whole)) in figures["whole"]
    page = read_page(out / "report.html")
    for (ref, text), style in zip(page.figures, page.styles, strict=True):
        if style in ("year", "whole"):  # every whole figure is its cell, rounded, bare
            indicator, breakdown, group, category, column = ref.split("|")
            cell = table[(table["indicator"] == indicator) & (table["breakdown"] == breakdown)
                         & (table["group"].astype(str) == group)
                         & (table["category"] == category)][column]
            assert text == str(round(cell.iloc[0])), (ref, text)
    mean = total.loc[(case.spec.extra["mean"], "mean"), "estimate"]
    decimal = f"{mean:.1f}".replace(".", "," if language == "de" else ".")
    assert set(figures["scale:5"]) == {f"{decimal} {of} 5"}
    assert case.spec.scale_end[language] in " ".join(page.text)  # labelled end
    summary = [t for s, texts in figures.items() if s == "percent0" for t in texts]
    assert summary and all(re.fullmatch(r"\d+\u00a0?%", t) for t in summary)


def test_summary_is_short_rounded_and_ends_with_the_recommendations(case):
    html = (case.outs["council", "de"] / "report.html").read_text(encoding="utf-8")
    summary = html.split('id="summary"')[1].split("</section>")[0]
    assert 1 <= len(re.findall(r"<li>", summary)) <= 7
    refs = re.findall(r'data-ref="([^"]+)"', summary)
    assert refs and all(r.endswith("|estimate") for r in refs)  # intervals: in the annex
    sections = re.findall(r'<section id="([a-z_]+)"', html)
    assert sections[sections.index("summary") + 1] == "recommendations"


def test_plan_label_without_translation_stops_before_writing(case, tmp_path):
    german, english = case.spec.plan_label
    copy = tmp_path / "project"
    shutil.copytree(case.project, copy, ignore=shutil.ignore_patterns("published"))
    plan = copy / case.spec.plan
    written = plan.read_text(encoding="utf-8")
    assert f"label: {{de: {german}, en: {english}}}" in written
    plan.write_text(written.replace(f"label: {{de: {german}, en: {english}}}",
                                    f"label: {german}"), encoding="utf-8")
    assert run("analyse", copy, "--plan", plan).exit_code == 0
    made = run("report", copy, "--plan", plan, "--lang", "en", "--format", "html",
               "--out", tmp_path / "out")
    assert made.exit_code == 1
    assert f"'{german}'" in made.output and "label: {de: …, en: …}" in made.output
    assert not (tmp_path / "out").exists()
    in_german = run("report", copy, "--plan", plan, "--format", "html",
                    "--out", tmp_path / "de")
    assert in_german.exit_code == 0, in_german.output


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_pdf_written_is_tagged(case, language):
    """Every PDF these runs write is a tagged PDF (BITV 2.0): the report and the one-pagers."""
    written = sorted(p for out in (case.outs["council", language],
                                   case.outs["conference", language])
                     for p in out.rglob("*.pdf"))
    assert {p.name for p in written} >= {"report.pdf", "one-pagers.pdf"}
    for pdf in written:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), (pdf.name, info)


# --- one project's findings ---------------------------------------------------------------

def chart_titles(out: Path) -> list[str]:
    html = (out / "report.html").read_text(encoding="utf-8")
    return re.findall(r"<figcaption><bdi>(.*?)</bdi>", html)


@pytest.mark.parametrize("language", ["de", "en"])
def test_headlines_follow_the_indicators_kind(volunteers, language):
    titles = chart_titles(volunteers.outs["council", language])
    cooperation = [t for t in titles if t.startswith(("Zusammenarbeit", "Cooperation"))]
    assert cooperation
    for title in cooperation:
        assert not re.search(r"Bedarf|genannt|need|named", title, re.IGNORECASE), title
    assert any(("positiv bewertet" if language == "de" else "rated positively") in t
               for t in cooperation)
    support = [t for t in titles if t.startswith(("Welche Unterstützung", "What support"))]
    assert support and (" und " if language == "de" else " and ") in support[0]
    assert ("liegen vorn" if language == "de" else "lead") in support[0]
    childcare = [t for t in titles if t.startswith(("Wunsch nach", "Wish for"))]
    assert childcare == ["Wunsch nach Kinderbetreuung" if language == "de"
                         else "Wish for childcare"]
    role = [t for t in titles if t.startswith(("Was machen Sie", "What do you"))]
    assert role and all("?" in t for t in role)


@pytest.mark.parametrize("language", ["de", "en"])
def test_housing_headlines_areas_and_response_rate(housing, language):
    """The tenants' report: the satisfaction grid worded as the project asked (report.yaml
    `wording:`), the share headline names its answer, one area chart per quarter named by its
    label, and the response rate from `invited`."""
    de = language == "de"
    titles = chart_titles(housing.outs["council", language])
    local = [t for t in titles if t.startswith(("Zufrieden oder", "Satisfied or"))]
    assert local == ["Zufrieden oder sehr zufrieden: Am häufigsten positiv bewertet wird "
                     "„Einkaufen“" if de else
                     "Satisfied or very satisfied: “Shopping” is most often rated positively"]
    assert not any(re.search(r"Bedarf|genannt|need|named", t, re.IGNORECASE) for t in local)
    tenure = [t for t in titles if t.startswith(("Von wem", "Whom do you"))]
    assert tenure == [("Von wem wohnen Sie zur Miete? Am häufigsten „Privater Vermieter“ "
                       "(43,8\u00a0%)") if de else
                      "Whom do you rent your home from? Most often “A private landlord” (43.8%)"]
    quarters = (["Lindenhof", "Bahnhofsviertel", "Am Wasserturm", "Siedlung Ost"] if de
                else ["Lindenhof", "Station quarter", "Water tower", "East estate"])
    problems = "Welche dieser Probleme" if de else "Which of these problems"
    by_area = [t for t in titles if t.startswith(problems) and
               any(f" {q}: " in t for q in quarters)]
    # "Am Wasserturm: „Lärm“ liegt vorn", never "In Am Wasserturm liegt …"
    assert [next(q for q in quarters if f" {q}: " in t) for t in by_area] == quarters
    assert not any(f"In {q}" in t for t in titles for q in quarters)
    page = re.sub(r"\s+", " ", page_text(housing.outs["council", language]))
    assert ("900 Menschen wurden um ihre Teilnahme gebeten; 320 Antworten entsprechen einer "
            "Rücklaufquote von 36 %" if de else "900 people were asked to take part; 320 responses "
            "make a response rate of 36%") in page


@pytest.mark.parametrize("text, message", [
    ("format: 1\nde:\n  organisation: X\n  recruitmnt: online\nen: {}\n",
     "report.yaml:4:3: unknown key 'recruitmnt'"),
    ("format: 1\nde:\n  organisation: X\n", "report.yaml:1:1: report.yaml has no section for "
     "the report language 'en'"),
    ("format: 1\nde: {}\nen:\n  quotes: [deadbeef]\n", "report.yaml:4:12: quote 'deadbeef' "
     "cannot be printed"),
    ("format: 1\nen:\n  texts:\n    headings.sumary: Overview\n",
     "report.yaml:4:5: 'headings.sumary' is not a report text key; did you mean"),
])
def test_bad_report_yaml_is_located(volunteers, tmp_path, text, message):
    facts = volunteers.project / "reports" / "report.yaml"
    kept = facts.read_text(encoding="utf-8")
    facts.write_text(text, encoding="utf-8")
    try:
        made = run("report", volunteers.project, "--plan", volunteers.plan, "--lang", "en",
                   "--format", "html", "--out", tmp_path / "out")
    finally:
        facts.write_text(kept, encoding="utf-8")
    assert made.exit_code == 1
    assert message in made.output
    assert not (tmp_path / "out").exists()


def test_chart_axes_write_numbers_in_the_report_language():
    chart = Chart("q", "quadrant", "t", "alt", share=False, style="mean", locale="de",
                  points=[Point("A", 2.2, 2.6, "", False), Point("B", 2.9, 3.1, "", True)])
    figure = Figure()
    _quadrant(figure, chart)
    figure.canvas.draw()
    axes = figure.axes[0]
    ticks = [t.get_text() for t in axes.get_xticklabels() + axes.get_yticklabels()]
    assert any("," in t for t in ticks) and not any("." in t for t in ticks), ticks


def test_value_labels_clear_the_comparison_mark():
    """An area's bar is written at its end; the all-respondents mark just past the interval
    (the tenants' Lindenhof: noise 22.8 %, all 33.8 %) must not sit on the figure."""
    chart = Chart("q", "compare", "t", "alt", locale="de", legend=("Lindenhof", "Alle"),
                  bars=[Bar("Mieterhöhungen", 0.511, low=0.41, high=0.61, text="51,1 %",
                            compare=0.347),
                        Bar("Lärm", 0.228, low=0.15, high=0.316, text="22,8 %",
                            compare=0.338)])
    figure = Figure(figsize=(6.6, 2.5))
    canvas = FigureCanvasAgg(figure)
    _bars(figure, chart)
    canvas.draw()
    axes = figure.axes[0]
    renderer = canvas.get_renderer()
    marks = axes.collections[-1]
    for (x, y), diamond in zip(marks.get_offsets(), [0.347, 0.338][::-1], strict=True):
        assert x == pytest.approx(diamond)
        centre = axes.transData.transform((x, y))
        label = next(t for t in axes.texts if t.get_position()[1] == y)
        box = label.get_window_extent(renderer)
        half = 4 * figure.dpi / 72  # the diamond is about 7.5 pt across
        assert box.x0 > centre[0] + half or box.x1 < centre[0] - half, (label.get_text(),
                                                                        box, centre)


@pytest.mark.parametrize("language", ["de", "en"])
def test_groups_that_were_not_compared_carry_no_letters(case, language):
    """Needs ranks are not tested between groups: their tables say so instead of the letters
    note, so a council never reads a missing letter as "no difference"."""
    out = case.outs["council", language]
    page = read_page(out / "report.html")
    text = re.sub(r"\s+", " ", " ".join(page.text))
    assert ("nicht auf Unterschiede getestet" if language == "de"
            else "not tested for differences") in text
