"""The plan's variables for the respondents of one data set: numbers as float arrays,
categories as pandas categoricals of category names, derived variables computed on demand.

Declared missing values are already empty in the data set, so they never become a category
or a number here: every share is a share of valid answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from survey.questionnaire.measurement import Scale
from survey.stats.plan.model import Cut, Derived, Plan
from survey.stats.plan.variables import as_categories, code_label
from survey.store.dataset import Dataset


class PlanData:
    def __init__(self, plan: Plan, dataset: Dataset):
        self.plan = plan
        self.values = dataset.values
        self.submission_ids = dataset.values.index
        self.n = len(dataset.values)
        self._derived: dict[str, Derived] = {d.id: d for d in plan.derived}
        self._categories: dict[str, pd.Series] = {}

    def numbers(self, name: str) -> np.ndarray:
        """Numbers or rating codes, NaN where unknown."""
        return self.values[name].to_numpy(dtype=float)

    def categories(self, name: str) -> pd.Series:
        """Category names per respondent (positional index), NaN where unknown."""
        if name not in self._categories:
            if name in self._derived:
                self._categories[name] = self._derive(self._derived[name])
            else:
                info = self.plan.variables[name]
                self._categories[name] = as_categories(info, self.values[name])
        return self._categories[name]

    def levels(self, name: str) -> tuple[str, ...]:
        """All categories in their declared order (codes: those in the data, sorted)."""
        return tuple(self.categories(name).cat.categories)

    def labels(self, name: str) -> dict[str, str]:
        info = self.plan.variables[name]
        if info.scale == Scale.CODES:
            return {code: code_label(info, code, self.plan.language)
                    for code in self.levels(name)}
        return {c.name: c.label for c in info.categories}

    def _derive(self, derived: Derived) -> pd.Series:
        if isinstance(derived, Cut):
            x = self.numbers(derived.source)
            codes = np.searchsorted(np.asarray(derived.breaks), np.nan_to_num(x, nan=-np.inf),
                                    side="right") - 1
            codes[np.isnan(x)] = -1
            return pd.Series(pd.Categorical.from_codes(codes, pd.Index(derived.groups)))
        source = self.categories(derived.source)
        group_index = {group: k for k, group in enumerate(derived.groups)}

        def group_of(category: str) -> int:
            group = derived.mapping.get(category, derived.other)
            return -1 if group is None else group_index[group]

        lookup = np.array([group_of(c) for c in source.cat.categories] + [-1], dtype=int)
        return pd.Series(pd.Categorical.from_codes(lookup[source.cat.codes.to_numpy()],
                                                   pd.Index(derived.groups)))
