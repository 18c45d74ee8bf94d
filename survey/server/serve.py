"""Running the server with waitress (pure Python, so it runs on a Windows laptop at an event)."""

from __future__ import annotations

import waitress

from survey.project import Project
from survey.server.app import create_app


def run_server(project: Project, host: str, port: int, db_url: str | None, threads: int,
               behind_proxy: bool = False, invitation_only: bool = False) -> None:
    """Serve until interrupted. Waitress writes no access log: no addresses are recorded."""
    app = create_app(project, db_url, behind_proxy=behind_proxy,
                     invitation_only=invitation_only)
    waitress.serve(app, host=host, port=port, threads=threads, ident="survey",
                   clear_untrusted_proxy_headers=True)
