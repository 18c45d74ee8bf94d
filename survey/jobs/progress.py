"""How a job says how far it is: the command line draws a bar, the demo and a notebook may show
nothing."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int | None], None]
"""Called with what the job is doing, how many of its units are done and how many there are
(None while unknown)."""


def quietly(step: str, done: int, total: int | None) -> None:
    """The progress of a caller that shows none."""
