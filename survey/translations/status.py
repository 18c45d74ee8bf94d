"""How far each translation is: complete, missing, and stale (made from an earlier source text)."""

from __future__ import annotations

from dataclasses import dataclass

from survey.translations.texts import SourceQuestionnaire


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    total: int
    complete: int
    missing: int
    stale: int
    untracked: int
    """Complete translations with no record of their source text (made by hand or before
    tracking); they cannot be found stale until recorded."""

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.complete / self.total


def translation_status(source: SourceQuestionnaire) -> list[LanguageStatus]:
    """One line per target language (every declared language but the source language)."""
    lines = []
    for language in source.languages:
        if language == source.default_language:
            continue
        states = [source.state(text, language) for text in source.texts]
        untracked = sum(1 for text, state in zip(source.texts, states, strict=True)
                        if state == "complete" and source.untracked(text, language))
        lines.append(LanguageStatus(language, len(states), states.count("complete"),
                                    states.count("missing"), states.count("stale"), untracked))
    return lines
