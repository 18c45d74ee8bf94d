"""The margins file of a raked plan: population counts or shares per category of one variable,
or per cell of a cross-classification of several, with the source they come from.

Checked before anything runs: every category has a target (0 if nobody), counts are not
negative, shares add up to 1 and all margins describe the same population, so raking can only
fail on what the data bring (an empty cell), never on a typing slip in the file.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from survey.questionnaire.diagnostics import Diagnostic, did_you_mean
from survey.questionnaire.measurement import Scale
from survey.questionnaire.structure import describe_value
from survey.questionnaire.yaml_source import Path_
from survey.stats.plan.model import Margin, PlanError
from survey.stats.plan.reader import Reader, listing, or_else, read_yaml
from survey.stats.plan.variables import CATEGORICAL_SCALES, VariableInfo, known_codes
from survey.stats.weighting import TOTAL_AGREEMENT

SHARE_TOLERANCE = 1e-3
"""Shares may miss 1 by this much (rounded figures) and are then scaled to sum to 1 exactly."""

FILE_KEYS = ("title", "source", "illustrative", "population", "margins")
MARGIN_KEYS = ("variables", "counts", "shares")


@dataclass(frozen=True)
class MarginsFile:
    margins: tuple[Margin, ...]
    source: str
    illustrative: bool


@dataclass
class _Draft:
    """A margin as written: cells with their values and where each is."""

    variables: tuple[str, ...]
    kind: str
    cells: dict[tuple[str, ...], float]
    path: Path_

    @property
    def name(self) -> str:
        return " × ".join(self.variables)

    @property
    def total(self) -> float:
        return float(sum(self.cells.values()))


def _count(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.2f}"


class _MarginsChecker(Reader):
    def __init__(self, document: Any, variables: dict[str, VariableInfo]):
        super().__init__(document)
        self.variables = variables

    def run(self) -> MarginsFile | None:
        data = self.mapping(self.data, (), "the margins file", FILE_KEYS, ("source", "margins"))
        if data is None:
            return None
        source = self.text(data, "source", (), "the margins file", "")
        illustrative = data.get("illustrative", False)
        if not isinstance(illustrative, bool):
            self.error(("illustrative",), "illustrative must be true or false")
        population = None
        if "population" in data:
            population = self.number(data, "population", (), "the margins file", 1.0, 0,
                                     math.inf, "a positive number (the population total)")
        entries = data.get("margins")
        if not isinstance(entries, list) or not entries:
            self.error(("margins",), "margins must be a list of margins, each with "
                       "'variables:' and 'counts:' or 'shares:'")
            return None
        seen: dict[str, int] = {}
        drafts = [d for index, entry in enumerate(entries)
                  if (d := self.margin(entry, ("margins", index), seen)) is not None]
        margins = self.scaled(drafts, population)
        if len(drafts) != len(entries) or margins is None:
            return None
        return MarginsFile(tuple(margins), source or "", bool(illustrative))

    def margin(self, entry: Any, path: Path_, seen: dict[str, int]) -> _Draft | None:
        entry = self.mapping(entry, path, "a margin", MARGIN_KEYS, ("variables",))
        if entry is None:
            return None
        infos = []
        fine = True
        for word_path, name in self.words(entry, "variables", path, "a margin"):
            info = self.variables.get(name)
            if info is None:
                self.error(word_path, f"unknown variable '{name}'" + or_else(
                    name, self.variables, ": a margin names variables of the questionnaire "
                    "or derived ones of the plan"))
            elif info.scale not in CATEGORICAL_SCALES:
                self.error(word_path, f"'{name}' is not categorical; margins give counts per "
                           "category (cut a number into groups under 'derived' in the plan)")
            else:
                if name in seen:
                    self.error(word_path, f"'{name}' is already in margin {seen[name] + 1}; "
                               "each variable may appear in one margin only")
                    fine = False
                infos.append(info)
                seen.setdefault(name, int(path[-1]))
        if not infos or len(infos) != len(entry.get("variables") or []):
            return None
        if ("counts" in entry) == ("shares" in entry):
            self.error(path, "a margin gives either counts: (population numbers) or shares: "
                       "(fractions of the population that sum to 1)")
            return None
        kind = "counts" if "counts" in entry else "shares"
        cells: dict[tuple[str, ...], float] = {}
        if not self.cells(entry[kind], (*path, kind), kind, infos, (), cells):
            return None
        draft = _Draft(tuple(i.name for i in infos), kind, cells, (*path, kind))
        return draft if self.complete(draft, infos) and fine else None

    def cells(self, node: Any, path: Path_, kind: str, infos: list[VariableInfo],
              prefix: tuple[str, ...], cells: dict[tuple[str, ...], float]) -> bool:
        """Read the nested mapping (one level per variable) into `cells`; False on a problem."""
        info = infos[len(prefix)]
        last = len(prefix) == len(infos) - 1
        inner = "numbers" if last else f"mappings by {infos[len(prefix) + 1].name}"
        if not isinstance(node, dict) or not node:
            self.error(path, f"{kind} must map each category of {info.name} to {inner}, found "
                       f"{describe_value(node)}")
            return False
        fine = True
        known = (known_codes(info) if info.scale == Scale.CODES
                 else set(info.category_names()))
        for key, value in node.items():
            if key not in known:
                self.error((*path, key), f"'{key}' is not a category of {info.name}"
                           f"{did_you_mean(key, known)}", at_key=True)
                fine = False
            elif not last:
                fine = self.cells(value, (*path, key), kind, infos, (*prefix, key), cells) \
                    and fine
            elif not isinstance(value, int | float) or isinstance(value, bool) \
                    or not math.isfinite(value) or value < 0:
                rule = ("a count of 0 or more" if kind == "counts"
                        else "a fraction from 0 to 1")
                self.error((*path, key), f"the target of {' × '.join((*prefix, key))} must be "
                           f"{rule}, found {value!r}")
                fine = False
            elif kind == "shares" and value > 1:
                self.error((*path, key), f"the share of {' × '.join((*prefix, key))} is {value}; "
                           "shares are fractions (0.25 for 25%)")
                fine = False
            else:
                cells[(*prefix, key)] = float(value)
        return fine

    def complete(self, draft: _Draft, infos: list[VariableInfo]) -> bool:
        """Every declared category (combination) must have a target."""
        if any(info.scale == Scale.CODES for info in infos):
            return True
        expected = itertools.product(*(info.category_names() for info in infos))
        missing = [" × ".join(cell) for cell in expected if cell not in draft.cells]
        if missing:
            self.error(draft.path, f"no target for {listing(missing, 4)} in the margin of "
                       f"{draft.name}: give every category a population count (0 if there is "
                       "nobody in it)")
            return False
        if draft.total <= 0:
            self.error(draft.path, f"the targets of {draft.name} are all 0")
            return False
        return True

    def scaled(self, drafts: list[_Draft], population: float | None) -> list[Margin] | None:
        """Counts per cell for every margin, after checking that all add up to one total."""
        counts = [d for d in drafts if d.kind == "counts"]
        total = population if population is not None else (counts[0].total if counts else None)
        reference = "population" if population is not None else (
            f"the counts of {counts[0].name}" if counts else "")
        fine = True
        margins = []
        for draft in drafts:
            if draft.kind == "shares":
                if abs(draft.total - 1) > SHARE_TOLERANCE:
                    self.error(draft.path, f"the shares of {draft.name} sum to "
                               f"{draft.total:.4g}, not 1: give each category's fraction of the "
                               "population (0.25 for 25%)")
                    fine = False
                    continue
                if total is None:
                    self.error(draft.path, f"the shares of {draft.name} need a population total: "
                               "add 'population:' at the top of the file, or give a margin as "
                               "counts")
                    fine = False
                    continue
                targets = {cell: share / draft.total * total
                           for cell, share in draft.cells.items()}
            else:
                assert total is not None
                if abs(draft.total - total) > TOTAL_AGREEMENT * total:
                    self.error(draft.path, f"the counts of {draft.name} sum to "
                               f"{_count(draft.total)} but {reference} is {_count(total)} "
                               f"({abs(draft.total / total - 1):.1%} apart): all margins must "
                               "describe the same population (within 0.1%)")
                    fine = False
                    continue
                targets = dict(draft.cells)
            margins.append(Margin(draft.variables, targets, self.place(draft.path[:-1])))
        return margins if fine else None


def check_margins(path: Path, variables: dict[str, VariableInfo]
                  ) -> tuple[MarginsFile | None, list[Diagnostic]]:
    """The margins file and every problem found in it."""
    try:
        document = read_yaml(path, "margins")
    except PlanError as error:
        return None, error.diagnostics
    checker = _MarginsChecker(document, variables)
    margins = checker.run()
    return margins, checker.diagnostics
