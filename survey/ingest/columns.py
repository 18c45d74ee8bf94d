"""Which column of a partner's file holds which answer.

A column is recognised by a variable or answer name (`gender`, `barriers__german`,
`urgent__rank1`), by a KoboToolbox/ODK path (`about/gender`, `work/barriers/german`), by the
question text in any declared language (with "question: option" for split columns and grid
rows), by an SPSS variable label, or by a mapping file, which always wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from survey.ingest.values import normalise
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.spec import QuestionType


class MappingProblem(ValueError):
    """A mapping file names a target the questionnaire does not have."""


class Target(StrEnum):
    ANSWER = "answer"  # the whole answer (a multiple choice as a list in one cell)
    OPTION = "option"  # one option of a multiple choice, ticked or not
    RANK = "rank"  # the choice at one rank position
    META = "meta"  # about the response, not an answer
    IGNORE = "ignore"


class Meta(StrEnum):
    RESPONDENT = "respondent_id"
    LANGUAGE = "language"
    DATE = "date"


META_NAMES = {
    Meta.RESPONDENT: ("submission_id", "_uuid", "uuid", "instanceid", "meta/instanceid",
                      "respondent_id", "respondent", "serial", "id", "lfd nr", "lfd. nr.",
                      "fragebogen nr", "fragebogen-nr", "nr", "nr.", "№", "№ анкеты",
                      "bogen_nr", "bogen nr", "bogennummer"),
    Meta.LANGUAGE: ("language", "lang", "sprache", "form language", "bogensprache", "язык",
                    "язык анкеты"),
    Meta.DATE: ("submitted", "_submission_time", "date", "datum", "end", "today",
                "eingangsdatum", "дата"),
}
"""Common names of the columns that identify a return, its language and its day."""

_IGNORED = ("_id", "_index", "start", "_status", "_submitted_by", "__version__", "_version_",
            "_validation_status", "_notes", "_tags", "_geolocation", "_attachments",
            "questionnaire", "version", "mode", "deviceid", "formhub/uuid", "meta/deprecatedid")
"""Bookkeeping columns of KoboToolbox/ODK exports and of our own JSON lines."""


@dataclass(frozen=True)
class ColumnTarget:
    target: Target
    name: str = ""
    """The answer name (ANSWER), the question id (OPTION, RANK) or the Meta name."""
    choice: str = ""
    position: int = 0
    how: str = ""
    """How the column was recognised, for the draft mapping file and the report."""


@dataclass
class ColumnPlan:
    targets: list[ColumnTarget]
    unmapped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Questions asked by the questionnaire that no column provides."""
    redundant: list[str] = field(default_factory=list)

    @property
    def mapped_answers(self) -> int:
        return sum(t.target in (Target.ANSWER, Target.OPTION, Target.RANK) for t in self.targets)


class _Index:
    """Every way a column can name an answer, normalised."""

    def __init__(self, questionnaire: Questionnaire):
        self.names: dict[str, ColumnTarget] = {}
        self.texts: dict[str, ColumnTarget] = {}
        self.rankings: dict[str, ColumnTarget] = {}
        self.others: dict[str, ColumnTarget] = {}
        for question in questionnaire.questions:
            if question.type == QuestionType.CALCULATE:
                self.names[normalise(question.id)] = ColumnTarget(
                    Target.IGNORE, how="calculated by the questionnaire, worked out again")
            elif question.type != QuestionType.NOTE:
                self._question(questionnaire, question)

    def _question(self, questionnaire: Questionnaire, question: Question) -> None:
        for name in question.answer_names:
            self.names[normalise(name)] = ColumnTarget(Target.ANSWER, name, how="name")
        labels = [question.label.get(lang) for lang in questionnaire.languages]
        if question.type == QuestionType.GRID:
            for item in question.items:
                name = f"{question.id}__{item.id}"
                self.names[normalise(f"{question.id}/{item.id}")] = ColumnTarget(
                    Target.ANSWER, name, how="name")
                for lang in questionnaire.languages:
                    row = item.label.get(lang)
                    for label in labels:
                        for text in _joined(label, row):
                            self.texts.setdefault(text, ColumnTarget(Target.ANSWER, name,
                                                                     how="question text"))
            return
        for label in labels:
            self.texts.setdefault(normalise(label), ColumnTarget(Target.ANSWER, question.id,
                                                                 how="question text"))
        if question.type == QuestionType.MULTIPLE_CHOICE and question.choices:
            for choice in question.choices.choices:
                target = ColumnTarget(Target.OPTION, question.id, choice.name, how="name")
                self.names[normalise(f"{question.id}__{choice.name}")] = target
                self.names[normalise(f"{question.id}/{choice.name}")] = target
                self.names[normalise(f"{question.id}.{choice.name}")] = target
                for lang in questionnaire.languages:
                    for label in labels:
                        for text in _joined(label, choice.label.get(lang)):
                            self.texts.setdefault(text, ColumnTarget(
                                Target.OPTION, question.id, choice.name, how="question text"))
                            if choice.other:
                                self.others.setdefault(text, ColumnTarget(
                                    Target.ANSWER, f"{question.id}__{choice.name}_text",
                                    how="question text"))
        if question.type == QuestionType.RANKING and question.rank:
            for label in labels:
                self.rankings.setdefault(normalise(label), ColumnTarget(
                    Target.RANK, question.id, position=question.rank, how="question text"))
            for position in range(1, question.rank + 1):
                self.names[normalise(f"{question.id}__rank{position}")] = ColumnTarget(
                    Target.RANK, question.id, position=position, how="name")

    def find(self, header: str, label: str | None) -> ColumnTarget | None:
        key = normalise(header)
        for candidate in (key, *_kobo_tails(key)):
            if candidate in self.names:
                return self.names[candidate]
        for text in (key, normalise(label or "")):
            if text and text in self.texts:
                return self.texts[text]
        if label and ":" in label:  # a two-row header: "group: item"
            tail = normalise(label.rsplit(":", 1)[1])
            found = self.names.get(tail) or self.texts.get(tail)
            if found is not None:
                return found
        return self._other_or_rank(key)

    def _other_or_rank(self, key: str) -> ColumnTarget | None:
        """"Question: Other (please specify)" and "Question: 2nd place" headers."""
        bare = re.sub(r"\s*\([^()]*\)$", "", key)
        if bare != key and bare in self.others:
            return self.others[bare]
        question, _, tail = key.rpartition(":")
        ranking = self.rankings.get(question.strip())
        number = re.fullmatch(r"\D*(\d+)\D*", tail)
        if ranking is not None and number and 1 <= int(number[1]) <= ranking.position:
            return ColumnTarget(Target.RANK, ranking.name, position=int(number[1]),
                                how="question text")
        return None


def _joined(label: str, item: str) -> list[str]:
    """How spreadsheets write a question and one of its options or rows in one header."""
    if not label or not item:
        return []
    return [normalise(f"{label}{sep}{item}") for sep in (": ", " - ", " / ", "/")] + [
        normalise(f"{label} [{item}]")]


def _kobo_tails(key: str) -> list[str]:
    """`group/sub/question/choice` → `question/choice`, `question`: Kobo's paths."""
    parts = key.split("/")
    return ["/".join(parts[i:]) for i in range(1, len(parts))]


_META_KEYS = {normalise(name): meta for meta, names in META_NAMES.items() for name in names}
"""META_NAMES normalised once (no name is under two metas): normalised header -> its meta."""


def plan_columns(questionnaire: Questionnaire, headers: list[tuple[str, str | None]],
                 mapping: dict[str, str] | None = None) -> ColumnPlan:
    """Decide the target of each (header, label) column; a mapping file overrides the rest."""
    index = _Index(questionnaire)
    mapping = {normalise(k): v for k, v in (mapping or {}).items()}
    targets: list[ColumnTarget] = []
    unmapped: list[str] = []
    for header, label in headers:
        key = normalise(header)
        if key in mapping:
            targets.append(_from_mapping(index, mapping[key], header))
            continue
        found = index.find(header, label)
        if found is None:
            meta = _META_KEYS.get(key)
            if meta is not None:
                found = ColumnTarget(Target.META, meta, how="meta")
            elif key in _IGNORED or key.startswith("_") or re.fullmatch(r"unnamed: \d+", key):
                found = ColumnTarget(Target.IGNORE, how="bookkeeping")
            else:
                unmapped.append(header)
                found = ColumnTarget(Target.IGNORE, how="not recognised")
        targets.append(found)
    plan = ColumnPlan(targets, unmapped)
    _drop_repeats(plan, headers)
    plan.missing = _missing_questions(questionnaire, plan)
    return plan


def _from_mapping(index: _Index, target: str, header: str) -> ColumnTarget:
    if target in ("ignore", "", None):
        return ColumnTarget(Target.IGNORE, how="mapping file")
    if target in {m.value for m in Meta}:
        return ColumnTarget(Target.META, target, how="mapping file")
    found = index.names.get(normalise(target))
    if found is None:
        raise MappingProblem(f"the mapping file maps column '{header}' to '{target}', which is "
                             "not a question, option or rank of the questionnaire")
    return ColumnTarget(found.target, found.name, found.choice, found.position, "mapping file")


def _drop_repeats(plan: ColumnPlan, headers: list[tuple[str, str | None]]) -> None:
    """Kobo writes a multiple choice twice (a list and 0/1 columns): keep the list."""
    whole = {t.name for t in plan.targets if t.target == Target.ANSWER}
    seen: set[tuple[str, str, str, int]] = set()
    for i, target in enumerate(plan.targets):
        key = (target.target, target.name, target.choice, target.position)
        if target.target == Target.OPTION and target.name in whole:
            plan.redundant.append(headers[i][0])
            plan.targets[i] = ColumnTarget(Target.IGNORE, how=f"repeats column of {target.name}")
        elif target.target in (Target.ANSWER, Target.OPTION, Target.RANK) and key in seen:
            plan.redundant.append(headers[i][0])
            plan.targets[i] = ColumnTarget(Target.IGNORE, how="a second column for the same answer")
        else:
            seen.add(key)


def _missing_questions(questionnaire: Questionnaire, plan: ColumnPlan) -> list[str]:
    provided = {t.name for t in plan.targets
                if t.target in (Target.ANSWER, Target.OPTION, Target.RANK)}
    provided |= {n.split("__", 1)[0] for n in provided}
    return [q.id for q in questionnaire.questions
            if q.type not in (QuestionType.NOTE, QuestionType.CALCULATE)
            and q.id not in provided]
