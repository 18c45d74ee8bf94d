"""Record translations as made from the current source text, without changing any text.

Needed once for translations made before tracking (or typed into the YAML by hand), so that a
later change of the source text shows them as stale; and, on request, to confirm stale
translations a reviewer found still right after a small correction of the source text.
"""

from __future__ import annotations

from survey.questionnaire.translations import fingerprint
from survey.translations.texts import SourceQuestionnaire
from survey.translations.yaml_roundtrip import write_back


def confirm_current(source: SourceQuestionnaire, languages: list[str],
                    include_stale: bool) -> dict[str, int]:
    """Record the source fingerprint of every untracked (and stale) translation; counts by
    language."""
    for language in languages:
        source.check_language(language, str(source.path))
    wanted = {"complete", "stale"} if include_stale else {"complete"}
    records: dict[str, dict[str, str]] = {}
    counts = dict.fromkeys(languages, 0)
    for text in source.texts:
        for language in languages:
            state = source.state(text, language)
            if state not in wanted or (state == "complete" and
                                       not source.untracked(text, language)):
                continue
            records.setdefault(text.id, {})[language] = fingerprint(
                text.text(source.default_language))
            counts[language] += 1
    if records:
        write_back(source.path, source.file_fingerprint, [], records, source.languages)
    return counts
