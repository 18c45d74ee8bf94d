"""The progress view: where the copies stand, who typed how many, and which fields the two
entries disagree on most (a field with many disagreements usually means an unclear form)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from survey.questionnaire.model import Questionnaire
from survey.returns.reconcile import CopyState, CopyStatus, copy_states, differing
from survey.returns.typed import entry_fields
from survey.store.schema import Mode, Status
from survey.store.store import Store
from survey.store.summaries import accepted_ids


@dataclass(frozen=True)
class FieldRate:
    name: str
    disagreements: int
    compared: int

    @property
    def rate(self) -> float:
        return self.disagreements / self.compared if self.compared else 0.0


@dataclass
class Progress:
    states: list[CopyState]
    counts: Counter[str] = field(default_factory=Counter)
    entered_twice: int = 0
    per_person: dict[str, Counter[str]] = field(default_factory=dict)
    fields: list[FieldRate] = field(default_factory=list)
    quarantined: int = 0


def progress(store: Store, questionnaire: Questionnaire) -> Progress:
    states = copy_states(store, questionnaire,
                         accepted_ids(store, questionnaire.id, (Mode.PAPER, Mode.SCAN)))
    report = Progress(states)
    disagreements: Counter[str] = Counter()
    compared: Counter[str] = Counter()
    for state in states:
        report.counts[state.status] += 1
        finished = [e for e in state.entries if e.finished]
        report.entered_twice += len(finished) == 2
        for item in state.entries:
            person = report.per_person.setdefault(item.entered_by, Counter())
            person["finished" if item.finished else "drafts"] += 1
        if len(finished) == 2:
            first, second = finished[0].typed, finished[1].typed
            disagreements.update(differing(questionnaire, first, second))
            compared.update(set(first) | set(second))
    report.fields = sorted(
        (FieldRate(f.name, disagreements[f.name], compared[f.name])
         for f in entry_fields(questionnaire) if compared[f.name]),
        key=lambda r: (-r.rate, r.name))
    report.quarantined = store.count(questionnaire.id).get(Status.QUARANTINED, 0)
    return report


__all__ = ["CopyStatus", "Progress", "progress"]
