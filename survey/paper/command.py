"""What `survey paper` prints, and its exit code.

Every failure the user can fix is caught here and printed as one message; nothing else is.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from survey.paper.fonts import FontError
from survey.paper.overrides import OverrideError, Overrides
from survey.paper.produce import PaperError, form_variants, make_forms, prepare_out_dir
from survey.paper.serials import (
    REGISTRY_FILE,
    PrintRun,
    SerialError,
    register_runs,
    serial_blocks,
)
from survey.questionnaire import validate_file

EXIT_OK, EXIT_ERROR = 0, 1
_USER_ERRORS = (PaperError, SerialError, FontError, OverrideError)


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def run_paper(file: Path, languages: tuple[str, ...], bilingual: tuple[str, ...],
              copies: int | None, serial_start: int | None, out_dir: Path) -> int:
    err = _console(stderr=True)
    result = validate_file(file)
    if result.questionnaire is None or result.errors:
        for diagnostic in result.errors:
            err.print(Text(str(diagnostic), style="red"))
        err.print(Text(f"{file}: no form printed; fix these errors first (survey validate "
                       f"{file})", style="bold red"))
        return EXIT_ERROR
    questionnaire = result.questionnaire
    out = _console()
    try:
        variants = form_variants(questionnaire, languages, bilingual)
        serials = serial_blocks(copies, serial_start, len(variants))
        overrides = Overrides.for_questionnaire(file)
        prepare_out_dir(out_dir)
        if serials:
            registry = out_dir / REGISTRY_FILE
            register_runs(registry, [
                PrintRun(questionnaire.id, questionnaire.survey.version, "+".join(variant),
                         block[0], block[-1]) for variant, block in zip(variants, serials,
                                                                        strict=True)])
            out.print(f"serials recorded in {registry} (data entry reads it from the "
                      "project's paper/ folder)")
        if overrides.folder is not None:
            out.print(f"using the project's look from {overrides.folder}")
        for variant, made in zip(variants, make_forms(questionnaire, variants, out_dir, serials,
                                                      overrides), strict=True):
            copies_note = f" × {made.copies} copies" if serials else ""
            out.print(Text(f"{'+'.join(variant)}: {made.pdf} ({made.pages} pages"
                           f"{copies_note}), layout {made.layout.name}", style="green"))
    except _USER_ERRORS as error:
        err.print(Text(f"error: {error}", style="bold red"))
        return EXIT_ERROR
    return EXIT_OK
