"""What `survey paper` prints, and its exit code."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from survey.jobs.paper import PaperJob, print_forms


def run_paper(job: PaperJob) -> int:
    out = Console(highlight=False, soft_wrap=True)
    printed = print_forms(job)
    if printed.partner_blocks is not None:
        out.print(f"serials {printed.partner_blocks} recorded for partner '{job.partner}' in "
                  "the store")
    if printed.registry is not None:
        out.print(f"serials recorded in {printed.registry} (data entry reads it from the "
                  "project's paper/ folder)")
    if printed.look is not None:
        out.print(f"using the project's look from {printed.look}")
    for variant, made in printed.forms:
        copies = f" × {made.copies} copies" if printed.registry is not None else ""
        out.print(Text(f"{'+'.join(variant)}: {made.pdf} ({made.pages} pages{copies}), layout "
                       f"{made.layout.name}", style="green"))
    return 0
