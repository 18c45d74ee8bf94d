"""A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl in a temporary folder,
listening on a free loopback port only, removed afterwards.

As root the server runs as the `postgres` OS user (PostgreSQL refuses to run as root).
Without the binaries the tests are skipped on a developer's machine but fail in CI (where
the CI variable is set), so a missing PostgreSQL cannot pass unnoticed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
OS_USER = "postgres"


def _binaries() -> Path | None:
    for folder in [POSTGRES_BIN, *sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                                         reverse=True)]:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", OS_USER, "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_cluster(port: int) -> Iterator[str]:
    """Start a cluster and yield its URL (database `postgres`, user `postgres`, trust auth)."""
    binaries = _binaries()
    if binaries is None:
        message = ("PostgreSQL is not installed (Debian package postgresql; make test installs "
                   "it)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="survey-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, OS_USER, OS_USER)
    try:
        subprocess.run(_as_owner([str(binaries / "initdb"), "-D", str(data), "-U", "postgres",
                                  "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True)
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
        subprocess.run(_as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-o", options,
                                  "-l", str(folder / "log"), "-w", "-t", "60", "start"]),
                       check=True, capture_output=True)
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(_as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast",
                                      "-w", "stop"]), capture_output=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
