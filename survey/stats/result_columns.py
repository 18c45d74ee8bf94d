"""The results table's columns, defined once: the estimators write them, disclosure control
blanks them, the outputs format them and the report reads them (DESIGN.md: reports read only
the results table)."""

from __future__ import annotations

KEY = ("indicator", "breakdown", "group", "category")
"""What a row is about: one indicator, breakdown, group and category."""

FIGURES = ("estimate", "se", "ci_low", "ci_high", "unweighted_n", "weighted_n", "base_n",
           "deff", "n_effective", "p_value")
"""The numbers of a row; all blank in a suppressed cell (the base too, as a group's base under
min_cell is itself a small count, and the design effect with the effective n, from which the
base follows). `deff` is R's design effect (`deff = TRUE`; "replace" for weights that sum to
no population, see survey.stats.design_effects) of shares and means, blank for quantiles and
gaps (R has none); `n_effective` is base_n / deff. `p_value` belongs to regression rows (the
test that the coefficient is zero) and is blank elsewhere."""

ESTIMATE_COLUMNS = (*KEY, *FIGURES, "letters", "flags")
"""The rows the estimators make (survey.stats.results)."""

RESULT_COLUMNS = ("indicator", "indicator_label", "kind", "breakdown", "breakdown_label",
                  "group", "group_label", "group_letter", "category", "category_label",
                  *FIGURES, "letters", "rank", "quadrant", "flags")
"""The long results table of DESIGN.md: the estimate columns with labels in the plan's
language, the indicator kind, each group's banner letter, need ranks and gap quadrants."""
