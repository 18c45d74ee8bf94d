"""The respondent's pages under /s/<survey-id>/ and the JSON submission API.

A form in progress is a draft in the store; the session cookie holds only its resume code.
Every page post is read, checked with check_answers and routed on the server, so the form
works without JavaScript; answers to questions the routing skips are dropped, never stored.
"""

from __future__ import annotations

import json
from typing import Any

from babel.dates import format_date
from flask import (
    Blueprint,
    abort,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response as HttpResponse

from survey.audio.manifest import spoken_media_file
from survey.paper.condition_text import only_if_text
from survey.questionnaire.answer_checks import check_answers
from survey.questionnaire.languages import (
    base_language,
    country_names,
    language_name,
    language_names,
)
from survey.questionnaire.media import SVG, SVG_POLICY, media_file, media_type
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.routing import route_stored
from survey.server.context import (
    TOO_MANY_FORMS,
    page_language,
    public_link,
    served_questionnaire,
    site,
)
from survey.server.fieldwork import known_partner
from survey.server.form_fields import (
    CONSENT_VALUE,
    MISSING_PREFIX,
    FieldError,
    field_state,
    posted_state,
    read_page,
)
from survey.server.messages import browser_messages, error_text, field_errors
from survey.server.pages import (
    asked_by_own_page,
    logic_data,
    next_page,
    page_answers,
    shown_questions,
)
from survey.server.review import answer_in_words, review_sections
from survey.server.submissions import Outcome, is_submission_id, submit
from survey.server.throttle import Throttle, app_throttle, client_address
from survey.store.drafts import Draft, create_draft, load_draft, rotate_code, save_draft
from survey.store.erasure import erase, submission_of_code
from survey.store.invitations import (
    InvitationState,
    invitation_state,
    start_with_invitation,
    token_hash,
)
from survey.store.partners import invitation_partner, tag_response
from survey.store.store import today

respondent = Blueprint("respondent", __name__, url_prefix="/s/<survey_id>")

ACTIONS = ("next", "back", "save")
ALREADY_STORED = ("a submission with this submission_id is stored already and was not changed; "
                  "if you sent these answers before, they are safe. New answers need a new "
                  "submission_id")
"""The API's one answer to every repeat of a stored id, with the same answers or others: were
the two told apart, a caller knowing an id could confirm a guessed answer set."""
LANGUAGE_KEY = "language"
RESUMED_KEY = "resumed"
"""Set by a resume, so the first page says the code has changed."""
WITHDRAWAL_KEY = "withdrawal"
"""The new response's withdrawal code, shown once on the thank-you page."""
SENT_KEY = "sent"
"""Set when this browser sent a form, so the thank-you page thanks only those who did."""
WRONG_GUESSES_PER_CLIENT = 10
GUESS_WINDOW_SECONDS = 600
"""Wrong resume codes and invitation tokens a client may send within the window: enough for
typing mistakes, far too few to guess a code of 10^12 possibilities."""
NEW_FORMS_PER_CLIENT = 60
NEW_SUBMISSIONS_PER_CLIENT = 60
NEW_RESPONSES_WINDOW_SECONDS = 60
"""Forms one client (one address) may start, and submissions it may store through the API, per
window: a room full of respondents behind one router starts fewer than one a second, and a tool
sending a backlog is told when to go on (429 with Retry-After); a script stuffing the survey is
slowed from thousands a second to one. Against stuffing from many addresses: --invitation-only."""
MAX_JSON_DEPTH = 8
MAX_JSON_VALUES = 5000
"""Nesting and values (keys, items, scalars) of a JSON submission: an answer set is three levels
deep (body, answers, a list or missing-value object) and a few hundred values wide; the same
number of values as a form post may have parts (MAX_FORM_PARTS)."""


@respondent.url_value_preprocessor
def _survey(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    questionnaire = served_questionnaire((values or {}).get("survey_id") or "")
    g.questionnaire = questionnaire
    language = session.get(LANGUAGE_KEY)
    if language in questionnaire.languages:
        g.language = language  # also for error pages raised before the view runs


def _questionnaire() -> Questionnaire:
    questionnaire: Questionnaire = g.questionnaire
    return questionnaire


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


def _partner_key(questionnaire: Questionnaire) -> str:
    return f"partner:{questionnaire.id}"


def _remember(questionnaire: Questionnaire, draft: Draft) -> None:
    """Keep the draft's code in the session cookie, which the browser drops when it closes:
    on a shared computer the next person finds no answers; the code brings them back."""
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
        return asked
    return (request.accept_languages.best_match(questionnaire.languages)
            or questionnaire.default_language)


def _wrong_guesses() -> Throttle:
    return app_throttle("respondent", WRONG_GUESSES_PER_CLIENT, GUESS_WINDOW_SECONDS)


def _wrong_guess() -> None:
    _wrong_guesses().count(client_address())


def _not_guessing() -> None:
    """429 for a client with too many wrong resume codes or invitation tokens of late."""
    wait = _wrong_guesses().wait(client_address())
    if wait:
        raise TooManyRequests(retry_after=wait)


def _new_forms() -> Throttle:
    return app_throttle("new forms", NEW_FORMS_PER_CLIENT, NEW_RESPONSES_WINDOW_SECONDS)


def _new_submissions() -> Throttle:
    return app_throttle("new submissions", NEW_SUBMISSIONS_PER_CLIENT,
                        NEW_RESPONSES_WINDOW_SECONDS)


def _not_stuffing(throttle: Throttle) -> None:
    """429 for a client that has started or stored as many responses of late as it may."""
    wait = throttle.wait(client_address())
    if wait:
        raise TooManyRequests(TOO_MANY_FORMS, retry_after=wait)


def _json_problem(body: Any) -> str | None:
    """Why a parsed body is deeper or wider than any answer set can be, or None. Walked with a
    list, not recursion, so the check cannot run out of stack where later code would."""
    pending: list[tuple[Any, int]] = [(body, 1)]
    values = 0
    while pending:
        value, depth = pending.pop()
        values += 1
        if isinstance(value, dict):
            values += len(value)  # the keys
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            children = []
        if values > MAX_JSON_VALUES:
            return f"the body has more than {MAX_JSON_VALUES} values"
        if children and depth >= MAX_JSON_DEPTH:
            return f"the body is nested more than {MAX_JSON_DEPTH} levels deep"
        pending.extend((child, depth + 1) for child in children)
    return None


def _invitation_problem(token: str | None) -> str | None:
    """The interface key of what is wrong with the invitation, or None."""
    questionnaire = _questionnaire()
    if not token:
        return "web.invitation_required" if site().invitation_only else None
    _not_guessing()
    state = invitation_state(site().store, questionnaire.id, token)
    if state == InvitationState.OPEN:
        return None
    _wrong_guess()
    return "web.invitation_used" if state == InvitationState.USED else "web.invitation_unknown"


# -- start and resume ---------------------------------------------------------------------------

@respondent.get("/")
def landing(survey_id: str) -> Any:
    questionnaire = _questionnaire()
    g.language = _chosen_language(questionnaire,
                                  request.args.get("lang") or session.get(LANGUAGE_KEY))
    invitation = request.args.get("invitation", "")[:64] or None
    problem = _invitation_problem(invitation)
    partner = known_partner(request.args.get("partner"))
    if partner is not None:  # a partner's link (?partner=ID); unknown ids are ignored
        session[_partner_key(questionnaire)] = partner
    languages = [(code, language_name(code, code)) for code in questionnaire.languages]
    resume_code = request.args.get("code", "")[:32]
    found = _linked_draft(resume_code) if resume_code.strip() else None
    return render_template("landing.html", q=questionnaire, languages=languages,
                           invitation=invitation, problem=problem, resume_code=resume_code,
                           resume_found=found and {
                               "day": format_date(found.updated_on or today(), "long",
                                                  locale=base_language(page_language())),
                               "count": len(found.answers)},
                           resume_failed=request.args.get("resume") == "unknown" or (
                               bool(resume_code.strip()) and found is None),
                           cleared=request.args.get("cleared") == "1"), (
        403 if problem else 200)


def _linked_draft(code: str) -> Draft | None:
    """The draft a code in a link would continue, to say on the page whose answers those are
    before anyone presses Resume; nothing is applied here. A wrong code counts as a guess."""
    _not_guessing()
    found = load_draft(site().store, _questionnaire().id, code)
    if found is None:
        _wrong_guess()
    return found


@respondent.post("/start")
def start(survey_id: str) -> Any:
    questionnaire = _questionnaire()
    language = request.form.get("lang", "")
    if language not in questionnaire.languages:
        abort(400)
    invitation = request.form.get("invitation", "")[:64] or None
    if _invitation_problem(invitation) is not None:
        return _landing(lang=language, invitation=invitation or "")
    g.language = language  # a 429 page in the language just chosen
    _not_stuffing(_new_forms())
    partner = known_partner(session.get(_partner_key(questionnaire)))
    if invitation:
        partner = invitation_partner(site().store, questionnaire.id, invitation) or partner
    if invitation and not start_with_invitation(site().store, questionnaire.id, invitation):
        return _landing(lang=language, invitation=invitation)  # used up a moment ago
    session.pop(_partner_key(questionnaire), None)
    draft = create_draft(site().store, questionnaire.id, language, partner=partner)
    _new_forms().count(client_address())
    _remember(questionnaire, draft)
    return _to_page(next_page(questionnaire, draft.answers, -1))


@respondent.post("/resume")
def resume(survey_id: str) -> Any:
    questionnaire = _questionnaire()
    code = request.form.get("code", "")[:64]
    _not_guessing()
    draft = load_draft(site().store, questionnaire.id, code) if code.strip() else None
    if draft is None:
        _wrong_guess()
        return _landing(resume="unknown")
    draft = rotate_code(site().store, draft)
    if draft is None:
        return _landing(resume="unknown")
    _remember(questionnaire, draft)
    session[RESUMED_KEY] = True
    return _to_page(draft.page)


@respondent.post("/forget")
def forget(survey_id: str) -> HttpResponse:
    """Clear this browser's hold on the form (the draft's code, the language): on a shared
    computer the next person sees nothing. A saved draft stays reachable by its code."""
    session.pop(_session_key(_questionnaire()), None)
    language = session.pop(LANGUAGE_KEY, None)
    session.pop(RESUMED_KEY, None)
    session.pop(SENT_KEY, None)
    return _landing(cleared="1", lang=language)  # the confirmation in the respondent's words


@respondent.get("/saved")
def saved(survey_id: str) -> Any:
    draft = _draft()
    if draft is None:
        return _landing()
    link = public_link("respondent.landing", survey_id=survey_id, code=draft.code)
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
    only_if = {q.id: only_if_text(questionnaire, q.relevant.tree, language) for q in questions
               if q.relevant is not None and asked_by_own_page(questionnaire, section, q)}
    _pipe(draft)
    return render_template(
        "page.html", q=questionnaire, section=section, questions=questions, state=state,
        errors=messages, logic=logic, draft=draft, number=index + 1, only_if=only_if,
        total=len(questionnaire.sections), has_back=back is not None,
        countries=country_names(language), languages=language_names(language),
        missing_prefix=MISSING_PREFIX, consent_value=CONSENT_VALUE), status


def _pipe(draft: Draft) -> None:
    """Let the page's texts show earlier answers of this draft, in its language."""
    questionnaire = _questionnaire()
    g.piped = lambda name: answer_in_words(questionnaire, draft.answers, name, draft.language)


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
    # isolated, so the code reads left to right inside an Arabic or Farsi sentence
    g.resumed_code = f"\u2066{draft.code}\u2069" if session.pop(RESUMED_KEY, False) else None
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
    if "lang" in request.form:  # a language button: keep the page's answers, show it anew
        action = "language"
        _switch_language(questionnaire, draft)
    section = questionnaire.sections[index]
    questions = shown_questions(questionnaire, section, draft.answers)
    read = read_page(questions, request.form)
    answers = page_answers(section, draft.answers) | read.answers
    asked = set(route_stored(questionnaire, answers, today()).asked)
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
    if errors and action == "language":  # what was typed stays on the page, in the new language
        return _render_page(draft, index, questions, posted_state(request.form), errors, 422)
    if action == "save":
        return redirect(url_for("respondent.saved", survey_id=survey_id))
    return _to_page(draft.page)


def _switch_language(questionnaire: Questionnaire, draft: Draft) -> None:
    """Show the draft from now on in the posted `lang`; 400 for a language it does not have."""
    language = request.form.get("lang", "")
    if language not in questionnaire.languages:
        abort(400)
    draft.language = g.language = session[LANGUAGE_KEY] = language


LANGUAGE_RETURNS = ("respondent.review", "respondent.saved", "respondent.thanks",
                    "respondent.withdraw")
"""The pages without a page form whose language control posts to /language and comes back."""


@respondent.post("/language")
def switch_language(survey_id: str) -> HttpResponse:
    """The language control of the review, saved, thank-you and withdrawal pages: the form in
    progress (if any) and this browser's pages continue in the chosen language."""
    questionnaire = _questionnaire()
    back = request.form.get("next", "")
    if back not in LANGUAGE_RETURNS:
        abort(400)
    draft = _draft()
    if draft is None:
        language = request.form.get("lang", "")
        if language not in questionnaire.languages:
            abort(400)
        session[LANGUAGE_KEY] = language
    else:
        _switch_language(questionnaire, draft)
        save_draft(site().store, draft)
    return redirect(url_for(back, survey_id=survey_id))


# -- review, submission, thanks -----------------------------------------------------------------

def _render_review(draft: Draft, status: int = 200, outcome: str | None = None) -> Any:
    questionnaire = _questionnaire()
    check = check_answers(questionnaire, draft.answers, today())
    errors = {qid: error_text(questionnaire, questionnaire.question(qid), error, draft.language)
              for qid, error in field_errors(questionnaire, check.problems).items()}
    sections = review_sections(questionnaire, draft.answers, draft.language, errors)
    _pipe(draft)
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
                    draft.language, draft_code=draft.code)
    if result.outcome in (Outcome.CREATED, Outcome.ALREADY_STORED):
        session.pop(_session_key(questionnaire), None)
        if result.withdrawal_code:
            session[WITHDRAWAL_KEY] = result.withdrawal_code
        session[SENT_KEY] = True
        return redirect(url_for("respondent.thanks", survey_id=survey_id))
    if result.outcome == Outcome.ERASED:
        session.pop(_session_key(questionnaire), None)
        abort(410)
    if result.outcome == Outcome.INVALID:
        return _render_review(draft, 422)
    return _render_review(draft, 409, outcome=str(result.outcome))


@respondent.get("/thanks")
def thanks(survey_id: str) -> Any:
    """The thank-you page, once with the withdrawal code (it is not kept anywhere after)."""
    if not session.get(SENT_KEY):
        return _landing()
    code = session.pop(WITHDRAWAL_KEY, None)
    return render_template("thanks.html", q=_questionnaire(), withdrawal_code=code)


@respondent.get("/media/<path:name>")
def media(survey_id: str, name: str) -> Any:
    """A picture or recording the questionnaire names; nothing else in its folder is served."""
    path = media_file(_questionnaire(), name) or spoken_media_file(_questionnaire(), name)
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=media_type(name), conditional=True, max_age=3600)
    response.headers["Content-Disposition"] = "inline"
    if response.mimetype == SVG:  # opened on its own, a picture may still not run or fetch
        response.headers["Content-Security-Policy"] = SVG_POLICY
    return response


@respondent.route("/withdraw", methods=["GET", "POST"])
def withdraw(survey_id: str) -> Any:
    """Withdraw a submitted response with the code from the thank-you page: it is erased."""
    questionnaire = _questionnaire()
    g.language = _chosen_language(questionnaire,
                                  request.args.get("lang") or session.get(LANGUAGE_KEY))
    failed = False
    if request.method == "POST":
        _not_guessing()
        code = request.form.get("code", "")[:64]
        found = submission_of_code(site().store, code) if code.strip() else None
        if found is not None:
            erase(site().store, questionnaire.id, submission_id=found)
            return render_template("withdraw.html", q=questionnaire, done=True)
        _wrong_guess()
        failed = True
    return render_template("withdraw.html", q=questionnaire, failed=failed), (
        422 if failed else 200)


# -- JSON API ----------------------------------------------------------------------------------

def _api_error(status: int, message: str, **extra: Any) -> Any:
    return jsonify({"error": message, **extra}), status


@respondent.post("/api/submissions")
def api_submission(survey_id: str) -> Any:
    """One complete answer set: {"submission_id", "language", "answers", "invitation"?}."""
    questionnaire = _questionnaire()
    if request.mimetype != "application/json":
        return _api_error(415, "send the submission as application/json")
    _not_stuffing(_new_submissions())
    try:
        body = json.loads(request.get_data(cache=False))
    except RecursionError:
        return _api_error(400, f"the body is nested more than {MAX_JSON_DEPTH} levels deep")
    except ValueError:
        return _api_error(400, "the body is not valid JSON (UTF-8)")
    if not isinstance(body, dict):
        return _api_error(400, "the body must be a JSON object")
    too_big = _json_problem(body)
    if too_big is not None:
        return _api_error(400, too_big)
    submission_id, answers = body.get("submission_id"), body.get("answers")
    language, invitation = body.get("language"), body.get("invitation")
    if not is_submission_id(submission_id):
        return _api_error(422, "submission_id must be a random UUID (version 4) in "
                          "lower-case canonical form, made when the form was started")
    if language not in questionnaire.languages:
        return _api_error(422, f"language must be one of {', '.join(questionnaire.languages)}")
    if not isinstance(answers, dict):
        return _api_error(422, "answers must be an object: answer name → value")
    if invitation is not None and not isinstance(invitation, str):
        return _api_error(422, "invitation must be the token of the invitation link")
    problem = _invitation_problem(invitation)
    if problem is not None:
        return _api_error(403, problem.removeprefix("web.").replace("_", " "))
    partner = invitation_partner(site().store, questionnaire.id, invitation) \
        if invitation else None
    result = submit(site().store, questionnaire, submission_id, answers, language,
                    invitation=token_hash(invitation) if invitation else None)
    match result.outcome:
        case Outcome.CREATED:
            if partner is not None:
                tag_response(site().store, submission_id, partner)
            _new_submissions().count(client_address())
            return jsonify({"status": "created", "submission_id": submission_id,
                            "withdrawal_code": result.withdrawal_code}), 201
        case Outcome.ERASED:
            return _api_error(410, "this submission was withdrawn and erased; it is not "
                              "stored again")
        case Outcome.INVALID:
            return _api_error(422, "the answers do not pass the questionnaire's checks",
                              problems=[{"name": p.name, "rule": str(p.rule),
                                         "message": p.message} for p in result.problems])
        case Outcome.INVITATION_USED:
            return _api_error(409, "the invitation was used for another submission")
        case _:  # stored before: the same answer whether or not they match (see ALREADY_STORED)
            return jsonify({"error": ALREADY_STORED, "status": "already stored",
                            "submission_id": submission_id}), 409
