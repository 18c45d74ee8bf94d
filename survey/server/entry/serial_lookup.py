"""From a typed or scanned serial to the printed copy: questionnaire, version and language.

`survey paper --copies` records each print run in paper/serials.json of the project; the serial
alone then names one form. A barcode scanner reading the page's QR code types its page id
(SV1|questionnaire|version|language|page|serial), which is accepted too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.paper.qr import PAYLOAD_VERSION, PayloadError, parse_payload
from survey.paper.serials import REGISTRY_FILE, SERIAL_DIGITS, PrintRun, read_registry

REGISTRY = Path("paper") / REGISTRY_FILE
MAX_INPUT = 200


class SerialRefused(ValueError):
    """The serial does not name a copy of this survey; the message says what to do."""


@dataclass(frozen=True)
class Copy:
    serial: str
    questionnaire: str
    printed_version: str
    language: str


def _serial(text: str) -> tuple[str, str | None]:
    """The serial of the typed text, and the questionnaire a scanned page id names."""
    text = text.strip()[:MAX_INPUT]
    if text.upper().startswith(PAYLOAD_VERSION + "|"):
        try:
            page = parse_payload(text)
        except PayloadError:
            raise SerialRefused("the scanned code is not a page id of our paper forms; type "
                                "the serial number printed on the cover instead") from None
        if page.serial is None:
            raise SerialRefused("this form was printed without serial numbers; print "
                                "serialised copies with survey paper --copies") from None
        return page.serial, page.questionnaire
    digits = "".join(text.split())
    if not digits.isdigit() or len(digits) > SERIAL_DIGITS:
        raise SerialRefused(f"'{text[:20]}' is not a serial number: type the {SERIAL_DIGITS} "
                            "digits printed on the cover, or scan its QR code")
    return digits.zfill(SERIAL_DIGITS), None


def find_copy(project_root: Path, survey_id: str, text: str) -> Copy:
    """The copy `text` names, if it is one of `survey_id`'s; SerialRefused otherwise."""
    serial, scanned = _serial(text)
    path = project_root / REGISTRY
    runs = read_registry(path)
    if not runs:
        raise SerialRefused(f"no printed serials are known: {path} is missing; print the forms "
                            "with survey paper --copies from the project folder (or copy the "
                            "serials.json it wrote into the project's paper/ folder)")
    found: list[PrintRun] = [run for run in runs if run.holds(serial)]
    if scanned is not None and scanned != survey_id:
        raise SerialRefused(f"the scanned page belongs to the survey '{scanned}', not to "
                            f"'{survey_id}': put the copy with the returns of that survey")
    if not found:
        own = [r for r in runs if r.questionnaire == survey_id]
        known = ", ".join(f"{r.first}–{r.last}" for r in own) or "none"
        raise SerialRefused(f"no copy with serial {serial} was printed (serials of "
                            f"'{survey_id}': {known}); check the number on the cover")
    run = found[-1]
    if run.questionnaire != survey_id:
        raise SerialRefused(f"serial {serial} was printed for the survey '{run.questionnaire}' "
                            f"(version {run.version}, {run.language}), not for '{survey_id}': "
                            "put the copy with the returns of that survey")
    return Copy(serial, run.questionnaire, run.version, run.language)
