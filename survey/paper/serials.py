"""Serial numbers of printed copies: one per copy, unique within a print run, fixed width.

The width stays the same for every copy so typists and scanners read a fixed number of digits;
a range that would need more digits is refused rather than silently widened.
"""

from __future__ import annotations

SERIAL_DIGITS = 6
MAX_SERIAL = 10**SERIAL_DIGITS - 1
MAX_COPIES = 100_000


class SerialError(ValueError):
    """A copies/serial request that cannot be printed; the message says what to change."""


def serial_numbers(copies: int | None, start: int | None) -> list[str] | None:
    """The serials of `copies` copies from `start` (default 1); None: no serialised copies."""
    if copies is None:
        if start is not None:
            raise SerialError("--serial-start needs --copies (how many serialised copies to "
                              "print)")
        return None
    first = 1 if start is None else start
    if copies < 1:
        raise SerialError(f"--copies must be at least 1, not {copies}")
    if copies > MAX_COPIES:
        raise SerialError(f"--copies {copies} is more than {MAX_COPIES:,} in one run; print in "
                          "several runs with different --serial-start values")
    if first < 1:
        raise SerialError(f"--serial-start must be at least 1, not {first}")
    last = first + copies - 1
    if last > MAX_SERIAL:
        raise SerialError(
            f"serials {first}–{last} overflow the {SERIAL_DIGITS}-digit serial number (highest "
            f"{MAX_SERIAL}); start lower or print fewer copies (at most {MAX_SERIAL - first + 1}"
            f" from {first})" if first <= MAX_SERIAL else
            f"--serial-start {first} has more than {SERIAL_DIGITS} digits (highest {MAX_SERIAL})")
    return [f"{n:0{SERIAL_DIGITS}d}" for n in range(first, last + 1)]
