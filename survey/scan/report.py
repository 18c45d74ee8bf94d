"""The scan report: a Markdown file in PROJECT/scans/ that staff read, print or attach.

Markdown rather than XLSX: it is read top to bottom once, in any editor or on the code host,
and it has to carry sentences (what to do with each page) more than numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from survey.scan.read_page import PageKind
from survey.scan.run import ScanRun
from survey.scan.store_scans import Outcome


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_lines(run: ScanRun) -> list[str]:
    outcomes = Counter(r.outcome for r in run.returns)
    incomplete = sum(not r.copy.complete for r in run.returns)
    return [
        f"pages: {len(run.pages)} in {len(run.files)} file(s); read {run.count(PageKind.READ)}, "
        f"blank {run.count(PageKind.BLANK)}, unknown {run.count(PageKind.UNKNOWN)}, "
        f"unidentified {run.count(PageKind.UNIDENTIFIED)}, unreadable "
        f"{run.count(PageKind.UNREADABLE)}; files not readable {len(run.file_errors)}",
        f"returns: {len(run.returns)}; complete {len(run.returns) - incomplete}, incomplete "
        f"{incomplete}; stored {outcomes[Outcome.STORED]}, to the reconciliation screen "
        f"{outcomes[Outcome.TO_CHECK]}, already stored {outcomes[Outcome.ALREADY]}, not used "
        f"{outcomes[Outcome.REFUSED]}; pages scanned twice {len(run.duplicates)}",
    ]


def doubts_per_question(run: ScanRun) -> Counter[str]:
    return Counter(name for r in run.returns if r.outcome == Outcome.TO_CHECK
                   for name in r.copy.doubts)


def report_markdown(run: ScanRun, when: dt.datetime) -> str:
    lines = [f"# Scan report, {when:%Y-%m-%d %H:%M}", "", *[f"- {s}" for s in summary_lines(run)],
             "", "Files: " + ", ".join(str(f) for f in run.files), ""]
    problems = [*run.file_errors, *run.form_problems,
                *(f"{p.where}: {p.kind}: {p.message}" for p in run.pages
                  if p.kind not in (PageKind.READ, PageKind.BLANK))]
    lines += ["## Pages and files not read", ""]
    lines += [f"- {_cell(p)}" for p in problems] or ["None."]
    lines += ["", "## Returns", "", "| serial | language | pages read | result | note |",
              "| --- | --- | --- | --- | --- |"]
    for stored in run.returns:
        copy = stored.copy
        lines.append(f"| {copy.serial} | {copy.language} | {len(copy.pages)} | "
                     f"{stored.outcome} | {_cell(stored.note)} |")
    lines += ["", "## Pages scanned twice", ""]
    lines += [f"- {_cell(d)}" for d in run.duplicates] or ["None."]
    lines += ["", "## Fields for a person, per question", "",
              "Open them on the reconciliation screen of data entry (survey serve, "
              "/entry/, Reconcile).", ""]
    counted = doubts_per_question(run)
    if counted:
        lines += ["| field | returns |", "| --- | --- |"]
        lines += [f"| {name} | {count} |" for name, count in counted.most_common()]
    else:
        lines.append("None.")
    blank = [p.where for p in run.pages if p.kind == PageKind.BLANK]
    lines += ["", "## Blank pages", "", ", ".join(blank) or "None.", ""]
    return "\n".join(lines)


def write_report(run: ScanRun, folder: Path, when: dt.datetime) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"scan-report-{when:%Y%m%d-%H%M%S}.md"
    path.write_text(report_markdown(run, when), encoding="utf-8")
    return path
