"""How a file's columns were read, kept with its import batch.

A quarantined row is fixed later from its raw record (header → cell). Reading that record
again needs exactly what the import used: the column plan (mapping file included), the file's
own value labels and missing codes, and whether numbers had a decimal comma. Matching the
headers afresh would lose every column that only the mapping file named.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from survey.ingest.columns import ColumnPlan, ColumnTarget, Target
from survey.ingest.readers import SourceTable
from survey.ingest.rows import ReadRow, RowReader
from survey.ingest.values import FileLabels
from survey.questionnaire.model import Questionnaire

FORMAT = 1
"""Version of the JSON kept in the store; a reading of another version is not trusted."""


@dataclass(frozen=True)
class ColumnReading:
    headers: list[str]
    plan: ColumnPlan
    labels: list[FileLabels | None]
    decimal_comma: bool

    @classmethod
    def of_table(cls, table: SourceTable, plan: ColumnPlan) -> ColumnReading:
        labels = [FileLabels(c.value_labels, c.missing_values)
                  if (c.value_labels or c.missing_values) else None for c in table.columns]
        return cls([c.name for c in table.columns], plan, labels, table.decimal_comma)

    def reader(self, questionnaire: Questionnaire) -> RowReader:
        return RowReader(questionnaire, self.plan, self.headers, self.labels, self.decimal_comma)

    def read_raw(self, questionnaire: Questionnaire, raw: Mapping[str, Any]) -> ReadRow:
        """A stored raw record read again as the import read its row."""
        return self.reader(questionnaire).read([raw.get(h) for h in self.headers])

    def to_json(self) -> str:
        return json.dumps({
            "format": FORMAT, "headers": self.headers, "decimal_comma": self.decimal_comma,
            "targets": [asdict(t) for t in self.plan.targets],
            "labels": [None if f is None else {
                "values": [[k, v] for k, v in f.value_labels.items()],
                "missing": sorted(f.missing_codes, key=repr)} for f in self.labels],
        }, ensure_ascii=False, default=str)

    @classmethod
    def from_json(cls, text: str | None) -> ColumnReading | None:
        """The reading kept with a batch; None for batches imported before readings were kept."""
        if not text:
            return None
        data = json.loads(text)
        if data.get("format") != FORMAT:
            return None
        targets = [ColumnTarget(**(t | {"target": Target(t["target"])})) for t in data["targets"]]
        labels = [None if f is None else FileLabels({k: v for k, v in f["values"]},
                                                    frozenset(f["missing"]))
                  for f in data["labels"]]
        return cls(data["headers"], ColumnPlan(targets), labels, data["decimal_comma"])
