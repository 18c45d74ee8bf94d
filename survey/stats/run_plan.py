"""Running an analysis plan on a data set: derived variables, weights, design, every indicator
by every breakdown, then disclosure control once on the finished table.

Problems the data bring (an empty margin cell, a stratum with a single PSU when the plan
says fail) raise PlanError pointing at the part of the plan concerned; everything that can
still be estimated is estimated, and what cannot is flagged and warned about, never silently
blank. `write_outputs` is importable from here too, with `run_plan`, for the CLI.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from survey.questionnaire.diagnostics import Diagnostic, Severity
from survey.questionnaire.measurement import Scale
from survey.stats.design import DesignError, SampleDesign, make_design
from survey.stats.disclosure import DisclosureRules, apply_disclosure, k_anonymity, scrub
from survey.stats.plan.data import PlanData
from survey.stats.plan.indicators import NO_DATA, Settings, Split, indicator_rows, whole_sample
from survey.stats.plan.model import REPLICATION_SEED, FreeText, Indicator, Plan
from survey.stats.plan.outputs import write_outputs
from survey.stats.plan.reader import listing, plural
from survey.stats.plan.result import AnalysisResult, RunDiagnostics
from survey.stats.plan.weighting import WeightingOutcome, unweighted, weight
from survey.stats.replicates import replicate_design
from survey.stats.result_columns import RESULT_COLUMNS
from survey.stats.results import TOTAL
from survey.stats.weighting import diagnostics as weight_diagnostics
from survey.store.dataset import Dataset

__all__ = ["AnalysisResult", "Progress", "run_plan", "write_outputs"]

Progress = Callable[[str, int, int], None]
"""progress(step about to run, steps done, steps in all)."""

NOT_COMPUTABLE = "not_computable"
"""Safety net: a row with a blank figure that no other flag explains."""


def plan_design(plan: Plan, data: PlanData, outcome: WeightingOutcome) -> SampleDesign:
    """The plan's design on its weights (raked or calibrated, when the plan weights; with
    replicate weights, when it asks for them): the design every indicator of a run, and a
    notebook's project design, use."""
    spec = plan.design
    frame = pd.DataFrame({"weight": outcome.weights})
    roles = ([("stratum", spec.strata)] if spec.strata else []) + [
        ("cluster", name) for name in spec.cluster] + [
        ("finite-population correction", name) for name in spec.fpc]
    for role, name in roles:
        frame[name] = (data.numbers(name) if plan.variables[name].scale == Scale.NUMERIC
                       else data.categories(name).astype(object))
        unknown = frame[name].isna().to_numpy()
        if unknown.any():
            first = data.submission_ids[int(np.flatnonzero(unknown)[0])]
            raise spec.place.error(
                f"{name} is unknown for {plural(int(unknown.sum()), 'respondent')} (the first "
                f"is submission {first}), but every respondent needs a {role}: choose a "
                "variable everyone answered, or recode the missing answers into a group")
    try:
        base = make_design(frame, "weight", spec.strata, list(spec.cluster), list(spec.fpc),
                           spec.lonely, nest=True)  # units within PSUs
        if spec.replicates is not None:
            r = spec.replicates
            base = replicate_design(base, r.kind, r.count, r.fay_rho, r.mse, REPLICATION_SEED)
    except DesignError as error:
        raise spec.place.error(f"the design cannot be used: {error}") from None
    return base if outcome.raked is None else outcome.raked.design(base)


def _splits(plan: Plan, data: PlanData, warnings: list[Diagnostic]) -> list[Split]:
    """The whole sample and every breakdown with at least two groups in the data."""
    splits = [whole_sample(data.n)]
    for breakdown in plan.breakdowns:
        groups = data.categories(breakdown.variable)
        counts = groups.value_counts()
        levels = tuple(g for g in data.levels(breakdown.variable) if counts.get(g, 0) > 0)
        if len(levels) < 2:
            found = f"only the group '{levels[0]}'" if levels else "no respondent with a value"
            warnings.append(breakdown.place.diagnostic(
                f"breakdown '{breakdown.variable}' has {found} in the data; it is left out",
                Severity.WARNING))
            continue
        split = Split(breakdown.variable, groups, levels)
        if not split.lettered:
            warnings.append(breakdown.place.diagnostic(
                f"breakdown '{breakdown.variable}' has {len(levels)} groups; significance "
                "letters are given for at most 26, so its rows have none", Severity.WARNING))
        splits.append(split)
    return splits


def _empty_warning(indicator: Indicator, rows: list[dict[str, object]], n: int
                   ) -> Diagnostic | None:
    """A warning when nobody (in the whole sample) answered the indicator or some items."""
    total = [r for r in rows if r["breakdown"] == TOTAL]
    empty = [str(r["category"]) for r in total if r["base_n"] == 0]
    if not empty:
        return None
    if len(empty) == len(total):
        return indicator.place.diagnostic(
            f"indicator '{indicator.id}': none of the {plural(n, 'respondent')} answered it "
            "(every value is empty or a declared missing value); its rows are blank and "
            f"flagged {NO_DATA}", Severity.WARNING)
    return indicator.place.diagnostic(
        f"indicator '{indicator.id}': nobody answered {listing(sorted(set(empty)))}; those rows "
        f"are blank and flagged {NO_DATA}", Severity.WARNING)


def _table(rows: list[dict[str, object]], plan: Plan, data: PlanData,
           splits: list[Split]) -> pd.DataFrame:
    """The rows in plan order with breakdown and group labels and banner letters."""
    table = pd.DataFrame(rows)
    by_name = {split.name: split for split in splits}
    split_order = {split.name: k for k, split in enumerate(splits)}
    labels = {split.name: data.labels(split.name) for split in splits[1:]}
    table["breakdown_label"] = [plan.variables[b].label if b != TOTAL else ""
                                for b in table["breakdown"]]
    table["group_label"] = [labels[b].get(g, g) if b != TOTAL else ""
                            for b, g in zip(table["breakdown"], table["group"], strict=True)]
    table["group_letter"] = [by_name[b].letter(g)
                             for b, g in zip(table["breakdown"], table["group"], strict=True)]
    pairs = list(zip(table["indicator"], table["category"], strict=True))
    category_rank = {pair: k for k, pair in enumerate(dict.fromkeys(pairs))}
    order = np.lexsort((
        np.asarray([category_rank[pair] for pair in pairs]),
        np.asarray([by_name[b].levels.index(g) for b, g in zip(table["breakdown"],
                                                               table["group"], strict=True)]),
        table["breakdown"].map(split_order).to_numpy(),
        pd.factorize(table["indicator"])[0]))
    table = table.iloc[order].reset_index(drop=True)
    blank = table[["estimate", "se", "ci_low", "ci_high"]].isna().any(axis=1) \
        & (table["flags"] == "")
    table.loc[blank, "flags"] = NOT_COMPUTABLE
    return table.reindex(columns=list(RESULT_COLUMNS))  # p_value only where a model gave one


def _disclose(table: pd.DataFrame, rules: DisclosureRules) -> pd.DataFrame:
    """Disclosure control, once: suppressed cells blank, with their flags."""
    table = apply_disclosure(table, rules)
    hidden = table["flags"].str.contains("suppressed", regex=False)
    table.loc[hidden, ["rank", "quadrant"]] = ""
    for column in ("unweighted_n", "base_n"):
        table[column] = table[column].round().astype("Int64")
    return table


def _flag_counts(table: pd.DataFrame) -> dict[str, int]:
    flags = table["flags"].str.split(",").explode()
    return {str(k): int(v) for k, v in flags[flags != ""].value_counts().items()}


def _open_answers(plan: Plan, data: PlanData) -> pd.DataFrame | None:
    if plan.disclosure.free_text != FreeText.SCRUB:
        return None
    rows = [{"question": info.name, "question_label": info.label,
             "answer": scrub(str(text), plan.disclosure.known_names)}
            for info in plan.variables.values() if info.scale == Scale.FREE_TEXT
            for text in data.values[info.name].dropna() if str(text).strip()]
    table = pd.DataFrame(rows, columns=["question", "question_label", "answer"])
    return table.sort_values(["question", "answer"], kind="stable").reset_index(drop=True)


def _weighting_text(plan: Plan, outcome: WeightingOutcome) -> str:
    if plan.weighting is None or outcome.raked is None:
        return "none: every respondent counts once"
    w = plan.weighting
    how = "raked" if w.method == "rake" else f"calibrated ({w.calfun})"
    text = (f"{how} to {plural(len(w.margins), 'margin')} "
            f"({', '.join(m.name for m in w.margins)}) from {w.margins_file}")
    if w.trim is not None:
        text += f", trimmed to {w.trim[0]:g}-{w.trim[1]:g} times the mean weight"
    if w.illustrative:
        text += "; the margins are ILLUSTRATIVE, not official figures"
    return text + f". Source: {w.source}"


def _design_text(plan: Plan, design: SampleDesign) -> str:
    spec = plan.design
    parts = [f"{role} {name}" for role, name in (
        ("strata", spec.strata), ("clusters", " then ".join(spec.cluster)),
        ("finite-population correction", " then ".join(spec.fpc))) if name]
    if spec.replicates is not None:
        parts.append(f"{design.replicates.weights.shape[1] if design.replicates else ''} "
                     f"{spec.replicates.kind} replicate weights")
    if not parts:
        return "weights only (each respondent its own PSU, one stratum)"
    return ", ".join(parts) + f"; lonely PSUs: {spec.lonely}"


def run_plan(plan: Plan, dataset: Dataset, progress: Progress | None = None) -> AnalysisResult:
    """Every indicator of the plan by every breakdown, weighted, with disclosure control."""
    step = progress or (lambda _step, _done, _total: None)
    steps = len(plan.indicators) + 4
    if dataset.questionnaire.id != plan.questionnaire.id:
        raise plan.place.error(f"the plan is for questionnaire '{plan.questionnaire.id}' but "
                               f"the data are answers to '{dataset.questionnaire.id}'")
    if dataset.values.empty:
        raise plan.place.error("the data set has no responses: there is nothing to analyse")
    warnings = list(plan.warnings)
    data = PlanData(plan, dataset)
    step("derived variables", 0, steps)
    for derived in plan.derived:
        data.categories(derived.id)
    step("weights", 1, steps)
    outcome = weight(plan.weighting, data) if plan.weighting else unweighted(data.n)
    step("design", 2, steps)
    design = plan_design(plan, data, outcome)
    splits = _splits(plan, data, warnings)
    settings = Settings(design, plan.level, plan.alpha, plan.correction)
    rows: list[dict[str, object]] = []
    for k, indicator in enumerate(plan.indicators):
        step(f"indicator {indicator.id}", 3 + k, steps)
        chosen = [s for s in splits if s.name == TOTAL or indicator.breakdowns is None
                  or s.name in indicator.breakdowns]
        found = indicator_rows(settings, indicator, data, chosen)
        empty = _empty_warning(indicator, found, data.n)
        if empty is not None:
            warnings.append(empty)
        rows += found
    step("disclosure control", steps - 1, steps)
    table = _disclose(_table(rows, plan, data, splits), plan.disclosure.rules)
    risky = None
    if plan.disclosure.k_anonymity_keys:
        keys = list(plan.disclosure.k_anonymity_keys)
        risky = k_anonymity(pd.DataFrame({k: data.categories(k).astype(object) for k in keys}),
                            keys, plan.disclosure.rules.min_cell)
    raked = outcome.raked
    result = AnalysisResult(
        plan=plan, results=table,
        weights=pd.DataFrame({"base_weight": outcome.base_weights, "weight": outcome.weights},
                             index=data.submission_ids),
        diagnostics=RunDiagnostics(
            respondents=data.n, weighting=_weighting_text(plan, outcome),
            weights=weight_diagnostics(outcome.weights),
            iterations=raked.iterations if raked else 0,
            largest_gap=raked.largest_gap if raked else 0.0, trimmed=outcome.trimmed,
            margins=outcome.margins, design=_design_text(plan, design),
            degrees_of_freedom=design.degrees_of_freedom,
            lonely_strata=int(np.sum(design.psu_count == 1)),
            flags=_flag_counts(table), k_anonymity=risky),
        warnings=tuple(warnings), open_answers=_open_answers(plan, data))
    step("done", steps, steps)
    return result
