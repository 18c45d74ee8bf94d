"""Replicate-weight designs: jackknife (JK1, JKn), bootstrap, BRR and Fay's BRR made from a
design, and replicate weights supplied with the data, as R `survey`'s
`as.svrepdesign(design, type = ...)` and `svrepdesign(repweights = ...)` make them.

Every estimator of survey.stats then recomputes its statistic with each replicate weight column
and turns the replicate estimates into a variance with `SampleDesign.replicate_covariance`
(R's svrVar); tests/stats/test_r_replicates.py compares the weights and every estimate with R.

- JK1 (unstratified) and JKn (stratified) drop one PSU at a time and scale up the rest of its
  stratum; the finite-population correction goes into the scale (JK1) or the rscales (JKn), a
  stratum sampled completely adds no replicate, and a lonely PSU follows the design's rule as
  R's jknweights does.
- BRR and Fay keep one PSU of every stratum (Fay: weights rho and 2 - rho instead of 0 and 2)
  following the rows of a Hadamard matrix built as R's hadamard() builds it; strata are taken
  in the order of their sorted labels (R's order of the labels as text in the C locale) and the
  PSUs of a stratum in the order their first rows come.
- bootstrap is R's default for as.svrepdesign: n_h PSUs drawn with replacement in each stratum
  (without replacement from the population with an fpc), multiplied into the weights, with
  scale  m / ((m - 1) (R - 1)), m the harmonic mean of PSUs per stratum. Its draws cannot equal
  R's, so R's own replicate weights are compared through `supplied_replicates`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from survey.stats.design import (
    DesignError,
    LonelyPsu,
    Replicates,
    SampleDesign,
    make_design,
    replicate_rank,
)

KINDS = ("JK1", "JKn", "bootstrap", "BRR", "Fay", "other")
"""Replicate kinds, spelled as R's `type`."""


class ReplicateError(DesignError):
    """Replicate weights that cannot be made or used; the message says which and what to do."""


_HADAMARD = (
    ('f', 'a', 'c', '9'),
    ('ffff', 'aaaa', 'cccc', '9999', 'f0f0', 'a5a5', 'c3c3', '9696', 'ff00', 'aa55', 'cc33',
     '9966', 'f00f', 'a55a', 'c33c', '9669'),
    ('fffffff', '9c71c78', '83cd378', '83b2e66', '9a0f8d6', '952c5ae', '8cd239e', '58aa7f0',
     '45b59d4', '46cbcac', '561774a', '4b64e9a', '5959b26', '2d1eae8', '3666b34', '2b3b51c',
     '31d74b2', '32f89ca', '2ced646', 'ea545e4', 'f1632cc', 'f09ce1c', 'e54ad52', 'e6392b2',
     'e8a792a', 'dffe000', 'bf81f80', '7f8007e'),
    ('fffffffff', '5c7dc8564', 'b8fb90ac8', '71f721592', 'e3ee42b24', 'c7dc8564a', '8fb90ac96',
     '1f721592e', '3ee42b25c', '7dc8564b8', 'fb90ac970', 'f721592e2', 'ee42b25c6', 'dc8564b8e',
     'b90ac971e', '721592e3e', 'e42b25c7c', 'c8564b8fa', '90ac971f6', '21592e3ee', '42b25c7dc',
     '8564b8fb8', 'ac971f72', '1592e3ee4', '2b25c7dc8', '564b8fb90', 'ac971f720', '592e3ee42',
     'b25c7dc84', '64b8fb90a', 'c971f7214', '92e3ee42a', '25c7dc856', '4b8fb90ac', '971f72158',
     '2e3ee42b2'),
)
"""R survey's precooked Hadamard matrices (`hadamard.list`, orders 4, 16, 28, 36): each row
in hexadecimal, its bits the 0/1 entries."""


def _precooked(k: int) -> np.ndarray:
    rows = _HADAMARD[k]
    size = len(rows)
    return np.array([[int(bit) for bit in format(int(row, 16), f"0{size}b")] for row in rows])


def _double(h: np.ndarray) -> np.ndarray:
    return np.block([[h, h], [h, 1 - h]])


def _is_prime(p: int) -> bool:
    return p > 1 and all(p % d for d in range(2, math.isqrt(p) + 1))


_PALEY_PRIMES = tuple(p for p in range(3, 7920) if p % 4 == 3 and _is_prime(p))
"""The primes p = 3 mod 4 up to 7919: R's `small.primes` in paley()."""


def _paley(n: int | None = None, nmax: int | None = None,
           prime: int | None = None) -> np.ndarray | None:
    """R survey's paley(): a Paley-construction 0/1 Hadamard matrix of order above n."""
    if prime is None:
        assert n is not None
        nmax = 2 * n if nmax is None else nmax
        nceil = nn = n + 4 - n % 4
        if n % 4 + 4 == n % 8:
            while nn % 8 == 0:
                nn //= 2
            if nn - 1 in _PALEY_PRIMES:
                m = _paley(prime=nn - 1)
                assert m is not None
                while nn < nceil:
                    m = _double(m)
                    nn *= 2
                return m
        if n > _PALEY_PRIMES[-1]:
            return None
        p = min(q for q in _PALEY_PRIMES if q >= n)
        if p + 1 > nceil + 4 and nceil + 4 < nmax:
            return _paley(nceil + 3)
        if p > nmax:
            return None
    else:
        p = prime
    m = np.add.outer(np.arange(p), np.arange(p)) % p
    residues = {0, 1} | {(i * i) % p for i in range(2, (p - 1) // 2 + 1)}
    m = np.where(np.isin(m, list(residues)), 0, 1)
    return np.block([[np.ones((1, 1), dtype=int), np.ones((1, p), dtype=int)],
                     [np.ones((p, 1), dtype=int), m]])


def hadamard(n: int) -> np.ndarray:
    """R survey's hadamard(n): a 0/1 Hadamard matrix with more than n rows, the same matrix R
    builds (so BRR replicate weights equal R's)."""
    sizes = np.array([4, 16, 28, 36])
    m = n - n % 4
    precooked = np.flatnonzero((m < sizes) & (m + 4 >= sizes))
    if len(precooked):
        return _precooked(int(precooked[0]))
    grown = sizes * 2 ** np.maximum(0, np.ceil(np.log2((n + 1) / sizes))).astype(int)
    best = int(np.argmin(grown - n))
    h = _paley(n, int(grown[best])) if grown[best] - n > 4 else None
    if h is None:
        h = _precooked(best)
        for _ in range(int(np.ceil(np.log2(grown[best] / sizes[best])))):
            h = _double(h)
    return h


def _first_rows(labels: np.ndarray) -> np.ndarray:
    """Each label (0..k-1) in the order of the row where it first occurs."""
    _, first = np.unique(labels, return_index=True)
    return np.unique(labels)[np.argsort(first, kind="stable")]


def _psus_of(design: SampleDesign, stratum: int, order: np.ndarray) -> np.ndarray:
    members: np.ndarray = order[design.psu_stratum[order] == stratum]
    return members


def replicate_design(design: SampleDesign, kind: str, replicates: int | None = None,
                     fay_rho: float | None = None, mse: bool = False,
                     seed: int | None = None) -> SampleDesign:
    """The design with replicate weights of `kind` ("JK1", "JKn", "bootstrap", "BRR", "Fay"),
    as R's `as.svrepdesign(design, type = kind, replicates =, fay.rho =, mse =)`.
    `replicates` is the number of bootstrap replicates (default 50, as R); the other kinds
    make as many as the design decides. `seed` fixes the bootstrap draws."""
    if kind not in KINDS[:5]:
        raise ReplicateError(f"replicate kind '{kind}' is not one of {', '.join(KINDS[:5])}")
    if design.replicates is not None:
        raise ReplicateError("the design has replicate weights already")
    if design.calibration is not None:
        raise ReplicateError("make replicate weights from the design before raking or "
                             "post-stratification; calibrated weights cannot be replicated here")
    if replicates is not None and kind != "bootstrap":
        raise ReplicateError(f"{kind} makes its own number of replicates (one per PSU for "
                             "the jackknife, the Hadamard matrix's order for BRR and Fay); "
                             f"replicates={replicates} applies to the bootstrap only")
    if fay_rho is not None and kind != "Fay":
        raise ReplicateError(f"fay_rho applies to kind 'Fay', not '{kind}'")
    order = _first_rows(design.psu)
    if kind in ("JK1", "JKn"):
        multipliers, scale, rscales = _jackknife(design, kind, order)
    elif kind == "bootstrap":
        count = 50 if replicates is None else replicates
        if count < 2:
            raise ReplicateError(f"the bootstrap needs at least 2 replicates, not {count}")
        multipliers, scale, rscales = _bootstrap(design, order, count, seed)
    else:
        rho = 0.0 if kind == "BRR" else fay_rho
        if rho is None or (kind == "Fay" and not 0 < rho < 1):
            raise ReplicateError(f"Fay's BRR needs fay_rho between 0 and 1 (R's fay.rho), "
                                 f"not {rho}")
        multipliers, scale, rscales = _balanced(design, order, rho)
    weights = design.weights[:, None] * multipliers[design.psu]
    return replace(design, replicates=Replicates(weights, float(scale), rscales, mse, kind,
                                                 replicate_rank(multipliers)))


def _jackknife(design: SampleDesign, kind: str,
               order: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    """R's jk1weights / jknweights, per PSU (n_psu x R)."""
    strata = len(design.psu_count)
    if kind == "JK1" and strata > 1:
        raise ReplicateError(f"JK1 is for a design without strata; this one has {strata}: "
                             "use JKn")
    psus = len(design.psu_stratum)
    columns, rscales = [], []
    for stratum in _first_rows(design.psu_stratum[order]):
        members = _psus_of(design, stratum, order)
        size, finite = len(members), float(design.finite_factor[stratum])
        inside = design.psu_stratum == stratum
        if finite == 0:
            continue  # sampled completely: R drops its replicates
        if size == 1:
            if kind == "JK1":
                raise ReplicateError("the jackknife needs at least two PSUs; the design has one")
            if design.lonely != LonelyPsu.ADJUST:
                continue
            columns.append(np.where(inside, 0.0, strata / (strata - 1)))
            rscales.append((strata - 1) / strata)
            continue
        for dropped in members:
            column = np.where(inside, size / (size - 1), 1.0)
            column[dropped] = 0.0
            columns.append(column)
            rscales.append(finite * (size - 1) / size)
    if not columns:
        raise ReplicateError("every stratum was sampled completely (finite-population "
                             "correction 0): there is no sampling variance to replicate")
    multipliers = np.column_stack(columns)
    if kind == "JK1":
        return multipliers, rscales[0], np.ones(len(columns))
    scale = 1.0
    if len(columns) < psus and design.lonely == LonelyPsu.AVERAGE:
        scale = psus / len(columns)  # R's jknweights scales by PSUs over replicates
    return multipliers, scale, np.array(rscales)


def _bootstrap(design: SampleDesign, order: np.ndarray, count: int,
               seed: int | None) -> tuple[np.ndarray, float, np.ndarray]:
    """R's bootweights: per stratum, how often each PSU is drawn in each replicate."""
    rng = np.random.default_rng(seed)
    multipliers = np.zeros((len(design.psu_stratum), count))
    for stratum in range(len(design.psu_count)):
        members = _psus_of(design, stratum, order)
        size, finite = len(members), float(design.finite_factor[stratum])
        if finite < 1:
            population = round(size / (1 - finite))
            pool = np.resize(np.arange(size), population)
            draws = np.array([rng.choice(pool, size, replace=False) for _ in range(count)])
        else:
            draws = rng.integers(0, size, (count, size))
        for r, drawn in enumerate(draws):
            multipliers[members, r] = np.bincount(drawn, minlength=size)
    per_stratum = 1 / float(np.mean(1 / design.psu_count))
    if per_stratum <= 1:
        raise ReplicateError("every stratum has a single PSU: the bootstrap has nothing to "
                             "resample; merge strata")
    return multipliers, per_stratum / ((per_stratum - 1) * (count - 1)), np.ones(count)


def _balanced(design: SampleDesign, order: np.ndarray,
              rho: float) -> tuple[np.ndarray, float, np.ndarray]:
    """R's brrweights for strata of exactly two PSUs: a half-sample per Hadamard column."""
    odd = np.flatnonzero(design.psu_count != 2)
    if len(odd):
        raise ReplicateError(f"BRR needs exactly 2 PSUs in every stratum; {len(odd)} stratum/"
                             f"strata have {', '.join(map(str, design.psu_count[odd][:5]))}: "
                             "pair the PSUs into strata of two, or use JKn or the bootstrap")
    if np.any(design.finite_factor != 1):
        raise ReplicateError("BRR and Fay take no finite-population correction (R drops it): "
                             "make the design without fpc")
    strata = len(design.psu_count)
    h = hadamard(strata)[1:strata + 1]  # row s + 1 decides stratum s, as in R
    multipliers = np.zeros((len(design.psu_stratum), h.shape[1]))
    for stratum in range(strata):
        first, second = _psus_of(design, stratum, order)
        keep_first = h[stratum] == 1
        multipliers[first] = np.where(keep_first, 2 - rho, rho)
        multipliers[second] = np.where(keep_first, rho, 2 - rho)
    return multipliers, 1 / (h.shape[1] * (1 - rho) ** 2), np.ones(h.shape[1])


def supplied_replicates(data: pd.DataFrame, weights: str | None, columns: Sequence[str],
                        kind: str, scale: float | None = None,
                        rscales: Sequence[float] | float | None = None, mse: bool = False,
                        combined: bool = True, fay_rho: float | None = None) -> SampleDesign:
    """A design from replicate weight columns delivered with the data, as R's
    `svrepdesign(repweights =, weights =, type = kind, scale =, rscales =, rho = fay_rho,
    mse =, combined.weights = combined)`. Where R would guess or warn, a scale that
    contradicts the kind is refused: BRR's is 1/R, Fay's 1/(R (1 - rho)^2); JK1 defaults to
    (R - 1)/R, the bootstrap to 1/(R - 1); JKn needs its rscales and "other" its scale."""
    if kind not in KINDS:
        raise ReplicateError(f"replicate kind '{kind}' is not one of {', '.join(KINDS)}")
    design = make_design(data, weights=weights)
    matrix = _replicate_columns(data, columns)
    count = matrix.shape[1]
    if not combined:
        matrix = matrix * design.weights[:, None]
    if rscales is None:
        factors = np.ones(count)
    else:
        factors = np.broadcast_to(np.asarray(rscales, dtype=float), (count,)).copy() if \
            np.ndim(rscales) == 0 else np.asarray(rscales, dtype=float)
        if len(factors) != count or not np.all(np.isfinite(factors)) or np.any(factors < 0):
            raise ReplicateError(f"rscales needs one non-negative number per replicate column "
                                 f"({count}); it has {len(factors)} value(s)")
    if fay_rho is not None and kind != "Fay":
        raise ReplicateError(f"fay_rho applies to kind 'Fay', not '{kind}'")
    found = _supplied_scale(kind, count, scale, rscales is not None, fay_rho)
    return replace(design, replicates=Replicates(matrix, found, factors, mse, kind))


def _replicate_columns(data: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    if isinstance(columns, str) or len(columns) == 0:
        raise ReplicateError("give the replicate weight columns as a list of column names")
    for column in columns:
        if column not in data.columns:
            raise ReplicateError(f"the replicate weight column '{column}' is not in the data")
        values = data[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            raise ReplicateError(f"the replicate weight column '{column}' is not numeric "
                                 f"(type {values.dtype}); replicate weights are numbers")
        numbers = values.to_numpy(dtype=float)
        bad = ~np.isfinite(numbers) | (numbers < 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ReplicateError(f"the replicate weight column '{column}' has {numbers[row]} in "
                                 f"row {row + 1}; replicate weights are numbers of 0 or more")
    return data[list(columns)].to_numpy(dtype=float)


def _supplied_scale(kind: str, count: int, scale: float | None, has_rscales: bool,
                    fay_rho: float | None) -> float:
    """The scale of supplied replicates, refusing one that contradicts the kind."""
    if kind in ("BRR", "Fay"):
        if count % 4:
            raise ReplicateError(f"{kind} replicates come from a Hadamard matrix, whose order "
                                 f"is a multiple of 4; {count} columns do not fit: check the "
                                 "columns or use kind 'other' with its scale")
        rho = 0.0 if kind == "BRR" else fay_rho
        if rho is None or (kind == "Fay" and not 0 < rho < 1):
            raise ReplicateError(f"Fay's BRR needs fay_rho between 0 and 1, not {rho}")
        expected = 1 / (count * (1 - rho) ** 2)
        if scale is not None and not math.isclose(scale, expected, rel_tol=1e-9):
            raise ReplicateError(f"{kind} with {count} replicates has scale {expected:.6g}; "
                                 f"scale={scale} contradicts it (use kind 'other' for a "
                                 "different one)")
        return expected
    if count < 2:
        raise ReplicateError(f"{kind} replicate weights need at least 2 columns, not {count}")
    if scale is not None and (not np.isfinite(scale) or scale <= 0):
        raise ReplicateError(f"scale must be a positive number, not {scale}")
    if kind == "JK1":
        if scale is not None and scale > 1:
            raise ReplicateError(f"a JK1 scale is (n - 1)/n times the fpc, at most 1; "
                                 f"scale={scale} contradicts it")
        return (count - 1) / count if scale is None else float(scale)
    if kind == "JKn" and not has_rscales:
        raise ReplicateError("JKn replicate weights need rscales, (n_h - 1)/n_h for the "
                             "stratum each replicate drops a PSU of")
    if kind == "bootstrap":
        return 1 / (count - 1) if scale is None else float(scale)
    if kind == "other" and scale is None:
        raise ReplicateError("replicate kind 'other' needs its scale (and rscales if they are "
                             "not all 1): the documentation of the weights gives them")
    return 1.0 if scale is None else float(scale)
