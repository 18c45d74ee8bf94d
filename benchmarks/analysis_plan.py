"""The whole needs-assessment plan on generated flagship respondents (issue 7, figures (b)).

Generates N respondents to questionnaires/zusammen.yaml straight into the data set's `values`
and `missing` frames with numpy (one array per variable), runs analysis/needs-assessment.yaml
(raking to the illustrative Saxony margins, six breakdowns, every indicator kind), writes the
outputs, and prints seconds per stage, total seconds and peak memory (ru_maxrss).
Target (issue 7): under 30 s and under 2 GB at 100,000 respondents.

It also times `Dataset.from_answers` (one dict of answers per respondent, the store's form) on
a slice of the same respondents, checks that both ways give the same frames, and prints the
per-respondent cost, to show why the benchmark builds the frames directly.

    .venv/bin/python benchmarks/analysis_plan.py [--respondents 100000] [--dict-slice 10000]
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from survey.questionnaire.model import Question, Questionnaire, question_variables
from survey.questionnaire.spec import QuestionType
from survey.questionnaire.validate import load_questionnaire
from survey.stats.plan import load_plan
from survey.stats.run_plan import run_plan, write_outputs
from survey.store.dataset import Dataset

ROOT = Path(__file__).resolve().parent.parent
SEED = 20260101
YEAR = 2026
COUNTRIES = ["UA", "SY", "AF", "VN", "PL", "RO", "RU", "TR", "IQ", "IN", "CN", "ER", "NG",
             "BR", "DE", "IR", "BG", "ES", "PK", "US"]
COUNTRY_SHARES = np.array([20, 12, 6, 6, 6, 5, 6, 4, 4, 4, 2, 3, 3, 2, 5, 3, 3, 2, 2, 2]) / 100
LANGUAGES = ["de", "ru", "uk", "ar", "fa", "vi", "en"]
DISTRICT_SHARES = np.array([0.12, 0.18, 0.25] + [0.045] * 10)
"""Chemnitz, Dresden, Leipzig and the ten rural districts, roughly as migrants live in Saxony;
other choices get random shares."""
UNANSWERED = 0.03
DECLARED_MISSING = 0.04


def _shares(rng: np.random.Generator, k: int) -> np.ndarray:
    return rng.dirichlet(np.full(k, 3.0))


class Generated:
    """Per variable: the value array and, for questions with missing values, the missing codes;
    per question: the answers in the store's form, built only when asked for."""

    def __init__(self, questionnaire: Questionnaire, n: int, seed: int = SEED):
        self.q = questionnaire
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.values: dict[str, np.ndarray] = {}
        self.missing: dict[str, np.ndarray] = {}
        for question in questionnaire.questions:
            self._question(question)

    def _declared(self, question: Question, shape: tuple[int, ...]) -> np.ndarray:
        """The missing code per row (NaN for a real answer)."""
        codes = np.full(shape, np.nan)
        if question.missing:
            hit = self.rng.random(shape) < DECLARED_MISSING
            codes[hit] = self.rng.choice([m.code for m in question.missing], int(hit.sum()))
        return codes

    def _choice(self, question: Question, shape: tuple[int, ...]) -> tuple[np.ndarray, ...]:
        assert question.choices is not None
        codes = np.array([c.code for c in question.choices.choices], dtype=float)
        shares = DISTRICT_SHARES if question.id == "district" else _shares(self.rng, len(codes))
        values = self.rng.choice(codes, shape, p=shares)
        values[self.rng.random(shape) < UNANSWERED] = np.nan
        declared = self._declared(question, shape)
        values[~np.isnan(declared)] = np.nan
        return values, declared

    def _question(self, q: Question) -> None:
        n, rng = self.n, self.rng
        names = [v.name for v in question_variables(q)]
        if q.type == QuestionType.CONSENT:
            self.values[q.id] = np.ones(n)
        elif q.type in (QuestionType.SINGLE_CHOICE, QuestionType.RATING):
            self.values[q.id], declared = self._choice(q, (n,))
            if q.missing:
                self.missing[q.id] = declared
        elif q.type == QuestionType.GRID:
            values, declared = self._choice(q, (n, len(q.items)))
            for k, item in enumerate(q.items):
                self.values[f"{q.id}__{item.id}"] = values[:, k]
                if q.missing:
                    self.missing[f"{q.id}__{item.id}"] = declared[:, k]
        elif q.type == QuestionType.MULTIPLE_CHOICE:
            assert q.choices is not None
            options = [c for c in q.choices.choices if not c.exclusive]
            ticked = rng.random((n, len(options))) < rng.uniform(0.15, 0.5, len(options))
            answered = rng.random(n) >= UNANSWERED
            for k, choice in enumerate(options):
                self.values[f"{q.id}__{choice.name}"] = np.where(answered, ticked[:, k], np.nan)
            for choice in q.choices.choices:
                if choice.exclusive:
                    self.values[f"{q.id}__{choice.name}"] = np.where(
                        answered, ~ticked.any(axis=1), np.nan)
        elif q.type == QuestionType.RANKING:
            assert q.choices is not None and q.rank is not None
            codes = np.array([c.code for c in q.choices.choices], dtype=float)
            keys = np.log(_shares(rng, len(codes))) + rng.gumbel(size=(n, len(codes)))
            top = np.argsort(-keys, axis=1)[:, :q.rank]
            answered = rng.random(n) >= UNANSWERED
            for k in range(q.rank):
                self.values[f"{q.id}__rank{k + 1}"] = np.where(answered, codes[top[:, k]],
                                                              np.nan)
        elif q.type in (QuestionType.YEAR, QuestionType.INTEGER, QuestionType.DECIMAL):
            low, high = int(q.min or 0), int(q.max or 10)
            if q.id == "arrival_year":
                born = self.values["birth_year"]
                values = born + 1 + np.floor(rng.random(n) * (YEAR - born)).astype(float)
                values[self.values["birth_country"] == "DE"] = np.nan
            else:
                values = rng.integers(low, high + 1, n).astype(float)
            self.values[q.id] = values
        elif q.type == QuestionType.CALCULATE:
            source = {"age": "birth_year", "years_de": "arrival_year"}[q.id]
            self.values[q.id] = YEAR - self.values[source]
        elif q.type in (QuestionType.COUNTRY, QuestionType.LANGUAGE):
            pool, shares = ((COUNTRIES, COUNTRY_SHARES) if q.type == QuestionType.COUNTRY
                            else (LANGUAGES, _shares(rng, len(LANGUAGES))))
            values = rng.choice(np.array(pool, dtype=object), n, p=shares).astype(object)
            values[rng.random(n) < UNANSWERED] = None
            self.values[q.id] = values
        elif q.type in (QuestionType.TEXT, QuestionType.LONG_TEXT):
            values = np.full(n, None, dtype=object)
            values[rng.random(n) < 0.1] = "mehr Deutschkurse am Abend"
            self.values[q.id] = values
        for name in names:  # "other, please specify" texts and dates stay empty
            self.values.setdefault(name, np.full(n, None, dtype=object))

    def dataset(self) -> Dataset:
        index = pd.Index([f"s{k:07d}" for k in range(self.n)], name="submission_id",
                         dtype=object)
        variables = self.q.variables
        values = pd.DataFrame({v.name: self.values[v.name] for v in variables}, index=index)
        missing = pd.DataFrame({v.name: self.missing.get(v.name, np.full(self.n, np.nan))
                                for v in variables if v.missing}, index=index)
        return Dataset(self.q, values, missing)

    def answers(self, row: int) -> dict[str, Any]:
        """Respondent `row` in the store's form: choice names, lists, {"missing": name}."""
        found: dict[str, Any] = {}
        for q in self.q.questions:
            names = {float(c.code): c.name for c in q.choices.choices} if q.choices else {}
            missing = {float(m.code): {"missing": m.name} for m in q.missing}

            def one(name: str, q: Question = q, names: dict[float, str] = names,
                    missing: dict[float, dict[str, str]] = missing) -> Any:
                declared = self.missing.get(name)
                if declared is not None and not np.isnan(declared[row]):
                    return missing[declared[row]]
                value = self.values[name][row]
                if value is None or (isinstance(value, float) and np.isnan(value)):
                    return None
                if q.type == QuestionType.CONSENT:
                    return True
                return names[value] if names else (
                    int(value) if isinstance(value, float) else value)

            match q.type:
                case QuestionType.NOTE:
                    continue
                case QuestionType.GRID:
                    for item in q.items:
                        found[f"{q.id}__{item.id}"] = one(f"{q.id}__{item.id}")
                case QuestionType.MULTIPLE_CHOICE:
                    assert q.choices is not None
                    ticks = [c.name for c in q.choices.choices
                             if self.values[f"{q.id}__{c.name}"][row] == 1]
                    first = self.values[f"{q.id}__{q.choices.choices[0].name}"][row]
                    found[q.id] = None if np.isnan(first) else ticks
                case QuestionType.RANKING:
                    assert q.rank is not None
                    ranked = [one(f"{q.id}__rank{k + 1}") for k in range(q.rank)]
                    found[q.id] = [r for r in ranked if r is not None] or None
                case _:
                    found[q.id] = one(q.id)
        return {k: v for k, v in found.items() if v is not None}


def peak_mb() -> float:
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / scale / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--dict-slice", type=int, default=10_000,
                        help="respondents to time Dataset.from_answers on (0: skip)")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas "
          f"{pd.__version__}, {platform.machine()}")
    stages: list[tuple[str, float]] = []
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages.append((name, now - clock))
        clock = now

    start = clock
    questionnaire = load_questionnaire(ROOT / "questionnaires" / "zusammen.yaml")
    plan = load_plan(ROOT / "analysis" / "needs-assessment.yaml", questionnaire)
    lap("load questionnaire and plan")
    generated = Generated(questionnaire, args.respondents)
    dataset = generated.dataset()
    lap(f"generate {args.respondents:,} respondents into the frames (numpy)")
    current = ["run: checks"]

    def progress(step: str, done: int, total: int) -> None:
        lap(current[0])
        current[0] = f"run: {step}"

    result = run_plan(plan, dataset, progress)
    lap(current[0])
    with tempfile.TemporaryDirectory() as out:
        write_outputs(result, out)
        lap("write results.csv, results.xlsx, weights.csv, diagnostics.md")
    total = time.perf_counter() - start
    plan_peak = peak_mb()

    print(f"\nneeds-assessment plan, {args.respondents:,} respondents, "
          f"{len(plan.breakdowns)} breakdowns, {len(plan.indicators)} indicators, "
          f"{len(result.results):,} result rows")
    for name, seconds in stages:
        if name != "run: done":
            print(f"  {seconds:8.2f} s  {name}")
    run_seconds = sum(s for name, s in stages if name.startswith("run:"))
    print(f"  {run_seconds:8.2f} s  run_plan in all")
    print(f"  {total:8.2f} s  total (target < 30 s)")
    print(f"  {plan_peak:8.0f} MB peak memory, ru_maxrss (target < 2,048 MB)")
    d = result.diagnostics
    print(f"  weights: Kish deff {d.weights.design_effect:.3f}, effective n "
          f"{d.weights.effective_n:,.0f}, {d.iterations} raking iterations, flags {d.flags}")

    if args.dict_slice:
        rows = min(args.dict_slice, args.respondents)
        records = [(f"s{k:07d}", generated.answers(k)) for k in range(rows)]
        began = time.perf_counter()
        from_dicts = Dataset.from_answers(questionnaire, records)
        seconds = time.perf_counter() - began
        direct = dataset.values.iloc[:rows]
        pd.testing.assert_frame_equal(from_dicts.values, direct, check_dtype=False)
        pd.testing.assert_frame_equal(from_dicts.missing, dataset.missing.iloc[:rows],
                                      check_dtype=False)
        frame_seconds = next(s for name, s in stages if name.startswith("generate"))
        print(f"\nDataset.from_answers on {rows:,} respondents (one answers dict each): "
              f"{seconds:.2f} s, {1e6 * seconds / rows:.0f} µs per respondent, about "
              f"{seconds / rows * args.respondents:.0f} s for {args.respondents:,}; the frames "
              f"agree with the numpy-built ones, which took {frame_seconds:.2f} s for all "
              f"{args.respondents:,} (generation included)")
        print(f"  {peak_mb():8.0f} MB peak memory after the dict slice")


if __name__ == "__main__":
    main()
