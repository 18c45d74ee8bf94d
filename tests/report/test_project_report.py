"""A project's own survey, not the flagship: survey init, its own questionnaire and plan,
generated returns, ingest, analyse, then the council report and the conference slides in
German and English. The report says about the survey only what the project said, writes
years as years and means with their scale, words headlines by the indicator's kind, and keeps
developer notation, ids and the other report language out of what a council or a
conference sees."""

import csv
import random
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from html_pages import read_page
from matplotlib.figure import Figure
from pptx import Presentation
from pypdf import PdfReader
from support import run

from survey.report.charts import _quadrant
from survey.report.document import Chart, Point
from survey.report.project_facts import quote_id
from survey.report.texts import TEXTS_DIR

HERE = Path(__file__).parent / "volunteers"
PLAN = Path("analysis") / "volunteers.yaml"
ROWS = 240
COMMENTS = ["Mehr Austausch wäre schön.", "Die Fortbildungen helfen mir sehr.",
            "Ruf mich an: 0170 1234567", ""]
APPROVED = "Mehr Austausch wäre schön."
RECRUITMENT = {"de": "Wir haben alle 310 Ehrenamtlichen per E-Mail und bei zwei "
                     "Netzwerktreffen eingeladen.",
               "en": "We invited all 310 volunteers by e-mail and at two network meetings."}
IDS = ("consent_given", "home_area", "arrival_yr", "vol_role", "years_active", "hours_month",
       "coop_grid", "overall_sat", "support_wish", "free_comment", "area_group", "welfare_office",
       "job_centre", "old_town", "very_good", "very_bad", "empty_wish", "volunteer_net",
       "volunteers.yaml", "results.csv", "run.json", "__")
NOTATION = [re.compile(r"\$\{"), re.compile(":="), re.compile(r"\[[^\]]*·[^\]]*\]")]
YEAR_WITH_SEPARATOR = re.compile(r"\b(?:19|20)\d{2}[.,]\d|\b[12][.,\u00a0\u202f]\d{3}\b")
CLAIMS = ("Migrantenorganisation", "Beratungsstellen", "Bevölkerung", "migrant organisation",
          "counselling services", "population", "reached through", "wurden über")


def write_returns(path: Path) -> None:
    """Returns as a partner's CSV holds them: variable names, choice names; deterministic."""
    draw = random.Random(3)
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(["consent_given", "home_area", "arrival_yr", "vol_role", "hours_month",
                      "coop_grid__welfare_office", "coop_grid__job_centre",
                      "coop_grid__schools", "overall_sat", "support_wish", "free_comment"])
        for _ in range(ROWS):
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
                draw.choice(COMMENTS)])


def facts_text(quote: str) -> str:
    return yaml.safe_dump({"format": 1, "de": {
        "organisation": "Netzwerk Ehrenamt Nordstadt e. V.", "authors": ["Anna Beispiel"],
        "fieldwork": "2. bis 27. März 2026", "recruitment": RECRUITMENT["de"],
        "imprint": "Herausgeber: Netzwerk Ehrenamt Nordstadt e. V., Hafenstraße 1",
        "recommendations": ["Das Netzwerk bietet jedes Quartal eine Supervision an."],
        "quotes": [quote]}, "en": {
        "organisation": "Nordstadt Volunteer Network", "authors": ["Anna Beispiel"],
        "fieldwork": "2 to 27 March 2026", "recruitment": RECRUITMENT["en"],
        "imprint": "Published by Nordstadt Volunteer Network, Hafenstraße 1",
        "recommendations": ["The network offers supervision every quarter."]}},
        allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def volunteers(tmp_path_factory):
    """survey init, the project's own questionnaire and plan, returns, analyse."""
    project = tmp_path_factory.mktemp("volunteers") / "network"
    assert run("init", project).exit_code == 0
    (project / "questionnaires" / "our-survey.yaml").unlink()
    (project / "analysis" / "needs.yaml").unlink()
    shutil.copyfile(HERE / "questionnaire.yaml", project / "questionnaires" / "volunteers.yaml")
    shutil.copyfile(HERE / "plan.yaml", project / PLAN)
    write_returns(project / "returns.csv")
    ingested = run("ingest", project, project / "returns.csv")
    assert ingested.exit_code == 0, ingested.output
    analysed = run("analyse", project, "--plan", project / PLAN)
    assert analysed.exit_code == 0, analysed.output
    return project


@pytest.fixture(scope="module")
def published(volunteers):
    """report.yaml with the project's facts and one approved quote, then the council report
    (every format) and the conference slides in German and English."""
    answers = pd.read_csv(volunteers / "results" / "open-answers.csv", dtype=str)
    approved = answers[answers["answer"] == APPROVED].iloc[0]
    (volunteers / "reports" / "report.yaml").write_text(
        facts_text(quote_id(approved["question"], approved["answer"])), encoding="utf-8")
    outs = {}
    for language in ("de", "en"):
        for audience in ("council", "conference"):
            out = volunteers / "published" / f"{audience}-{language}"
            formats = "html,pdf,xlsx" if audience == "council" else "pptx"
            made = run("report", volunteers, "--plan", volunteers / PLAN, "--lang", language,
                       "--audience", audience, "--format", formats, "--out", out)
            assert made.exit_code == 0, made.output
            outs[audience, language] = out
    return outs


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


def slides_text(out: Path) -> str:
    deck = Presentation(str(out / "slides.pptx"))
    parts = []
    for slide in deck.slides:
        parts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        parts.append(slide.notes_slide.notes_text_frame.text)
    with (out / "chart-pack" / "alt-texts.csv").open(encoding="utf-8") as pack:
        parts += [f"{r['title']}\n{r['alt_text']}" for r in csv.DictReader(pack)]
    return "\n".join(parts)


def outputs(published, language):
    return {"council": council_text(published["council", language]),
            "conference": slides_text(published["conference", language])}


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_notation_ids_or_separated_years_reach_council_or_conference(published, language):
    for audience, text in outputs(published, language).items():
        for pattern in NOTATION:
            assert not pattern.search(text), (audience, pattern.pattern)
        for ident in IDS:
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


@pytest.mark.parametrize("language, other", [("de", "en"), ("en", "de")])
def test_no_word_of_the_other_report_language(published, language, other):
    """Words of the other language's report texts that this language does not share appear
    nowhere in this language's council report or slides."""
    shared = catalogue_words(language)
    names = {"nordstadt", "hafenstraße", "anna", "beispiel", "supervision", "holm"}
    names |= {w.lower() for w in re.findall(r"[^\W\d_]{3,}", RECRUITMENT[language])}
    foreign = catalogue_words(other) - shared - names
    for audience, text in outputs(published, language).items():
        words = {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}
        assert not words & foreign, (audience, sorted(words & foreign))


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_report_states_the_projects_facts_and_no_others(published, language):
    text = council_text(published["council", language])
    flat = re.sub(r"\s+", " ", text)
    assert RECRUITMENT[language] in flat
    assert ("2. bis 27. März 2026" if language == "de" else "2 to 27 March 2026") in flat
    assert "Anna Beispiel" in flat
    for claim in CLAIMS:
        assert claim not in flat, claim
    page = " ".join(read_page(published["council", language] / "report.html").text)
    assert "Hafenstraße 1" in page  # the imprint
    assert ("Supervision" in page) and ("Quartal" in page if language == "de" else
                                        "quarter" in page)


def test_without_report_yaml_nothing_about_the_survey_is_invented(volunteers, published,
                                                                  tmp_path):
    facts = volunteers / "reports" / "report.yaml"
    kept = facts.read_text(encoding="utf-8")
    facts.unlink()
    try:
        made = run("report", volunteers, "--plan", volunteers / PLAN, "--format", "html",
                   "--out", tmp_path / "plain")
        checked = run("report", volunteers, "--plan", volunteers / PLAN, "--check")
    finally:
        facts.write_text(kept, encoding="utf-8")
    assert made.exit_code == 0, made.output
    text = " ".join(read_page(tmp_path / "plain" / "report.html").text)
    for claim in (*CLAIMS, "erreicht", "Befragungszeitraum", "Impressum", "Empfehlungen",
                  "Mehr Austausch"):
        assert claim not in text, claim
    assert "240 Antworten wurden in die Auswertung aufgenommen" in text
    assert checked.exit_code == 1
    for missing in ("report.yaml does not exist", "recommendations"):
        assert missing in checked.output
    approvable = quote_id("free_comment", APPROVED)
    assert approvable in checked.output and "[phone]" in checked.output


def test_check_lists_what_is_still_missing(volunteers, published):
    checked = run("report", volunteers, "--plan", volunteers / PLAN, "--check")
    assert checked.exit_code == 0, checked.output
    assert "Nothing is missing" in checked.output


def test_open_answers_only_as_approved_quotes(published):
    page = " ".join(read_page(published["council", "de"] / "report.html").text)
    assert APPROVED in page
    assert "Die Fortbildungen helfen mir sehr." not in page and "[phone]" not in page
    english = " ".join(read_page(published["council", "en"] / "report.html").text)
    assert APPROVED not in english


def figures_by_style(out: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    html = (out / "report.html").read_text(encoding="utf-8")
    for style, text in re.findall(r'data-style="([^"]+)">([^<]*)<', html):
        found.setdefault(style, []).append(text)
    return found


@pytest.mark.parametrize("language, of", [("de", "von"), ("en", "of")])
def test_numbers_carry_their_meaning(volunteers, published, language, of):
    table = pd.read_csv(volunteers / "results" / "results.csv", dtype={"category": str})
    total = table[(table["breakdown"] == "total")].set_index(["indicator", "category"])
    figures = figures_by_style(published["council", language])
    year = total.loc[("arrival", "p50"), "estimate"]
    assert figures["year"] and set(figures["year"]) == {str(round(year))}
    hours = total.loc[("hours", "p50"), "estimate"]
    assert set(figures["whole"]) == {str(round(hours))}
    mean = total.loc[("satisfaction", "mean"), "estimate"]
    decimal = f"{mean:.1f}".replace(".", "," if language == "de" else ".")
    assert set(figures["scale:5"]) == {f"{decimal} {of} 5"}
    page = " ".join(read_page(published["council", language] / "report.html").text)
    assert ("Sehr schlecht" if language == "de" else "Very poor") in page  # labelled end
    summary = [t for s, texts in figures.items() if s == "percent0" for t in texts]
    assert summary and all(re.fullmatch(r"\d+\u00a0?%", t) for t in summary)


def chart_titles(out: Path) -> list[str]:
    html = (out / "report.html").read_text(encoding="utf-8")
    return re.findall(r"<figcaption><bdi>(.*?)</bdi>", html)


@pytest.mark.parametrize("language", ["de", "en"])
def test_headlines_follow_the_indicators_kind(published, language):
    titles = chart_titles(published["council", language])
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


def test_summary_is_short_rounded_and_ends_with_the_recommendations(published):
    html = (published["council", "de"] / "report.html").read_text(encoding="utf-8")
    summary = html.split('id="summary"')[1].split("</section>")[0]
    assert 1 <= len(re.findall(r"<li>", summary)) <= 7
    refs = re.findall(r'data-ref="([^"]+)"', summary)
    assert refs and all(r.endswith("|estimate") for r in refs)  # intervals: in the annex
    sections = re.findall(r'<section id="([a-z_]+)"', html)
    assert sections[sections.index("summary") + 1] == "recommendations"


def test_plan_label_without_translation_stops_before_writing(volunteers, tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(volunteers, copy, ignore=shutil.ignore_patterns("published"))
    plan = copy / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "label: {de: Stadtteil, en: Part of town}", "label: Stadtteil"), encoding="utf-8")
    assert run("analyse", copy, "--plan", plan).exit_code == 0
    made = run("report", copy, "--plan", plan, "--lang", "en", "--format", "html",
               "--out", tmp_path / "out")
    assert made.exit_code == 1
    assert "'Stadtteil'" in made.output and "label: {de: …, en: …}" in made.output
    assert not (tmp_path / "out").exists()
    german = run("report", copy, "--plan", plan, "--format", "html", "--out", tmp_path / "de")
    assert german.exit_code == 0, german.output


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
def test_bad_report_yaml_is_located(volunteers, published, tmp_path, text, message):
    facts = volunteers / "reports" / "report.yaml"
    kept = facts.read_text(encoding="utf-8")
    facts.write_text(text, encoding="utf-8")
    try:
        made = run("report", volunteers, "--plan", volunteers / PLAN, "--lang", "en",
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
