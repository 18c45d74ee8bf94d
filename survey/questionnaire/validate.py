"""Check a questionnaire file completely and, when it is sound, build its typed model.

Every problem is collected (not just the first) and pinned to file:line:column, then reported
in file order, so staff fix a file in one pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from survey.questionnaire.build import build_questionnaire
from survey.questionnaire.diagnostics import (
    Diagnostic,
    QuestionnaireError,
    Severity,
    did_you_mean,
)
from survey.questionnaire.expression_checks import ExpressionChecker
from survey.questionnaire.expressions.syntax import Node
from survey.questionnaire.expressions.types import ISO_DATE
from survey.questionnaire.languages import (
    base_language,
    check_language,
    country_names,
    is_variant,
    language_names,
)
from survey.questionnaire.media import (
    ALT,
    FILE,
    IMAGE,
    is_picture_with_alt,
    media_problem,
    missing_alt,
    picture_parts,
    size_warning,
)
from survey.questionnaire.model import OTHER_TEXT_TYPES, Questionnaire
from survey.questionnaire.piping import piped_names
from survey.questionnaire.reporter import Reporter
from survey.questionnaire.section_titles import check_section_titles
from survey.questionnaire.spec import QuestionType
from survey.questionnaire.structure import (
    StructureChecker,
    article,
    describe_value,
    object_name,
)
from survey.questionnaire.translations import (
    Coverage,
    check_interface_languages,
    check_stale,
    check_translations,
    check_variant_coverage,
)
from survey.questionnaire.yaml_source import Path_, SourceMap, load_yaml

MAX_VARIABLE_NAME = 32
FORMAT_VERSION = 1
PRIVACY_SUMMARY_WORDS = 80
"""Above this many words a privacy summary is no longer short (a warning)."""


def _on_question(path: Path_) -> bool:
    """True for the path of a question's own `image:` (not a choice's or a scale point's)."""
    return len(path) == 5 and path[0] == "sections" and path[2] == "questions"


@dataclass
class ValidationResult:
    """Everything validating a questionnaire file found: its diagnostics and, when there are no
    errors, the typed questionnaire to use."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    coverage: Coverage | None = None
    questionnaire: Questionnaire | None = None
    texts: list[tuple[Path_, Any, str]] = field(default_factory=list)
    """Every user-visible text: (path, value, description), as the translation check saw it."""

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.WARNING]




class _Validator:
    def __init__(self, data: Any, source: SourceMap, folder: Path, allow_incomplete: bool,
                 strict: bool):
        self.data = data
        self.folder = folder
        self.allow_incomplete = allow_incomplete
        self.strict = strict
        self.texts: list[tuple[Path_, Any, str]] = []
        self.report = Reporter(source)
        self.source = source
        self.coverage: Coverage | None = None
        self.trees: dict[Path_, Node] = {}

    def run(self) -> None:
        if not isinstance(self.data, dict):
            self.report((), "a questionnaire must be a mapping with 'survey:' and "
                        f"'sections:' at the top, found {describe_value(self.data)}")
            return
        structure = StructureChecker(self.report)
        structure.check_object("questionnaire", self.data, ())
        if self.data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
            self.report(("format",), f"format {self.data['format']} is not known to this "
                        f"version of the toolkit, which reads format {FORMAT_VERSION}")
        languages = self.check_languages()
        missing = self.check_missing_values()
        lists = self.check_choice_lists(missing)
        questions = self.check_sections(lists, missing)
        self.check_piping(questions, lists)
        self.check_media(structure.media, languages)
        expressions = ExpressionChecker(self.data, self.report)
        expressions.run(questions)
        self.trees = expressions.trees
        self.texts = structure.texts
        if languages:
            self.coverage = check_translations(structure.texts, languages,
                                               self.allow_incomplete, self.report)
            check_variant_coverage(self.coverage, self.data["survey"]["languages"],
                                   self.report)
            check_interface_languages(self.data, languages, self.report)
            check_section_titles(self.data, languages, self.report)
            default = self.data["survey"].get("default_language")
            if default in languages:
                check_stale(self.data, structure.texts, default, self.strict, self.report)

    # -- survey metadata --------------------------------------------------------------------

    def check_languages(self) -> list[str]:
        survey = self.data.get("survey")
        if not isinstance(survey, dict):
            return []
        raw = survey.get("languages")
        if not isinstance(raw, list):
            return []
        if not raw:
            self.report(("survey", "languages"), "declare at least one language, e.g. [de]")
        languages: list[str] = []
        for index, tag in enumerate(raw):
            if not isinstance(tag, str):
                continue
            problem = check_language(tag)
            if problem:
                self.report(("survey", "languages", index), problem)
            elif tag in languages:
                self.report(("survey", "languages", index),
                            f"language '{tag}' is declared twice")
            elif any(tag.lower() == known.lower() for known in languages):
                same = next(known for known in languages if tag.lower() == known.lower())
                self.report(("survey", "languages", index),
                            f"language '{tag}' is '{same}' again (language codes ignore case); "
                            f"keep one, written '{tag.lower()}', and join their texts")
            else:
                languages.append(tag)
        for index, tag in enumerate(raw):
            if tag in languages and is_variant(tag) and base_language(tag) not in languages:
                base = base_language(tag)
                self.report(("survey", "languages", index),
                            f"'{tag}' is a variant of '{base}', which is not declared; add "
                            f"'{base}' to languages (texts missing in '{tag}' show the "
                            f"'{base}' text), or remove '{tag}'")
        default = survey.get("default_language")
        if isinstance(default, str) and languages and default not in languages:
            self.report(("survey", "default_language"),
                        f"default language '{default}' is not among the declared languages "
                        f"({', '.join(languages)}){did_you_mean(default, languages)}")
        elif isinstance(default, str) and is_variant(default):
            self.report(("survey", "default_language"),
                        f"default language '{default}' is a variant; the source texts are "
                        f"written in '{base_language(default)}': make that the default "
                        "language")
        status = survey.get("translation_status")
        if isinstance(status, dict):
            for language in status:
                if language not in languages:
                    self.report(("survey", "translation_status", language),
                                f"translation status given for '{language}', which is not a "
                                f"declared language{did_you_mean(language, languages)}", True)
        self.check_privacy_summary(survey.get("privacy_summary"))
        return languages

    def check_privacy_summary(self, summary: Any) -> None:
        """The summary is read before the full notice, so it has to stay short."""
        texts = summary.items() if isinstance(summary, dict) else [(None, summary)]
        for language, text in texts:
            words = len(text.split()) if isinstance(text, str) else 0
            if words > PRIVACY_SUMMARY_WORDS:
                path = ("survey", "privacy_summary") if language is None else (
                    "survey", "privacy_summary", language)
                self.report(path, f"the privacy summary{f' in {language!r}' if language else ''}"
                            f" has {words} words; keep it to about {PRIVACY_SUMMARY_WORDS} "
                            "(a few plain sentences: the full notice stays below it)",
                            severity=Severity.WARNING)

    def check_media(self, media: list[tuple[Path_, str, Any, str]],
                    languages: list[str]) -> None:
        """Each named picture or recording exists beside the questionnaire and is what its
        name says; per-language files are for declared languages."""
        default = (self.data.get("survey") or {}).get("default_language")
        for path, kind, written, what in media:
            value, alt = picture_parts(written)
            if is_picture_with_alt(written):
                self.check_alt(path, alt, what, languages)
                path = (*path, FILE)
            elif kind == IMAGE and _on_question(path) and languages:
                shown = value if isinstance(value, str) else "..."
                self.report(path, f"{what} has no alt text: screen-reader users hear nothing "
                            f"of it; write it as {{file: {shown}, alt: "
                            f"{{{', '.join(f'{lang}: ...' for lang in languages)}}}}}",
                            severity=Severity.WARNING)
            files = value.items() if isinstance(value, dict) else [(None, value)]
            if isinstance(value, dict) and value and default in languages and \
                    default not in value:
                others = [lang for lang in languages if lang not in value]
                self.report(path, f"{what} has a file for {', '.join(value)} only: respondents "
                            f"in {', '.join(others)} get none; add one for {default} (the "
                            "default language, used where a language has none)",
                            severity=Severity.WARNING)
            for language, relative in files:
                where = path if language is None else (*path, language)
                if language is not None and languages and language not in languages:
                    self.report(where, f"{what} names a file for '{language}', which is not a "
                                f"declared language{did_you_mean(language, languages)}", True)
                    continue
                assert isinstance(relative, str)  # structure lists only files named by text
                problem = media_problem(kind, relative, self.folder)
                if problem:
                    self.report(where, f"{what}: {problem}")
                elif warning := size_warning(kind, relative, self.folder):
                    self.report(where, f"{what}: {warning}", severity=Severity.WARNING)

    def check_alt(self, path: Path_, alt: Any, what: str, languages: list[str]) -> None:
        """A question's picture says something of its own: it needs alt text in every declared
        language (or "" when it is decoration only); a choice's picture that has alt text needs
        it in every language too, so no respondent hears less than another."""
        if alt is None and not _on_question(path):
            return
        where = (*path, ALT) if alt is not None else path
        if isinstance(alt, str) and alt.strip() and len(languages) > 1:
            self.report(where, f"the alt text of {what} is one text for all languages; give it "
                        f"per language ({', '.join(f'{lang}: ...' for lang in languages)})")
            return
        missing = missing_alt(alt, languages)
        if missing:
            self.report(where, f"{what} has no alt text in {', '.join(missing)}: add "
                        f"{', '.join(f'{lang}: ...' for lang in missing)} under alt: (what the "
                        "picture shows, for screen readers), or alt: \"\" if it is decoration "
                        "only")
        if isinstance(alt, dict):
            for language in alt:
                if language not in languages:
                    self.report((*where, language), f"the alt text of {what} is given for "
                                f"'{language}', which is not a declared language"
                                f"{did_you_mean(language, languages)}", True)

    # -- codes -----------------------------------------------------------------------------

    def check_missing_values(self) -> dict[str, object]:
        """Declared missing-value name -> its code as written (not necessarily an integer)."""
        declared: dict[str, object] = {}
        entries = self.data.get("missing_values")
        if not isinstance(entries, list):
            return declared
        codes: dict[int, str] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            name, code = entry.get("name"), entry.get("code")
            path = ("missing_values", index)
            if isinstance(name, str):
                if name in declared:
                    self.report((*path, "name"), f"missing value '{name}' is declared twice")
                declared[name] = code
            if isinstance(code, int):
                if code in codes:
                    self.report((*path, "code"), f"missing-value code {code} is already used "
                                f"by '{codes[code]}'")
                codes[code] = str(name)
        return declared

    def check_choices(self, choices: list[Any], path: Path_, owner: str,
                      missing: dict[str, object]) -> list[dict[str, Any]]:
        names: dict[str, int] = {}
        codes: dict[int, str] = {}
        missing_codes = {code: name for name, code in missing.items()}
        valid = []
        for index, choice in enumerate(choices):
            if not isinstance(choice, dict):
                continue
            name, code = choice.get("name"), choice.get("code")
            if isinstance(name, str):
                if name in names:
                    self.report((*path, index, "name"), f"choice name '{name}' appears twice "
                                f"in {owner}")
                names[name] = index
            if isinstance(code, int) and not isinstance(code, bool):
                if code in codes:
                    self.report((*path, index, "code"), f"code {code} is used twice in "
                                f"{owner} (by '{codes[code]}' and '{name}'); codes must be "
                                "unique")
                elif code in missing_codes:
                    self.report((*path, index, "code"), f"code {code} of '{name}' in {owner} "
                                f"is also the missing-value code of '{missing_codes[code]}'")
                codes[code] = str(name)
            valid.append(choice)
        return valid

    def check_choice_lists(self, missing: dict[str, object]) -> dict[str, list[dict[str, Any]]]:
        lists: dict[str, list[dict[str, Any]]] = {}
        raw = self.data.get("choice_lists")
        if not isinstance(raw, dict):
            return lists
        for name, choices in raw.items():
            if isinstance(choices, list):
                lists[name] = self.check_choices(choices, ("choice_lists", name),
                                                 f"choice list '{name}'", missing)
        return lists

    # -- sections and questions -----------------------------------------------------------

    def check_sections(self, lists: dict[str, list[dict[str, Any]]],
                       missing: dict[str, object]) -> list[tuple[Path_, dict[str, Any]]]:
        sections = self.data.get("sections")
        questions: list[tuple[Path_, dict[str, Any]]] = []
        if not isinstance(sections, list):
            return questions
        section_ids: dict[str, Path_] = {}
        question_ids: dict[str, Path_] = {}
        variables: dict[str, Path_] = {}
        for s_index, section in enumerate(sections):
            if not isinstance(section, dict):
                continue
            s_path: Path_ = ("sections", s_index)
            self.unique(section.get("id"), (*s_path, "id"), section_ids, "section id")
            items = section.get("questions")
            if not isinstance(items, list):
                continue
            for q_index, question in enumerate(items):
                if not isinstance(question, dict):
                    continue
                q_path: Path_ = (*s_path, "questions", q_index)
                if not self.unique(question.get("id"), (*q_path, "id"), question_ids,
                                   "question id"):
                    continue
                questions.append((q_path, question))
                self.check_question(question, q_path, lists, missing)
                own: set[str] = set()
                for name in self.variable_names(question, lists):
                    if name in own:
                        self.report((*q_path, "id"), f"{object_name('question', question)} "
                                    f"yields variable '{name}' twice; rename the choice or row "
                                    "that causes it")
                    own.add(name)
                    self.check_variable_name(name, question, q_path, variables)
        return questions

    def check_piping(self, questions: list[tuple[Path_, dict[str, Any]]],
                     lists: dict[str, list[dict[str, Any]]]) -> None:
        """`${name}` in a label, hint or note must name an answer given before the text."""
        earlier: set[str] = set()
        for q_path, question in questions:
            for key in ("label", "hint"):
                texts = question.get(key)
                by_language = texts.items() if isinstance(texts, dict) else [(None, texts)]
                for language, text in by_language:
                    if not isinstance(text, str):
                        continue
                    for name in piped_names(text):
                        if name in earlier:
                            continue
                        path = (*q_path, key) if language is None else (*q_path, key, language)
                        self.report(path, f"'${{{name}}}' in the {key} of "
                                    f"{object_name('question', question)} names no question "
                                    "asked before it; a text can show only an earlier answer "
                                    "(check the id, or move the question)")
            if question.get("type") != "note":
                earlier.update(self.variable_names(question, lists))
                earlier.add(str(question.get("id")))

    def unique(self, value: Any, path: Path_, seen: dict[str, Path_], what: str) -> bool:
        if not isinstance(value, str):
            return False
        if value in seen:
            first = self.source.value(seen[value])
            self.report(path, f"duplicate {what} '{value}' (first used at line {first.line})")
            return False
        seen[value] = path
        return True

    def resolve_choices(self, question: dict[str, Any], key: str, path: Path_,
                        lists: dict[str, list[dict[str, Any]]],
                        missing: dict[str, object]) -> list[dict[str, Any]] | None:
        value = question.get(key)
        if isinstance(value, str):
            if value not in lists:
                self.report((*path, key), f"{object_name('question', question)} uses choice "
                            f"list '{value}', which is not defined in choice_lists"
                            f"{did_you_mean(value, list(lists))}")
                return None
            return lists[value]
        if isinstance(value, list):
            return self.check_choices(value, (*path, key),
                                      object_name("question", question), missing)
        return None

    def check_question(self, question: dict[str, Any], path: Path_,
                       lists: dict[str, list[dict[str, Any]]], missing: dict[str, object]) -> None:
        name = object_name("question", question)
        qtype = question.get("type")
        for key in ("choices", "scale"):
            choices = self.resolve_choices(question, key, path, lists, missing)
            if choices is None:
                continue
            flagged = [c for c in choices if c.get("exclusive")]
            if flagged and qtype != QuestionType.MULTIPLE_CHOICE:
                self.report((*path, key), f"{name} is {article(str(qtype))}: 'exclusive' "
                            "choices only make sense in a multiple_choice question",
                            severity=Severity.WARNING)
            if key == "scale" and any(c.get("other") for c in choices):
                self.report((*path, key), f"{name} is {article(str(qtype))}: 'other' (please "
                            "specify) only makes sense in a choice or ranking question",
                            severity=Severity.WARNING)
            if key == "scale":
                self.check_scale(choices, (*path, key), name)
            if qtype == QuestionType.RANKING and isinstance(question.get("rank"), int):
                rank = question["rank"]
                if not 1 <= rank <= len(choices):
                    self.report((*path, "rank"), f"{name} asks to rank {rank} of "
                                f"{len(choices)} choices; rank must be 1 to {len(choices)}")
        self.check_bounds(question, path, name)
        for index, value in enumerate(question.get("missing") or []):
            if isinstance(value, str) and value not in missing:
                self.report((*path, "missing", index), f"missing value '{value}' of {name} is "
                            f"not declared in missing_values{did_you_mean(value, missing)}")
        self.check_priority(question, path, name)
        items = question.get("items")
        if isinstance(items, list):
            seen: dict[str, Path_] = {}
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    self.unique(item.get("id"), (*path, "items", index, "id"), seen,
                                f"row id in {name}")
        for low, high in (("min_selected", "max_selected"),):
            a, b = question.get(low), question.get(high)
            if isinstance(a, int) and isinstance(b, int) and a > b:
                self.report((*path, low), f"{low} ({a}) of {name} is larger than {high} ({b})")

    def check_scale(self, choices: list[dict[str, Any]], path: Path_, name: str) -> None:
        codes = [code for c in choices if isinstance(code := c.get("code"), int)]
        if len(codes) < 2:
            self.report(path, f"the scale of {name} needs at least two points")
        elif sorted(codes) != list(range(min(codes), min(codes) + len(codes))):
            self.report(path, f"the scale of {name} must have consecutive codes (such as "
                        f"1, 2, 3, 4, 5), found {', '.join(map(str, codes))}")

    def check_bounds(self, question: dict[str, Any], path: Path_, name: str) -> None:
        qtype = question.get("type")
        bounds: dict[str, Any] = {}
        for key in ("min", "max"):
            if key not in question:
                continue
            value = question[key]
            if qtype == QuestionType.DATE:
                if value == "today":
                    bounds[key] = dt.date.today()
                    continue
                if not (isinstance(value, str) and ISO_DATE.match(value)):
                    self.report((*path, key), f"{key} of {name} must be a date 'YYYY-MM-DD' "
                                f"or 'today', found {value!r}")
                    continue
                try:
                    bounds[key] = dt.date.fromisoformat(value)
                except ValueError:
                    self.report((*path, key), f"{key} of {name} is not a real date: {value}")
            elif qtype in (QuestionType.INTEGER, QuestionType.YEAR):
                if isinstance(value, int) and not isinstance(value, bool):
                    bounds[key] = value
                else:
                    self.report((*path, key), f"{key} of {name} must be a whole number, "
                                f"found {value!r}")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                bounds[key] = value
            else:
                self.report((*path, key), f"{key} of {name} must be a number, found {value!r}")
        if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
            self.report((*path, "min"), f"min ({question['min']}) of {name} is larger than "
                        f"max ({question['max']})")

    def check_priority(self, question: dict[str, Any], path: Path_, name: str) -> None:
        qtype = question.get("type")
        codes = question.get("priority")
        if not isinstance(codes, list):
            return
        known = (country_names("en") if qtype == QuestionType.COUNTRY
                 else language_names("en"))
        kind = "ISO 3166 country code" if qtype == QuestionType.COUNTRY else "language code"
        for index, code in enumerate(codes):
            if isinstance(code, str) and code not in known:
                hint = (f"; did you mean '{code.upper()}'?" if code.upper() in known else
                        f"; did you mean '{code.lower()}'?" if code.lower() in known else
                        did_you_mean(code, list(known)))
                self.report((*path, "priority", index), f"'{code}' in the priority list of "
                            f"{name} is not an {kind}{hint}")

    def variable_names(self, question: dict[str, Any],
                       lists: dict[str, list[dict[str, Any]]]) -> Iterable[str]:
        qid, qtype = question["id"], question.get("type")
        if qtype == QuestionType.NOTE:
            return
        choices = question.get("choices")
        choices = lists.get(choices, []) if isinstance(choices, str) else choices or []
        choices = [c for c in choices if isinstance(c, dict) and isinstance(c.get("name"), str)]
        if qtype == QuestionType.MULTIPLE_CHOICE:
            yield from (f"{qid}__{c['name']}" for c in choices)
        elif qtype == QuestionType.GRID:
            items = question.get("items") or []
            yield from (f"{qid}__{i['id']}" for i in items
                        if isinstance(i, dict) and isinstance(i.get("id"), str))
        elif qtype == QuestionType.RANKING and isinstance(question.get("rank"), int):
            yield from (f"{qid}__rank{k}" for k in range(1, question["rank"] + 1))
        else:
            yield qid
        if qtype in OTHER_TEXT_TYPES:
            yield from (f"{qid}__{c['name']}_text" for c in choices if c.get("other") is True)

    def check_variable_name(self, name: str, question: dict[str, Any], path: Path_,
                            seen: dict[str, Path_]) -> None:
        qname = object_name("question", question)
        if len(name) > MAX_VARIABLE_NAME:
            self.report((*path, "id"), f"variable '{name}' of {qname} is {len(name)} characters "
                        f"long; Stata allows {MAX_VARIABLE_NAME}: shorten the question id or "
                        "the choice/row names")
        if name in seen and seen[name] != path:
            self.report((*path, "id"), f"{qname} yields variable '{name}', which another "
                        "question already yields; rename one of them")
        seen[name] = path

def validate_file(path: Path | str, allow_incomplete: bool = False,
                  strict: bool = False) -> ValidationResult:
    """Every problem of one questionnaire file; the model too when there is no error.

    `strict` makes stale translations errors: a last check before a questionnaire is fielded.
    """
    path = Path(path)
    result = ValidationResult(str(path))
    try:
        document = load_yaml(path)
    except QuestionnaireError as exc:
        result.diagnostics = exc.diagnostics
        return result
    validator = _Validator(document.data, document.source, path.parent, allow_incomplete,
                           strict)
    validator.run()
    result.diagnostics = sorted(validator.report.diagnostics, key=lambda d: d.mark)
    result.coverage = validator.coverage
    result.texts = validator.texts
    if not result.errors:
        result.questionnaire = build_questionnaire(document.data, validator.trees, str(path))
    return result


def load_questionnaire(path: Path | str, allow_incomplete: bool = False) -> Questionnaire:
    """The typed questionnaire; raises QuestionnaireError listing every problem."""
    result = validate_file(path, allow_incomplete)
    if result.questionnaire is None:
        raise QuestionnaireError(result.errors)
    return result.questionnaire
