"""Reading a plan or margins file: YAML with every position kept, and typed look-ups that
record a located problem instead of raising, so one pass finds every mistake in a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from survey.questionnaire.diagnostics import Diagnostic, QuestionnaireError, Severity, did_you_mean
from survey.questionnaire.reporter import Reporter
from survey.questionnaire.structure import describe_value
from survey.questionnaire.yaml_source import Path_, YamlDocument, load_yaml
from survey.stats.plan.model import Place, PlanError

_NOUNS = {"plan": "an analysis plan", "margins": "a margins file"}


def _reworded(message: str, noun: str) -> str:
    """The YAML reader's messages speak of questionnaires; say what this file is instead."""
    if message.startswith("file is empty"):
        return (f"file is empty; {_NOUNS[noun]} needs at least "
                + ("'questionnaire:' and 'indicators:'" if noun == "plan" else "'margins:'")
                + " (see docs/analysis-plan.md)")
    message = message.replace(", or share choices through 'choice_lists'", "")
    message = re.sub(r"\ba questionnaire( file)?\b", _NOUNS[noun], message)
    return re.sub(r"\bquestionnaire( file)?\b", _NOUNS[noun].split(" ", 1)[1], message)


def read_yaml(path: Path, noun: str) -> YamlDocument:
    """The parsed file ('plan' or 'margins'); raises PlanError with a located message."""
    try:
        return load_yaml(path)
    except QuestionnaireError as error:
        raise PlanError([Diagnostic(d.file, d.mark, _reworded(d.message, noun), d.severity)
                         for d in error.diagnostics]) from None


def or_else(word: str, candidates: Iterable[str], otherwise: str) -> str:
    """'; did you mean 'x'?' when a close candidate exists, else `otherwise`."""
    return did_you_mean(word, list(candidates)) or otherwise


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def listing(names: Sequence[object], limit: int = 8) -> str:
    shown = ", ".join(str(n) for n in names[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "")


class Reader:
    """Typed access to one YAML file's data, reporting problems at their position."""

    def __init__(self, document: YamlDocument):
        self.data = document.data
        self.source = document.source
        self.report = Reporter(document.source)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.report.diagnostics

    def error(self, path: Path_, message: str, at_key: bool = False) -> None:
        self.report(path, message, at_key)

    def warn(self, path: Path_, message: str, at_key: bool = False) -> None:
        self.report(path, message, at_key, Severity.WARNING)

    def place(self, path: Path_) -> Place:
        return Place(self.source.file, self.source.value(path))

    def mapping(self, data: Any, path: Path_, what: str, allowed: Sequence[str],
                required: Sequence[str] = ()) -> dict[str, Any] | None:
        """`data` if it is a mapping; unknown and missing keys are reported."""
        if not isinstance(data, dict):
            self.error(path, f"{what} must be a mapping of keys ({', '.join(allowed)}), found "
                       f"{describe_value(data)}")
            return None
        for key in data:
            if key not in allowed:
                self.error((*path, key), f"unknown key '{key}' in {what}"
                           + or_else(key, allowed, f"; the keys are {', '.join(allowed)}"),
                           at_key=True)
        for key in required:
            if key not in data:
                self.error(path, f"{what} needs '{key}'")
        return data

    def in_language(self, value: Any) -> Any:
        """A text written per language (`{de: …, en: …}`) as the plan's language reads it;
        reports in other languages take their text from the file. Anything else as given."""
        language = getattr(self, "language", None)
        if (isinstance(value, dict) and language in value
                and all(isinstance(v, str) for v in value.values())):
            return value[language]
        return value

    def text(self, data: dict[str, Any], key: str, path: Path_, what: str,
             default: str | None = None) -> str | None:
        value = self.in_language(data.get(key))
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            self.error((*path, key), f"{key} of {what} must be text, found "
                       f"{describe_value(value)}")
            return default
        return value

    def number(self, data: dict[str, Any], key: str, path: Path_, what: str, default: float,
               low: float, high: float, rule: str) -> float:
        """A number with low < value < high ('rule' says so in words)."""
        value = data.get(key, default)
        if (not isinstance(value, int | float) or isinstance(value, bool)
                or not low < value < high):
            self.error((*path, key), f"{key} of {what} must be {rule}, found {value!r}")
            return default
        return float(value)

    def integer(self, data: dict[str, Any], key: str, path: Path_, what: str, default: int,
                minimum: int) -> int:
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.error((*path, key), f"{key} of {what} must be a whole number of at least "
                       f"{minimum}, found {value!r}")
            return default
        return value

    def option(self, data: dict[str, Any], key: str, path: Path_, what: str,
               options: Sequence[str], default: str) -> str:
        value = data.get(key, default)
        if value not in options:
            shown = value if isinstance(value, str) else repr(value)
            self.error((*path, key), f"{key} of {what} must be one of {', '.join(options)}, "
                       f"found '{shown}'{did_you_mean(str(value), list(options))}")
            return default
        return str(value)

    def words(self, data: dict[str, Any], key: str, path: Path_,
              what: str) -> list[tuple[Path_, str]]:
        """A list of plain words, each with its path; other entries are reported."""
        value = data.get(key, [])
        if not isinstance(value, list):
            self.error((*path, key), f"{key} of {what} must be a list such as [a, b], found "
                       f"{describe_value(value)}")
            return []
        words = []
        for index, word in enumerate(value):
            if isinstance(word, str) and word:
                words.append(((*path, key, index), word))
            else:
                self.error((*path, key, index), f"entries of {key} in {what} must be names, "
                           f"found {describe_value(word)}")
        return words
