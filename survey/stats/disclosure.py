"""Disclosure control, applied once on the results table before anything is published.

Primary suppression blanks every cell counting 1 to min_cell - 1 respondents and every group
whose base is under min_cell. Secondary suppression then makes sure no suppressed cell can be
recovered by subtraction: in every line whose cells add up to a published figure (the
categories of one group; the groups of one breakdown for one category), a line with exactly one
suppressed cell gets a second one, the smallest remaining cell. This repeats until no line has a
single suppressed cell. Bases under low_base (and above 0: a base of 0 has no figure to doubt)
are flagged as unreliable. Empty cells (0) are published: they say nobody, and identify
nobody.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey.stats.result_columns import FIGURES

SUPPRESSED = "suppressed"
SECONDARY = "suppressed-secondary"
LOW_BASE = "low-base"


@dataclass(frozen=True)
class DisclosureRules:
    min_cell: int = 5
    low_base: int = 30


def _lines(table: pd.DataFrame) -> list[np.ndarray]:
    """Row positions of every line whose cells add up to a published figure."""
    positions = pd.Series(np.arange(len(table)), index=table.index)
    if "kind" in table:  # a model's coefficients are no parts of a total: none gives another away
        positions = positions[(table["kind"] != "regression").to_numpy()]
        table = table[(table["kind"] != "regression").to_numpy()]
    lines = []
    for keys in (["indicator", "breakdown", "group"], ["indicator", "breakdown", "category"]):
        for _, members in positions.groupby([table[k].astype(str) for k in keys]):
            if len(members) > 1:
                lines.append(members.to_numpy())
    return lines


def apply_disclosure(table: pd.DataFrame, rules: DisclosureRules) -> pd.DataFrame:
    """A copy of the results table with suppressed cells blank and every flag set."""
    result = table.copy()
    counts = result["unweighted_n"].to_numpy(dtype=float)
    bases = result["base_n"].to_numpy(dtype=float)
    primary = ((counts > 0) & (counts < rules.min_cell)) | ((bases > 0)
                                                             & (bases < rules.min_cell))
    suppressed = primary.copy()
    lines = _lines(result)
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = suppressed[line]
            if hidden.sum() != 1:
                continue
            candidates = line[~hidden]
            nonzero = candidates[counts[candidates] > 0]
            pool = nonzero if len(nonzero) else candidates
            pick = pool[np.argmin(counts[pool])]
            suppressed[pick] = True
            changed = True
    flags: list[list[str]] = [[f for f in str(existing).split(",") if f]
                              for existing in result["flags"].fillna("")]
    for position in np.flatnonzero(suppressed):
        flags[position].append(SUPPRESSED if primary[position] else SECONDARY)
    for position in np.flatnonzero(~suppressed & (bases > 0) & (bases < rules.low_base)):
        flags[position].append(LOW_BASE)
    result["flags"] = [",".join(f) for f in flags]
    for column in FIGURES:
        result[column] = result[column].astype(float).where(~suppressed)
    result.loc[suppressed, "letters"] = ""
    return result


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)(?:\+|00)?\d[\d ()/.-]{6,}\d(?!\w)")
_TITLED_NAME = re.compile(r"\b(?:Herr|Frau|Mr|Mrs|Ms|Dr)\.? [A-ZÄÖÜ][\w-]+(?: [A-ZÄÖÜ][\w-]+)?")


def scrub(text: str, known_names: tuple[str, ...] = ()) -> str:
    """A free-text answer with e-mail addresses, phone numbers and names of people removed.

    Names are found after a title (Herr, Frau, Mr, Dr ...) and from `known_names` (for example
    the staff and counsellors of the organisation); other names cannot be recognised reliably,
    so open answers are only published when the analysis plan allows it.
    """
    text = _EMAIL.sub("[e-mail]", text)
    text = _PHONE.sub("[phone]", text)
    text = _TITLED_NAME.sub("[name]", text)
    for name in known_names:
        text = re.sub(rf"\b{re.escape(name)}\b", "[name]", text, flags=re.IGNORECASE)
    return text


def k_anonymity(data: pd.DataFrame, keys: list[str], k: int = 5) -> pd.DataFrame:
    """Combinations of the key variables shared by fewer than k respondents, smallest first."""
    missing = [key for key in keys if key not in data.columns]
    if missing:
        raise KeyError(f"key variables not in the data: {', '.join(missing)}")
    sizes = data.groupby(keys, dropna=False, observed=True).size().rename("respondents")
    risky = sizes[sizes < k].reset_index().sort_values("respondents", kind="stable")
    return risky.reset_index(drop=True)
