"""What `survey translations export|import|status|confirm` print, and their exit codes.

Every failure the user can fix arrives as a TranslationError (a UserError), printed as one
message: here for exports, which also say why a file cannot be written, else by the command
line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from survey.questionnaire.languages import describe_language
from survey.translations.confirm import confirm_current
from survey.translations.errors import TranslationError
from survey.translations.export import default_name, export
from survey.translations.importer import ImportPlan, apply_import, plan_import
from survey.translations.status import translation_status
from survey.translations.texts import SourceQuestionnaire, load_source

EXIT_OK, EXIT_ERROR = 0, 1
LISTED = 30
"""Messages listed per kind; the rest are counted."""


def _out(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _error(message: str) -> int:
    _out(stderr=True).print(Text(f"error: {message}", style="bold red"))
    return EXIT_ERROR


def _targets(source: SourceQuestionnaire, languages: tuple[str, ...]) -> list[str]:
    return list(languages) or [lang for lang in source.languages
                               if lang != source.default_language]


def run_export(questionnaire: Path, languages: tuple[str, ...], file_format: str,
               out_dir: Path, out_file: Path | None, only_missing: bool,
               only_stale: bool, confirm: Callable[[str], bool]) -> int:
    """Export; `confirm` is asked before a file that exists is overwritten, since it may be
    one a translator filled in and sent back."""
    try:
        source = load_source(questionnaire)
        targets = _targets(source, languages)
        if out_file is not None and len(targets) != 1:
            raise TranslationError(f"--out names one file, but {len(targets)} languages are "
                                   "exported; use --out-dir, or give one --lang")
        for language in targets:
            source.check_language(language, str(questionnaire))
        paths = {language: out_file or out_dir / default_name(source, language, file_format)
                 for language in targets}
        taken = [str(path) for path in paths.values() if path.exists()]
        if taken and not confirm(f"overwrite {', '.join(taken)}"):
            _out(stderr=True).print("nothing was written")
            return EXIT_ERROR
        out_dir.mkdir(parents=True, exist_ok=True)
        for language, path in paths.items():
            written = export(source, language, file_format, path, only_missing, only_stale)
            stale = sum(1 for e in written.entries if e.stale)
            count = len(written.entries)
            _out().print(f"wrote {path}: {count} text{'s' * (count != 1)} for '{language}'"
                         + (f" ({stale} stale)" if stale else ""))
    except (TranslationError, OSError) as error:
        return _error(str(error))
    return EXIT_OK


def _listing(out: Console, title: str, lines: list[str], style: str) -> None:
    if not lines:
        return
    out.print(Text(f"{title} ({len(lines)}):", style=f"bold {style}"))
    for line in lines[:LISTED]:
        out.print(Text(f"  {line}", style=style))
    if len(lines) > LISTED:
        out.print(Text(f"  ... and {len(lines) - LISTED} more", style=style))


def _print_plan(plan: ImportPlan, out: Console) -> None:
    for line in plan.info:
        out.print(Text(line, style="cyan"))
    _listing(out, "refused", plan.refused, "red")
    _listing(out, "conflicts (changed by someone else since the export)", plan.conflicts,
             "red")
    _listing(out, "changed", [f"{c.where}: {c.id} [{c.language}]: "
                              f"\"{c.old or '(none)'}\" → \"{c.new}\"" for c in plan.changes],
             "green")
    _listing(out, "confirmed as current (sent back unchanged)",
             [f"{c.id} [{c.language}]" for c in plan.confirmed], "green")
    _listing(out, "left empty", plan.empty, "yellow")
    _listing(out, "notes from translators", plan.notes, "cyan")
    for language, count in sorted(plan.still_missing.items()):
        if count:
            out.print(Text(f"still missing in '{language}': {count} texts", style="yellow"))


def run_import(questionnaire: Path, files: tuple[Path, ...], dry_run: bool) -> int:
    out = _out()
    plan = plan_import(questionnaire, list(files))
    _print_plan(plan, out)
    if not plan.consistent:
        return _error(f"{questionnaire} was not changed: fix the refused entries and "
                      "conflicts above (or clear their cells), then import again")
    if dry_run:
        out.print(f"dry run: {len(plan.changes)} texts would change; nothing was written")
        return EXIT_OK
    apply_import(plan)
    if plan.written:
        out.print(Text(f"{questionnaire}: {len(plan.changes)} texts changed, "
                       f"{len(plan.confirmed)} confirmed, {plan.unchanged} unchanged",
                       style="bold green"))
    else:
        out.print(f"{questionnaire}: nothing to change")
    return EXIT_OK


def run_status(questionnaire: Path) -> int:
    source = load_source(questionnaire)
    table = Table(title=f"Translations of {questionnaire} (source: {source.default_language})",
                  title_justify="left")
    for column in ("language", "texts", "complete", "missing", "stale", "percent",
                   "untracked"):
        table.add_column(column, justify="left" if column == "language" else "right")
    untracked = 0
    for line in translation_status(source):
        style = "green" if line.complete == line.total else "red" if line.percent < 90 else \
            "yellow"
        table.add_row(describe_language(line.language), str(line.total), str(line.complete),
                      str(line.missing), str(line.stale),
                      Text(f"{line.percent:.1f} %", style=style), str(line.untracked))
        untracked += line.untracked
    out = _out()
    out.print(table)
    out.print("complete: translated from the current source text; stale: translated from an "
              "earlier one (survey translations export --only-stale hands them out).")
    if untracked:
        out.print(f"untracked: translations with no record of their source text; they are "
                  f"counted as complete but cannot be found stale until recorded with "
                  f"`survey translations confirm {questionnaire}`.")
    return EXIT_OK


def run_confirm(questionnaire: Path, languages: tuple[str, ...], include_stale: bool) -> int:
    source = load_source(questionnaire)
    counts = confirm_current(source, _targets(source, languages), include_stale)
    for language, count in counts.items():
        _out().print(f"'{language}': {count} translations recorded as made from the current "
                     "source text")
    return EXIT_OK
