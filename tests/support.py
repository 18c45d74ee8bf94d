"""Paths and checks shared by test modules: imported as `support`, because a conftest module
of a subfolder would shadow the name `conftest`."""

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from survey.cli import cli
from survey.stats.design import Design
from survey.stats.estimate import mean, total

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"
BAD = Path(__file__).resolve().parent / "bad_questionnaires"
API = ROOT.parent / "shared" / "reference" / "api"
"""R survey's api data (../shared beside the repository, as in CI)."""
SAMPLE = sorted(p for p in (ROOT / "data" / "sample").iterdir()
                if p.suffix in (".csv", ".xlsx", ".sav", ".jsonl"))
"""The sample returns in every partner format (data/sample/README.md)."""


def run(*args: object) -> Result:
    """The `survey` command in-process, with a wide terminal so messages are not wrapped."""
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "200"})


def assert_domain_mean_is_ratio_of_totals(design: Design, y: np.ndarray,
                                          inside: np.ndarray) -> None:
    """A domain mean must equal the ratio of two domain totals, with the delta-method SE."""
    domain = mean(design, y, domain=inside)
    both = total(design, np.column_stack([y * inside, inside.astype(float)]))
    ratio = both.values[0] / both.values[1]
    gradient = np.array([1.0, -ratio]) / both.values[1]
    assert domain.values[0] == pytest.approx(ratio, rel=1e-12)
    assert domain.se[0] == pytest.approx(np.sqrt(gradient @ both.covariance @ gradient),
                                         rel=1e-10)
