"""Blind double entry end to end: two typists, comparison, reconciliation by a third person,
acceptance into the responses with mode paper, and the audit trail of every decision."""

from __future__ import annotations

from entry_helpers import SURVEY, sample_answers, typed_copy

from survey.store.entries import audit_trail, paper_submission_id, serial_subject


def test_two_equal_entries_are_accepted_with_mode_paper(person, store, flagship):
    answers = sample_answers(flagship, 1)[0]
    typed = typed_copy(flagship, answers)
    first = person("anna").enter("7", typed)
    assert first.status_code == 302
    assert store.response(paper_submission_id(SURVEY, "000007")) is None
    assert person("ben").enter("000007", typed).status_code == 302
    stored = store.response(paper_submission_id(SURVEY, "000007"))
    assert stored["mode"] == "paper" and stored["status"] == "accepted"
    assert stored["language"] == "de" and stored["source_row"] == 7
    assert stored["entered_by"] == "anna, ben"
    expected = {k: v for k, v in answers.items()}
    assert {k: stored["answers"][k] for k in expected} == expected


def test_the_second_typist_sees_nothing_of_the_first_entry(person, flagship):
    typed = typed_copy(flagship, sample_answers(flagship, 1)[0])
    person("anna").enter("000008", typed)
    page = person("ben").client.get(person("ben").started_path("000008"))
    assert page.status_code == 200
    assert 'name="f:birth_year" value=""' in page.text
    assert "anna" not in page.text


def test_a_difference_is_reconciled_by_a_third_person(person, store, flagship):
    answers = sample_answers(flagship, 1)[0]
    typed = typed_copy(flagship, answers)
    other = dict(typed, household="9" if typed["household"] != "9" else "8")
    person("anna").enter("000009", typed)
    person("ben").enter("000009", other)
    assert store.response(paper_submission_id(SURVEY, "000009")) is None
    carla = person("carla")
    listing = carla.client.get(f"/entry/{SURVEY}/reconcile")
    assert "Serial 000009" in listing.text
    screen = carla.client.get(f"/entry/{SURVEY}/reconcile/000009")
    assert screen.status_code == 200
    assert screen.text.count('data-field="') == 1 and 'data-field="household"' in screen.text
    done = carla.post(f"/entry/{SURVEY}/reconcile/000009", **{"f:household": "4"})
    assert done.status_code == 302, done.text
    stored = store.response(paper_submission_id(SURVEY, "000009"))
    assert stored["answers"]["household"] == 4
    assert stored["entered_by"] == "anna, ben; reconciled by carla"
    decisions = [r for r in audit_trail(store, SURVEY, serial_subject("000009"))
                 if r.action == "decide"]
    assert [(r.user, r.field, r.old, r.new) for r in decisions] == [
        ("carla", "household", f"{typed['household']} | {other['household']}", "4")]
    audit = carla.client.get(f"/entry/{SURVEY}/audit")
    assert "household" in audit.text and "carla" in audit.text


def test_equal_entries_that_break_a_rule_wait_for_a_decision(person, store, flagship):
    typed = typed_copy(flagship, sample_answers(flagship, 1)[0])
    typed["arrival_year"] = "1990"  # before the year of birth: the constraint fails
    typed["birth_year"] = "2000"
    person("anna").enter("000010", typed)
    person("ben").enter("000010", typed)
    assert store.response(paper_submission_id(SURVEY, "000010")) is None
    screen = person("carla").client.get(f"/entry/{SURVEY}/reconcile/000010")
    assert "arrival_year" in screen.text and "rule: constraint" in screen.text
