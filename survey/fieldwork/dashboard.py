"""The fieldwork dashboard's figures: returns by day, partner, mode and language; the plan's
weighting cells against their targets; printed forms not yet back per partner; and how
representative the sample is now (survey.fieldwork.representativeness).

Every count comes from the store in one grouped query (survey.store.partners); the cells of
the weighting variables come from the same data set and plan the analysis reads, and are
suppressed by the same disclosure rule the reports use (survey.stats.disclosure), with the
plan's thresholds. Counts of returns by day, partner, mode and form language describe the
fieldwork, not the respondents, and are shown as the admin pages show them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from survey.fieldwork.representativeness import Representativeness, representativeness
from survey.project import Partner, Project, ProjectError
from survey.questionnaire.model import Questionnaire
from survey.staff_texts import Message, staff_text
from survey.stats.disclosure import (
    SECONDARY,
    SUPPRESSED,
    DisclosureRules,
    apply_disclosure,
)
from survey.stats.plan import PlanError, load_plan, project_plan_file
from survey.stats.plan.data import PlanData
from survey.stats.plan.model import Plan
from survey.stats.plan.weighting import SEPARATOR, weight
from survey.stats.result_columns import FIGURES
from survey.store.dataset import load_dataset
from survey.store.partners import (
    SerialBlock,
    counts_by_partner,
    returned_serials,
    serial_blocks_of,
)
from survey.store.schema import Mode, Status
from survey.store.store import Store
from survey.store.summaries import accepted_counts

MODES = (Mode.WEB, Mode.PAPER, Mode.SCAN, Mode.IMPORT)
SHOWN_RANGES = 12
"""Serial ranges listed per partner before '…'."""


@dataclass(frozen=True)
class PartnerRow:
    """One partner's line of the dashboard: its accepted returns by mode, and its printed forms not
    yet back."""

    id: str | None
    """None: responses that came in without a partner."""
    name: str
    listed: bool
    """In partners.yaml (an id only in the store was removed from the file since)."""
    accepted: int
    by_mode: dict[str, int]
    quarantined: int
    printed: int
    returned: int
    not_returned: int
    missing: str
    """The serials not yet back, as ranges (000012–000020, 000031, …)."""


@dataclass(frozen=True)
class TargetCell:
    """One weighting cell of the plan against its target: the respondents it needs and has, and
    the weight it would get."""

    margin: str
    category: str
    label: str
    target: float
    target_share: float
    needed: int
    """The respondents the cell would have if the sample had the population's shares, in
    whole people (rounded up: fewer would not reach the share)."""
    achieved: int | None
    """None when suppressed."""
    achieved_share: float | None
    shortfall: int | None
    """How many more respondents the cell needs (needed − achieved, 0 where it has enough: the
    weight below 1 shows by how much it is ahead)."""
    weight: float | None
    """target share / achieved share: the weight the cell would get (the mean weight is 1);
    None when suppressed or empty."""
    flags: str


@dataclass(frozen=True)
class Fieldwork:
    """Every figure of the fieldwork dashboard for one questionnaire, computed once for the page and
    for `survey fieldwork --out` alike."""

    questionnaire: Questionnaire
    accepted: int
    by_day: list[tuple[dt.date | None, int]]
    by_mode: list[tuple[str, int]]
    by_language: list[tuple[str | None, int]]
    partners: list[PartnerRow]
    cells: list[TargetCell]
    bases: dict[str, int]
    """Respondents with a known value per margin (None-suppressed margins are left out)."""
    representativeness: Representativeness | None
    rules: DisclosureRules
    plan_file: str | None
    notes: list[Message] = field(default_factory=list)
    """Why a part could not be computed (no plan, weighting impossible now, ...)."""


def serial_ranges(serials: Iterable[int], limit: int = SHOWN_RANGES) -> str:
    """Sorted serials as ranges: 000012–000020, 000031 (at most `limit`, then …)."""
    ordered = sorted(serials)
    ranges: list[tuple[int, int]] = []
    for serial in ordered:
        if ranges and serial == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], serial)
        else:
            ranges.append((serial, serial))
    shown = [f"{a:06d}" if a == b else f"{a:06d}–{b:06d}" for a, b in ranges[:limit]]
    return ", ".join(shown) + (", …" if len(ranges) > limit else "")


def _partner_rows(store: Store, questionnaire_id: str, partners: tuple[Partner, ...]
                  ) -> list[PartnerRow]:
    counts = counts_by_partner(store, questionnaire_id)
    blocks = serial_blocks_of(store, questionnaire_id)
    returned = returned_serials(store, questionnaire_id) if blocks else set()
    by_partner: dict[str, list[SerialBlock]] = {}
    for block in blocks:
        by_partner.setdefault(block.partner, []).append(block)
    listed = {p.id: p for p in partners}
    ids: list[str | None] = list(listed)
    ids += sorted({p for p, _, _, _ in counts if p is not None and p not in listed}
                  | {p for p in by_partner if p not in listed})
    if any(p is None for p, _, _, _ in counts):
        ids.append(None)
    rows = []
    for partner_id in ids:
        mine = [(m, s, n) for p, m, s, n in counts if p == partner_id]
        by_mode = {str(mode): sum(n for m, s, n in mine if m == mode and s == Status.ACCEPTED)
                   for mode in MODES}
        printed: set[int] = set()
        for block in by_partner.get(partner_id, []) if partner_id is not None else []:
            printed.update(range(block.first, block.last + 1))
        back = printed & returned
        partner = listed.get(partner_id) if partner_id is not None else None
        rows.append(PartnerRow(
            partner_id, partner.name if partner else "", partner is not None,
            sum(by_mode.values()), by_mode,
            sum(n for _, s, n in mine if s == Status.QUARANTINED),
            len(printed), len(back), len(printed) - len(back),
            serial_ranges(printed - back)))
    return rows


def _plan(project: Project, questionnaire: Questionnaire, plan_file: Path | None,
          notes: list[Message]) -> Plan | None:
    try:
        path = plan_file or project_plan_file(project)
    except ProjectError as error:
        notes.append(staff_text("No analysis plan, so no weighting targets: {reason}",
                                reason=error.args[0]))
        return None
    try:
        plan = load_plan(path, questionnaire)
    except PlanError as error:
        notes.append(staff_text("The analysis plan {file} cannot be read ({problem}); run "
                                "survey analyse to see every problem.", file=str(path),
                                problem=str(error).splitlines()[0]))
        return None
    if plan.weighting is None:
        notes.append(staff_text("The analysis plan {file} has no weighting, so there are no "
                                "targets to compare with.", file=str(path)))
        return None
    return plan


def _weighting_sources(plan: Plan) -> set[str]:
    """The questionnaire variables the plan's margins are made from (through derived ones)."""
    assert plan.weighting is not None
    derived = {d.id: d for d in plan.derived}
    pending = [v for margin in plan.weighting.margins for v in margin.variables]
    found: set[str] = set()
    while pending:
        name = pending.pop()
        if name in derived:
            pending.append(derived[name].source)
        else:
            found.add(name)
    return found


def _cell_keys(data: PlanData, variables: tuple[str, ...]) -> pd.Series:
    """Each respondent's cell of a margin as the margins name it (NaN where unknown)."""
    parts = [data.categories(v).astype(object) for v in variables]
    if len(parts) == 1:
        return parts[0]
    # pandas takes a list of Series as `others`; the stubs list only single arrays.
    return parts[0].str.cat(parts[1:], sep=SEPARATOR)  # type: ignore[arg-type]


def _target_cells(plan: Plan, data: PlanData, rules: DisclosureRules
                  ) -> tuple[list[TargetCell], dict[str, int]]:
    assert plan.weighting is not None
    rows = []
    bases: dict[str, int] = {}
    for margin in plan.weighting.margins:
        keys = _cell_keys(data, margin.variables)
        counts = keys.value_counts()
        base = int(keys.notna().sum())
        bases[margin.name] = base
        total = sum(margin.targets.values())
        labels = [data.labels(v) for v in margin.variables]
        for cell, target in margin.targets.items():
            name = SEPARATOR.join(cell)
            rows.append({
                "indicator": "fieldwork", "breakdown": margin.name, "group": "total",
                "category": name, "unweighted_n": float(counts.get(name, 0)),
                "base_n": float(base), "flags": "", "letters": "",
                "label": SEPARATOR.join(lab.get(c, c) for lab, c in zip(labels, cell,
                                                                          strict=True)),
                "target": float(target), "target_share": float(target) / total})
    if not rows:
        return [], bases
    table = pd.DataFrame(rows)
    for column in FIGURES:
        if column not in table:
            table[column] = table["unweighted_n"] if column == "estimate" else np.nan
    shown = apply_disclosure(table, rules)
    cells = []
    for row in shown.itertuples(index=False):
        # The columns' types are those of the rows built above (the stubs type every field
        # of itertuples as any scalar).
        breakdown, flags = cast(str, row.breakdown), cast(str, row.flags)
        target, target_share = cast(float, row.target), cast(float, row.target_share)
        hidden = SUPPRESSED in flags.split(",") or SECONDARY in flags.split(",")
        base = bases[breakdown]
        needed = math.ceil(target_share * base - 1e-9)
        achieved = None if hidden else int(cast(float, row.unweighted_n))
        share = None if achieved is None or base == 0 else achieved / base
        cells.append(TargetCell(
            breakdown, cast(str, row.category), cast(str, row.label), target, target_share,
            needed, achieved, share, None if achieved is None else max(needed - achieved, 0),
            target_share / share if share else None, flags))
    return cells, bases


def compute_fieldwork(project: Project, store: Store, questionnaire: Questionnaire,
                      plan_file: Path | None = None) -> Fieldwork:
    """Every figure of the dashboard for `questionnaire` (see the module docstring)."""
    notes: list[Message] = []
    qid = questionnaire.id
    partners = project.partners()
    counts = accepted_counts(store, qid)
    by_day = counts["received_on"]
    by_mode = [(str(m), n) for m, n in counts["mode"]]
    by_language = counts["language"]
    accepted = sum(n for _, n in by_mode)
    plan = _plan(project, questionnaire, plan_file, notes)
    rules = plan.disclosure.rules if plan is not None else DisclosureRules()
    cells: list[TargetCell] = []
    bases: dict[str, int] = {}
    summary = None
    if plan is not None and plan.weighting is not None:
        data = PlanData(plan, load_dataset(store, questionnaire, _weighting_sources(plan)))
        cells, bases = _target_cells(plan, data, rules)
        if data.n == 0:
            notes.append(staff_text("No accepted responses yet, so no weights."))
        else:
            try:
                summary = representativeness(weight(plan.weighting, data).weights)
            except PlanError as error:
                notes.append(staff_text(
                    "The weights cannot be computed with the responses so far: {problem}",
                    problem=error.diagnostics[0].message if error.diagnostics else str(error)))
    return Fieldwork(questionnaire, accepted, by_day, by_mode,
                     [(str(c) if c is not None else None, n) for c, n in by_language],
                     _partner_rows(store, qid, partners), cells, bases, summary, rules,
                     str(plan.file) if plan is not None else None, notes)
