"""docs/howto-analyse-in-python.md works as written: its code blocks run, in order, in a folder
holding the sample project as `make demo` builds it (the flagship questionnaire and plan with
the sample returns)."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest
from support import ROOT, SAMPLE, copy_flagship, run

GUIDE = ROOT / "docs" / "howto-analyse-in-python.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("guide")
    project = root / "demo"
    (project / "questionnaires").mkdir(parents=True)
    copy_flagship(project / "questionnaires")
    shutil.copytree(ROOT / "analysis", project / "analysis")
    assert run("ingest", project, *SAMPLE).exit_code in (0, 3)  # the samples plant faults
    return root


@pytest.fixture(scope="module")
def printed(folder: Path) -> list[str]:
    """What each block prints, the blocks run one after the other in one namespace."""
    blocks = BLOCK.findall(GUIDE.read_text(encoding="utf-8"))
    assert len(blocks) >= 6
    namespace: dict[str, object] = {}
    outputs = []
    with contextlib.chdir(folder):
        for number, code in enumerate(blocks, start=1):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"{GUIDE.name} block {number}", "exec"), namespace)
            outputs.append(out.getvalue())
    return outputs


def test_every_block_runs_and_prints(printed) -> None:
    assert all(text.strip() for text in printed)


def test_the_session_shows_labelled_figures(printed) -> None:
    assert "<Design:" in printed[0]
    assert "mean" in printed[1] and "SE" in printed[1]
    assert "Leipzig" in printed[1]  # the plan's labels of its derived groups
    assert "Survey-weighted binomial regression" in printed[4]
    assert "odds_ratio" in printed[4]
