"""Waves: what changed since the previous wave of the same survey (the plan's previous_wave).

Two waves are independent samples, so each change is tested as the difference of two
independent design-based estimates:

    change = estimate - estimate_previous,  SE = sqrt(se² + se_previous²)

and its interval is change ± t · SE with t from Student's t with the smaller of the two
waves' design degrees of freedom (run.json's `degrees_of_freedom`: PSUs minus strata of each
run; the results table stores no degrees of freedom per row, so this is what each wave's own
intervals rest on). The smaller of the two is the conservative bound of Welch–Satterthwaite's
degrees of freedom for a difference of independent estimates (they lie between the smaller
and the sum), and for a survey of a few hundred respondents it is practically the normal
distribution; a wave whose run.json lacks it falls back to the normal distribution.
p-values are two-sided; within each family (the categories of one indicator for one group)
they are adjusted with the plan's correction (Holm by default), and a change is
`significant` when the adjusted p-value is under alpha. The interval itself is unadjusted: a
change is called clear only where it is significant, so an interval that covers 0 is always
"no clear change".

A change is compared only where it means the same in both waves:

- rows are matched by indicator id, breakdown, group and category, and the kind must agree;
- the run records keep each question's wording (a fingerprint) and codes (choice name →
  code). A question worded differently is flagged (`question-changed`); where codes of a
  question differ, the codes are listed (`codes` column) and only categories whose code is the
  same in both waves are compared; figures that rest on all codes (a mean, a grid row counted
  from a point of the scale) are not compared (`codes-differ`, no figures);
- a cell suppressed by disclosure control in either wave stays suppressed in the change
  (`suppressed`, no figures), so the change cannot reveal it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from survey.safe_cells import neutralise
from survey.stats.compare import Correction, adjust
from survey.stats.disclosure import LOW_BASE, SUPPRESSED
from survey.stats.plan.model import Indicator, Plan

CHANGES_FILE = "changes.csv"
RESULTS_FILE = "results.csv"
RUN_FILE = "run.json"
KEY = ("indicator", "breakdown", "group", "category")
CHANGE_COLUMNS = ("indicator", "indicator_label", "kind", "breakdown", "breakdown_label",
                  "group", "group_label", "category", "category_label", "previous_label",
                  "estimate_previous", "se_previous", "estimate", "se", "change", "change_se",
                  "ci_low", "ci_high", "df", "statistic", "p_value", "p_adjusted",
                  "significant", "flags", "codes")
"""One row per cell present in both waves. Figures are blank where the change is not
compared (suppressed, codes-differ)."""
FIGURES = ("estimate_previous", "se_previous", "estimate", "se", "change", "change_se",
           "ci_low", "ci_high", "df", "statistic", "p_value", "p_adjusted")
QUESTION_CHANGED = "question-changed"
CODES_DIFFER = "codes-differ"
UNCHECKED = "questions-unchecked"
"""The previous wave's run.json keeps no questions (made by an older version)."""
_NUMBERS = ("estimate", "se")


# -- what the run record keeps of the questionnaire ----------------------------------------

def _wording(question: Any, language: str) -> str:
    """A fingerprint of what respondents read: type, question text, grid rows and answers."""
    def text(value: Any) -> str:
        return value.get(language, language) if value is not None else ""
    parts = [str(question.type), text(question.label),
             [text(item.label) for item in question.items],
             [text(c.label) for c in question.choices.choices] if question.choices else []]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]


def _questions_of(plan: Plan, indicator: Indicator) -> set[str]:
    names = [indicator.variable, *indicator.ranks]
    for item in indicator.items:
        names += [item.variable, item.satisfaction]
    derived = {d.id: d for d in plan.derived}
    found: set[str] = set()
    while names:
        name = names.pop()
        if name is None:
            continue
        if name in derived:
            names.append(derived[name].source)
            continue
        info = plan.variables.get(name)
        if info is not None and info.variable is not None:
            found.add(info.variable.question.id)
    return found


def questionnaire_record(plan: Plan) -> dict[str, Any]:
    """What run.json keeps so a later wave can tell what it may compare: the questionnaire
    file's fingerprint, each question's wording fingerprint and codes, and the questions each
    indicator rests on."""
    questionnaire = plan.questionnaire
    language = questionnaire.default_language
    questions = {}
    for section in questionnaire.sections:
        for question in section.questions:
            codes = ({c.name: c.code for c in question.choices.choices}
                     if question.choices is not None else {})
            questions[question.id] = {"wording": _wording(question, language), "codes": codes}
    return {"questions": questions,
            "indicator_questions": {i.id: sorted(_questions_of(plan, i))
                                    for i in plan.indicators}}


# -- reading a wave ---------------------------------------------------------------------------

def read_wave(folder: Path | str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """results.csv (texts as str, estimate and se as float) and run.json of a results folder.
    The plan check made sure both files exist; unreadable files raise OSError/ValueError."""
    folder = Path(folder)
    table = pd.read_csv(folder / RESULTS_FILE, dtype=str, keep_default_na=False,
                        encoding="utf-8")
    for column in _NUMBERS:
        table[column] = pd.to_numeric(table[column].replace("", None), errors="coerce")
    run = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    return table, run


# -- comparing ------------------------------------------------------------------------------

def _base(indicator: str, ids: Iterable[str]) -> str:
    """The plan indicator a results-table indicator belongs to ('needs.top' -> 'needs')."""
    for ident in sorted(ids, key=len, reverse=True):
        if indicator == ident or indicator.startswith(ident + "."):
            return ident
    return indicator


def code_differences(now: dict[str, Any], before: dict[str, Any], label: str
                     ) -> dict[str, dict[str, str]]:
    """Per question asked in both waves: the codes that differ, each with what it was and is
    ("3 in 2025, 4 now"; "only in 2025"; "new")."""
    found: dict[str, dict[str, str]] = {}
    old_questions = before.get("questions", {})
    for question, entry in now.get("questions", {}).items():
        old = old_questions.get(question)
        if old is None:
            continue
        codes, old_codes = entry.get("codes", {}), old.get("codes", {})
        differ: dict[str, str] = {}
        for name in sorted(set(codes) | set(old_codes)):
            if name not in codes:
                differ[name] = f"only in {label} (code {old_codes[name]})"
            elif name not in old_codes:
                differ[name] = f"new (code {codes[name]})"
            elif codes[name] != old_codes[name]:
                differ[name] = f"code {old_codes[name]} in {label}, {codes[name]} now"
        if differ:
            found[question] = differ
    return found


def _critical(level: float, df: float) -> float:
    tail = 1 - (1 - level) / 2
    return float(stats.norm.ppf(tail) if np.isinf(df) else stats.t.ppf(tail, df))


def _df(run: dict[str, Any]) -> float:
    value = run.get("degrees_of_freedom")
    return float(value) if isinstance(value, int | float) and value > 0 else float("inf")


def compute_changes(current: pd.DataFrame, current_run: dict[str, Any],
                    previous: pd.DataFrame, previous_run: dict[str, Any], label: str,
                    alpha: float = 0.05, correction: Correction = Correction.HOLM
                    ) -> pd.DataFrame:
    """The changes table (CHANGE_COLUMNS) of every cell in both waves' results tables."""
    keep = [*KEY, "kind", "estimate", "se", "flags"]
    merged = current.merge(previous[keep], on=list(KEY), suffixes=("", "_before"),
                           how="inner", sort=False)
    merged = merged[merged["kind"] == merged["kind_before"]].reset_index(drop=True)
    df = min(_df(current_run), _df(previous_run))
    t_crit = _critical(1 - alpha, df)
    checked = "questions" in previous_run and "questions" in current_run
    differences = code_differences(current_run, previous_run, label) if checked else {}
    questions_now = current_run.get("questions", {})
    questions_before = previous_run.get("questions", {})
    rests_on = current_run.get("indicator_questions", {})
    rows = []
    for record in merged.to_dict("records"):
        flags: list[str] = []
        questions = rests_on.get(_base(record["indicator"], rests_on), [])
        compared = True
        listed = []
        if not checked:
            flags.append(UNCHECKED)
        for question in questions if checked else ():
            now, before = questions_now.get(question), questions_before.get(question)
            if before is None or now is None or now["wording"] != before["wording"]:
                flags.append(QUESTION_CHANGED)
            differ = differences.get(question)
            if differ:
                flags.append(CODES_DIFFER)
                listed += [f"{question}.{name}: {what}" for name, what in differ.items()]
                codes = set(now["codes"]) if now else set()
                # a category that is a code compares where its own code agrees; a figure
                # resting on every code (a mean, a scale point) does not compare at all
                if record["category"] not in codes or record["category"] in differ:
                    compared = False
        suppressed = SUPPRESSED in record["flags"] or SUPPRESSED in record["flags_before"]
        if suppressed:
            flags.append(SUPPRESSED)
        if LOW_BASE in record["flags"].split(",") or LOW_BASE in record["flags_before"] \
                .split(","):
            flags.append(LOW_BASE)
        row = {c: record.get(c, "") for c in CHANGE_COLUMNS if c not in FIGURES}
        row.update({f: np.nan for f in FIGURES})
        row.update(previous_label=label, significant="",
                   flags=",".join(dict.fromkeys(flags)), codes="; ".join(listed))
        if compared and not suppressed:
            change = record["estimate"] - record["estimate_before"]
            se = float(np.hypot(record["se"], record["se_before"]))
            row.update(estimate_previous=record["estimate_before"],
                       se_previous=record["se_before"], estimate=record["estimate"],
                       se=record["se"], change=change, change_se=se,
                       df=df if np.isfinite(df) else np.nan)
            if np.isfinite(se) and se > 0:
                statistic = change / se
                p = 2 * (stats.norm.sf(abs(statistic)) if np.isinf(df)
                         else stats.t.sf(abs(statistic), df))
                row.update(ci_low=change - t_crit * se, ci_high=change + t_crit * se,
                           statistic=statistic, p_value=float(p))
            elif np.isfinite(change) and se == 0:
                row.update(ci_low=change, ci_high=change)
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    for column in FIGURES:
        table[column] = table[column].astype(float)
    tested = table["p_value"].notna()
    for _, members in table[tested].groupby(["indicator", "breakdown", "group"], sort=False):
        table.loc[members.index, "p_adjusted"] = adjust(members["p_value"].to_numpy(),
                                                        correction)
    table.loc[tested, "significant"] = np.where(table.loc[tested, "p_adjusted"] < alpha,
                                                "yes", "no")
    return table


def changes_since(plan: Plan, results_folder: Path | str) -> pd.DataFrame | None:
    """The changes of the results in `results_folder` since the plan's previous wave; None
    without one."""
    if plan.previous_wave is None:
        return None
    current, current_run = read_wave(results_folder)
    wave = plan.previous_wave
    try:
        previous, previous_run = read_wave(wave.results)
        lacking = [c for c in (*KEY, "kind", "estimate", "se", "flags")
                   if c not in previous.columns]
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise wave.place.error(f"the previous wave's results in {wave.results} cannot be read "
                               f"({error}); run survey analyse for that wave again") from None
    if lacking or not isinstance(previous_run, dict):
        raise wave.place.error(f"{Path(wave.results) / RESULTS_FILE} is not a results table "
                               f"of survey analyse (it lacks {', '.join(lacking) or 'run.json'})"
                               "; run survey analyse for that wave again")
    return compute_changes(current, current_run, previous, previous_run,
                           plan.previous_wave.label, plan.alpha, plan.correction)


def write_changes(plan: Plan, results_folder: Path | str) -> list[Path]:
    """changes.csv beside results.csv when the plan names a previous wave (removing a stale
    one when it no longer does); the paths written."""
    path = Path(results_folder) / CHANGES_FILE
    table = changes_since(plan, results_folder)
    if table is None:
        path.unlink(missing_ok=True)
        return []
    safe = table.copy()
    for column in safe.columns:
        if column not in FIGURES:
            safe[column] = safe[column].map(neutralise)
    safe.to_csv(path, index=False)
    return [path]
