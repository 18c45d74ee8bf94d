"""JSON text of stored records, assembled from pieces encoded once per distinct value.

`encode` is the store's encoding of answers and raw records (the content hash uses it too);
an object whose members are encoded with it and joined in key order is the same text as
`encode` of the whole object, which lets ingest encode each distinct cell of a column once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from survey.questionnaire.expressions.evaluate_columns import Factor
from survey.store.store import encode_json as encode


def member(name: str, value: Any) -> str:
    """One `"name": value` member of an object, with the separator that follows it."""
    return f"{encode(name)}: {encode(value)}, "


def members(name: str, factor: Factor) -> np.ndarray:
    """Per row, the member `name` of the row's value; "" (absent) where the value is None."""
    return factor.per_value(lambda v: "" if v is None else member(name, v))


def objects(members: Sequence[np.ndarray], rows: int) -> list[str]:
    """Per row, the object of the members given (one array per key, in key order; "" = absent)."""
    if not members:
        return ["{}"] * rows
    joined = map("".join, zip(*(m.tolist() for m in members), strict=True))
    return [f"{{{text[:-2]}}}" for text in joined]


__all__ = ["encode", "member", "members", "objects"]
