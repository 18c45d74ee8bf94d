"""The layers of the design hold, and a module that imports upward is caught by `make test`."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / ".importlinter")], cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        timeout=300)


def test_the_layers_hold() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout or "0 broken" in result.stdout


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "survey", tmp_path / "survey",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pdf", "*.png", "*.svg",
                                                  "*.ttf", "*.geojson"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    model = tmp_path / "survey" / "questionnaire" / "model.py"
    model.write_text(model.read_text(encoding="utf-8")
                     + "\nfrom survey.stats.plan import load_plan  # noqa\n", encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "survey.questionnaire.model -> survey.stats.plan" in result.stdout
