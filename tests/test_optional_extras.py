"""The core installs without the scan and server extras (pyproject.toml): the command line must
start without their libraries, and a command that needs one says which extra to install."""

import subprocess
import sys
from pathlib import Path

import pytest

EXTRAS = {"cv2": "scan", "zxingcpp": "scan", "flask": "server", "flask_compress": "server",
          "waitress": "server"}


def run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_the_command_line_imports_no_library_of_an_extra(tmp_path: Path) -> None:
    done = run(f"import sys, survey.cli; print(sorted(set({sorted(EXTRAS)!r}) & set(sys.modules)))",
               tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
@pytest.mark.parametrize(("missing", "command"), [
    ("cv2", ["scan", ".", "returns.pdf"]),
    ("flask", ["serve", "."]),
])
def test_a_command_without_its_extra_names_the_extra(tmp_path: Path, missing: str,
                                                     command: list[str]) -> None:
    # None in sys.modules makes `import cv2` fail as it does where cv2 is not installed.
    done = run(f"import sys; sys.modules[{missing!r}] = None; sys.argv = {['survey', *command]!r}; "
               "import survey.cli; survey.cli.main()", tmp_path)
    assert done.returncode == 1
    assert f"pip install '.[{EXTRAS[missing]}]'" in done.stderr
    assert "Traceback" not in done.stderr
