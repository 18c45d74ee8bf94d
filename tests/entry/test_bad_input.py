"""Every bad input of the entry pages gets a clear message, loses nothing and accepts nothing
that does not pass check_answers."""

from __future__ import annotations

import pytest
from entry_helpers import SURVEY, sample_answers, typed_copy

from survey.paper.qr import PageId
from survey.store.entries import all_entries, audit_trail, paper_submission_id, serial_subject


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "is not a serial number: type the 6 digits"),
    ("1234567", "is not a serial number"),
    ("000999", "no copy with serial 000999 was printed (serials of &#39;zusammen&#39;: "
               "000001–000050, 000051–000100)"),
    ("000120", "serial 000120 was printed for the survey &#39;nachbarn&#39; (version 3, de), "
               "not for &#39;zusammen&#39;"),
    (PageId("nachbarn", "3", "de", 1, "000120").payload(), "belongs to the survey "
     "&#39;nachbarn&#39;"),
    ("SV1|garbage", "not a page id of our paper forms"),
])
def test_a_wrong_serial_is_refused_with_what_to_do(person, store, typed, message):
    response = person("anna").start(typed)
    assert response.status_code == 409
    assert message in response.text
    assert all_entries(store, SURVEY) == []


def test_a_scanned_page_id_starts_its_copy(person, store):
    response = person("anna").start(PageId(SURVEY, "2026.1", "ar", 3, "000061").payload())
    assert response.status_code == 302
    [entry] = all_entries(store, SURVEY)
    assert (entry.serial, entry.language, entry.round) == ("000061", "ar", 1)


def test_a_copy_is_not_entered_a_third_time_nor_twice_by_one_person(person, flagship):
    typed = typed_copy(flagship, sample_answers(flagship, 1)[0])
    anna = person("anna")
    anna.enter("000011", typed)
    again = anna.start("000011")
    assert again.status_code == 409 and "you entered serial 000011 already" in again.text
    person("ben").enter("000011", dict(typed, gender="-"))
    third = person("carla").start("000011")
    assert third.status_code == 409
    assert "has been entered twice already (by anna and ben)" in third.text


def test_an_accepted_copy_is_refused(person, flagship):
    typed = typed_copy(flagship, sample_answers(flagship, 1)[0])
    person("anna").enter("000012", typed)
    person("ben").enter("000012", typed)
    response = person("carla").start("000012")
    assert response.status_code == 409 and "accepted already" in response.text


def test_an_abandoned_entry_is_a_draft_to_resume_or_discard(person, store, flagship):
    anna = person("anna")
    path = anna.started_path("000013")
    saved = anna.send(path, {"consent": "1", "birth_year": "1988"}, action="save")
    assert saved.status_code == 302
    start = anna.client.get(f"/entry/{SURVEY}/")
    assert "Serial 000013" in start.text
    assert anna.started_path("000013") == path  # starting the serial again resumes it
    page = anna.client.get(path)
    assert 'name="f:birth_year" value="1988"' in page.text
    discarded = anna.send(path, {}, action="discard")
    assert discarded.status_code == 302 and all_entries(store, SURVEY) == []
    [row] = audit_trail(store, SURVEY, serial_subject("000013"))
    assert (row.user, row.action) == ("anna", "discard draft") and "1988" in row.old


def test_codes_that_are_not_printed_are_named_and_kept(person, store, flagship):
    typed = typed_copy(flagship, sample_answers(flagship, 1)[0])
    anna = person("anna")
    path = anna.started_path("000014")
    response = anna.send(path, dict(typed, gender="7", barriers="1 4", household="zwei"))
    assert response.status_code == 422
    text = response.text
    assert "question 3 (gender): &#39;7&#39; is not a printed code; the codes are 1 female" in \
        text or "question 3 (gender): &#39;7&#39; is not a printed code" in text
    assert "&#39;zwei&#39; is not a whole number" in text
    [entry] = all_entries(store, SURVEY)
    assert not entry.finished and entry.typed["gender"] == "7"  # nothing typed is lost


def test_an_asked_question_needs_an_entry_even_if_blank(person, flagship):
    typed = typed_copy(flagship, sample_answers(flagship, 1)[0])
    del typed["gender"]
    response = person("anna").enter("000015", typed)
    assert response.status_code == 422
    assert "gender: no entry; type the code, - if left blank or ? if unreadable" in response.text


def test_unreadable_is_not_accepted_until_someone_reads_the_paper(person, store, flagship):
    typed = typed_copy(flagship, sample_answers(flagship, 1)[0])
    unreadable = dict(typed, gender="?")
    person("anna").enter("000016", unreadable)
    person("ben").enter("000016", unreadable)
    assert store.response(paper_submission_id(SURVEY, "000016")) is None
    carla = person("carla")
    undecided = carla.post(f"/entry/{SURVEY}/reconcile/000016")
    assert undecided.status_code == 422 and "no decision yet" in undecided.text
    wrong = carla.post(f"/entry/{SURVEY}/reconcile/000016", **{"f:gender": "9"})
    assert wrong.status_code == 422 and "is not a printed code" in wrong.text
    assert store.response(paper_submission_id(SURVEY, "000016")) is None
    assert carla.post(f"/entry/{SURVEY}/reconcile/000016",
                      **{"f:gender": "-2"}).status_code == 302
    stored = store.response(paper_submission_id(SURVEY, "000016"))
    assert stored["answers"]["gender"] == {"missing": "no_answer"}


def test_left_blank_and_unreadable_are_different_entries(person, store, flagship):
    typed = typed_copy(flagship, sample_answers(flagship, 1)[0])
    person("anna").enter("000017", dict(typed, gender="-"))
    person("ben").enter("000017", dict(typed, gender="?"))
    assert store.response(paper_submission_id(SURVEY, "000017")) is None
    screen = person("carla").client.get(f"/entry/{SURVEY}/reconcile/000017")
    assert 'data-field="gender"' in screen.text


def test_two_people_deciding_at_once_the_second_is_told(person, store, flagship):
    typed = typed_copy(flagship, sample_answers(flagship, 1)[0])
    person("anna").enter("000018", typed)
    person("ben").enter("000018", dict(typed, gender="-"))
    carla, dora = person("carla"), person("dora")
    assert carla.client.get(f"/entry/{SURVEY}/reconcile/000018").status_code == 200
    assert dora.client.get(f"/entry/{SURVEY}/reconcile/000018").status_code == 200, \
        "opening the screen takes no lock"
    assert carla.post(f"/entry/{SURVEY}/reconcile/000018").status_code == 422  # deciding
    second = dora.client.get(f"/entry/{SURVEY}/reconcile/000018")
    assert second.status_code == 409 and "carla is reconciling serial 000018" in second.text
    posted = dora.post(f"/entry/{SURVEY}/reconcile/000018", **{"f:gender": "1"})
    assert posted.status_code == 409
    assert store.response(paper_submission_id(SURVEY, "000018")) is None
    carla.post(f"/entry/{SURVEY}/leave", subject=serial_subject("000018"))
    assert dora.client.get(f"/entry/{SURVEY}/reconcile/000018").status_code == 200


def test_a_typist_does_not_reconcile_their_own_copy_unless_allowed(app, person, flagship):
    typed = typed_copy(flagship, sample_answers(flagship, 1)[0])
    person("anna").enter("000019", typed)
    person("ben").enter("000019", dict(typed, gender="-"))
    anna = person("anna")
    refused = anna.client.get(f"/entry/{SURVEY}/reconcile/000019")
    assert refused.status_code == 403 and "a third person reconciles it" in refused.text
    app.config["ENTRY_RECONCILERS"] = "either"
    assert anna.client.get(f"/entry/{SURVEY}/reconcile/000019").status_code == 200


def test_pages_need_a_staff_login(app):
    client = app.test_client()
    response = client.get(f"/entry/{SURVEY}/")
    assert response.status_code == 302 and "/entry/login" in response.location
    page = client.get("/entry/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    failed = client.post("/entry/login", data={"csrf_token": token, "name": "anna",
                                               "password": "wrong password"})
    assert failed.status_code == 401


def test_instant_check_names_the_failed_rule(person, flagship):
    anna = person("anna")
    path = anna.started_path("000020")
    entry_id = path.rstrip("/").rsplit("/", 1)[1]
    response = anna.post(f"/entry/{SURVEY}/copy/{entry_id}/check", upto="arrival_year",
                         **{"f:consent": "1", "f:birth_year": "2000", "f:gender": "8",
                            "f:arrival_year": "1990"})
    problems = response.get_json()["problems"]
    assert "is not a printed code" in problems["gender"]
    assert "rule: constraint" in problems["arrival_year"]
    assert set(problems) == {"gender", "arrival_year"}  # later questions are not asked yet
