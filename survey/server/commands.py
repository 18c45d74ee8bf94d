"""What `survey serve`, `survey users add` and `survey invitations create` print, and their
exit codes. Every failure the user can fix is caught here and printed as one message."""

from __future__ import annotations

import errno
from pathlib import Path

from rich.console import Console
from rich.text import Text

from survey.project import Project, ProjectError
from survey.server.invitation_links import write_invitations
from survey.store.store import StoreError
from survey.store.users import Role, add_user

EXIT_OK, EXIT_ERROR = 0, 1
_USER_ERRORS = (ProjectError, StoreError)


def _out(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _error(message: str) -> int:
    _out(stderr=True).print(Text(f"error: {message}", style="bold red"))
    return EXIT_ERROR


def run_serve(project_dir: Path, host: str, port: int, db_url: str | None, threads: int,
              behind_proxy: bool, invitation_only: bool) -> int:
    from survey.server.serve import run_server

    if host not in ("127.0.0.1", "localhost", "::1") and not behind_proxy:
        _out(stderr=True).print(Text(
            f"warning: serving on {host} without HTTPS; put a reverse proxy with HTTPS in front "
            "and use --behind-proxy (see docs/howto-online-survey.md)", style="yellow"))
    _out().print(f"Serving {project_dir} on http://{host}:{port}/s/<questionnaire id>/ "
                 "(admin: /admin/); stop with Ctrl+C")
    try:
        run_server(Project(project_dir), host, port, db_url, threads, behind_proxy,
                   invitation_only)
    except _USER_ERRORS as error:
        return _error(str(error))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return _error(f"port {port} on {host} is in use; stop the other program or choose "
                          "another --port")
        return _error(f"cannot listen on {host}:{port}: {error.strerror}")
    return EXIT_OK


def run_add_user(project_dir: Path, name: str, password: str, role: str,
                 db_url: str | None) -> int:
    try:
        store = Project(project_dir).store(db_url)
        try:
            add_user(store, name, password, Role(role))
        finally:
            store.close()
    except _USER_ERRORS as error:
        return _error(str(error))
    _out().print(f"added user '{name.strip()}' with role {role}")
    return EXIT_OK


def run_create_invitations(project_dir: Path, survey_id: str | None, count: int,
                           out_file: Path, base_url: str, db_url: str | None) -> int:
    try:
        made = write_invitations(Project(project_dir), survey_id, count, out_file, base_url,
                                 db_url)
    except _USER_ERRORS as error:
        return _error(str(error))
    except OSError as error:
        return _error(f"cannot write {out_file}: {error.strerror}")
    _out().print(f"wrote {made} one-time invitation links to {out_file}; the store keeps only "
                 "their fingerprints, so keep the file safe and delete it once sent")
    return EXIT_OK
