"""Collects the problems of one file, placing each by its path in the source."""

from __future__ import annotations

from survey.questionnaire.diagnostics import Diagnostic, Severity
from survey.questionnaire.yaml_source import Path_, SourceMap


class Reporter:
    def __init__(self, source: SourceMap):
        self.source = source
        self.diagnostics: list[Diagnostic] = []

    def __call__(self, path: Path_, message: str, at_key: bool = False,
                 severity: Severity = Severity.ERROR) -> None:
        """Record a problem at the key (at_key) or the value of `path`."""
        mark = self.source.key(path) if at_key else self.source.value(path)
        self.diagnostics.append(Diagnostic(self.source.file, mark, message, severity))

    def in_expression(self, path: Path_, pos: int, message: str) -> None:
        """Record a problem at character `pos` of the expression at `path`."""
        self.diagnostics.append(Diagnostic(self.source.file, self.source.inside(path, pos),
                                           message))
