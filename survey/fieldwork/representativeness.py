"""How far the sample is from the population while the survey runs: the spread of the weights
the plan's weighting would give now, and the R-indicator of Schouten, Cobben and Bethlehem
(2009), "Indicators for the representativeness of survey response", Survey Methodology 35(1).

The R-indicator is R = 1 − 2·S(ρ), where ρ_k is the response propensity of population unit k
and S their standard deviation over the population. A survey recruited through partner
organisations has no sampling frame, so nobody can fit the usual logistic model of response
on frame variables: there are no non-respondents to fit it on. What there is: the respondents
and the population margins of the plan's weighting. The estimator used here is therefore:

1. ρ̂_i = 1 / w_i for each respondent i, where w_i is the plan's calibrated (raked) weight,
   which sums to the population total N. Raking to the margins fits exactly the model
   "propensity depends on the weighting variables, additively on the log scale", and the
   calibrated weight is the inverse of the inclusion propensity it implies (Deville and
   Särndal 1992); post-stratification on one margin gives ρ̂ = n_h / N_h in cell h.
2. The population mean and variance of ρ̂ are estimated from the respondents weighted by w_i
   (each respondent stands for w_i population units): ρ̄ = Σ w_i ρ̂_i / Σ w_i = n / N and
   S²(ρ̂) = Σ w_i (ρ̂_i − ρ̄)² / (N − 1). This is the sample-based estimator of Schouten et al.
   (2009, section 3) with the design weights replaced by the calibrated ones, as when only
   population tables are available (de Heij, Schouten and Shlomo 2015, "RISQ manual 2.1").

Because the propensities here are inclusion rates (a few hundred respondents of a population
of hundreds of thousands: ρ̄ of the order of 0.005), S(ρ̂) is small and R is close to 1 however
skewed the sample is. The figure to act on is therefore printed beside it: the coefficient of
variation CV(ρ̂) = S(ρ̂) / ρ̄ = (1 − R) / (2ρ̄), the maximal absolute bias of an unweighted
mean in standard deviations of the variable (Schouten et al. 2009, the bound B(ρ)/S(y)). It
does not depend on how large the population is, so it can be compared week by week and
between surveys. Only the weighting variables enter: R says nothing about imbalances in
variables that are not margins of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from survey.stats.weighting import diagnostics


@dataclass(frozen=True)
class Representativeness:
    """How far the sample is from the population now: the spread of its weights, the design
    effect, the effective sample size and the R-indicator."""

    n: int
    population: float
    weight_cv: float
    """Coefficient of variation of the weights (standard deviation / mean, over respondents)."""
    design_effect: float
    """Kish's design effect due to weighting, 1 + CV²."""
    effective_n: float
    r_indicator: float
    mean_propensity: float
    """ρ̄ = n / N."""
    propensity_cv: float
    """S(ρ̂) / ρ̄: the maximal bias of an unweighted mean, in standard deviations."""


def representativeness(weights: np.ndarray) -> Representativeness:
    """The summary of calibrated `weights` that sum to the population total (see the module
    docstring for the estimator)."""
    w = np.asarray(weights, dtype=float)
    found = diagnostics(w)
    n = len(w)
    population = float(w.sum())
    weight_cv = float(np.std(w) / np.mean(w))
    propensity = 1.0 / w
    mean = float(np.sum(w * propensity) / population)
    variance = float(np.sum(w * (propensity - mean) ** 2) / max(population - 1.0, 1.0))
    spread = float(np.sqrt(variance))
    return Representativeness(n, population, weight_cv, found.design_effect, found.effective_n,
                              1.0 - 2.0 * spread, mean, spread / mean if mean > 0 else np.nan)
