"""The rows and columns a model formula asks for: outcome, model matrix and which rows are used.

Formulas are parsed by formulaic (Wilkinson notation, as R's `y ~ a + b + a:b`). Categories get
R's treatment contrasts with the first level as reference; levels come in the order of a pandas
Categorical or of `levels` when the caller gives one, otherwise sorted (R sorts a character
column's values the same way in the C locale). Columns are named as R names them (`xb`,
`(Intercept)`). Rows with a missing value in any variable of the formula are left out (R's
`na.omit`); rows outside the domain are left out too, and both keep their place in the design
with zero scores, as R's subset designs do. A level with no case in the rows used is dropped
and said so in `notes` (R reports it as an aliased coefficient, NA, and leaves it out of every
test): the same estimates, with the reason spelt out.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from formulaic import Formula, model_matrix
from formulaic.errors import FormulaicError
from scipy import linalg

from survey.stats.design import SampleDesign
from survey.stats.estimate import EstimateError, domain_mask

FREE_TEXT_LEVELS = 50
"""A text column with more different values than this is free text, not a category."""


class ModelError(EstimateError):
    """A model that cannot be fitted to these data; the message names the variable and says
    what to do."""


@dataclass(frozen=True)
class ModelFrame:
    """Outcome and model matrix, one row per row of the design (zero outside `rows`)."""

    formula: str
    outcome_name: str
    outcome: pd.Series
    """The outcome as given (not yet coded), rows outside `rows` included."""
    matrix: np.ndarray
    names: tuple[str, ...]
    described: tuple[str, ...]
    """Each column in words, e.g. "level 'b' of 'x'", for messages."""
    terms: dict[str, tuple[int, ...]]
    """Column indices of each term, keyed by its variables sorted and joined by ':'."""
    rows: np.ndarray
    """Rows used: in the domain and with every variable of the formula known."""
    notes: tuple[str, ...]


def _plain(error: Exception) -> str:
    """formulaic's message without its terminal colours and position markers."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).replace("⧛", "").replace("⧚", "")
    return " ".join(text.split())


def term_key(label: str) -> str:
    """A term's label in canonical form: `b:a` and `a:b` are one term, as in R's
    regTermTest."""
    return ":".join(sorted(part.strip() for part in label.split(":")))


def _r_name(column: str) -> str:
    """formulaic's `x[T.b]` and `x[b]` as R's `xb`, its `Intercept` as `(Intercept)`."""
    if column == "Intercept":
        return "(Intercept)"
    return re.sub(r"\[(?:T\.)?(.*?)\]", r"\1", column)


def _describe(column: str) -> str:
    match = re.fullmatch(r"(.+?)\[(?:T\.)?(.*?)\]", column)
    if match:
        return f"level '{match[2]}' of '{match[1]}'"
    return f"'{_r_name(column)}'"


def _is_category(values: pd.Series) -> bool:
    return (isinstance(values.dtype, pd.CategoricalDtype) or values.dtype == object
            or pd.api.types.is_string_dtype(values) or pd.api.types.is_bool_dtype(values))


def _check_free_text(name: str, values: pd.Series) -> None:
    """Refuse a text column with many different values: a free-text answer or numbers typed
    as text, never a category a model can estimate."""
    if isinstance(values.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(values):
        return
    distinct = values.dropna().unique()
    if len(distinct) <= FREE_TEXT_LEVELS:
        return
    numbers = pd.to_numeric(pd.Series(distinct), errors="coerce")
    if numbers.notna().mean() > 0.5:
        bad = distinct[int(np.flatnonzero(numbers.isna().to_numpy())[0])]
        raise ModelError(f"variable '{name}' holds text where a number is expected (e.g. "
                         f"{bad!r}); convert it to numbers, with the non-numbers as missing")
    raise ModelError(f"variable '{name}' is free text ({len(distinct)} different values) and "
                     "cannot be a predictor; code it into categories first, or pass it as a "
                     "pandas Categorical if each value really is a category")


def _levels(name: str, values: pd.Series, given: Sequence[object] | None) -> list[object]:
    if given is not None:
        unknown = set(values.dropna().unique()) - set(given)
        if unknown:
            raise ModelError(f"variable '{name}' has values {sorted(map(str, unknown))} that "
                             "are not among the levels given for it")
        return list(given)
    if isinstance(values.dtype, pd.CategoricalDtype):
        return list(values.cat.categories)
    return sorted(values.dropna().unique())


def _quote_dotted(formula: str, columns: pd.Index) -> str:
    """R names such as `avg.ed` written bare: quoted for formulaic, which would read the dot
    as an attribute."""
    known = {str(c) for c in columns if "." in str(c)}
    return re.sub(r"(?<![\w.`])[A-Za-z_][\w.]*",
                  lambda m: f"`{m[0]}`" if m[0] in known else m[0], formula)


def model_frame(design: SampleDesign, data: pd.DataFrame, formula: str,
                domain: np.ndarray | None = None,
                levels: Mapping[str, Sequence[object]] | None = None,
                intercept: bool = True) -> ModelFrame:
    """Parse `formula` and build its outcome and model matrix over the rows of `data`.

    `levels` gives the order of a categorical variable's levels (the first is the
    reference). `intercept=False` leaves the intercept column out (ordinal models) but keeps
    the contrasts an intercept implies."""
    if len(data) != design.n:
        raise ModelError(f"the data have {len(data)} rows but the design has {design.n}")
    try:
        quoted = _quote_dotted(formula, data.columns)
        parsed = Formula(quoted)
    except FormulaicError as error:
        raise ModelError(f"the formula {formula!r} cannot be read: {_plain(error)}") from None
    if not hasattr(parsed, "lhs") or not [str(t) for t in parsed.lhs]:
        raise ModelError(f"the formula {formula!r} has no outcome: write it as 'y ~ x1 + x2'")
    columns = {str(c) for c in data.columns}
    variables = sorted(set(re.findall(r"[A-Za-z_][\w.]*", formula)) & columns)
    unknown = [v for v in sorted(map(str, parsed.required_variables)) if v not in columns
               and not any(c.startswith(f"{v}.") for c in variables)]
    if unknown:
        shown = ", ".join(map(str, data.columns[:15]))
        raise ModelError(f"the formula names {', '.join(map(repr, unknown))}, which is not a "
                         f"column of the data (columns: {shown}"
                         f"{', ...' if len(data.columns) > 15 else ''})")
    inside = domain_mask(design, domain)
    rows = inside & ~data[variables].isna().any(axis=1).to_numpy()
    frame = data.loc[rows, variables].copy()
    outcome_name = str(parsed.lhs)
    notes: list[str] = []
    predictors = {str(v) for term in parsed.rhs for v in _term_variables(term)}
    for name in variables:
        if name in predictors and (_is_category(data[name]) or name in (levels or {})):
            _check_free_text(name, data[name])
            order = _levels(name, data[name], (levels or {}).get(name))
            present = [level for level in order if (frame[name] == level).any()]
            for level in order:
                if level not in present:
                    notes.append(f"level {level!r} of '{name}' has no case in the rows used "
                                 "and is left out")
            if len(present) == 1:
                raise ModelError(f"variable '{name}' has a single level ({present[0]!r}) in "
                                 "the rows used, so it cannot be a predictor; leave it out of "
                                 "the formula for these rows")
            frame[name] = pd.Categorical(frame[name], categories=present)
    left = quoted.split("~", 1)[0]
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            built = model_matrix(parsed.rhs, frame, ensure_full_rank=True)
    except FormulaicError as error:
        raise ModelError(f"the formula {formula!r} cannot be evaluated on the data: "
                         f"{_plain(error)}") from None
    values = built.to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        column = built.columns[int(np.flatnonzero(~np.isfinite(values).all(axis=0))[0])]
        raise ModelError(f"the model column '{_r_name(str(column))}' is not a finite number in "
                         "some rows (e.g. the log of zero); change the formula")
    matrix = np.zeros((design.n, values.shape[1]))
    matrix[rows] = values
    names = [_r_name(str(c)) for c in built.columns]
    described = [_describe(str(c)) for c in built.columns]
    keep = np.ones(len(names), dtype=bool)
    for j, name in enumerate(names):
        if name == "(Intercept)" and not intercept:
            keep[j] = False  # R's svyolr: treatment contrasts as with one, then dropped
        elif rows.any() and not np.any(values[:, j]):
            keep[j] = False
            notes.append(f"column '{name}' is zero in every row used and is left out")
    terms: dict[str, tuple[int, ...]] = {}
    position = np.cumsum(keep) - 1
    for term, indices in built.model_spec.term_indices.items():
        kept = tuple(int(position[i]) for i in indices if keep[i])
        if str(term) != "1" and kept:
            terms[term_key(str(term))] = kept
    outcome = data[outcome_name] if outcome_name in data.columns else _evaluate(
        left, data, formula)
    return ModelFrame(formula, outcome_name, outcome, matrix[:, keep],
                      tuple(n for n, k in zip(names, keep, strict=True) if k),
                      tuple(d for d, k in zip(described, keep, strict=True) if k), terms, rows,
                      tuple(notes))


def _term_variables(term: object) -> list[str]:
    return [str(factor) for factor in getattr(term, "factors", [])]


def _evaluate(left: str, data: pd.DataFrame, formula: str) -> pd.Series:
    """An outcome written as an expression, e.g. `I(income > 1000)`, evaluated on all rows."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            built = model_matrix(f"{left} - 1", data, na_action="ignore")
    except FormulaicError as error:
        raise ModelError(f"the outcome of {formula!r} cannot be evaluated: {error}") from None
    if built.shape[1] != 1:
        raise ModelError(f"the outcome of {formula!r} must be one number per row")
    return pd.Series(built.iloc[:, 0].to_numpy(), index=data.index)


def require_rows(frame: ModelFrame, design: SampleDesign, domain: np.ndarray | None,
                 coefficients: int) -> None:
    """Refuse a fit with no rows, fewer rows than coefficients, or a domain in one PSU."""
    used = int(frame.rows.sum())
    if used == 0:
        raise ModelError(f"no row has every variable of {frame.formula!r} known"
                         + (" in the domain" if domain is not None else ""))
    if used < coefficients:
        raise ModelError(f"{frame.formula!r} has {coefficients} coefficients but only {used} "
                         "rows with every variable known; use fewer predictors")
    if len(np.unique(design.psu[frame.rows])) < 2:
        raise ModelError(f"the {used} rows used by {frame.formula!r} lie in a single PSU, so "
                         "the model has no design-based standard errors; widen the domain")


def require_full_rank(frame: ModelFrame) -> None:
    """Refuse collinear columns, naming them: the null space of the column-scaled matrix
    shows which columns depend on each other."""
    x = frame.matrix[frame.rows]
    scale = np.sqrt((x**2).sum(axis=0))
    r = linalg.qr(x / scale, mode="r")[0][: x.shape[1]]
    _, singular, vt = np.linalg.svd(r)
    small = singular < 1e-9 * singular[0]
    if not small.any():
        return
    involved = np.flatnonzero(np.any(np.abs(vt[small]) > 1e-6, axis=0))
    names = ", ".join(f"'{frame.names[j]}'" for j in involved)
    raise ModelError(f"the model is singular: the columns {names} are collinear (one is a "
                     "combination of the others); leave one of them out")
