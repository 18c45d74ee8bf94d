"""Linear contrasts of estimates: the difference of two domain means, a change between two
shares, a weighted average of groups, each with its standard error from the estimates' joint
design covariance, as R `survey`'s `svycontrast` (compared live with R in the tests).

Contrasts name the estimates they combine by label, as R's named coefficient vectors do;
estimates not named get 0. A name that is not an estimate's label is refused with the labels
there are, never read as 0. The estimates need their joint covariance: use `by()` for domains,
or one call of `mean`/`total` with several columns (R: svyby(..., covmat = TRUE)).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from survey.stats.estimate import Estimate, EstimateError

Coefficients = Mapping[str, float]
"""Coefficient per estimate label; labels left out count 0."""


def contrast(estimate: Estimate,
             contrasts: Coefficients | Mapping[str, Coefficients]) -> Estimate:
    """The contrasts L b with covariance L V L'. `contrasts` is one mapping of label to
    coefficient (named "contrast", as R names a single one) or several, by name."""
    if not contrasts:
        raise EstimateError("a contrast needs at least one coefficient")
    named: dict[str, Coefficients]
    if all(isinstance(c, Mapping) for c in contrasts.values()):
        named = dict(contrasts)  # type: ignore[arg-type]
    else:
        named = {"contrast": contrasts}  # type: ignore[dict-item]
    position = {label: k for k, label in enumerate(estimate.labels)}
    matrix = np.zeros((len(named), len(estimate.labels)))
    for row, (name, coefficients) in enumerate(named.items()):
        if not coefficients:
            raise EstimateError(f"the contrast '{name}' has no coefficient")
        for label, coefficient in coefficients.items():
            if label not in position:
                known = ", ".join(estimate.labels)
                raise EstimateError(f"the contrast '{name}' names '{label}', which is not one "
                                    f"of the estimates; they are: {known}")
            value = float(coefficient)
            if not np.isfinite(value):
                raise EstimateError(f"the contrast '{name}' gives '{label}' the coefficient "
                                    f"{coefficient!r}; coefficients must be finite numbers")
            matrix[row, position[label]] += value
    return Estimate(tuple(named), matrix @ estimate.values,
                    matrix @ estimate.covariance @ matrix.T, estimate.degrees_of_freedom,
                    estimate.unweighted_n, estimate.weighted_n)
