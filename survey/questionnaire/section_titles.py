"""Two sections of one title in a language: respondents cannot tell them apart in the progress
line and on the review page, and screen readers meet two landmarks of one name there."""

from __future__ import annotations

from typing import Any

from survey.questionnaire.diagnostics import Severity
from survey.questionnaire.languages import base_language, is_variant
from survey.questionnaire.reporter import Reporter


def _title(title: Any, language: str) -> str | None:
    """The section's title as the form shows it in `language` (a variant falls back to its
    base language)."""
    if isinstance(title, str):
        return title
    if not isinstance(title, dict):
        return None
    found = title.get(language)
    if found is None and is_variant(language):
        found = title.get(base_language(language))
    return found if isinstance(found, str) else None


def check_section_titles(data: dict[str, Any], languages: list[str], report: Reporter) -> None:
    sections = data.get("sections")
    if not isinstance(sections, list):
        return
    for language in languages:
        seen: dict[str, int] = {}
        for index, section in enumerate(sections):
            if not isinstance(section, dict):
                continue
            title = _title(section.get("title"), language)
            if not title:
                continue
            key = " ".join(title.split()).casefold()
            if key in seen:
                report(("sections", index, "title"), f"sections {seen[key] + 1} and "
                       f"{index + 1} are both called '{title}' in '{language}': respondents "
                       "cannot tell them apart in the progress line and on the review page; "
                       "give each a title of its own", severity=Severity.WARNING)
            else:
                seen[key] = index
