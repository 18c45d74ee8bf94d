"""Statistics: designs, weights, estimates, models, tests and disclosure control.

The public face for analysts (docs/howto-analyse-in-python.md, docs/python-api.md):

    from survey.stats import Design
    d = Design(df, weights="w", strata="stratum", cluster="psu", fpc="fpc")
    d.mean("api00", by="stype")

`Design.from_project(folder)` gives a project's responses under its analysis plan.
"""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = [
    "Calibration", "Crosstab", "Design", "DesignError", "Estimate", "EstimateError",
    "GroupComparison", "LonelyPsu", "Margin", "ModelError", "OrdinalRegression", "Quantile",
    "Regression", "ReplicateError", "Result", "SampleDesign", "WeightingError", "by",
    "calibrate", "compare_groups", "contrast", "crosstab", "make_design", "mean",
    "poststratify", "proportions", "quantiles", "rake", "ratio", "replicate_design",
    "supplied_replicates", "svyglm", "svyolr", "total", "trim",
]

if TYPE_CHECKING:
    from survey.stats.calibrate import Calibration, calibrate
    from survey.stats.compare import GroupComparison, compare_groups
    from survey.stats.contrast import contrast
    from survey.stats.crosstab import Crosstab, crosstab
    from survey.stats.data_design import Design
    from survey.stats.design import DesignError, LonelyPsu, SampleDesign, make_design
    from survey.stats.estimate import Estimate, EstimateError, by, mean, proportions, total
    from survey.stats.labelled import Result
    from survey.stats.model_frame import ModelError
    from survey.stats.ordinal import OrdinalRegression, svyolr
    from survey.stats.quantiles import Quantile, quantiles
    from survey.stats.ratio import ratio
    from survey.stats.regression import Regression, svyglm
    from survey.stats.replicates import ReplicateError, replicate_design, supplied_replicates
    from survey.stats.weighting import Margin, WeightingError, poststratify, rake, trim
else:
    export_lazily(__name__, {
        "survey.stats.calibrate": ("Calibration", "calibrate"),
        "survey.stats.compare": ("GroupComparison", "compare_groups"),
        "survey.stats.contrast": ("contrast",),
        "survey.stats.crosstab": ("Crosstab", "crosstab"),
        "survey.stats.data_design": ("Design",),
        "survey.stats.design": ("DesignError", "LonelyPsu", "SampleDesign", "make_design"),
        "survey.stats.estimate": (
            "Estimate", "EstimateError", "by", "mean", "proportions", "total",
        ),
        "survey.stats.labelled": ("Result",),
        "survey.stats.model_frame": ("ModelError",),
        "survey.stats.ordinal": ("OrdinalRegression", "svyolr"),
        "survey.stats.quantiles": ("Quantile", "quantiles"),
        "survey.stats.ratio": ("ratio",),
        "survey.stats.regression": ("Regression", "svyglm"),
        "survey.stats.replicates": ("ReplicateError", "replicate_design", "supplied_replicates"),
        "survey.stats.weighting": ("Margin", "WeightingError", "poststratify", "rake", "trim"),
    })
