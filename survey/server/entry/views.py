"""The data-entry pages under /entry/: start by serial, keyboard entry, drafts, reconciliation
of copies and of quarantined import rows, progress and the audit trail.

Staff with the role entry or admin use them, in their staff language (staff_language.py):
every text here is a staff text, said with `say`. Every page works without JavaScript; entry.js
only moves the cursor and shows problems at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from werkzeug.wrappers import Response as HttpResponse

from survey.questionnaire.model import Questionnaire
from survey.returns.double_entry import (
    Settled,
    awaits_reconciliation,
    finish_entry,
    may_reconcile,
    to_decide,
)
from survey.returns.doubts import copy_folder, read_doubts
from survey.returns.reconcile import CopyStatus, field_problems, reconcile, scanned, verdict
from survey.returns.typed import entry_fields
from survey.server.context import served_questionnaire, site
from survey.server.entry.progress import progress
from survey.server.entry.quarantine import decided_answers, fix_row, row_fields
from survey.server.entry.screen import entry_logic, screen_fields, staff_language
from survey.server.entry.serial_lookup import SerialRefused, find_copy
from survey.server.response_view import AUDIT_ACTIONS
from survey.server.staff_language import said, say
from survey.server.staff_language import staff_language as request_staff_language
from survey.server.staff_login import login_page, logout_page, roles_only
from survey.staff_texts import staff_text
from survey.store.entries import (
    EntryRefused,
    audit_trail,
    discard_draft,
    drafts_of,
    entries_of,
    entry,
    lock_holder,
    paper_submission_id,
    release_lock,
    save_entry,
    serial_subject,
    start_entry,
    take_lock,
)
from survey.store.summaries import quarantined_rows
from survey.store.users import Role

entry_pages = Blueprint("entry", __name__, url_prefix="/entry")

FIELD_PREFIX = "f:"
STAFF_ROLES = (Role.ENTRY, Role.ADMIN)


def register(app: Flask, project_root: Path) -> None:
    """Add the entry pages for the project at `project_root` (its paper/serials.json names the
    copies); app.config["ENTRY_RECONCILERS"] says who may reconcile (create_app)."""
    app.config["SURVEY_PROJECT_ROOT"] = project_root
    app.register_blueprint(entry_pages)


staff_only = roles_only(STAFF_ROLES, "entry.login")


def _user() -> str:
    user: str = session["user"]
    return user


def _language(questionnaire: Questionnaire) -> str:
    """The language the questions are shown in: the staff language where the questionnaire
    has it."""
    return staff_language(questionnaire, request_staff_language())


def _fields(questionnaire: Questionnaire) -> Any:
    return screen_fields(questionnaire, _language(questionnaire), request_staff_language())


def _typed(form: Any) -> dict[str, str]:
    return {key.removeprefix(FIELD_PREFIX): value.replace("\r", "").strip()
            for key, value in form.items() if key.startswith(FIELD_PREFIX) and value.strip()}


def _project_root() -> Path:
    root: Path = current_app.config["SURVEY_PROJECT_ROOT"]
    return root


# -- login ------------------------------------------------------------------------------------

@entry_pages.route("/login", methods=["GET", "POST"])
def login() -> Any:
    return login_page("/entry/", "entry.home")


@entry_pages.post("/logout")
def logout() -> HttpResponse:
    return logout_page("entry.login")


@entry_pages.get("/")
@staff_only
def home() -> Any:
    return render_template("entry/home.html", questionnaires=site().questionnaires.values(),
                           drafts=drafts_of(site().store, _user()))


# -- start by serial, enter, finish -----------------------------------------------------------

@entry_pages.get("/<survey_id>/")
@staff_only
def start_page(survey_id: str) -> Any:
    questionnaire = served_questionnaire(survey_id)
    drafts = [d for d in drafts_of(site().store, _user()) if d.questionnaire_id == survey_id]
    return render_template("entry/start.html", q=questionnaire, drafts=drafts, refused=None)


@entry_pages.post("/<survey_id>/start")
@staff_only
def start(survey_id: str) -> Any:
    questionnaire = served_questionnaire(survey_id)
    store = site().store
    try:
        copy = find_copy(_project_root(), survey_id, request.form.get("serial", ""))
        if store.response(paper_submission_id(survey_id, copy.serial)) is not None:
            raise EntryRefused(staff_text(
                "serial {serial} was entered twice and accepted already; a copy is stored "
                "once. Check the number on the cover.", serial=copy.serial))
        started = start_entry(store, survey_id, copy.serial, copy.language, _user())
    except (SerialRefused, EntryRefused) as refused:
        drafts = [d for d in drafts_of(store, _user()) if d.questionnaire_id == survey_id]
        return render_template("entry/start.html", q=questionnaire, drafts=drafts,
                               refused=say(refused.args[0] if refused.args else str(refused)),
                               typed=request.form.get("serial", "")[:40]
                               ), 409
    return redirect(url_for("entry.copy", survey_id=survey_id, entry_id=started.id))


def _own_draft(survey_id: str, entry_id: int) -> Any:
    found = entry(site().store, entry_id)
    if found is None or found.questionnaire_id != survey_id or found.entered_by != _user():
        abort(404)
    if found.finished:
        abort(409, description="this entry is finished")
    return found


def _render_copy(questionnaire: Questionnaire, draft: Any, typed: dict[str, str],
                 problems: dict[str, str], status: int = 200) -> Any:
    return render_template(
        "entry/copy.html", q=questionnaire, draft=draft, typed=typed, problems=said(problems),
        fields=_fields(questionnaire), logic=entry_logic(questionnaire),
        prefix=FIELD_PREFIX), status


@entry_pages.get("/<survey_id>/copy/<int:entry_id>")
@staff_only
def copy(survey_id: str, entry_id: int) -> Any:
    questionnaire = served_questionnaire(survey_id)
    draft = _own_draft(survey_id, entry_id)
    return _render_copy(questionnaire, draft, draft.typed, {})


@entry_pages.post("/<survey_id>/copy/<int:entry_id>")
@staff_only
def save_copy(survey_id: str, entry_id: int) -> Any:
    questionnaire = served_questionnaire(survey_id)
    store = site().store
    draft = _own_draft(survey_id, entry_id)
    action = request.form.get("action", "finish")
    if action == "discard":
        discard_draft(store, entry_id, _user())
        flash(say(staff_text("Draft of serial {serial} discarded.", serial=draft.serial)))
        return redirect(url_for("entry.start_page", survey_id=survey_id))
    typed = _typed(request.form)
    if action == "save":
        save_entry(store, entry_id, _user(), typed, finished=False)
        flash(say(staff_text("Serial {serial} kept as a draft: resume it from this page.",
                             serial=draft.serial)))
        return redirect(url_for("entry.start_page", survey_id=survey_id))
    if action != "finish":
        abort(400)
    finished = finish_entry(store, questionnaire, draft, _user(), typed)
    if finished.problems:
        return _render_copy(questionnaire, draft, typed, finished.problems, 422)
    if finished.settled is Settled.ACCEPTED:
        flash(say(staff_text("Serial {serial}: both entries agree; the copy is accepted.",
                             serial=draft.serial)))
    elif finished.settled is Settled.TO_RECONCILE:
        flash(say(staff_text("Serial {serial}: the two entries differ or need a decision; it "
                             "waits on the reconciliation screen.", serial=draft.serial)))
    else:
        flash(say(staff_text("Serial {serial} entered; it waits for its second entry by a "
                             "colleague.", serial=draft.serial)))
    return redirect(url_for("entry.start_page", survey_id=survey_id))


@entry_pages.post("/<survey_id>/copy/<int:entry_id>/check")
@staff_only
def check_copy(survey_id: str, entry_id: int) -> Any:
    """Instant validation: the problems of the fields typed so far (up to `upto`)."""
    questionnaire = served_questionnaire(survey_id)
    _own_draft(survey_id, entry_id)
    typed = _typed(request.form)
    order = [f.name for f in entry_fields(questionnaire)]
    upto = request.form.get("upto", "")
    reached = set(order[:order.index(upto) + 1]) if upto in order else set(typed)
    found = field_problems(questionnaire, typed) | verdict(questionnaire, typed).problems
    return jsonify({"problems": {name: say(message) for name, message in found.items()
                                 if name in reached and typed.get(name, "") != "?"}})


# -- reconciliation ---------------------------------------------------------------------------

@entry_pages.get("/<survey_id>/reconcile")
@staff_only
def reconcile_list(survey_id: str) -> Any:
    questionnaire = served_questionnaire(survey_id)
    report = progress(site().store, questionnaire)
    conflicts = [s for s in report.states
                 if s.status in (CopyStatus.CONFLICT, CopyStatus.SCANNED)]
    return render_template("entry/reconcile_list.html", q=questionnaire, conflicts=conflicts,
                           quarantined=quarantined_rows(site().store, survey_id))


def _held(subject: str) -> str | None:
    """Who else is deciding `subject`. A decision (POST, CSRF-checked) takes the lock until it
    is accepted or left; opening the screen (GET) only looks."""
    if request.method == "POST":
        return take_lock(site().store, subject, _user())
    return lock_holder(site().store, subject, _user())


@entry_pages.route("/<survey_id>/reconcile/<serial>", methods=["GET", "POST"])
@staff_only
def reconcile_copy(survey_id: str, serial: str) -> Any:
    questionnaire = served_questionnaire(survey_id)
    store = site().store
    copy_entries = entries_of(store, survey_id, serial)
    if not awaits_reconciliation(copy_entries):
        abort(404)
    if store.response(paper_submission_id(survey_id, serial)) is not None:
        flash(say(staff_text("Serial {serial} is accepted already.", serial=serial)))
        return redirect(url_for("entry.reconcile_list", survey_id=survey_id))
    typists = [e.entered_by for e in copy_entries]
    if not may_reconcile(current_app.config["ENTRY_RECONCILERS"], _user(), copy_entries):
        return render_template("entry/message.html", q=questionnaire, message=say(staff_text(
            "You entered serial {serial} yourself; a third person reconciles it, so that each "
            "difference is read from the paper by someone who did not type it.",
            serial=serial))), 403
    subject = serial_subject(serial)
    holder = _held(subject)
    if holder is not None:
        return render_template("entry/message.html", q=questionnaire, message=say(staff_text(
            "{person} is reconciling serial {serial} right now. Pick another copy; this one is "
            "free again when they finish or leave it.", person=holder, serial=serial))), 409
    decided = _typed(request.form) if request.method == "POST" else {}
    refused: dict[str, str] | None = None
    if request.method == "POST":
        result = reconcile(store, questionnaire, copy_entries, decided, _user())
        if result.accepted:
            flash(say(staff_text("Serial {serial} reconciled and accepted.", serial=serial)))
            return redirect(url_for("entry.reconcile_list", survey_id=survey_id))
        refused = result.problems
    shown = to_decide(questionnaire, copy_entries, refused)
    problems = shown.problems
    fields = {f.name: f for f in _fields(questionnaire)}
    doubts = read_doubts(copy_folder(_project_root(), survey_id, serial))
    if request.method == "GET":  # the scanner's reason until a person has decided
        problems = problems | {n: d.reason for n, d in doubts.items()}
    values = [e.typed for e in copy_entries]
    rows = [{"name": n, "label": fields[n].label, "hint": fields[n].hint,
             "values": [v.get(n, "") for v in values], "decided": decided.get(n, ""),
             "problem": say(problems.get(n, "")),
             "image": (url_for("entry.scan_image", survey_id=survey_id, serial=serial,
                               name=doubts[n].image) if n in doubts and doubts[n].image
                       else None),
             "differs": n in shown.differing}
            for n in shown.names if n in fields]
    headings = ([say(staff_text("scanned"))] if scanned(copy_entries) else
                [say(staff_text("1st entry ({person})", person=typists[0])),
                 say(staff_text("2nd entry ({person})", person=typists[1]))])
    return render_template(
        "entry/reconcile.html", q=questionnaire,
        title=say(staff_text("Reconcile serial {serial}", serial=serial)),
        headings=headings, rows=rows, subject=subject,
        prefix=FIELD_PREFIX), 422 if request.method == "POST" else 200


@entry_pages.get("/<survey_id>/scan-image/<serial>/<name>")
@staff_only
def scan_image(survey_id: str, serial: str, name: str) -> Any:
    """A cut-out of a scanned field (survey scan), shown beside its input."""
    served_questionnaire(survey_id)
    if not (serial.isascii() and serial.isdigit()):
        abort(404)  # only a serial names a copy's folder; `..` would leave it
    return send_from_directory(copy_folder(_project_root(), survey_id, serial), name,
                               mimetype="image/png")


@entry_pages.route("/<survey_id>/fix/<submission_id>", methods=["GET", "POST"])
@staff_only
def fix_quarantined(survey_id: str, submission_id: str) -> Any:
    """A quarantined import row on the same screen: its answers as codes, its problems."""
    questionnaire = served_questionnaire(survey_id)
    store = site().store
    row = store.response(submission_id)
    if row is None or row["questionnaire_id"] != survey_id or row["status"] != "quarantined":
        abort(404)
    holder = _held(submission_id)
    if holder is not None:
        return render_template("entry/message.html", q=questionnaire, message=say(staff_text(
            "{person} is fixing this row right now. Pick another one.", person=holder))), 409
    found = row_fields(store, questionnaire, row)
    start_values, reasons = found.typed, found.reasons
    decided = _typed(request.form) if request.method == "POST" else dict(start_values)
    problems: dict[str, str] = {}
    fields = _fields(questionnaire)
    if request.method == "POST":
        posted = {k.removeprefix(FIELD_PREFIX) for k in request.form
                  if k.startswith(FIELD_PREFIX)}
        result = fix_row(store, questionnaire, row, start_values, decided, posted, _user())
        if result.accepted:
            flash(say(staff_text("Row {row} of {file} fixed and accepted.",
                                 row=row["source_row"], file=row["source_file"])))
            return redirect(url_for("entry.reconcile_list", survey_id=survey_id))
        problems = result.problems
        decided = decided_answers(start_values, decided, posted)
    rows = [{"name": f.name, "label": f.label, "hint": f.hint,
             "values": [found.as_imported.get(f.name, "")], "decided": decided.get(f.name, ""),
             "problem": say(problems.get(f.name) or reasons.get(f.name, "")),
             "differs": False}
            for f in fields]
    return render_template(
        "entry/reconcile.html", q=questionnaire,
        title=say(staff_text("Fix row {row} of {file}", row=row["source_row"],
                             file=row["source_file"])),
        headings=[say(staff_text("as imported"))], rows=rows, subject=submission_id,
        prefix=FIELD_PREFIX, from_file=True,
        general=say(problems.get("") or reasons.get("", ""))), 422 if problems else 200


@entry_pages.post("/<survey_id>/leave")
@staff_only
def leave(survey_id: str) -> HttpResponse:
    with site().store.engine.begin() as connection:
        release_lock(connection, request.form.get("subject", "")[:64], _user())
    return redirect(url_for("entry.reconcile_list", survey_id=survey_id))


# -- progress and audit -----------------------------------------------------------------------

@entry_pages.get("/<survey_id>/progress")
@staff_only
def progress_page(survey_id: str) -> Any:
    questionnaire = served_questionnaire(survey_id)
    report = progress(site().store, questionnaire)
    return render_template("entry/progress.html", q=questionnaire, report=report)


@entry_pages.get("/<survey_id>/audit")
@staff_only
def audit_page(survey_id: str) -> Any:
    questionnaire = served_questionnaire(survey_id)
    subject = request.args.get("subject") or None
    return render_template("entry/audit.html", q=questionnaire, subject=subject,
                           rows=audit_trail(site().store, survey_id, subject),
                           actions=AUDIT_ACTIONS)
