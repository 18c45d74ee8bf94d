"""What a project says about its own survey (`reports/report.yaml`): who made it, how the
respondents were reached, when, against which targets it was weighted, the imprint, the
recommendations and the quotes it approved, per report language, and any report text it
words differently.

The toolkit itself states only what it knows (counts, dates, the plan); every sentence about
the survey that it cannot know comes from here, and is left out when it is not given. The
format is documented in docs/howto-reports.md; `survey init` puts a commented template into
new projects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
from typing import Any

from survey.questionnaire.diagnostics import Diagnostic, QuestionnaireError, did_you_mean
from survey.questionnaire.structure import describe_value
from survey.questionnaire.yaml_source import Path_, SourceMap, load_yaml
from survey.report.errors import ReportError

FACTS_FILE = Path("reports") / "report.yaml"
FORMAT_VERSION = 1
TEXT_FACTS = ("organisation", "foreword", "recruitment", "fieldwork", "population",
              "weighting_source", "limitations", "imprint", "contact")
LIST_FACTS = ("authors", "recommendations")
LANGUAGE_KEYS = (*TEXT_FACTS, *LIST_FACTS, "invited", "quotes", "texts")
TOP_KEYS = ("format", "questionnaire_appendix", "wording", "map")
MAP_KEYS = ("file", "key", "areas", "attribution")
AREA_MAP_FILE = Path("reports") / "areas.geojson"
"""The boundaries of the areas, when the project has them (survey.report.maps)."""
WORDINGS = ("need", "satisfaction", "agreement", "share", "mean")
PUBLISHABLE = ("organisation", "authors", "fieldwork", "recruitment", "imprint")
"""Facts a council report should not be published without (`survey report --check`)."""


def quote_id(question: str, answer: str) -> str:
    """A short, stable name for one scrubbed open answer: the same text of the same question
    keeps its id across runs; an answer whose text the scrubbing changed gets a new one."""
    return hashlib.sha256(f"{question}\n{answer}".encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Quote:
    id: str
    translation: str
    where: str
    """file:line:column of the entry, for messages."""


@dataclass(frozen=True)
class MapSettings:
    """Where the project's area boundaries are and how their features name the areas
    (report.yaml `map:`; without it, reports/areas.geojson with an `area` property)."""

    file: Path
    key: str = "area"
    """The feature property that names the area."""
    areas: dict[str, str] = field(default_factory=dict)
    """Property value -> area name; when given, features not in it are left off the map."""
    attribution: str = ""
    """Printed under every map (the boundaries' licence usually asks for it)."""
    where: str = ""
    """report.yaml:line:column of `map:`, for messages; '' when not written there."""


@dataclass(frozen=True)
class Facts:
    """The facts for one report language; empty values were not given."""

    language: str
    file: Path | None = None
    organisation: str = ""
    foreword: str = ""
    recruitment: str = ""
    fieldwork: str = ""
    population: str = ""
    weighting_source: str = ""
    limitations: str = ""
    imprint: str = ""
    contact: str = ""
    authors: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    invited: int | None = None
    quotes: tuple[Quote, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)
    questionnaire_appendix: bool = True
    wording: dict[str, str] = field(default_factory=dict)
    """Indicator id -> how its headlines speak (WORDINGS)."""
    map: MapSettings | None = None
    """The area boundaries' settings (report.yaml `map:`), None when not written."""

    def missing(self, weighted: bool) -> list[str]:
        """The facts a publishable report needs that are not given."""
        wanted = [*PUBLISHABLE, *(("weighting_source",) if weighted else ())]
        return [key for key in wanted if not getattr(self, key)]


class _Checker:
    def __init__(self, source: SourceMap, file: Path):
        self.source = source
        self.file = file
        self.problems: list[str] = []

    def error(self, path: Path_, message: str, key: bool = False) -> None:
        mark = self.source.key(path) if key else self.source.value(path)
        self.problems.append(f"{self.file}:{mark.line}:{mark.column}: {message}")

    def where(self, path: Path_) -> str:
        mark = self.source.value(path)
        return f"{self.file}:{mark.line}:{mark.column}"

    def text(self, value: Any, path: Path_) -> str:
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.error(path, f"'{path[-1]}' must be text, found {describe_value(value)}")
        return ""

    def texts(self, value: Any, path: Path_) -> tuple[str, ...]:
        if isinstance(value, str) and value.strip():
            return (value.strip(),)
        if isinstance(value, list):
            return tuple(t for k, v in enumerate(value) if (t := self.text(v, (*path, k))))
        self.error(path, f"'{path[-1]}' must be a text or a list of texts, found "
                   f"{describe_value(value)}")
        return ()

    def quotes(self, value: Any, path: Path_) -> tuple[Quote, ...]:
        if not isinstance(value, list):
            self.error(path, "quotes must be a list of quote ids (survey report --check lists "
                       f"them), found {describe_value(value)}")
            return ()
        found = []
        for k, entry in enumerate(value):
            at = (*path, k)
            if isinstance(entry, str) and entry.strip():
                found.append(Quote(entry.strip(), "", self.where(at)))
            elif isinstance(entry, dict):
                for key in entry:
                    if key not in ("id", "translation"):
                        self.error((*at, key), f"unknown key '{key}' in a quote; the keys are "
                                   "id and translation", key=True)
                translation = entry.get("translation")
                found.append(Quote(self.text(entry.get("id"), (*at, "id")),
                                   self.text(translation, (*at, "translation"))
                                   if translation is not None else "", self.where(at)))
            else:
                self.error(at, "a quote is its id, or {id: …, translation: …}")
        return tuple(found)

    def overrides(self, value: Any, path: Path_, reference: dict[str, str]) -> dict[str, str]:
        if not isinstance(value, dict):
            self.error(path, "texts must map report text keys (e.g. headings.summary) to "
                       f"texts, found {describe_value(value)}")
            return {}
        found = {}
        for key, text in value.items():
            at = (*path, key)
            if key not in reference:
                self.error(at, f"'{key}' is not a report text key"
                           + (did_you_mean(key, list(reference)) or
                              "; the keys are those of survey/report/texts/en.yaml, written "
                              "with dots, e.g. headings.summary"), key=True)
                continue
            written = self.text(text, at)
            allowed = _placeholders(reference[key])
            used = _placeholders(written) if written else set()
            if used - allowed:
                self.error(at, f"'{key}' may use only the placeholders "
                           f"{', '.join('{' + p + '}' for p in sorted(allowed)) or '(none)'}, "
                           f"not {', '.join('{' + p + '}' for p in sorted(used - allowed))}")
                continue
            if written:
                found[key] = written
        return found


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name}
    except ValueError:
        return {"{"}


def read_facts(project: Path, language: str, reference: dict[str, str],
               indicators: set[str] | None = None) -> Facts:
    """The facts of `project` for a report in `language`; neutral (nothing given) when the
    project has no reports/report.yaml. Raises ReportError naming file:line:column for
    unknown keys, a language the file does not have, or values of the wrong kind."""
    path = project / FACTS_FILE
    if not path.is_file():
        return Facts(language)
    try:
        document = load_yaml(path)
    except QuestionnaireError as error:
        raise ReportError("\n".join(_reworded(d) for d in error.diagnostics)) from None
    data, checker = document.data, _Checker(document.source, path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReportError(f"{path}:1:1: report.yaml must be a mapping of keys: format, "
                          "questionnaire_appendix, wording and one section per language")
    for key in data:
        if key not in TOP_KEYS and not (isinstance(key, str) and len(key) in (2, 3)
                                        and key.isalpha() and key.islower()):
            checker.error((key,), f"unknown key '{key}'" + (did_you_mean(str(key), [
                *TOP_KEYS, *LANGUAGE_KEYS]) or f"; the keys are {', '.join(TOP_KEYS)} and one "
                "section per report language (de:, en:)"), key=True)
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        checker.error(("format",), f"format {data['format']!r} is not known; this version "
                      f"reads format {FORMAT_VERSION}")
    appendix = data.get("questionnaire_appendix", True)
    if not isinstance(appendix, bool):
        checker.error(("questionnaire_appendix",), "questionnaire_appendix must be true or "
                      "false")
        appendix = True
    wording: dict[str, str] = {}
    given = data.get("wording", {})
    if not isinstance(given, dict):
        checker.error(("wording",), "wording must map indicator ids to one of "
                      + ", ".join(WORDINGS))
        given = {}
    for indicator, word in given.items():
        if indicators is not None and indicator not in indicators:
            checker.error(("wording", indicator), f"'{indicator}' is not an indicator of the "
                          "plan" + did_you_mean(str(indicator), sorted(indicators)), key=True)
        elif word not in WORDINGS:
            checker.error(("wording", indicator), f"wording of '{indicator}' must be one of "
                          f"{', '.join(WORDINGS)}, found {describe_value(word)}")
        else:
            wording[str(indicator)] = word
    settings = _map_settings(data["map"], project, checker) if "map" in data else None
    languages = [k for k in data if k not in TOP_KEYS]
    section = data.get(language)
    if language not in data and not checker.problems:
        mark = document.source.value(())
        raise ReportError(f"{path}:{mark.line}:{mark.column}: report.yaml has no section for "
                          f"the report language '{language}' (it has "
                          f"{', '.join(map(str, languages)) or 'none'}); add '{language}:' with "
                          "the project's facts in that language, so the report does not mix "
                          "languages")
    values: dict[str, Any] = {}
    if section is not None and not isinstance(section, dict):
        checker.error((language,), f"the '{language}' section must be a mapping of keys: "
                      + ", ".join(LANGUAGE_KEYS))
        section = {}
    for key, value in (section or {}).items():
        at = (language, key)
        if key not in LANGUAGE_KEYS:
            checker.error(at, f"unknown key '{key}' in the '{language}' section"
                          + (did_you_mean(str(key), list(LANGUAGE_KEYS))
                             or f"; the keys are {', '.join(LANGUAGE_KEYS)}"), key=True)
        elif value is None:
            continue
        elif key in TEXT_FACTS:
            values[key] = checker.text(value, at)
        elif key in LIST_FACTS:
            values[key] = checker.texts(value, at)
        elif key == "invited":
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                values[key] = value
            else:
                checker.error(at, f"invited must be a whole number above 0 (how many people "
                              f"were asked to take part), found {describe_value(value)}")
        elif key == "quotes":
            values[key] = checker.quotes(value, at)
        elif key == "texts":
            values[key] = checker.overrides(value, at, reference)
    for other in languages:
        if other != language and isinstance(data[other], dict):
            for key in data[other]:
                if key not in LANGUAGE_KEYS:
                    checker.error((other, key), f"unknown key '{key}' in the '{other}' section"
                                  + (did_you_mean(str(key), list(LANGUAGE_KEYS))
                                     or f"; the keys are {', '.join(LANGUAGE_KEYS)}"), key=True)
    if checker.problems:
        raise ReportError("\n".join(checker.problems))
    return Facts(language, path, questionnaire_appendix=appendix, wording=wording,
                 map=settings, **values)


def _map_settings(value: Any, project: Path, checker: _Checker) -> MapSettings | None:
    """report.yaml `map:` (docs/howto-reports.md, "Add a map")."""
    if not isinstance(value, dict):
        checker.error(("map",), "map must be a mapping of keys: " + ", ".join(MAP_KEYS))
        return None
    found: dict[str, Any] = {"file": project / AREA_MAP_FILE}
    for key, given in value.items():
        at = ("map", key)
        if key not in MAP_KEYS:
            checker.error(at, f"unknown key '{key}' in map" + (did_you_mean(
                str(key), list(MAP_KEYS)) or f"; the keys are {', '.join(MAP_KEYS)}"), key=True)
        elif key == "file":
            found["file"] = project / checker.text(given, at)
        elif key in ("key", "attribution"):
            found[key] = checker.text(given, at)
        elif not isinstance(given, dict) or not given:
            checker.error(at, "areas must map a value of the key property to an area name "
                          f"(e.g. '14511': chemnitz), found {describe_value(given)}")
        else:
            found["areas"] = {str(k): checker.text(v, (*at, k)) for k, v in given.items()}
    return MapSettings(**found, where=checker.where(("map",)))


def _reworded(diagnostic: Diagnostic) -> str:
    return str(diagnostic).replace("questionnaire", "report.yaml")
