"""Serial numbers of printed copies: one per copy, unique within a print run, fixed width.

The width stays the same for every copy so typists and scanners read a fixed number of digits;
a range that would need more digits is refused rather than silently widened. Each run is
recorded in a registry file, so data entry can tell from a serial which form a copy is.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from survey.atomic_write import write_atomically
from survey.user_error import UserError

SERIAL_DIGITS = 6
MAX_SERIAL = 10**SERIAL_DIGITS - 1
MAX_COPIES = 100_000


class SerialError(UserError, ValueError):
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


# -- the registry of printed serials ---------------------------------------------------------

REGISTRY_FILE = "serials.json"
"""Written beside the PDFs; the server reads PROJECT/paper/serials.json to know, from a typed
serial alone, which questionnaire, version and language a returned copy is."""


@dataclass(frozen=True)
class PrintRun:
    """One block of serials printed for one form, as the serial registry keeps it: a serial typed
    or scanned later finds its form through it."""

    questionnaire: str
    version: str
    language: str
    first: str
    last: str
    large_print: bool = False
    """Printed with --large-print: its boxes are where the large-print layout file says
    (registries written before large print have no such key: standard print)."""

    def holds(self, serial: str) -> bool:
        return self.first <= serial <= self.last

    @property
    def form(self) -> tuple[str, str, str, bool]:
        """What a serial of this run names: questionnaire, version, language and print size."""
        return self.questionnaire, self.version, self.language, self.large_print

    def describe(self) -> str:
        size = ", large print" if self.large_print else ""
        return (f"{self.first}–{self.last} ({self.questionnaire}, version {self.version}, "
                f"{self.language}{size})")


def serial_blocks(copies: int | None, start: int | None, variants: int) -> list[list[str]] | None:
    """One block of serials per form variant, one after the other, so that a serial names one
    language: seven languages × 100 copies from 1 print 000001–000700."""
    serials = serial_numbers(copies, start)
    if serials is None or variants <= 1:
        return None if serials is None else [serials]
    assert copies is not None
    every = serial_numbers(copies * variants, start) if copies * variants <= MAX_COPIES else None
    if every is None:
        raise SerialError(f"{variants} forms × {copies} copies is more than {MAX_COPIES:,} "
                          "serials in one run; print fewer languages at a time")
    return [every[i * copies:(i + 1) * copies] for i in range(variants)]


def read_registry(path: Path) -> list[PrintRun]:
    """The print runs recorded in `path` (none if it does not exist)."""
    if not path.exists():
        return []
    try:
        runs = json.loads(path.read_text("utf-8"))["runs"]
        return [PrintRun(**run) for run in runs]
    except (ValueError, KeyError, TypeError) as error:
        raise SerialError(f"{path} is not a serial registry written by survey paper ({error}); "
                          "restore it from a backup or print again into a new folder") from None


def register_runs(path: Path, runs: list[PrintRun]) -> None:
    """Record `runs`; a serial already printed for another questionnaire, version, language or
    print size is refused, so that a serial always names exactly one kind of form (scanning
    picks the layout by it). Reprinting the same serials of the same form (lost copies) is
    allowed."""
    known = read_registry(path)
    for run in runs:
        for other in known:
            same_form = other.form == run.form
            if not same_form and other.first <= run.last and run.first <= other.last:
                after = int(max(r.last for r in known)) + 1
                raise SerialError(
                    f"serials {run.first}–{run.last} overlap serials {other.describe()} printed "
                    f"before (see {path}); print with --serial-start {after} so that each "
                    "serial names one form")
        if run not in known:
            known.append(run)
    data = {"runs": [asdict(r) for r in known]}
    write_atomically(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
