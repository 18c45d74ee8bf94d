"""The staff area: login, response counts, completion by section, downloads.

Staff pages are in English; respondents never see them. A login replaces the whole session
(no fixation), and every page checks the role again, so removing a user's role takes effect
at their next click.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from werkzeug.wrappers import Response as HttpResponse

from survey.server.app import served_questionnaire, site
from survey.server.completion import section_completion
from survey.server.downloads import accepted_responses
from survey.server.staff_login import login_page, logout_page, roles_only
from survey.store.drafts import furthest_pages
from survey.store.invitations import invitation_counts
from survey.store.summaries import accepted_counts
from survey.store.users import Role

admin = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = roles_only((Role.ADMIN,), "admin.login")


@admin.route("/login", methods=["GET", "POST"])
def login() -> Any:
    return login_page("/admin", "admin.home")


@admin.post("/logout")
def logout() -> HttpResponse:
    return logout_page("admin.login")


@admin.get("/")
@admin_only
def home() -> Any:
    questionnaires = site().questionnaires.values()
    return render_template("admin/home.html", questionnaires=questionnaires)


@admin.get("/<survey_id>/")
@admin_only
def survey(survey_id: str) -> Any:
    questionnaire = served_questionnaire(survey_id)
    store = site().store
    return render_template(
        "admin/survey.html", questionnaire=questionnaire,
        counts=accepted_counts(store, survey_id),
        completion=section_completion(store, questionnaire),
        in_progress=sum(furthest_pages(store, survey_id).values()),
        invitations=invitation_counts(store, survey_id))


_MIMETYPES = {"csv": "text/csv",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@admin.get("/<survey_id>/responses.<any(csv, xlsx):file_format>")
@admin_only
def download(survey_id: str, file_format: str) -> HttpResponse:
    questionnaire = served_questionnaire(survey_id)
    response = HttpResponse(accepted_responses(site().store, questionnaire, file_format),
                            mimetype=_MIMETYPES[file_format])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{survey_id}-responses.{file_format}"')
    return response
