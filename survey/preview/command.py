"""What `survey preview` does and prints, and its exit codes."""

from __future__ import annotations

import errno
import logging
import signal
from pathlib import Path

import waitress
from rich.console import Console
from rich.text import Text
from waitress.server import BaseWSGIServer, MultiSocketServer

from survey.preview.app import Preview
from survey.preview.watcher import PREVIEW_SUFFIXES
from survey.questionnaire.languages import check_language
from survey.user_error import UserError

EXIT_OK, EXIT_ERROR = 0, 1
HOST = "127.0.0.1"
THREADS = 6


class PreviewError(UserError):
    """The preview cannot start; the message says what to do."""


def open_preview(path: Path, port: int, language: str | None = None,
                 paper: bool = True) -> tuple[Preview, BaseWSGIServer | MultiSocketServer, str]:
    """The preview of `path` started and a waitress server listening on 127.0.0.1:`port` (0:
    any free port), and the address to open. Raises PreviewError."""
    if path.suffix.lower() not in PREVIEW_SUFFIXES:
        raise PreviewError(f"{path}: survey preview takes a questionnaire (.yaml, .yml) or an "
                           "XLSForm (.xlsx, .xls)")
    if not path.is_file():
        raise PreviewError(f"{path}: no such file")
    if language is not None and (problem := check_language(language)):
        raise PreviewError(f"--lang {language}: {problem}")
    preview = Preview(path.absolute(), language, paper=paper)
    try:
        server = waitress.create_server(preview.wsgi, host=HOST, port=port, threads=THREADS,
                                        ident="survey preview", asyncore_use_poll=True)
    except OSError as error:
        preview.stop()
        if error.errno == errno.EADDRINUSE:
            raise PreviewError(f"port {port} is in use; stop the other program or choose "
                               "another --port") from None
        raise PreviewError(f"cannot listen on {HOST}:{port}: {error.strerror}") from None
    url = preview.serving(server.effective_port)
    preview.start()
    return preview, server, url


def _stop(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_preview(path: Path, port: int, language: str | None) -> int:
    """Serve a preview of the questionnaire file, refreshed on every save, until Ctrl+C or
    SIGTERM; returns the exit code."""
    out = Console(highlight=False, soft_wrap=True)
    logging.basicConfig()
    preview, server, url = open_preview(path, port, language)
    snapshot = preview.watcher.snapshot
    out.print(f"Previewing {path} (refreshed on every save); stop with Ctrl+C")
    out.print(Text(f"  open {url}"))
    out.print(f"  now: {snapshot.headline}")
    signal.signal(signal.SIGTERM, _stop)  # `kill` cleans up the scratch store as Ctrl+C does
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        preview.stop()
    return EXIT_OK
