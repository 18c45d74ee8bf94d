"""The checked analysis plan as the runner reads it (the file format: docs/analysis-plan.md).

Every reference in it has been resolved against the questionnaire: variable names exist and
suit their use, items carry their labels and codes, margins are counts per cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from survey.questionnaire.diagnostics import Diagnostic, DiagnosticsError, Mark, Severity
from survey.questionnaire.model import Questionnaire
from survey.stats.compare import Correction
from survey.stats.design import LonelyPsu
from survey.stats.disclosure import DisclosureRules
from survey.stats.intervals import IntervalMethod
from survey.stats.plan.variables import VariableInfo

FORMAT_VERSION = 1


class PlanError(DiagnosticsError):
    """A plan that cannot be run, or data it cannot be run on; carries every problem found."""


@dataclass(frozen=True)
class Place:
    """Where a part of the plan (or margins file) is written, for messages at run time."""

    file: str
    mark: Mark

    def diagnostic(self, message: str, severity: Severity = Severity.ERROR) -> Diagnostic:
        return Diagnostic(self.file, self.mark, message, severity)

    def error(self, message: str) -> PlanError:
        return PlanError([self.diagnostic(message)])


class Kind(StrEnum):
    SHARE = "share"
    MEAN = "mean"
    MEDIAN = "median"
    QUANTILES = "quantiles"
    MULTI = "multi"
    NEEDS = "needs"
    GAP = "gap"
    TOP_RANKED = "top_ranked"
    CO_OCCURRENCE = "co_occurrence"
    REGRESSION = "regression"


PROPORTION_KINDS = frozenset({Kind.SHARE, Kind.MULTI, Kind.NEEDS, Kind.TOP_RANKED,
                              Kind.CO_OCCURRENCE})
"""Kinds whose estimates are shares, with intervals for proportions."""


@dataclass(frozen=True)
class Cut:
    """Groups of a number: group k holds values from breaks[k] up to (not including)
    breaks[k + 1]; the last group is open-ended; values below breaks[0] are unknown."""

    id: str
    label: str
    source: str
    breaks: tuple[float, ...]
    groups: tuple[str, ...]
    place: Place


@dataclass(frozen=True)
class Recode:
    """Groups of categories; categories in no group go to `other`, or are unknown."""

    id: str
    label: str
    source: str
    groups: tuple[str, ...]
    group_labels: tuple[str, ...]
    mapping: dict[str, str | None]
    """Source category -> group, or None for a category declared unknown."""
    other: str | None
    place: Place


Derived = Cut | Recode


@dataclass(frozen=True)
class Margin:
    """Population counts per cell of one or more variables (several: a cross-classification)."""

    variables: tuple[str, ...]
    targets: dict[tuple[str, ...], float]
    place: Place

    @property
    def name(self) -> str:
        return " × ".join(self.variables)


@dataclass(frozen=True)
class Weighting:
    """How the plan weights: raking (iterative proportional fitting) or calibration."""

    margins: tuple[Margin, ...]
    trim: tuple[float, float] | None
    impute_unknown: bool
    """Give respondents with an unknown weighting variable a category drawn in proportion to
    the population (reproducibly, from their submission id); otherwise refuse to weight."""
    max_iterations: int
    margins_file: str
    source: str
    illustrative: bool
    place: Place
    method: str = "rake"
    """rake (iterative proportional fitting) or calibrate (survey.stats.calibrate)."""
    calfun: str = "raking"
    """calibrate: linear, raking or logit."""
    bounds: tuple[float, float] | None = None
    """calibrate: lowest and highest weight as multiples of the base weight (R's bounds)."""


@dataclass(frozen=True)
class Replication:
    """Replicate weights made from the design (survey.stats.replicates)."""

    kind: str
    count: int | None
    """Bootstrap replicates (the other kinds make their own number)."""
    fay_rho: float | None
    mse: bool


REPLICATION_SEED = 20_261_206
"""Bootstrap replicates of a plan are drawn from this seed: a plan gives the same figures on
every run."""


@dataclass(frozen=True)
class DesignSpec:
    strata: str | None
    cluster: tuple[str, ...]
    """PSU ids, then SSU ids for a two-stage design; empty: every respondent is a PSU."""
    fpc: tuple[str, ...]
    """Finite-population correction per stage; empty: none."""
    lonely: LonelyPsu
    place: Place
    replicates: Replication | None = None


@dataclass(frozen=True)
class Item:
    """One option, grid row, ranked choice or support area of an indicator."""

    name: str
    label: str
    variable: str | None = None
    """Option variable (multi, needs), grid row (needs), importance row (gap)."""
    satisfaction: str | None = None
    """Satisfaction row (gap)."""
    code: float | None = None
    """Choice code (needs from a ranking, top_ranked)."""


@dataclass(frozen=True)
class Indicator:
    id: str
    kind: Kind
    label: str
    place: Place
    variable: str | None = None
    """share, mean, median, quantiles; a regression's outcome."""
    items: tuple[Item, ...] = ()
    ranks: tuple[str, ...] = ()
    """Rank variables of a ranking question, first to last (top_ranked; needs from a ranking)."""
    at_least: float | None = None
    """Needs from a grid: the lowest scale code that counts as a need."""
    probabilities: tuple[float, ...] = ()
    method: IntervalMethod = IntervalMethod.LOGIT
    breakdowns: tuple[str, ...] | None = None
    """None: every breakdown of the plan."""
    formula: str | None = None
    """regression: outcome ~ predictors (survey.stats.plan.regression)."""
    family: str | None = None
    """regression: binomial or gaussian."""
    event: str | None = None
    """regression: the category of a categorical outcome that counts as 1 (binomial)."""


@dataclass(frozen=True)
class Breakdown:
    variable: str
    place: Place


class FreeText(StrEnum):
    EXCLUDE = "exclude"
    SCRUB = "scrub"


@dataclass(frozen=True)
class Disclosure:
    rules: DisclosureRules
    free_text: FreeText
    k_anonymity_keys: tuple[str, ...]
    known_names: tuple[str, ...]


@dataclass(frozen=True)
class PreviousWave:
    """An earlier wave of the survey to compare with: the folder its `survey analyse` wrote
    (results.csv and run.json), and how reports name it ("2025")."""

    results: str
    label: str
    place: Place


@dataclass(frozen=True)
class Plan:
    file: str
    questionnaire: Questionnaire
    language: str
    """Language of the questionnaire's labels in the results."""
    title: str
    variables: dict[str, VariableInfo]
    """The questionnaire's variables and the derived ones."""
    derived: tuple[Derived, ...]
    weighting: Weighting | None
    design: DesignSpec
    indicators: tuple[Indicator, ...]
    breakdowns: tuple[Breakdown, ...]
    alpha: float
    correction: Correction
    disclosure: Disclosure
    warnings: tuple[Diagnostic, ...]
    place: Place
    previous_wave: PreviousWave | None = None
    """The wave the changes table (changes.csv) compares with; None: no comparison."""

    @property
    def level(self) -> float:
        """Confidence level of every interval: 1 - alpha."""
        return 1 - self.alpha
