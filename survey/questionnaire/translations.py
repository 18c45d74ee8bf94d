"""Translation coverage: which texts exist in each declared language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from survey.questionnaire.diagnostics import Severity, did_you_mean
from survey.questionnaire.reporter import Reporter
from survey.questionnaire.yaml_source import Path_

MISSING_TRANSLATIONS_LISTED = 12
"""Missing texts listed one by one per language; the rest are counted in one line."""


@dataclass
class Coverage:
    """How many of the questionnaire's texts exist in each declared language."""

    languages: tuple[str, ...]
    total: int
    translated: dict[str, int]

    def percent(self, language: str) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.translated[language] / self.total


def check_translations(texts: list[tuple[Path_, Any, str]], languages: list[str],
                       allow_incomplete: bool, report: Reporter) -> Coverage:
    """Report texts in undeclared languages and missing translations; count the coverage."""
    translated = dict.fromkeys(languages, 0)
    gaps: dict[str, list[tuple[Path_, str]]] = {lang: [] for lang in languages}
    total = 0
    for path, value, what in texts:
        total += 1
        if not isinstance(value, dict):
            for language in languages:
                translated[language] += 1
            continue
        for language in value:
            if language not in languages:
                report((*path, language), f"{what} has a text in '{language}', which "
                            "is not a declared language"
                            f"{did_you_mean(language, languages)}", True)
        for language in languages:
            text = value.get(language)
            if isinstance(text, str | int | float) and str(text).strip():
                translated[language] += 1
            else:
                gaps[language].append((path, what))
    coverage = Coverage(tuple(languages), total, translated)
    severity = Severity.WARNING if allow_incomplete else Severity.ERROR
    for language, missing in gaps.items():
        for path, what in missing[:MISSING_TRANSLATIONS_LISTED]:
            report(path, f"{what} has no '{language}' translation", severity=severity)
        if len(missing) > MISSING_TRANSLATIONS_LISTED:
            rest = len(missing) - MISSING_TRANSLATIONS_LISTED
            path = missing[MISSING_TRANSLATIONS_LISTED][0]
            report(path, f"... and {rest} more texts have no '{language}' "
                        "translation (see the coverage table)", severity=severity)
    return coverage
