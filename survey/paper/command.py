"""What `survey paper` prints, and its exit code.

A failure the user can fix is raised as a UserError, which the command line prints as one
message.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from survey.paper.overrides import Overrides
from survey.paper.produce import form_variants, make_forms, prepare_out_dir
from survey.paper.serials import (
    REGISTRY_FILE,
    PrintRun,
    SerialError,
    register_runs,
    serial_blocks,
)
from survey.project import Project, ProjectError
from survey.questionnaire import validate_file

EXIT_OK, EXIT_ERROR = 0, 1


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _record_partner_blocks(project: Path | None, partner: str, questionnaire_id: str,
                           serials: list[list[str]] | None) -> str:
    """Record the serial blocks about to be printed as `partner`'s (--partner), before
    anything is printed: a partner not in partners.yaml or a block overlapping another
    partner's is refused with nothing stored or printed."""
    from survey.store.partners import record_serial_blocks

    if not serials:
        raise SerialError("--partner needs --copies: only serialised copies can be counted "
                          "back per partner")
    if project is None:
        raise ProjectError("--partner needs the questionnaire of a survey project "
                           "(PROJECT/questionnaires/FILE): the blocks are kept in its store")
    found = Project(project)
    found.partner(partner)
    store = found.store()
    try:
        blocks = record_serial_blocks(store, questionnaire_id,
                                      [(int(b[0]), int(b[-1])) for b in serials], partner)
    finally:
        store.close()
    return ", ".join(f"{b.first:06d}–{b.last:06d}" for b in blocks)


def run_paper(file: Path, languages: tuple[str, ...], bilingual: tuple[str, ...],
              copies: int | None, serial_start: int | None, out_dir: Path,
              partner: str | None = None, project: Path | None = None,
              large_print: bool = False) -> int:
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
    variants = form_variants(questionnaire, languages, bilingual)
    serials = serial_blocks(copies, serial_start, len(variants))
    overrides = Overrides.for_questionnaire(file)
    if partner is not None:
        recorded = _record_partner_blocks(project, partner, questionnaire.id, serials)
        out.print(f"serials {recorded} recorded for partner '{partner}' in the store")
    prepare_out_dir(out_dir)
    if serials:
        registry = out_dir / REGISTRY_FILE
        register_runs(registry, [
            PrintRun(questionnaire.id, questionnaire.survey.version, "+".join(variant),
                     block[0], block[-1], large_print)
            for variant, block in zip(variants, serials, strict=True)])
        out.print(f"serials recorded in {registry} (data entry reads it from the "
                  "project's paper/ folder)")
    if overrides.folder is not None:
        out.print(f"using the project's look from {overrides.folder}")
    made_forms = make_forms(questionnaire, variants, out_dir, serials, overrides, large_print)
    for variant, made in zip(variants, made_forms, strict=True):
        copies_note = f" × {made.copies} copies" if serials else ""
        out.print(Text(f"{'+'.join(variant)}: {made.pdf} ({made.pages} pages"
                       f"{copies_note}), layout {made.layout.name}", style="green"))
    return EXIT_OK
