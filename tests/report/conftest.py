"""One project for the report tests, built once per session: the flagship questionnaire with a
catalogue of hostile labels, the sample returns plus a few with hostile open answers, a plan
that publishes scrubbed open answers, the flagship's report.yaml approving the hostile answers
as quotes, `survey analyse`, then `survey report` in every format.
"""

import shutil

import pandas as pd
import pytest
import yaml
from report_project import PLAN, hostile_questionnaire, hostile_returns
from support import QUESTIONNAIRES, ROOT, SAMPLE, copy_flagship, run

from survey.report.project_facts import quote_id
from survey.report.safe_text import clean

HOSTILE_MARKS = r"script|img|HYPERLINK|7\*7|Richtungen|مشكلة"


@pytest.fixture(scope="session")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("report-project")
    flagship = (QUESTIONNAIRES / "zusammen.yaml").read_text(encoding="utf-8")
    copy_flagship(root / "questionnaires", text=hostile_questionnaire(flagship))
    shutil.copytree(ROOT / "analysis", root / "analysis")
    plan = root / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace("free_text: exclude",
                                                             "free_text: scrub"),
                    encoding="utf-8")
    extra = hostile_returns(root / "hostile.jsonl")
    assert run("ingest", root, *SAMPLE, extra).exit_code == 3  # the samples plant faulty rows
    outcome = run("analyse", root, "--plan", plan, "--out", root / "results")
    assert outcome.exit_code == 0, outcome.output
    approve_hostile_quotes(root)
    return root


def approve_hostile_quotes(root):
    """The flagship's report.yaml, with the hostile open answers approved as quotes in German:
    open answers reach a report only as quotes the project approved."""
    facts = yaml.safe_load((ROOT / "reports" / "report.yaml").read_text(encoding="utf-8"))
    answers = pd.read_csv(root / "results" / "open-answers.csv", dtype=str)
    hostile = answers[(answers["question"] == "problem")
                      & answers["answer"].str.contains(HOSTILE_MARKS, regex=True)]
    facts["de"]["quotes"] = sorted({quote_id(q, clean(a)) for q, a in
                                    zip(hostile["question"], hostile["answer"], strict=True)})
    (root / "reports").mkdir(exist_ok=True)
    (root / "reports" / "report.yaml").write_text(
        yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="session")
def report_de(project):
    """The council report in German, every format."""
    out = project / "published" / "council-de"
    outcome = run("report", project, "--plan", project / PLAN, "--format",
                  "html,pdf,xlsx,pptx", "--out", out)
    assert outcome.exit_code == 0, outcome.output
    return out


@pytest.fixture(scope="session")
def report_en(project):
    """The organisation report in English, HTML only."""
    out = project / "published" / "organisation-en"
    outcome = run("report", project, "--plan", project / PLAN, "--audience", "organisation",
                  "--lang", "en", "--format", "html", "--out", out)
    assert outcome.exit_code == 0, outcome.output
    return out
