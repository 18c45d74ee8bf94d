"""A repeat of a stored submission_id gets one and the same answer whether its answers match
the stored ones or not, so a caller who knows an id cannot confirm a guessed answer set; the
stored response is never changed by a repeat."""

from __future__ import annotations

from server_helpers import SURVEY, api_post, new_id, store_of


def _sent(sample: dict, submission_id: str, **changes: object) -> dict:
    return {"submission_id": submission_id, "language": sample["language"],
            "answers": sample["answers"] | changes}


def test_a_right_and_a_wrong_guess_get_the_same_answer(client, app, sample_submissions):
    sample = sample_submissions[0]
    submission_id = new_id()
    assert api_post(client, _sent(sample, submission_id)).status_code == 201
    right = api_post(client, _sent(sample, submission_id))
    wrong = api_post(client, _sent(sample_submissions[1], submission_id))
    other_language = api_post(client, _sent(sample, submission_id) | {
        "language": next(s["language"] for s in sample_submissions
                         if s["language"] != sample["language"])})
    answers = [(r.status_code, r.get_data()) for r in (right, wrong, other_language)]
    assert answers[0][0] == 409 and len(set(answers)) == 1
    assert store_of(app).response(submission_id)["raw"] == sample["answers"]
    assert store_of(app).count(SURVEY) == {"accepted": 1}


def test_the_answer_names_the_id_and_says_nothing_of_the_stored_answers(client, app,
                                                                         sample_submissions):
    sample = sample_submissions[2]
    submission_id = new_id()
    api_post(client, _sent(sample, submission_id))
    repeat = api_post(client, _sent(sample_submissions[3], submission_id))
    assert repeat.json["submission_id"] == submission_id
    assert repeat.json["status"] == "already stored"
    assert set(repeat.json) == {"error", "status", "submission_id"}
