"""What `survey serve`, `survey users …` and `survey invitations create` print, and their
exit codes. A failure the user can fix is raised as a UserError, which the command line prints
as one message."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from survey.project import Project
from survey.server.invitation_links import write_invitations
from survey.server.staff_language import BROWSER_LANGUAGE
from survey.staff_texts import UnknownLanguage, choose_language
from survey.store.staff_sessions import SessionLimits, live_sessions
from survey.store.store import Store
from survey.store.users import (
    Role,
    add_user,
    list_users,
    remove_user,
    set_language,
    set_password,
    set_role,
)

EXIT_OK, EXIT_ERROR = 0, 1


def _out(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _error(message: str) -> int:
    _out(stderr=True).print(Text(f"error: {message}", style="bold red"))
    return EXIT_ERROR


def run_serve(project_dir: Path, host: str, port: int, db_url: str | None, threads: int,
              behind_proxy: bool, invitation_only: bool, public_url: str | None = None,
              session_limits: SessionLimits | None = None) -> int:
    from survey.server.serve import ANY_INTERFACE, close_store, local_base, open_server, site_links

    if host not in ("127.0.0.1", "localhost", "::1") and not behind_proxy:
        _out(stderr=True).print(Text(
            f"warning: serving on {host} without HTTPS; put a reverse proxy with HTTPS in front "
            "and use --behind-proxy (see docs/howto-online-survey.md)", style="yellow"))
    if behind_proxy and not public_url:
        _out(stderr=True).print(Text(
            "warning: --behind-proxy without --public-url: resume links take their address from "
            "the proxy's headers; give --public-url https://... (docs/howto-online-survey.md, "
            "section 9)", style="yellow"))
    try:
        app, server = open_server(Project(project_dir), host, port, db_url, threads,
                                  behind_proxy, invitation_only, public_url, session_limits)
    except OSError as error:
        if error.filename is not None:  # a path, not the address: the command line says it
            raise
        if error.errno == errno.EADDRINUSE:
            return _error(f"port {port} on {host} is in use; stop the other program or choose "
                          "another --port")
        return _error(f"cannot listen on {host}:{port}: {error.strerror}")
    out = _out()
    out.print(f"Serving {project_dir.absolute()}; stop with Ctrl+C")
    base = app.config.get("PUBLIC_URL") or local_base(host, port)
    for link in site_links(app, base):
        note = f"  ({link.note})" if link.note else ""
        out.print(Text(f"  {link.what + ':':<13} {link.url}{note}"))
    if app.config.get("PUBLIC_URL"):
        out.print(f"  This computer reaches the server itself at {local_base(host, port)}.")
    if invitation_only:
        out.print("  The forms open only through invitation links (survey invitations create).")
    if host in ANY_INTERFACE:
        out.print(f"  Other devices use this computer's network address instead of "
                  f"{ANY_INTERFACE[host]}.")
    if behind_proxy and not app.config.get("PUBLIC_URL"):
        out.print("  Respondents use the proxy's public https:// address with the same paths.")
    try:
        server.run()
    finally:
        close_store(app)
    return EXIT_OK


def run_add_user(project_dir: Path, name: str, password: str, role: str,
                 db_url: str | None) -> int:
    store = Project(project_dir).store(db_url)
    try:
        add_user(store, name, password, Role(role))
    finally:
        store.close()
    _out().print(f"added user '{name.strip()}' with role {role}")
    return EXIT_OK


def run_create_invitations(project_dir: Path, survey_id: str | None, count: int,
                           out_file: Path, base_url: str, db_url: str | None) -> int:
    made = write_invitations(Project(project_dir), survey_id, count, out_file, base_url, db_url)
    _out().print(f"wrote {made} one-time invitation links to {out_file}; the store keeps only "
                 "their fingerprints, so keep the file safe and delete it once sent")
    return EXIT_OK


def _with_store(project_dir: Path, db_url: str | None, job: Callable[[Store], None]) -> int:
    store = Project(project_dir).store(db_url)
    try:
        job(store)
    finally:
        store.close()
    return EXIT_OK


def _ended(count: int) -> str:
    return f"{count} session{'s' if count != 1 else ''} of theirs ended"


def run_set_password(project_dir: Path, name: str, password: str, db_url: str | None) -> int:
    return _with_store(project_dir, db_url, lambda store: _out().print(
        f"new password for '{name}'; {_ended(set_password(store, name, password))}"))


def run_set_role(project_dir: Path, name: str, role: str, db_url: str | None) -> int:
    return _with_store(project_dir, db_url, lambda store: _out().print(
        f"'{name}' now has role {role}; {_ended(set_role(store, name, Role(role)))}"))


def run_set_language(project_dir: Path, name: str, language: str, db_url: str | None) -> int:
    """`browser` clears the setting: the staff pages follow the browser's language again."""
    if language == BROWSER_LANGUAGE:
        chosen = None
    else:
        try:
            chosen = choose_language(language)
        except UnknownLanguage as error:
            return _error(f"{error} (or {BROWSER_LANGUAGE}: the browser's language)")
    shown = chosen or "their browser's language"

    def job(store: Store) -> None:
        set_language(store, name, chosen)
        _out().print(f"'{name}' now sees the staff pages in {shown}")
    return _with_store(project_dir, db_url, job)


def run_remove_user(project_dir: Path, name: str, db_url: str | None,
                    confirm: Callable[[str], bool]) -> int:
    if not confirm(f"remove user '{name}' and end their sessions"):
        return _error("nothing was removed")
    return _with_store(project_dir, db_url, lambda store: _out().print(
        f"removed user '{name}'; {_ended(remove_user(store, name))}"))


def run_list_users(project_dir: Path, db_url: str | None) -> int:
    def show(store: Store) -> None:
        table = Table(title="Staff users", title_justify="left")
        for name in ("user", "role", "language", "since"):
            table.add_column(name)
        for user in list_users(store):
            table.add_row(Text(user.name), user.role, user.language or BROWSER_LANGUAGE,
                          f"{user.created_on:%Y-%m-%d}")
        _out().print(table)
    return _with_store(project_dir, db_url, show)


def run_list_sessions(project_dir: Path, db_url: str | None) -> int:
    def show(store: Store) -> None:
        table = Table(title="Staff sessions (ended ones are not listed)", title_justify="left")
        for name in ("user", "role", "logged in (UTC)", "last seen (UTC)"):
            table.add_column(name)
        for item in live_sessions(store, SessionLimits()):
            table.add_row(Text(item.user), item.role, f"{item.started_at:%Y-%m-%d %H:%M}",
                          f"{item.seen_at:%Y-%m-%d %H:%M}")
        _out().print(table)
    return _with_store(project_dir, db_url, show)
