"""survey demo: the whole pipeline on a reduced sample (one form language and the bilingual
form, two partner files), every output opened with the library a user would open it with;
and the folder and port problems a newcomer meets."""

import contextlib
import io
import socket

import openpyxl
import pyreadstat
import pytest
from pptx import Presentation
from pypdf import PdfReader
from support import run

from survey.demo.outputs import OUTPUTS
from survey.demo.pipeline import DemoRequest, run_demo
from survey.demo.port import free_port

SAMPLES = ("leipzig_ru.csv", "online.jsonl")


@pytest.fixture(scope="module")
def held_port():
    """A port another program listens on while the demo runs."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory, held_port):
    """The demo run with --force into a folder holding someone's notes and a stale output."""
    folder = tmp_path_factory.mktemp("newcomer") / "demo"
    (folder / "published" / "council-de").mkdir(parents=True)
    (folder / "published" / "council-de" / "stale.html").write_text("old", encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = run_demo(DemoRequest(folder, force=True, port=held_port, languages=("en",),
                                    samples=SAMPLES))
    return folder, code, printed.getvalue()


def test_demo_makes_every_output_it_lists(demo):
    folder, code, printed = demo
    assert code == 0
    for output in OUTPUTS:
        assert not output.missing(folder), output.label
        assert output.label in printed


def test_force_replaces_the_demo_outputs_and_keeps_other_files(demo):
    folder, _, _ = demo
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (folder / "published" / "council-de" / "stale.html").exists()


def test_paper_forms_open_in_the_languages_asked(demo):
    folder, _, _ = demo
    forms = sorted(p.name for p in (folder / "paper").glob("*.pdf"))
    assert [name.rsplit("-", 1)[1] for name in forms] == ["de+ar.pdf", "en.pdf"]
    for form in (folder / "paper").glob("*.pdf"):
        reader = PdfReader(form)
        assert len(reader.pages) > 1
    english = PdfReader(next((folder / "paper").glob("*-en.pdf"))).pages[1].extract_text()
    assert "question" in english.lower() or "?" in english


def test_every_sample_file_has_an_import_report(demo):
    folder, _, _ = demo
    reports = sorted((folder / "imports").glob("*-report.xlsx"))
    assert [r.name.split("-")[0] for r in reports] == ["leipzig_ru", "online"]
    for report in reports:
        assert openpyxl.load_workbook(report, read_only=True).sheetnames


def test_reports_tables_and_slides_open(demo):
    folder, _, _ = demo
    council = folder / "published" / "council-de"
    for pdf in ("report.pdf", "one-pagers.pdf"):
        assert len(PdfReader(council / pdf).pages) >= 2
    assert "<html" in (council / "report.html").read_text(encoding="utf-8").lower()
    tables = openpyxl.load_workbook(council / "tables.xlsx", read_only=True)
    assert len(tables.sheetnames) > 1
    slides = Presentation(str(folder / "published" / "conference-de" / "slides.pptx"))
    assert len(slides.slides) > 3


def test_exports_hold_the_accepted_responses_with_labels(demo):
    folder, _, _ = demo
    spss, meta = pyreadstat.read_sav(str(folder / "exports" / "zusammen.sav"))
    stata, _ = pyreadstat.read_dta(str(folder / "exports" / "zusammen.dta"))
    results = (folder / "results" / "run.json").read_text(encoding="utf-8")
    assert len(spss) == len(stata) > 0
    assert f'"respondents": {len(spss)}' in results
    assert meta.variable_value_labels
    codebook = (folder / "exports" / "zusammen-codebook.html").read_text(encoding="utf-8")
    assert "district" in codebook


def test_port_in_use_is_said_and_the_next_free_one_printed(demo, held_port):
    _, _, printed = demo
    chosen = free_port("127.0.0.1", held_port)
    assert chosen is not None and chosen != held_port
    assert f"port {held_port} is in use" in printed
    assert f"survey serve {demo[0]} --port {chosen}" in printed
    assert f"http://127.0.0.1:{chosen}/s/zusammen/" in printed


def test_every_port_taken_is_said(monkeypatch, tmp_path, held_port):
    from survey.demo import pipeline

    monkeypatch.setattr(pipeline, "free_port", lambda host, start: None)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        pipeline._online_form(DemoRequest(tmp_path, port=held_port), "zusammen",
                              pipeline.Console(highlight=False, soft_wrap=True))
    assert "all in use" in printed.getvalue() and "--port N" in printed.getvalue()


def test_non_empty_folder_is_refused_and_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    outcome = run("demo", tmp_path)
    assert outcome.exit_code == 1
    assert "not empty" in outcome.output and "--force" in outcome.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_file_where_the_folder_should_be_is_refused(tmp_path):
    taken = tmp_path / "demo"
    taken.write_text("a file", encoding="utf-8")
    outcome = run("demo", taken)
    assert outcome.exit_code == 1 and "is a file" in outcome.output


def test_a_folder_that_cannot_be_made_is_explained(tmp_path):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    outcome = run("demo", tmp_path / "file.txt" / "demo")
    assert outcome.exit_code == 1
    assert "cannot write to" in outcome.output and "choose a folder" in outcome.output
