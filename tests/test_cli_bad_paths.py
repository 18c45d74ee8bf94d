"""Every `survey` command given a bad path says so and exits non-zero: never a traceback, never
a half-written file (DESIGN.md, "Non-negotiables").

The cases: a missing path, a file where a folder is expected, a folder where a file is
expected, an output under a file (NotADirectoryError even for root, who ignores file modes),
a full disk (RLIMIT_FSIZE in a child process: writes past the limit fail with EFBIG) and a
read-only project (a read-only bind mount, where the system allows one).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from starter_project import starter_project

from survey.cli import cli

P, Q, F, B, OUT = "{project}", "{questionnaire}", "{file}", "{backup}", "{out}"
"""Placeholders: the project folder, its questionnaire, a returns file, a backup, an output."""

INVOCATIONS: dict[str, list[str]] = {
    "analyse": [P, "--out", OUT],
    "audio": [P, "--dry-run"],
    "backup": [P, "--out", OUT],
    "codebook": [Q, "--format", "html", "--out", OUT],
    "convert": [Q, "--to", "xlsform", "--out", OUT, "--yes"],
    "demo": [OUT],
    "erase": [P, "--serial", "000001", "--yes"],
    "export": [P, "--format", "csv", "--out", OUT],
    "fieldwork": [P, "--out", OUT],
    "imports": [P],
    "ingest": [P, F, "--dry-run"],
    "init": [OUT],
    "invitations create": [P, "--count", "2", "--out", OUT],
    "paper": [Q, "--lang", "de", "--out", OUT],
    "partners assign-serials": [P, "nobody", "1", "2"],
    "partners list": [P],
    "preview": [Q],
    "report": [P, "--format", "html", "--out", OUT],
    "restore": [P, B, "--yes"],
    "rollback": [P, "1", "--yes"],
    "scan": [P, F],
    "schema": ["--out", OUT],
    "serve": [P],
    "show": [Q],
    "translations confirm": [Q],
    "translations export": [Q, "--out-dir", OUT],
    "translations import": [Q, F],
    "translations status": [Q],
    "users add": [P, "someone", "--password-stdin"],
    "users language": [P, "someone", "de"],
    "users list": [P],
    "users passwd": [P, "someone", "--password-stdin"],
    "users remove": [P, "someone", "--yes"],
    "users role": [P, "someone", "entry"],
    "users sessions": [P],
    "validate": [Q],
}
"""Each command with valid input apart from the path a case spoils."""

OUT_FILES = {"backup": "store.sqlite", "codebook": "codebook.html", "convert": "form.xlsx",
             "fieldwork": "fieldwork.csv", "invitations create": "links.csv",
             "schema": "schema.json"}
"""Commands whose output is a file (the others write into a folder)."""

SLOW = {"demo"}
"""The demo runs the whole pipeline once it can write: only its refusals are tried."""


def commands(group: click.Group = cli, prefix: str = "") -> Iterator[str]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield prefix + name


def test_every_command_has_an_invocation() -> None:
    """A new command gets its line in INVOCATIONS, and so every case below."""
    assert sorted(commands()) == sorted(INVOCATIONS)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter project with returns imported, analysed and backed up once."""
    root = starter_project(tmp_path_factory.mktemp("made") / "project")
    assert run(["analyse", str(root)]).exit_code == 0
    assert run(["backup", str(root), "--out", str(root.parent / "backup.sqlite")]).exit_code == 0
    return root


@pytest.fixture
def places(made: Path, tmp_path: Path) -> dict[str, Path]:
    project = tmp_path / "project"
    shutil.copytree(made, project)
    shutil.copy(made.parent / "backup.sqlite", tmp_path / "backup.sqlite")
    return {P: project, Q: project / "questionnaires" / "our-survey.yaml",
            F: project / "returns.csv", B: tmp_path / "backup.sqlite"}


def run(args: list[str]) -> click.testing.Result:
    return CliRunner().invoke(cli, args, env={"COLUMNS": "400"}, input="a password 123\n",
                              catch_exceptions=False)


def output(command: str, folder: Path) -> Path:
    """Where `command` writes inside `folder`: a file of its own kind, or the folder."""
    return folder / OUT_FILES[command] if command in OUT_FILES else folder


def filled(command: str, places: dict[str, str | Path], folder: Path) -> list[str]:
    out = output(command, folder)
    return [*command.split(), *(str({**places, OUT: out}.get(a, a)) for a in INVOCATIONS[command])]


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part")]


def assert_refused(result: click.testing.Result, path: Path, folder: Path) -> None:
    said = result.output
    assert result.exit_code != 0, said
    assert "Traceback" not in said
    # Commands taking [PROJECT] FILES… read a spoiled project argument as one more input file
    # and name it as its reader does, by its name.
    assert str(path) in said.replace("\n", "") or f"{path.name}:" in said, said
    assert not leftovers(folder)


def cases_with(placeholder: str) -> list[str]:
    return [c for c in INVOCATIONS if placeholder in INVOCATIONS[c] and c not in SLOW]


@pytest.mark.parametrize("command", cases_with(P) + cases_with(Q) + cases_with(F)
                         + cases_with(B))
def test_a_missing_path(command: str, places: dict[str, Path], tmp_path: Path) -> None:
    spoiled = next(a for a in (P, Q, F, B) if a in INVOCATIONS[command])
    missing = tmp_path / "nowhere" / "gone.yaml"
    result = run(filled(command, {**places, spoiled: missing}, tmp_path / "out"))
    assert_refused(result, missing, tmp_path)


@pytest.mark.parametrize("command", cases_with(P))
def test_a_file_where_a_folder_is_expected(command: str, places: dict[str, Path],
                                           tmp_path: Path) -> None:
    file = places[P] / "README.md"
    result = run(filled(command, {**places, P: file}, tmp_path / "out"))
    assert_refused(result, file, tmp_path)


@pytest.mark.parametrize("command", cases_with(Q) + cases_with(F) + cases_with(B))
def test_a_folder_where_a_file_is_expected(command: str, places: dict[str, Path],
                                           tmp_path: Path) -> None:
    spoiled = next(a for a in (Q, F, B) if a in INVOCATIONS[command])
    folder = places[P] / "reports"
    result = run(filled(command, {**places, spoiled: folder}, tmp_path / "out"))
    assert_refused(result, folder, tmp_path)


@pytest.mark.parametrize("command", [c for c in INVOCATIONS if OUT in INVOCATIONS[c]])
def test_an_output_under_a_file(command: str, places: dict[str, Path], tmp_path: Path) -> None:
    result = run(filled(command, places, places[P] / "README.md" / "out"))
    assert_refused(result, places[P] / "README.md", tmp_path)


def _full_disk(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("command", [c for c in INVOCATIONS if OUT in INVOCATIONS[c]
                                     and c not in SLOW])
def test_a_full_disk(command: str, places: dict[str, Path], tmp_path: Path) -> None:
    """Writes past 1 KiB fail as on a full disk; the store, already bigger, is only read."""
    out = output(command, tmp_path / "out")
    done = subprocess.run(
        [sys.executable, "-c", "from survey.cli import main; main()",
         *filled(command, places, tmp_path / "out")],
        capture_output=True, text=True, input="", preexec_fn=lambda: _full_disk(1024),
        env={**os.environ, "COLUMNS": "400", "PYTHONDONTWRITEBYTECODE": "1"}, timeout=120)
    said = done.stdout + done.stderr
    assert done.returncode != 0, said
    assert "Traceback" not in said, said
    assert str(tmp_path) in said.replace("\n", ""), said
    assert not leftovers(tmp_path)
    assert not (out.is_file() and out.stat().st_size >= 1024), "a cut-off output was kept"


@pytest.fixture
def read_only(places: dict[str, Path]) -> Iterator[Path]:
    project = places[P]
    tried = subprocess.run(["mount", "--bind", "-o", "ro", str(project), str(project)],
                           capture_output=True, text=True)
    if tried.returncode != 0:
        pytest.skip(f"no read-only bind mount here ({tried.stderr.strip()}); root ignores file "
                    "modes, so a read-only project cannot be made otherwise")
    yield project
    subprocess.run(["umount", str(project)], check=True)


@pytest.mark.parametrize("command", ["ingest", "analyse", "paper", "users add"])
def test_a_read_only_project(command: str, read_only: Path, places: dict[str, Path]) -> None:
    args = [*command.split(), *(str(places.get(a, a)) for a in INVOCATIONS[command]
                                if a not in ("--out", OUT, "--dry-run"))]
    result = run(args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert str(read_only) in result.output.replace("\n", ""), result.output
