"""Paper serials and import rows cannot be claimed from the web: the submission API takes only
random (version 4) ids, and the name-based ids of paper copies are refused with 422, so data
entry of those serials still works afterwards."""

from __future__ import annotations

import uuid

from server_helpers import SURVEY, api_post, new_id

from survey.store.entries import paper_submission_id


def test_the_api_refuses_the_id_of_a_paper_copy(client, sample_submissions):
    answers = sample_submissions[0]["answers"]
    for serial in ("000010", "000011", "000030"):
        posted = api_post(client, {"submission_id": paper_submission_id(SURVEY, serial),
                                   "language": "de", "answers": answers})
        assert posted.status_code == 422 and "version 4" in posted.json["error"]
    assert api_post(client, {"submission_id": new_id(), "language": "de",
                             "answers": answers}).status_code == 201


def test_other_name_based_or_time_based_ids_are_refused_too(client, sample_submissions):
    answers = sample_submissions[0]["answers"]
    for made in (uuid.uuid1(), uuid.uuid3(uuid.NAMESPACE_URL, "x"),
                 uuid.uuid5(uuid.NAMESPACE_URL, "x")):
        posted = api_post(client, {"submission_id": str(made), "language": "de",
                                   "answers": answers})
        assert posted.status_code == 422
