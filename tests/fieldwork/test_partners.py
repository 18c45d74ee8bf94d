"""Partners in the project and the store: partners.yaml, serial blocks, partner links and
invitations carried to the response, import batches; and every kind of bad input refused
with a message naming the file and the known ids, nothing stored."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from fieldwork_helpers import ROOT, SURVEY, make_project
from server_helpers import Respondent, api_post, hidden, sqlite_url
from support import run

from survey.project import PartnerError, Project
from survey.server.app import create_app
from survey.store.invitations import add_invitations
from survey.store.partners import SerialBlockError, record_serial_blocks, serial_blocks_of
from survey.store.schema import batches, drafts, invitations, responses, serial_blocks
from survey.store.users import add_user


@pytest.fixture
def project(tmp_path) -> Project:
    return make_project(tmp_path / "project")


def _count(project: Project, table: sa.Table) -> int:
    store = project.store()
    with store.engine.connect() as connection:
        found = connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()
    store.close()
    return int(found)


def test_init_makes_a_commented_partners_file(tmp_path):
    made = run("init", tmp_path / "new")
    assert made.exit_code == 0, made.output
    text = (tmp_path / "new" / "partners.yaml").read_text("utf-8")
    assert "#   - id: leipzig-ru" in text
    assert Project(tmp_path / "new").partners() == ()


@pytest.mark.parametrize(("text", "line", "words"), [
    ("partners:\n  - id: a\n    name: A\n  - id: Bad Id\n    name: B\n", 4, "lower-case"),
    ("partners:\n  - id: a\n    name: A\n  - id: a\n    name: again\n", 4, "listed twice"),
    ("partners:\n  - id: a\n", 2, "needs a name"),
    ("partners:\n  - id: a\n    name: A\n    phone: 1\n", 4, "unknown key 'phone'"),
    ("partners:\n  - id: a\n    name: [A\n", 4, "YAML syntax error"),
    ("members:\n  - id: a\n", 1, "one key, 'partners:'"),
])
def test_a_malformed_partners_file_is_reported_with_its_line(project, text, line, words):
    project.partners_file.write_text(text, "utf-8")
    with pytest.raises(PartnerError) as error:
        project.partners()
    assert f"partners.yaml:{line}:" in str(error.value) and words in str(error.value)
    refused = run("fieldwork", project.root)
    assert refused.exit_code == 1 and f"partners.yaml:{line}:" in refused.output


def test_an_unknown_partner_is_refused_everywhere_and_nothing_is_stored(project, tmp_path):
    sample = ROOT / "data" / "sample" / "leipzig_ru.csv"
    for arguments in (
            ("ingest", project.root, sample, "--partner", "nobody"),
            ("invitations", "create", project.root, "--count", "3", "--out",
             tmp_path / "links.csv", "--partner", "nobody"),
            ("partners", "assign-serials", project.root, "nobody", "1", "50"),
            ("paper", project.questionnaire_dir / "zusammen.yaml", "--copies", "2",
             "--partner", "nobody", "--lang", "de", "--out", tmp_path / "paper")):
        refused = run(*arguments)
        assert refused.exit_code == 1, (arguments, refused.output)
        message = " ".join(refused.output.split())
        assert "'nobody' is not a partner in" in message and "partners.yaml" in message
        assert "known ids: leipzig-ru, dresden-beirat, kobo-team" in message
    for table in (responses, batches, invitations, serial_blocks):
        assert _count(project, table) == 0
    assert not (tmp_path / "links.csv").exists() and not (tmp_path / "paper").exists()


def test_an_overlapping_block_of_another_partner_is_refused(project):
    assert run("partners", "assign-serials", project.root, "leipzig-ru", "1", "100",
               "--printed", "2026-04-01").exit_code == 0
    refused = run("partners", "assign-serials", project.root, "dresden-beirat", "90", "150")
    message = " ".join(refused.output.split())
    assert refused.exit_code == 1
    assert "000090–000150 for partner 'dresden-beirat'" in message
    assert "000001–000100 (leipzig-ru)" in message
    again = run("partners", "assign-serials", project.root, "leipzig-ru", "1", "100")
    assert again.exit_code == 0  # the same block of the same partner: nothing new
    store = project.store()
    assert [(b.first, b.last, b.partner) for b in serial_blocks_of(store, SURVEY)] == [
        (1, 100, "leipzig-ru")]
    with pytest.raises(SerialBlockError):
        record_serial_blocks(store, SURVEY, [(101, 120), (100, 130)], "kobo-team")
    assert len(serial_blocks_of(store, SURVEY)) == 1  # all or none
    store.close()
    listed = run("partners", "list", project.root)
    assert listed.exit_code == 0 and "000001–000100" in listed.output


def test_an_import_batch_carries_its_partner(project):
    sample = ROOT / "data" / "sample" / "leipzig_ru.csv"
    result = run("ingest", project.root, sample, "--partner", "leipzig-ru")
    assert result.exit_code in (0, 3), result.output
    store = project.store()
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(batches.c.partner)).scalars().all() == ["leipzig-ru"]
        assert set(connection.execute(sa.select(responses.c.partner)).scalars()) == {
            "leipzig-ru"}
    store.close()


def test_invitations_of_a_partner_carry_only_its_id(project, tmp_path):
    made = run("invitations", "create", project.root, "--count", "3", "--out",
               tmp_path / "links.csv", "--partner", "dresden-beirat")
    assert made.exit_code == 0, made.output
    store = project.store()
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(invitations.c.partner)).scalars().all() == [
            "dresden-beirat"] * 3
    store.close()


@pytest.fixture
def app(project):
    project.store().close()  # makes data/
    application = create_app(project, sqlite_url(project.root / "data" / "store.sqlite"))
    application.testing = True
    return application


def _partners_of_responses(app) -> dict[str, str | None]:
    store = app.extensions["survey"].store
    with store.engine.connect() as connection:
        return dict(connection.execute(sa.select(responses.c.submission_id,
                                                 responses.c.partner)).all())


def test_a_partner_link_is_carried_to_the_draft_and_the_response(app, one_answer_set):
    client = app.test_client()
    client.get(f"/s/{SURVEY}/", query_string={"partner": "leipzig-ru"})
    respondent = Respondent(client, language="de")
    respondent.fill(one_answer_set)
    assert respondent.submit().status_code == 302
    assert list(_partners_of_responses(app).values()) == ["leipzig-ru"]
    stranger = app.test_client()
    stranger.get(f"/s/{SURVEY}/", query_string={"partner": "made-up"})  # ignored
    other = Respondent(stranger, language="de")
    other.fill(one_answer_set)
    other.submit()
    assert sorted(_partners_of_responses(app).values(), key=str) == [None, "leipzig-ru"]
    store = app.extensions["survey"].store
    add_user(store, "ana", "a long enough password")
    admin = app.test_client()
    page = admin.get("/admin/login")
    admin.post("/admin/login", data={"csrf_token": hidden(page.text, "csrf_token"),
                                     "name": "ana", "password": "a long enough password"})
    tagged = next(i for i, p in _partners_of_responses(app).items() if p == "leipzig-ru")
    shown = admin.get(f"/admin/{SURVEY}/responses/{tagged}").text
    assert '<th scope="row">Partner</th><td>leipzig-ru</td>' in shown


def test_an_invitation_of_a_partner_is_carried_to_the_draft_and_by_the_api(app,
                                                                           one_answer_set):
    store = app.extensions["survey"].store
    add_invitations(store, SURVEY, ["form-token", "api-token"], "kobo-team")
    respondent = Respondent(app.test_client(), language="de")
    assert respondent.start(invitation="form-token").status_code == 302
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(drafts.c.partner)).scalars().all() == ["kobo-team"]
    submission = str(uuid.uuid4())
    created = api_post(app.test_client(), {"submission_id": submission, "language": "de",
                                           "answers": one_answer_set,
                                           "invitation": "api-token"})
    assert created.status_code == 201, created.text
    assert _partners_of_responses(app) == {submission: "kobo-team"}
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(invitations)
                                  ).scalar() == 0
