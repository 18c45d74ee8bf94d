"""The staff area: login, response counts, completion by section, the latest responses, one
response read back with its provenance and history, and downloads (coded and labelled).

Staff pages are in the staff language (staff_language.py); respondents never see them. A
login replaces the whole session (no fixation), and every page checks the role again, so
removing a user's role takes effect at their next click.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as HttpResponse

from survey.server.completion import section_completion
from survey.server.context import served_questionnaire, site
from survey.server.downloads import accepted_responses, label_language
from survey.server.response_view import (
    AUDIT_ACTIONS,
    MODES,
    STATUSES,
    find_response,
    response_view,
    submission_id_of,
)
from survey.server.staff_language import say, staff_language
from survey.server.staff_login import login_page, logout_page, roles_only
from survey.staff_texts import staff_text
from survey.store.drafts import furthest_pages
from survey.store.invitations import invitation_counts
from survey.store.summaries import accepted_counts, latest_responses
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
    return render_template("admin/home.html", questionnaires=questionnaires,
                           title_language=staff_language())


def _survey_page(survey_id: str, searched: str = "", not_found: str = "",
                 status: int = 200) -> Any:
    questionnaire = served_questionnaire(survey_id)
    store = site().store
    return render_template(
        "admin/survey.html", questionnaire=questionnaire,
        counts=accepted_counts(store, survey_id),
        completion=section_completion(store, questionnaire),
        in_progress=sum(furthest_pages(store, survey_id).values()),
        invitations=invitation_counts(store, survey_id),
        latest=latest_responses(store, survey_id), statuses=STATUSES, modes=MODES,
        searched=searched, not_found=not_found,
        label_language=label_language(questionnaire, staff_language()),
        fieldwork=_endpoint("admin.fieldwork")), status


def _endpoint(name: str) -> str | None:
    """`name` if the application has that page (another part of the admin area may add it)."""
    return name if name in current_app.view_functions else None


@admin.get("/<survey_id>/")
@admin_only
def survey(survey_id: str) -> Any:
    return _survey_page(survey_id)


@admin.get("/<survey_id>/responses/find")
@admin_only
def find(survey_id: str) -> Any:
    """A response by submission id or paper serial; the survey page again if there is none."""
    served_questionnaire(survey_id)
    searched = request.args.get("q", "").strip()[:64]
    found = find_response(site().store, survey_id, searched) if searched else None
    record = site().store.response(found) if found else None
    if record is not None and record["questionnaire_id"] == survey_id:
        return redirect(url_for("admin.response", survey_id=survey_id, submission_id=found))
    message = (staff_text("No response of this survey has the submission id or serial "
                          "'{searched}'.", searched=searched) if searched else
               staff_text("Type a submission id or the serial number of a paper copy."))
    return _survey_page(survey_id, searched, say(message), 404 if searched else 400)


@admin.get("/<survey_id>/responses/<submission_id>")
@admin_only
def response(survey_id: str, submission_id: str) -> Any:
    questionnaire = served_questionnaire(survey_id)
    checked = submission_id_of(submission_id)
    if checked is None or checked != submission_id:
        abort(404)
    store = site().store
    record = store.response(checked)
    if record is None or record["questionnaire_id"] != survey_id:
        abort(404)
    language = label_language(questionnaire, staff_language())
    return render_template("admin/response.html", questionnaire=questionnaire,
                           view=response_view(store, questionnaire, record, language),
                           statuses=STATUSES, modes=MODES, actions=AUDIT_ACTIONS)


_MIMETYPES = {"csv": "text/csv",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _download(survey_id: str, file_format: str, labelled: bool) -> HttpResponse:
    questionnaire = served_questionnaire(survey_id)
    labels = label_language(questionnaire, staff_language()) if labelled else None
    response = HttpResponse(accepted_responses(site().store, questionnaire, file_format, labels),
                            mimetype=_MIMETYPES[file_format])
    name = f"{survey_id}-responses-labelled-{labels}" if labels else f"{survey_id}-responses"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@admin.get("/<survey_id>/responses.<any(csv, xlsx):file_format>")
@admin_only
def download(survey_id: str, file_format: str) -> HttpResponse:
    """The accepted responses with answer codes (as survey export writes them)."""
    return _download(survey_id, file_format, labelled=False)


@admin.get("/<survey_id>/responses-labelled.<any(csv, xlsx):file_format>")
@admin_only
def download_labelled(survey_id: str, file_format: str) -> HttpResponse:
    """The accepted responses with answer labels, in the staff language where the
    questionnaire has it, else in its default language."""
    return _download(survey_id, file_format, labelled=True)
