"""What the demo says of its imports: one line per file, and a stop where a file was refused
(the sample files plant problems on purpose: quarantined rows are part of the tour, an
unreadable file is not)."""

from __future__ import annotations

from survey.demo.folder import DemoError
from survey.jobs.ingest import FileImport


def imported_lines(imports: list[FileImport]) -> list[str]:
    lines = []
    for one in imports:
        if one.refused is not None:
            raise DemoError(f"{one.file}: {one.refused}")
        assert one.result is not None  # a file is either refused or read
        result = one.result
        lines.append(f"{one.file.name}: {result.accepted} accepted, {result.quarantined} "
                     f"quarantined, {result.duplicates} duplicates")
    return lines
