"""`survey paper` as a job: print-ready forms of a questionnaire, with serial blocks recorded
before anything is printed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.jobs.progress import Progress, quietly
from survey.paper.overrides import Overrides
from survey.paper.produce import MadeForm, PaperError, form_variants, make_forms, prepare_out_dir
from survey.paper.serials import REGISTRY_FILE, PrintRun, SerialError, register_runs, serial_blocks
from survey.project import Project, ProjectError
from survey.questionnaire import validate_file
from survey.store.partners import record_serial_blocks


@dataclass(frozen=True)
class PaperJob:
    """What `survey paper` prints: the questionnaire's forms in which languages, and how many
    numbered copies for which partner."""

    file: Path
    out_dir: Path
    languages: tuple[str, ...] = ()
    """() for every language of the questionnaire."""
    bilingual: tuple[str, ...] = ()
    """Two-language forms, e.g. ("de+ar",)."""
    copies: int | None = None
    """Serialised copies per form; None for one unnumbered form."""
    serial_start: int | None = None
    partner: str | None = None
    """The partner organisation the serial blocks are printed for (needs `project`)."""
    project: Path | None = None
    large_print: bool = False


@dataclass(frozen=True)
class PrintedForms:
    """What a paper job made: the forms, the serial registry and the partner's serial blocks, to
    tell staff what to print and hand out."""

    forms: list[tuple[tuple[str, ...], MadeForm]]
    """Each form's languages and what was made."""
    registry: Path | None
    """The serial registry data entry reads, when copies are numbered."""
    partner_blocks: str | None
    """The serial blocks recorded for the partner, as printed on the covers."""
    look: Path | None
    """The project's own look (paper overrides) used, if any."""


def print_forms(job: PaperJob, progress: Progress = quietly) -> PrintedForms:
    """Raises a UserError naming the problem (an invalid questionnaire, serials that overlap
    another partner's, an output folder that cannot be used) before any form is written."""
    result = validate_file(job.file)
    if result.questionnaire is None or result.errors:
        problems = "\n".join(str(d) for d in result.errors)
        raise PaperError(f"{problems}\n{job.file}: no form printed; fix these errors first "
                         f"(survey validate {job.file})")
    questionnaire = result.questionnaire
    variants = form_variants(questionnaire, job.languages, job.bilingual)
    serials = serial_blocks(job.copies, job.serial_start, len(variants))
    overrides = Overrides.for_questionnaire(job.file)
    recorded = (None if job.partner is None else
                _record_partner_blocks(job.project, job.partner, questionnaire.id, serials))
    prepare_out_dir(job.out_dir)
    registry = None
    if serials:
        registry = job.out_dir / REGISTRY_FILE
        register_runs(registry, [
            PrintRun(questionnaire.id, questionnaire.survey.version, "+".join(variant),
                     block[0], block[-1], job.large_print)
            for variant, block in zip(variants, serials, strict=True)])
    forms: list[tuple[tuple[str, ...], MadeForm]] = []
    progress("printing forms", 0, len(variants))
    for variant, made in zip(variants, make_forms(questionnaire, variants, job.out_dir, serials,
                                                  overrides, job.large_print), strict=True):
        forms.append((variant, made))
        progress("printing forms", len(forms), len(variants))
    return PrintedForms(forms, registry, recorded, overrides.folder)


def _record_partner_blocks(project: Path | None, partner: str, questionnaire_id: str,
                           serials: list[list[str]] | None) -> str:
    """Record the serial blocks about to be printed as `partner`'s, before anything is printed:
    a partner not in partners.yaml or a block overlapping another partner's is refused with
    nothing stored or printed."""
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
