"""The respondent's pages under /s/<survey-id>/ and the JSON submission API.

A form in progress is a draft in the store; the session cookie holds only its resume code.
Every page post is read, checked with check_answers and routed on the server, so the form
works without JavaScript; answers to questions the routing skips are dropped, never stored.
"""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    abort,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response as HttpResponse

from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.languages import country_names, language_name, language_names
from survey.questionnaire.model import Question, Questionnaire
from survey.server.app import served_questionnaire, site
from survey.server.form_fields import (
    CONSENT_VALUE,
    MISSING_PREFIX,
    FieldError,
    field_state,
    posted_state,
    read_page,
)
from survey.server.messages import browser_messages, error_text, field_errors
from survey.server.pages import logic_data, next_page, page_answers, shown_questions, walk
from survey.server.review import review_sections
from survey.server.submissions import Outcome, is_submission_id, submit
from survey.store.drafts import Draft, create_draft, load_draft, save_draft
from survey.store.invitations import InvitationState, invitation_state, token_hash
from survey.store.store import today

respondent = Blueprint("respondent", __name__, url_prefix="/s/<survey_id>")

ACTIONS = ("next", "back", "save")
LANGUAGE_KEY = "language"


@respondent.url_value_preprocessor
def _survey(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    questionnaire = served_questionnaire((values or {}).get("survey_id") or "")
    g.questionnaire = questionnaire
    language = session.get(LANGUAGE_KEY)
    if language in questionnaire.languages:
        g.language = language  # also for error pages raised before the view runs


def _questionnaire() -> Questionnaire:
    return g.questionnaire


def _session_key(questionnaire: Questionnaire) -> str:
    return f"draft:{questionnaire.id}"


def _draft() -> Draft | None:
    questionnaire = _questionnaire()
    code = session.get(_session_key(questionnaire))
    if not isinstance(code, str):
        return None
    draft = load_draft(site().store, questionnaire.id, code)
    if draft is not None:
        g.language = draft.language
    return draft


def _remember(questionnaire: Questionnaire, draft: Draft) -> None:
    session.permanent = True
    session[_session_key(questionnaire)] = draft.code
    session[LANGUAGE_KEY] = draft.language


def _landing(**params: Any) -> HttpResponse:
    return redirect(url_for("respondent.landing", survey_id=_questionnaire().id, **params))


def _to_page(index: int | None) -> HttpResponse:
    questionnaire = _questionnaire()
    survey_id = questionnaire.id
    if index is None or index >= len(questionnaire.sections):
        return redirect(url_for("respondent.review", survey_id=survey_id))
    return redirect(url_for("respondent.page", survey_id=survey_id, number=index + 1))


def _chosen_language(questionnaire: Questionnaire, asked: str | None) -> str:
    if asked in questionnaire.languages:
        return asked  # type: ignore[return-value]
    return (request.accept_languages.best_match(questionnaire.languages)
            or questionnaire.default_language)


def _invitation_problem(token: str | None) -> str | None:
    """The interface key of what is wrong with the invitation, or None."""
    questionnaire = _questionnaire()
    if not token:
        return "web.invitation_required" if site().invitation_only else None
    state = invitation_state(site().store, questionnaire.id, token)
    if state == InvitationState.OPEN:
        return None
    return "web.invitation_used" if state == InvitationState.USED else "web.invitation_unknown"


# -- start and resume ---------------------------------------------------------------------------

@respondent.get("/")
def landing(survey_id: str) -> Any:
    questionnaire = _questionnaire()
    g.language = _chosen_language(questionnaire,
                                  request.args.get("lang") or session.get(LANGUAGE_KEY))
    invitation = request.args.get("invitation", "")[:64] or None
    problem = _invitation_problem(invitation)
    languages = [(code, language_name(code, code)) for code in questionnaire.languages]
    return render_template("landing.html", q=questionnaire, languages=languages,
                           invitation=invitation, problem=problem,
                           resume_code=request.args.get("code", "")[:32],
                           resume_failed=request.args.get("resume") == "unknown"), (
        403 if problem else 200)


@respondent.post("/start")
def start(survey_id: str) -> Any:
    questionnaire = _questionnaire()
    language = request.form.get("lang", "")
    if language not in questionnaire.languages:
        abort(400)
    invitation = request.form.get("invitation", "")[:64] or None
    if _invitation_problem(invitation) is not None:
        return _landing(lang=language, invitation=invitation or "")
    draft = create_draft(site().store, questionnaire.id, language,
                         token_hash(invitation) if invitation else None)
    _remember(questionnaire, draft)
    return _to_page(next_page(questionnaire, draft.answers, -1))


@respondent.post("/resume")
def resume(survey_id: str) -> Any:
    questionnaire = _questionnaire()
    code = request.form.get("code", "")[:64]
    draft = load_draft(site().store, questionnaire.id, code) if code.strip() else None
    if draft is None:
        return _landing(resume="unknown")
    _remember(questionnaire, draft)
    return _to_page(draft.page)


@respondent.get("/saved")
def saved(survey_id: str) -> Any:
    draft = _draft()
    if draft is None:
        return _landing()
    link = url_for("respondent.landing", survey_id=survey_id, code=draft.code,
                   _external=True)
    return render_template("saved.html", q=_questionnaire(), draft=draft, link=link)


# -- one section per page -----------------------------------------------------------------------

def _render_page(draft: Draft, index: int, questions: list[Question],
                 state: dict[str, list[str]], errors: dict[str, FieldError],
                 status: int = 200) -> Any:
    questionnaire = _questionnaire()
    section = questionnaire.sections[index]
    language = draft.language
    messages = {qid: error_text(questionnaire, questionnaire.question(qid), error, language)
                for qid, error in errors.items()}
    logic = logic_data(questionnaire, section, questions, draft.answers, language,
                       browser_messages(questionnaire, language))
    back = next_page(questionnaire, draft.answers, index, -1)
    return render_template(
        "page.html", q=questionnaire, section=section, questions=questions, state=state,
        errors=messages, logic=logic, draft=draft, number=index + 1,
        total=len(questionnaire.sections), has_back=back is not None,
        countries=country_names(language), languages=language_names(language),
        missing_prefix=MISSING_PREFIX, consent_value=CONSENT_VALUE), status


def _section_index(number: int) -> int:
    if not 1 <= number <= len(_questionnaire().sections):
        abort(404)
    return number - 1


@respondent.get("/page/<int:number>")
def page(survey_id: str, number: int) -> Any:
    questionnaire = _questionnaire()
    index = _section_index(number)
    draft = _draft()
    if draft is None:
        return _landing()
    questions = shown_questions(questionnaire, questionnaire.sections[index], draft.answers)
    if not questions:
        return _to_page(next_page(questionnaire, draft.answers, index))
    return _render_page(draft, index, questions, field_state(draft.answers), {})


@respondent.post("/page/<int:number>")
def post_page(survey_id: str, number: int) -> Any:
    questionnaire = _questionnaire()
    index = _section_index(number)
    draft = _draft()
    if draft is None:
        return _landing()
    if request.form.get("submission_id") != draft.submission_id:
        abort(400)  # a page of another (older or foreign) form
    action = request.form.get("action", "next")
    if action not in ACTIONS:
        abort(400)
    section = questionnaire.sections[index]
    questions = shown_questions(questionnaire, section, draft.answers)
    read = read_page(questions, request.form)
    answers = page_answers(section, draft.answers) | read.answers
    asked = set(walk(questionnaire, answers, today()).asked)
    answers = {name: value for name, value in answers.items()
               if questionnaire.answer_index[name].id in asked}
    shown = {q.id for q in questions}
    checked = field_errors(questionnaire, check_answers(questionnaire, answers, today()).problems)
    errors = read.errors | {qid: e for qid, e in checked.items()
                            if qid in shown and qid not in read.errors}
    if errors and action == "next":
        return _render_page(draft, index, questions, posted_state(request.form), errors, 422)
    draft.answers = {name: value for name, value in answers.items()
                     if questionnaire.answer_index[name].id not in errors}
    if action == "back":
        draft.page = next_page(questionnaire, draft.answers, index, -1) or 0
    elif action == "next":
        target = next_page(questionnaire, draft.answers, index)
        draft.page = len(questionnaire.sections) if target is None else target
    else:
        draft.page = index
    draft.furthest = max(draft.furthest, draft.page)
    save_draft(site().store, draft)
    if action == "save":
        return redirect(url_for("respondent.saved", survey_id=survey_id))
    return _to_page(draft.page)


# -- review, submission, thanks -----------------------------------------------------------------

def _render_review(draft: Draft, status: int = 200, outcome: str | None = None) -> Any:
    questionnaire = _questionnaire()
    check = check_answers(questionnaire, draft.answers, today())
    errors = {qid: error_text(questionnaire, questionnaire.question(qid), error, draft.language)
              for qid, error in field_errors(questionnaire, check.problems).items()}
    sections = review_sections(questionnaire, draft.answers, draft.language, errors)
    return render_template("review.html", q=questionnaire, sections=sections, draft=draft,
                           errors=errors, outcome=outcome), status


@respondent.get("/review")
def review(survey_id: str) -> Any:
    draft = _draft()
    if draft is None:
        return _landing()
    return _render_review(draft)


@respondent.post("/submit")
def post_submission(survey_id: str) -> Any:
    questionnaire = _questionnaire()
    draft = _draft()
    if draft is None:
        return _landing()
    if request.form.get("submission_id") != draft.submission_id:
        abort(400)
    result = submit(site().store, questionnaire, draft.submission_id, draft.answers,
                    draft.language, invitation=draft.invitation, draft_code=draft.code)
    if result.outcome in (Outcome.CREATED, Outcome.ALREADY_STORED):
        session.pop(_session_key(questionnaire), None)
        return redirect(url_for("respondent.thanks", survey_id=survey_id))
    if result.outcome == Outcome.INVALID:
        return _render_review(draft, 422)
    return _render_review(draft, 409, outcome=str(result.outcome))


@respondent.get("/thanks")
def thanks(survey_id: str) -> Any:
    return render_template("thanks.html", q=_questionnaire())


# -- JSON API ----------------------------------------------------------------------------------

def _api_error(status: int, message: str, **extra: Any) -> Any:
    return jsonify({"error": message, **extra}), status


@respondent.post("/api/submissions")
def api_submission(survey_id: str) -> Any:
    """One complete answer set: {"submission_id", "language", "answers", "invitation"?}."""
    questionnaire = _questionnaire()
    if request.mimetype != "application/json":
        return _api_error(415, "send the submission as application/json")
    try:
        body = json.loads(request.get_data(cache=False))
    except (ValueError, RecursionError):
        return _api_error(400, "the body is not valid JSON (UTF-8)")
    if not isinstance(body, dict):
        return _api_error(400, "the body must be a JSON object")
    submission_id, answers = body.get("submission_id"), body.get("answers")
    language, invitation = body.get("language"), body.get("invitation")
    if not is_submission_id(submission_id):
        return _api_error(422, "submission_id must be a UUID in lower-case canonical form, "
                          "made when the form was started")
    if language not in questionnaire.languages:
        return _api_error(422, f"language must be one of {', '.join(questionnaire.languages)}")
    if not isinstance(answers, dict):
        return _api_error(422, "answers must be an object: answer name → value")
    if invitation is not None and not isinstance(invitation, str):
        return _api_error(422, "invitation must be the token of the invitation link")
    problem = _invitation_problem(invitation)
    if problem is not None:
        return _api_error(403, problem.removeprefix("web.").replace("_", " "))
    result = submit(site().store, questionnaire, submission_id, answers, language,
                    invitation=token_hash(invitation) if invitation else None)
    match result.outcome:
        case Outcome.CREATED:
            return jsonify({"status": "created", "submission_id": submission_id}), 201
        case Outcome.ALREADY_STORED:
            return jsonify({"status": "already stored", "submission_id": submission_id}), 200
        case Outcome.INVALID:
            return _api_error(422, "the answers do not pass the questionnaire's checks",
                              problems=[{"name": p.name, "rule": str(p.rule),
                                         "message": p.message} for p in result.problems])
        case Outcome.INVITATION_USED:
            return _api_error(409, "the invitation was used for another submission")
        case _:
            return _api_error(409, "this submission_id was already stored with other answers")
