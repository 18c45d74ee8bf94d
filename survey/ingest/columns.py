"""Which column of a partner's file holds which answer.

A column is recognised by a variable or answer name (`gender`, `barriers__german`,
`urgent__rank1`), by the name a converted questionnaire remembers from its XLSForm, SPSS or Stata
file (`original:`, with or without its group path), by a KoboToolbox/ODK path (`about/gender`,
`work/barriers/german`, `work/barriers_other` for "please specify"), by the question text in any
declared language (with "question: option" for split columns and grid rows; numbering and
punctuation aside), by an SPSS variable label (Ona numbers its variables and keeps the names as
labels), or by a mapping file, which always wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from survey.ingest.values import meaning_problem, nearest, normalise, squash
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.piping import as_others_write
from survey.questionnaire.spec import QuestionType
from survey.staff_texts import staff_text
from survey.user_error import UserError


class MappingProblem(UserError, ValueError):
    """A mapping file names a target the questionnaire does not have."""


class RepeatTable(MappingProblem):
    """The file is the table of a repeat group of a KoboToolbox/ODK export, not of submissions."""


HOW_CALCULATED = staff_text("calculated by the questionnaire, worked out again")
HOW_NAME = staff_text("name")
HOW_ORIGINAL = staff_text("original name")
HOW_TEXT = staff_text("question text")
HOW_LABEL = staff_text("variable label")
HOW_NEAR_TEXT = staff_text("question text, written slightly differently")
HOW_META = staff_text("meta")
HOW_REPEAT = staff_text("repeat group, kept in the raw record")
HOW_BOOKKEEPING = staff_text("bookkeeping")
HOW_UNKNOWN = staff_text("not recognised")
HOW_SPECIFY = staff_text("'specify' column after its question")
HOW_MAPPING = staff_text("mapping file")
HOW_SECOND = staff_text("a second column for the same answer")
"""How a column was recognised, as the report's Columns sheet and the draft mapping file say it."""

VALUES = "@values"
"""Key of a mapping dict that holds the `values:` of a mapping file per question:
{question id: {partner's word: what it means}}."""
WHERE = "@where"
"""Key of a mapping dict that holds where each entry stands in its file ("file:line:column"),
for messages: keyed by column header or question id, or by either and a partner's word joined
by " → "."""


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
            "questionnaire", "version", "mode", "deviceid", "formhub/uuid", "meta/deprecatedid",
            "meta/versionid", "meta/instancename", "meta/rootuuid", "meta/audit", "audit",
            "simserial", "subscriberid", "phonenumber", "imei", "username", "email",
            "start_time", "end_time", "starttime", "endtime", "today_date", "_xform_id",
            "_xform_id_string", "_duration", "_total_media", "_media_count",
            "_media_all_received", "_edited", "_date_modified", "_last_edited", "_review_status",
            "_review_comment", "_media_all_recieved", "__id", "key", "submitterid",
            "submittername", "attachmentspresent", "attachmentsexpected", "status",
            "reviewstate", "edits", "formversion", "submissiondate")
"""Bookkeeping columns of KoboToolbox/ODK/Ona exports (ODK Central's CSV too) and of our own
JSON lines; any column whose name, or the last part of its path, starts with `_` is one too."""

_REPEAT_LINKS = ("_parent_index", "_parent_table_name", "_submission__uuid", "_submission__id",
                 "_submission__submission_time", "_submission__index", "parent_key",
                 "_parent_key")
"""Columns that tie the rows of a repeat group's table to their submission."""
_REPEAT_COLUMN = re.compile(r"\[\d+\]/")
"""A wide export's columns of a repeat group: `children[2]/childs_name`."""


@dataclass(frozen=True)
class ColumnTarget:
    target: Target
    name: str = ""
    """The answer name (ANSWER), the question id (OPTION, RANK) or the Meta name."""
    choice: str = ""
    position: int = 0
    how: str = ""
    """How the column was recognised, for the draft mapping file and the report."""
    values: tuple[tuple[str, Any], ...] = ()
    """A mapping file's `values:` for this column: (partner's word, what it means) pairs. Kept
    with the plan, so a row read again later is read the same way."""


@dataclass
class ColumnPlan:
    targets: list[ColumnTarget]
    unmapped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Questions asked by the questionnaire that no column provides."""
    redundant: list[str] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)
    """Columns of repeat groups (`children[1]/name`): kept in the raw record, not imported."""

    @property
    def mapped_answers(self) -> int:
        return sum(t.target in (Target.ANSWER, Target.OPTION, Target.RANK) for t in self.targets)


class _Index:
    """Every way a column can name an answer, normalised."""

    def __init__(self, questionnaire: Questionnaire):
        self.names: dict[str, ColumnTarget] = {}
        self.texts: dict[str, ColumnTarget] = {}
        self.squashed: dict[str, ColumnTarget] = {}
        """Question texts without numbering, punctuation and spaces: headers written loosely."""
        self.rankings: dict[str, ColumnTarget] = {}
        self.others: dict[str, ColumnTarget] = {}
        self.sections = {normalise(s.id) for s in questionnaire.sections}
        self.originals: set[str] = set()
        """Group paths of the questions' original names: no repeat group is among them."""
        tails: dict[str, list[ColumnTarget]] = {}
        for question in questionnaire.questions:
            if question.type == QuestionType.CALCULATE:
                ignored = ColumnTarget(Target.IGNORE,
                                       how=HOW_CALCULATED)
                for name in _question_names(question):
                    self.names.setdefault(name, ignored)
            elif question.type != QuestionType.NOTE:
                self._question(questionnaire, question, tails)
        for tail, targets in tails.items():
            if len({(t.target, t.name, t.choice) for t in targets}) == 1:
                self.names.setdefault(tail, targets[0])
        self.loose: dict[str, ColumnTarget | None] = {}
        for name, target in self.names.items():
            key = _loose(name)
            self.loose[key] = target if self.loose.get(key, target) == target else None

    def _name(self, name: str, target: ColumnTarget, tails: dict[str, list[ColumnTarget]]
              ) -> None:
        """`name` (a path `group/q/choice` or a name) and, when no other answer has it, its
        ends without the groups (`q/choice`)."""
        key = normalise(name)
        self.names.setdefault(key, target)
        parts = key.split("/")
        for i in range(1, len(parts)):
            tails.setdefault("/".join(parts[i:]), []).append(target)

    def _question(self, questionnaire: Questionnaire, question: Question,
                  tails: dict[str, list[ColumnTarget]]) -> None:
        names = _question_names(question)
        original = getattr(question, "original", None)
        if original and "/" in original:
            self.originals.add(normalise(original).split("/", 1)[0])
        for name in question.answer_names:
            self.names[normalise(name)] = ColumnTarget(Target.ANSWER, name, how=HOW_NAME)
        if question.type != QuestionType.GRID:
            for name in names[1:]:
                self._name(name, ColumnTarget(Target.ANSWER, question.id, how=HOW_ORIGINAL),
                           tails)
        labels = [question.label.get(lang) for lang in questionnaire.languages]
        if question.type == QuestionType.GRID:
            for item in question.items:
                name = f"{question.id}__{item.id}"
                target = ColumnTarget(Target.ANSWER, name, how=HOW_NAME)
                for qname in names:
                    self._name(f"{qname}/{item.id}", target, tails)
                item_original = getattr(item, "original", None)
                if item_original:
                    self._name(item_original, ColumnTarget(Target.ANSWER, name,
                                                           how=HOW_ORIGINAL), tails)
                    for qname in names:
                        self._name(f"{qname}/{item_original}", target, tails)
                for lang in questionnaire.languages:
                    row = item.label.get(lang)
                    for label in labels:
                        for text in _joined(label, row):
                            self.texts.setdefault(text, ColumnTarget(Target.ANSWER, name,
                                                                     how=HOW_TEXT))
            return
        written = [text for label in labels for text in as_others_write(label)]
        for label in [*labels, *written]:
            self.texts.setdefault(normalise(label), ColumnTarget(Target.ANSWER, question.id,
                                                                 how=HOW_TEXT))
            if squash(_unnumbered(label)):
                self.squashed.setdefault(squash(_unnumbered(label)), ColumnTarget(
                    Target.ANSWER, question.id, how=HOW_TEXT))
        if not question.choices:
            return
        for choice in question.choices.choices:
            if choice.other and question.type in (QuestionType.SINGLE_CHOICE,
                                                  QuestionType.MULTIPLE_CHOICE):
                other = ColumnTarget(Target.ANSWER, f"{question.id}__{choice.name}_text",
                                     how=HOW_NAME)
                for qname in names:  # Kobo: `q_other`, the text of "other, please specify"
                    self._name(f"{qname}_other", other, tails)
                    self._name(f"{qname}_{choice.name}", other, tails)
        if question.type == QuestionType.MULTIPLE_CHOICE:
            for choice in question.choices.choices:
                target = ColumnTarget(Target.OPTION, question.id, choice.name, how=HOW_NAME)
                self.names[normalise(f"{question.id}__{choice.name}")] = target
                choice_names = [choice.name, getattr(choice, "original", None),
                                *(choice.label.get(lang) for lang in questionnaire.languages)]
                for qname in names:
                    for cname in filter(None, choice_names):
                        for sep in ("/", "."):
                            self._name(f"{qname}{sep}{cname}", target, tails)
                for lang in questionnaire.languages:
                    for label in labels:
                        for text in _joined(label, choice.label.get(lang)):
                            self.texts.setdefault(text, ColumnTarget(
                                Target.OPTION, question.id, choice.name, how=HOW_TEXT))
                            if choice.other:
                                self.others.setdefault(text, ColumnTarget(
                                    Target.ANSWER, f"{question.id}__{choice.name}_text",
                                    how=HOW_TEXT))
        if question.type == QuestionType.RANKING and question.rank:
            for label in labels:
                self.rankings.setdefault(normalise(label), ColumnTarget(
                    Target.RANK, question.id, position=question.rank, how=HOW_TEXT))
            for position in range(1, question.rank + 1):
                self.names[normalise(f"{question.id}__rank{position}")] = ColumnTarget(
                    Target.RANK, question.id, position=position, how=HOW_NAME)

    def find(self, header: str, label: str | None) -> ColumnTarget | None:
        key = normalise(header)
        candidates = (key, *_kobo_tails(key))
        for candidate in candidates:
            if candidate in self.names:
                return self.names[candidate]
        for candidate in candidates:
            found = self.loose.get(_loose(candidate))
            if found is not None:
                return replace(found, how=staff_text("{how} (written differently)", how=found.how))
        for text in (key, normalise(label or "")):
            if text and text in self.texts:
                return self.texts[text]
        if label and ":" in label:  # a two-row header: "group: item"
            tail = normalise(label.rsplit(":", 1)[1])
            found = self.names.get(tail) or self.texts.get(tail)
            if found is not None:
                return found
        if label and not any(c.isspace() for c in label.strip()):
            # SPSS files of Ona and KoboToolbox name variables var1, var2, … and keep the
            # question's path as the variable label.
            for candidate in (normalise(label), *_kobo_tails(normalise(label))):
                if candidate in self.names:
                    return replace(self.names[candidate], how=HOW_LABEL)
        found = self._other_or_rank(key)
        if found is None:
            loose = squash(_unnumbered(header))
            if loose:
                found = self.squashed.get(loose) or self._near_text(loose)
        return found

    def _near_text(self, loose: str) -> ColumnTarget | None:
        """A question text with a typing error or two ("Wie viele Persnen leben …"): only long
        texts, and only when one question is that near."""
        if len(loose) < 12:
            return None
        _, found = nearest(loose, [(text, text, target) for text, target in
                                   self.squashed.items()])
        if len(found) != 1:
            return None
        target: ColumnTarget  # the entries' answers are the squashed texts' targets
        _, target = next(iter(found.values()))
        return replace(target, how=HOW_NEAR_TEXT)

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
                                how=HOW_TEXT)
        return None


def _joined(label: str, item: str) -> list[str]:
    """How spreadsheets write a question and one of its options or rows in one header."""
    if not label or not item:
        return []
    return [normalise(f"{label}{sep}{item}") for sep in (": ", " - ", " / ", "/")] + [
        normalise(f"{label} [{item}]")]


def _question_names(question: Question) -> list[str]:
    """Its id, and its original name (with its group path, when it had one)."""
    original = getattr(question, "original", None)
    return list(dict.fromkeys(normalise(n) for n in (question.id, original) if n))


def _loose(name: str) -> str:
    """A name as `survey convert` would write it as an id: `Q1.1` ~ `q1_1`, `tel.office` ~
    `tel_office` (each part of a path on its own)."""
    return "/".join(re.sub(r"[^0-9a-z]+", "_", part).strip("_") for part in name.split("/"))


_NUMBERING = re.compile(r"^\s*(?:[a-z]{0,2}\d+(?:[.)]\d+)*[.):]?|[a-z][.)])\s+", re.IGNORECASE)


def _unnumbered(text: str) -> str:
    """A question text without the numbering a partner put before it ("3. ", "F3) ")."""
    return _NUMBERING.sub("", text or "")


def _kobo_tails(key: str) -> list[str]:
    """`group/sub/question/choice` → `question/choice`, `question`: Kobo's paths."""
    parts = key.split("/")
    return ["/".join(parts[i:]) for i in range(1, len(parts))]


_META_KEYS = {normalise(name): meta for meta, names in META_NAMES.items() for name in names}
"""META_NAMES normalised once (no name is under two metas): normalised header -> its meta."""


def plan_columns(questionnaire: Questionnaire, headers: list[tuple[str, str | None]],
                 mapping: dict[str, Any] | None = None) -> ColumnPlan:
    """Decide the target of each (header, label) column; a mapping file overrides the rest.

    `mapping` is what `load_mapping` reads from a mapping file: column header -> target (a
    question id, variable name, meta name or "ignore"), or -> {"to": target, "values": {word:
    meaning}}; under VALUES the `values:` per question, under WHERE where each entry stands in
    the file. Raises MappingProblem for a mapping the questionnaire cannot follow, and
    RepeatTable for the table of a repeat group."""
    index = _Index(questionnaire)
    _refuse_repeat_table(index, headers)
    mapping = dict(mapping or {})
    per_question = {normalise(k): v for k, v in (mapping.pop(VALUES, None) or {}).items()}
    where = {normalise(k): v for k, v in (mapping.pop(WHERE, None) or {}).items()}
    mapping = {normalise(k): v for k, v in mapping.items()}
    targets: list[ColumnTarget] = []
    unmapped: list[str] = []
    repeats: list[str] = []
    for header, label in headers:
        key = normalise(header)
        entry = mapping.get(key)
        to = entry.get("to") if isinstance(entry, dict) else entry
        if key in mapping and (to is not None or not isinstance(entry, dict)):
            targets.append(_from_mapping(index, to, header, where.get(key)))
            continue
        found = index.find(header, label) or _specify_other(index, key, targets)
        if found is None:
            # Ona's numbered SPSS variables keep the name as the label ("_uuid", "meta/…").
            named = normalise(label) if label and not any(c.isspace() for c in label) else ""
            meta = _META_KEYS.get(key) or _META_KEYS.get(named)
            if meta is not None:
                found = ColumnTarget(Target.META, meta, how=HOW_META)
            elif _REPEAT_COLUMN.search(key):
                repeats.append(header)
                found = ColumnTarget(Target.IGNORE, how=HOW_REPEAT)
            elif _bookkeeping(key) or (named and _bookkeeping(named)):
                found = ColumnTarget(Target.IGNORE, how=HOW_BOOKKEEPING)
            else:
                unmapped.append(header)
                found = ColumnTarget(Target.IGNORE, how=HOW_UNKNOWN)
        targets.append(found)
    plan = ColumnPlan(targets, unmapped, repeats=repeats)
    _no_two_mapped(plan, headers, where)
    _options_sharing_a_label(questionnaire, plan)
    _drop_repeats(questionnaire, plan, headers)
    _attach_values(questionnaire, plan, headers, mapping, per_question, where)
    plan.missing = _missing_questions(questionnaire, plan)
    return plan


def _bookkeeping(key: str) -> bool:
    return (key in _IGNORED or key.rsplit("/", 1)[-1].startswith("_")
            or key.startswith("meta/") or re.fullmatch(r"unnamed: \d+", key) is not None)


_SPECIFY_OTHER = {"specify other", "specify other.", "please specify", "other (specify)",
                  "other, please specify", "bitte angeben", "sonstiges, bitte angeben"}
"""Headers KoboToolbox's label exports (and partners) give the "please specify" column."""


def _specify_other(index: _Index, key: str, before: list[ColumnTarget]) -> ColumnTarget | None:
    """A "Specify other." column holds the text of the "other" choice of the question just
    before it, as Kobo's label exports place it."""
    if key not in _SPECIFY_OTHER:
        return None
    previous = next((t for t in reversed(before) if t.target in (Target.ANSWER, Target.OPTION)),
                    None)
    if previous is None:
        return None
    question = previous.name.split("__", 1)[0]
    texts = [t for t in index.names.values() if t.target == Target.ANSWER
             and t.name.startswith(f"{question}__") and t.name.endswith("_text")]
    if len({t.name for t in texts}) != 1 or any(t.name == texts[0].name for t in before):
        return None
    return replace(texts[0], how=HOW_SPECIFY)


def _at(where: str | None) -> str:
    return f"{where}: " if where else ""


def _from_mapping(index: _Index, target: str | None, header: str,
                  where: str | None = None) -> ColumnTarget:
    if target in ("ignore", "", None):
        return ColumnTarget(Target.IGNORE, how=HOW_MAPPING)
    if target in {m.value for m in Meta}:
        return ColumnTarget(Target.META, target, how=HOW_MAPPING)
    found = index.names.get(normalise(target))
    if found is None or found.target == Target.IGNORE:
        raise MappingProblem(staff_text(
            "{at}the mapping file maps column '{column}' to '{target}', which is not a "
            "question, option or rank of the questionnaire; correct the target (`survey show` "
            "lists the question ids)", at=_at(where), column=header, target=target))
    return ColumnTarget(found.target, found.name, found.choice, found.position,
                        HOW_MAPPING)


def _refuse_repeat_table(index: _Index, headers: list[tuple[str, str | None]]) -> None:
    """The table of a repeat group: one row per repeated item, tied to its submission."""
    keys = [normalise(h) for h, _ in headers]
    links = [h for h, k in zip((h for h, _ in headers), keys, strict=True) if k in _REPEAT_LINKS]
    if not links:
        return
    answers = [k for k in keys if not k.rsplit("/", 1)[-1].startswith("_")
               and k not in _IGNORED and k not in _META_KEYS and not k.startswith("meta/")]
    groups = {k.split("/", 1)[0] for k in answers}
    group = next(iter(groups)) if len(groups) == 1 else ""
    by_submission = any(k.startswith("_submission__") or k.endswith("parent_key") for k in keys)
    if not by_submission and not (group and all("/" in k for k in answers)
                                  and group not in index.sections
                                  and group not in index.originals):
        return
    raise RepeatTable(staff_text(
        "this is the table of the repeat group '{group}' of a KoboToolbox/ODK/Ona export: one "
        "row per repeated item, tied to its submission by {columns}, not one row per "
        "submission. Questionnaires cannot hold repeat groups yet, so it cannot be imported; "
        "import the export's main table (one row per submission) and keep this table with the "
        "export", group=group or "?", columns=", ".join(links)))


def _options_sharing_a_label(questionnaire: Questionnaire, plan: ColumnPlan) -> None:
    """Two choices with one label ("не" twice in a reading test) give two columns with one
    header: the second column is the second choice, not a repeat of the first."""
    taken: set[tuple[str, str]] = set()
    for i, target in enumerate(plan.targets):
        if target.target != Target.OPTION:
            continue
        if (target.name, target.choice) in taken and target.how == HOW_TEXT:
            choices = questionnaire.question(target.name).choices
            texts = {c.name: {normalise(c.label.get(lang)) for lang in questionnaire.languages}
                     for c in choices.choices} if choices else {}
            alike = [name for name, text in texts.items()
                     if text & texts[target.choice] and (target.name, name) not in taken]
            if alike:
                plan.targets[i] = target = replace(target, choice=alike[0])
        taken.add((target.name, target.choice))


def _drop_repeats(questionnaire: Questionnaire, plan: ColumnPlan,
                  headers: list[tuple[str, str | None]]) -> None:
    """Kobo writes a multiple choice twice, as a list and as 0/1 columns: keep the 0/1 columns
    when there is one for every choice (they need no splitting), else the list."""
    options: dict[str, set[str]] = {}
    for target in plan.targets:
        if target.target == Target.OPTION:
            options.setdefault(target.name, set()).add(target.choice)
    whole = {t.name for t in plan.targets if t.target == Target.ANSWER}
    split = {name for name, chosen in options.items()
             if name in whole and chosen >= questionnaire.question(name).choice_names}
    seen: set[tuple[str, str, str, int]] = set()
    for i, target in enumerate(plan.targets):
        key = (target.target, target.name, target.choice, target.position)
        if target.target == Target.ANSWER and target.name in split:
            plan.redundant.append(headers[i][0])
            plan.targets[i] = ColumnTarget(
                Target.IGNORE, how=staff_text("list of {question}, read from its 0/1 columns",
                                 question=target.name))
        elif target.target == Target.OPTION and target.name in whole - split:
            plan.redundant.append(headers[i][0])
            plan.targets[i] = ColumnTarget(Target.IGNORE, how=staff_text(
                "repeats column of {question}", question=target.name))
        elif target.target in (Target.ANSWER, Target.OPTION, Target.RANK) and key in seen:
            plan.redundant.append(headers[i][0])
            plan.targets[i] = ColumnTarget(Target.IGNORE, how=HOW_SECOND)
        else:
            seen.add(key)


def _no_two_mapped(plan: ColumnPlan, headers: list[tuple[str, str | None]],
                   where: dict[str, str]) -> None:
    """A mapping file that sends two columns to one answer (the same variable, or a whole
    multiple choice and one of its options) would keep one and drop the other."""
    first: dict[tuple[str, str, str, int], str] = {}
    whole: dict[str, str] = {}
    parts: dict[str, str] = {}
    for (header, _), target in zip(headers, plan.targets, strict=True):
        if target.how != HOW_MAPPING or target.target in (Target.IGNORE, Target.META):
            continue
        key = (target.target, target.name, target.choice, target.position)
        other = first.get(key)
        if target.target == Target.ANSWER:
            other = other or parts.get(target.name)
            whole.setdefault(target.name, header)
        else:
            other = other or whole.get(target.name)
            parts.setdefault(target.name, header)
        if other is not None and normalise(other) != normalise(header):
            raise MappingProblem(staff_text(
                "{at}the mapping file maps both column '{other}' and column '{column}' to "
                "'{target}'; one answer can come from one column only: map one of them to "
                "another question or to 'ignore'", at=_at(where.get(normalise(header))),
                other=other, column=header, target=target.name))
        first.setdefault(key, header)


def _attach_values(questionnaire: Questionnaire, plan: ColumnPlan,
                   headers: list[tuple[str, str | None]], mapping: dict[str, Any],
                   per_question: dict[str, Any], where: dict[str, str]) -> None:
    """Put the mapping file's `values:` on the columns they are for, once checked: a meaning
    the question cannot hold is a mistake in the mapping file, told before any row is read."""
    used: set[str] = set()
    for i, ((header, _), target) in enumerate(zip(headers, plan.targets, strict=True)):
        if target.target not in (Target.ANSWER, Target.OPTION, Target.RANK):
            continue
        question = target.name.split("__", 1)[0]
        key = normalise(header)
        entry = mapping.get(key)
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        for source, table in ((normalise(question), per_question.get(normalise(question))),
                              (normalise(target.name), per_question.get(normalise(target.name))),
                              (key, entry.get("values") if isinstance(entry, dict) else None)):
            if not table:
                continue
            if not isinstance(table, dict):
                raise MappingProblem(staff_text(
                    "{at}the values of '{name}' in the mapping file must be lines of "
                    "'partner's word: meaning'", at=_at(where.get(source)), name=source))
            used.add(source)
            for word, meaning in table.items():
                values[normalise(str(word))] = meaning
                sources[normalise(str(word))] = source
        for word, meaning in values.items():
            problem = meaning_problem(questionnaire, questionnaire.question(question),
                                      str(target.target), meaning)
            if problem:
                place = where.get(normalise(f"{sources[word]} → {word}")) or where.get(
                    sources[word])
                raise MappingProblem(staff_text(
                    "{at}the mapping file reads '{word}' in column '{column}' as {meaning}, "
                    "which the question cannot hold ({problem}); after the colon write a choice "
                    "name, code or label of the question, or a value it takes", at=_at(place),
                    word=word, column=header, meaning=repr(meaning), problem=problem))
        if values:
            plan.targets[i] = replace(target, values=tuple(values.items()))
    unknown = [q for q in per_question if q not in used]
    for name in unknown:
        if not any(normalise(q.id) == name for q in questionnaire.questions) and \
                name not in {normalise(n) for n in questionnaire.answer_index}:
            raise MappingProblem(staff_text(
                "{at}the mapping file has values for '{name}', which is not a question of the "
                "questionnaire; use a question id (`survey show` lists them)",
                at=_at(where.get(name)), name=name))


def _missing_questions(questionnaire: Questionnaire, plan: ColumnPlan) -> list[str]:
    provided = {t.name for t in plan.targets
                if t.target in (Target.ANSWER, Target.OPTION, Target.RANK)}
    provided |= {n.split("__", 1)[0] for n in provided}
    return [q.id for q in questionnaire.questions
            if q.type not in (QuestionType.NOTE, QuestionType.CALCULATE)
            and q.id not in provided]
