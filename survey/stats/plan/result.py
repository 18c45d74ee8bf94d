"""What running a plan gives: the results table, the weights, and the diagnostics an analyst
reads before publishing anything."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from survey.questionnaire.diagnostics import Diagnostic
from survey.stats.plan.model import Plan
from survey.stats.weighting import WeightDiagnostics


@dataclass(frozen=True)
class RunDiagnostics:
    respondents: int
    weighting: str
    """How the weights were made, in words."""
    weights: WeightDiagnostics
    """Kish design effect, effective n, range and concentration of the final weights."""
    iterations: int
    """Raking sweeps (0 without raking)."""
    largest_gap: float
    """Largest relative gap between a weighted margin and its target after raking."""
    trimmed: int
    """Weights held at a trimming bound."""
    margins: pd.DataFrame
    """Per margin cell: target, achieved weighted count, respondents, imputed respondents."""
    design: str
    degrees_of_freedom: int
    lonely_strata: int
    """Strata with a single PSU (their PSU total enters uncentred, as R's survey.lonely.psu
    'adjust' computes it)."""
    flags: dict[str, int]
    """How many rows of the results table carry each flag."""
    k_anonymity: pd.DataFrame | None
    """Combinations of the plan's key variables shared by fewer than min_cell respondents."""


@dataclass(frozen=True)
class AnalysisResult:
    plan: Plan
    results: pd.DataFrame
    """One row per indicator, breakdown, group and category (RESULT_COLUMNS); disclosure
    control applied."""
    weights: pd.DataFrame
    """Index submission_id; base_weight and weight."""
    diagnostics: RunDiagnostics
    warnings: tuple[Diagnostic, ...]
    open_answers: pd.DataFrame | None
    """Free-text answers scrubbed of contacts and names (only with free_text: scrub), not linked
    to respondents: question, question_label, answer."""
