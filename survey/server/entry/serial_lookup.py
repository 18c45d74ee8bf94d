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
from survey.staff_texts import staff_text
from survey.user_error import UserError

REGISTRY = Path("paper") / REGISTRY_FILE
MAX_INPUT = 200


class SerialRefused(UserError, ValueError):
    """The serial does not name a copy of this survey; the message (a staff text, its first
    argument) says what to do."""


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
            raise SerialRefused(staff_text(
                "the scanned code is not a page id of our paper forms; type the serial number "
                "printed on the cover instead")) from None
        if page.serial is None:
            raise SerialRefused(staff_text(
                "this form was printed without serial numbers; print serialised copies with "
                "survey paper --copies")) from None
        return page.serial, page.questionnaire
    digits = "".join(text.split())
    if not digits.isdigit() or len(digits) > SERIAL_DIGITS:
        raise SerialRefused(staff_text(
            "'{text}' is not a serial number: type the {digits} digits printed on the cover, "
            "or scan its QR code", text=text[:20], digits=SERIAL_DIGITS))
    return digits.zfill(SERIAL_DIGITS), None


def find_copy(project_root: Path, survey_id: str, text: str) -> Copy:
    """The copy `text` names, if it is one of `survey_id`'s; SerialRefused otherwise."""
    serial, scanned = _serial(text)
    path = project_root / REGISTRY
    runs = read_registry(path)
    if not runs:
        raise SerialRefused(staff_text(
            "no printed serials are known: {path} is missing; print the forms with survey "
            "paper --copies from the project folder (or copy the serials.json it wrote into "
            "the project's paper/ folder)", path=str(path)))
    found: list[PrintRun] = [run for run in runs if run.holds(serial)]
    if scanned is not None and scanned != survey_id:
        raise SerialRefused(staff_text(
            "the scanned page belongs to the survey '{scanned}', not to '{survey}': put the "
            "copy with the returns of that survey", scanned=scanned, survey=survey_id))
    if not found:
        own = [r for r in runs if r.questionnaire == survey_id]
        known = ", ".join(f"{r.first}–{r.last}" for r in own) or staff_text("none")
        raise SerialRefused(staff_text(
            "no copy with serial {serial} was printed (serials of '{survey}': {known}); check "
            "the number on the cover", serial=serial, survey=survey_id, known=known))
    run = found[-1]
    if run.questionnaire != survey_id:
        raise SerialRefused(staff_text(
            "serial {serial} was printed for the survey '{printed}' (version {version}, "
            "{language}), not for '{survey}': put the copy with the returns of that survey",
            serial=serial, printed=run.questionnaire, version=run.version,
            language=run.language, survey=survey_id))
    return Copy(serial, run.questionnaire, run.version, run.language)
