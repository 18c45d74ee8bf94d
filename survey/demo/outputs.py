"""What the demo makes, as a newcomer reads it: one line per kind of output, with where it is.
The same list checks that every step delivered."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.store.store import STORE_FILE


@dataclass(frozen=True)
class Output:
    label: str
    patterns: tuple[str, ...]
    """Globs relative to the demo folder; each must match at least one file."""

    def missing(self, folder: Path) -> list[str]:
        return [pattern for pattern in self.patterns if not any(folder.glob(pattern))]


OUTPUTS = (
    Output("paper forms, one PDF per language, with layout files for scanning",
           ("paper/*-??.pdf", "paper/*-??.layout.json")),
    Output("a bilingual paper form", ("paper/*-??+??.pdf",)),
    Output("the sample files' import reports (XLSX, one per file)", ("imports/*-report.xlsx",)),
    Output("the store of responses (SQLite)", (str(STORE_FILE),)),
    Output("the needs-assessment results table, weights and diagnostics",
           ("results/results.xlsx", "results/results.csv", "results/weights.csv",
            "results/diagnostics.md")),
    Output("the earlier wave (2025) and what changed since (changes.csv)",
           ("wave-2025/results/results.csv", "results/changes.csv")),
    Output("the council report (HTML and PDF)",
           ("published/council-*/report.html", "published/council-*/report.pdf")),
    Output("district one-pagers (HTML and PDF)",
           ("published/council-*/one-pagers.html", "published/council-*/one-pagers.pdf")),
    Output("the tables (XLSX)", ("published/council-*/tables.xlsx",)),
    Output("the conference slides (PPTX) and chart pack (PNG)",
           ("published/conference-*/slides.pptx", "published/conference-*/chart-pack/*.png")),
    Output("SPSS and Stata files with labels and missing codes",
           ("exports/*.sav", "exports/*.dta")),
    Output("the codebook (HTML)", ("exports/*-codebook.html",)),
)


def where(output: Output, folder: Path) -> str:
    """An output in a line: each pattern's file, or how many and in which folder."""
    parts = []
    for pattern in output.patterns:
        found = sorted(folder.glob(pattern))
        if len(found) == 1:
            parts.append(str(found[0]))
        else:
            parents = sorted({f"{p.parent}/" for p in found})
            suffix = Path(pattern).suffix.lstrip(".").upper()
            parts.append(f"{len(found)} {suffix} in {', '.join(parents)}")
    return ", ".join(parts)
