"""`survey preview` on the command line: refusals, the printed address, Ctrl+C."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from preview_helpers import EXAMPLE
from support import run


def test_help_names_what_the_page_shows() -> None:
    result = run("preview", "--help")
    assert result.exit_code == 0
    for words in ("QUESTIONNAIRE", "XLSForm", "line numbers", "?q=QUESTION_ID", "127.0.0.1",
                  "--port", "--lang", "pdftoppm"):
        assert words in result.output


def test_what_cannot_be_previewed_exits_1(tmp_path: Path) -> None:
    csv = tmp_path / "returns.csv"
    csv.write_text("a,b\n", encoding="utf-8")
    result = run("preview", csv)
    assert result.exit_code == 1 and "takes a questionnaire (.yaml, .yml)" in result.output
    result = run("preview", tmp_path / "typo.yaml")
    assert result.exit_code == 1 and "no such file" in result.output
    path = shutil.copy(EXAMPLE, tmp_path / "q.yaml")
    result = run("preview", path, "--lang", "german")
    assert result.exit_code == 1 and "--lang german" in result.output


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_the_command_serves_until_stopped_and_leaves_no_scratch_store(tmp_path: Path,
                                                                      stop: int) -> None:
    path = shutil.copy(EXAMPLE, tmp_path / "feedback.yaml")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    survey = Path(sys.executable).with_name("survey")
    # As in a terminal, Ctrl-C reaches the preview even when the tests run from a background
    # shell, whose children inherit an ignored SIGINT.
    process = subprocess.Popen([str(survey), "preview", str(path), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={"COLUMNS": "200", "PATH": "/usr/bin:/bin",
                                    "TMPDIR": str(scratch)},
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        lines = [process.stdout.readline() for _ in range(3)]  # type: ignore[union-attr]
        assert lines[0].startswith(f"Previewing {path}")
        url = re.search(r"open (http://127\.0\.0\.1:\d+/)", lines[1]).group(1)  # type: ignore
        assert "feedback.yaml: no errors" in lines[2]
        with urllib.request.urlopen(url + "_preview/state.json", timeout=30) as response:
            assert json.loads(response.read())["status"] == "ok"
    finally:
        process.send_signal(stop)
        assert process.wait(timeout=30) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feedback.yaml", "tmp"]
    assert not list(scratch.iterdir()), "the scratch store with test answers is gone"
