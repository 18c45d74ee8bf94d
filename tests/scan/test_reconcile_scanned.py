"""A scanned copy with unclear fields on the reconciliation screen: the cut-out beside each
input, the person's decisions, then the copy stored with mode "scan" and an audit trail."""

from __future__ import annotations

import re

import numpy as np
from printed_forms import DPI, FLAGSHIP_FILE
from scan_helpers import expected, scan, stored, tick_plans, write_png
from synthetic import fill_copy

from survey.questionnaire import load_questionnaire
from survey.server.app import create_app
from survey.store.entries import audit_trail
from survey.store.users import Role, add_user

FLAGSHIP = load_questionnaire(FLAGSHIP_FILE)
PASSWORD = "a long enough password"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_a_person_reads_the_cut_outs_and_the_copy_is_stored_as_scanned(forms, project,
                                                                       tmp_path):
    form = forms["ar"]
    plan = dict(tick_plans(FLAGSHIP, form.layout, 1)[0])
    plan["gender"] = "1 2"
    pages = form.pages(1)
    fill_copy(pages, form.layout, plan, np.random.default_rng(9), DPI,
              written=frozenset({"birth_year"}))
    assert scan(project, *write_png(pages, tmp_path, "ar")).exit_code == 3
    serial = form.serials[1]

    store = project.store()
    add_user(store, "carla", PASSWORD, Role.ENTRY)
    store.close()
    client = create_app(project).test_client()
    login = client.get("/entry/login")
    client.post("/entry/login", data={"csrf_token": _csrf(login.text), "name": "carla",
                                      "password": PASSWORD})
    listed = client.get("/entry/zusammen/reconcile").text
    assert f"/entry/zusammen/reconcile/{serial}" in listed

    screen = client.get(f"/entry/zusammen/reconcile/{serial}")
    assert screen.status_code == 200
    images = re.findall(r'<img class="scan-cut" src="([^"]+)"', screen.text)
    assert len(images) == 2 and "2 boxes ticked" in screen.text
    for src in images:
        picture = client.get(src)
        assert picture.status_code == 200 and picture.data.startswith(b"\x89PNG")
    assert client.get(f"/entry/zusammen/scan-image/{serial}/..%2fdoubts.json").status_code \
        == 404

    decided = client.post(f"/entry/zusammen/reconcile/{serial}", data={
        "csrf_token": _csrf(screen.text), "f:gender": "2", "f:birth_year": "1990"})
    assert decided.status_code == 302, decided.text

    row = stored(project, serial)
    assert row is not None and row["mode"] == "scan"
    want = expected(FLAGSHIP, {**plan, "gender": "2", "birth_year": "1990"})
    assert row["answers"] == want.validated
    store = project.store()
    try:
        trail = audit_trail(store, "zusammen", f"serial {serial}")
    finally:
        store.close()
    assert ("decide", "gender", "?", "2") in {(a.action, a.field, a.old, a.new) for a in trail}
