"""Scan cut-outs: a serial is checked before any path is built from it, so `..` cannot leave
the copy's folder; and the images are found when the server was started with a relative
project path (as `survey serve .` does)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient
from server_helpers import SURVEY, hidden, sqlite_url, store_of
from support import copy_flagship

from survey.project import Project
from survey.returns.doubts import Doubt, copy_folder, write_doubts
from survey.server.app import create_app
from survey.store.users import Role, add_user

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"cut-out of a field"
SECRET = b"\x89PNG\r\n\x1a\n" + b"not for this route"


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    """A typist's session on a server started in the parent folder with the project `proj`."""
    project = tmp_path / "proj"
    copy_flagship(project / "questionnaires")
    write_doubts(copy_folder(project, SURVEY, "000123"), {"gender": Doubt("two marks")},
                 {"gender.png": PNG})
    (project / "scans" / "secret.png").write_bytes(SECRET)  # one folder above the copies
    (project / "scans" / SURVEY / "secret.png").write_bytes(SECRET)
    monkeypatch.chdir(tmp_path)
    app = create_app(Project(Path("proj")), sqlite_url(tmp_path / "store.sqlite"))
    app.testing = True
    add_user(store_of(app), "tina", "typist password 1", Role.ENTRY)
    client = app.test_client()
    page = client.get("/entry/login")
    client.post("/entry/login", data={"csrf_token": hidden(page.text, "csrf_token"),
                                      "name": "tina", "password": "typist password 1"})
    return client


def test_a_cut_out_is_served_with_a_relative_project_path(client):
    response = client.get(f"/entry/{SURVEY}/scan-image/000123/gender.png")
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"


@pytest.mark.parametrize("serial", ["%2e%2e", "..", ".", "%2E%2E", "0001%2F..", "+12", "١٢٣",
                                    "00012a"])
def test_anything_but_a_serial_is_404_and_reveals_nothing(client, serial):
    response = client.get(f"/entry/{SURVEY}/scan-image/{serial}/secret.png")
    assert response.status_code == 404
    assert SECRET not in response.data


@pytest.mark.parametrize("serial", ["..", ".", "", "../000123", "000123/..", "0x12", "١٢٣"])
def test_the_folder_of_a_copy_is_built_from_serials_only(tmp_path, serial):
    with pytest.raises(ValueError, match="not a serial number"):
        copy_folder(tmp_path, SURVEY, serial)


def test_a_questionnaire_id_of_dots_names_no_folder_above(tmp_path):
    assert copy_folder(tmp_path, "..", "000001").resolve().is_relative_to(tmp_path / "scans")
