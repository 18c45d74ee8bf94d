"""One project for the report tests, built once per session: the flagship questionnaire with a
catalogue of hostile labels, the sample returns plus a few with hostile open answers, a plan
that publishes scrubbed open answers, `survey analyse`, then `survey report` in every format.
"""

import shutil

import pytest
from report_project import PLAN, hostile_questionnaire, hostile_returns
from support import QUESTIONNAIRES, ROOT, SAMPLE, run


@pytest.fixture(scope="session")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("report-project")
    (root / "questionnaires").mkdir()
    flagship = (QUESTIONNAIRES / "zusammen.yaml").read_text(encoding="utf-8")
    (root / "questionnaires" / "zusammen.yaml").write_text(hostile_questionnaire(flagship),
                                                           encoding="utf-8")
    shutil.copytree(ROOT / "analysis", root / "analysis")
    plan = root / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace("free_text: exclude",
                                                             "free_text: scrub"),
                    encoding="utf-8")
    extra = hostile_returns(root / "hostile.jsonl")
    assert run("ingest", root, *SAMPLE, extra).exit_code == 3  # the samples plant faulty rows
    outcome = run("analyse", root, "--plan", plan, "--out", root / "results")
    assert outcome.exit_code == 0, outcome.output
    return root


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
