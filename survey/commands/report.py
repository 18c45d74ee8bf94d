"""What `survey report` prints, and its exit codes."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from survey.report.make import ReportRequest, check_report, make_report, parse_formats


def _run_check(request: ReportRequest, out: Console) -> int:
    missing, candidates = check_report(request)
    if candidates:
        out.print("Open answers that can be approved as quotes (id, question, answer):")
        for line in candidates:
            out.print(Text(f"  {line}"))
    if not missing:
        out.print("Nothing is missing for a publishable report.")
        return 0
    out.print(f"Missing for a publishable report ({len(missing)}):")
    for line in missing:
        out.print(Text(f"  - {line}"))
    return 1


def run_report(request: ReportRequest, formats: str | None) -> int:
    if formats is not None:
        request = ReportRequest(**{**request.__dict__, "formats": parse_formats(formats)})
    if request.check:
        return _run_check(request, Console(highlight=False, soft_wrap=True))
    written = make_report(request)
    out = Console(highlight=False, soft_wrap=True)
    for path in written:
        out.print(f"  wrote {path}")
    return 0
