"""Write the sample returns of "Zusammen sind wir stärker" and the faults planted in them.

About 1,500 simulated respondents, split over the five kinds of files partners send (a Russian
CSV, a German Excel list, an SPSS file of codes, a KoboToolbox export, the online form's JSON
lines). A few percent of rows carry a realistic fault; expected.json says where, so the ingest
tests can check that each one is caught. Deterministic: the same seed writes the same bytes.

Run: .venv/bin/python data/sample/generate.py
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sample_formats import (
    ChemnitzSav,
    DresdenXlsx,
    FileFormat,
    KoboCsv,
    LeipzigCsv,
    OnlineJsonl,
    Record,
)
from sample_people import TODAY, Missing, Source, simulate

from survey.questionnaire.model import Questionnaire
from survey.questionnaire.routing import route
from survey.questionnaire.validate import load_questionnaire

SEED = 20260503
HERE = Path(__file__).resolve().parent
QUESTIONNAIRE = HERE.parent.parent / "questionnaires" / "zusammen.yaml"
HOSTILE = '=HYPERLINK("http://example.org","click")'
RURAL = {"bautzen": 14, "goerlitz": 12, "erzgebirge": 10, "lk_leipzig": 9, "meissen": 9,
         "mittelsachsen": 10, "nordsachsen": 8, "saechs_schweiz": 7, "vogtland": 9,
         "zwickau": 12}


@dataclass(frozen=True)
class Fault:
    """A fault to plant: its kind, the answer it sits in, the value, and whom it fits."""

    kind: str
    target: str
    value: Any = None
    when: tuple[str, Any] | None = None
    """The answer the row must already have: (answer name, value)."""


@dataclass(frozen=True)
class Plan:
    """One partner's file: whom it reaches, when forms came in, which faults it carries."""

    fmt: type[FileFormat]
    size: int
    source: Source
    days: tuple[dt.date, dt.date]
    faults: tuple[Fault, ...]
    duplicates: int
    hostile: bool = False


def _plans() -> tuple[Plan, ...]:
    common = (Fault("out_of_range", "birth_year"), Fault("constraint", "arrival_year"))
    return (
        Plan(LeipzigCsv, 280, Source(
            {"UA": 38, "RU": 30, "KZ": 12, "BY": 4, "MD": 3, "UZ": 3, "AZ": 2, "AM": 2, "GE": 2,
             "DE": 4}, {"leipzig": 82, "lk_leipzig": 10, "nordsachsen": 6, "mittelsachsen": 2},
            "ru", .02), (dt.date(2026, 2, 16), dt.date(2026, 4, 30)), (
            *common, Fault("unknown_choice", "gender", "Женскй", ("gender", "female")),
            Fault("not_a_number", "household", "двое", ("household", 2)),
            Fault("skipped_question_answered", "n_children", 2, ("has_children", "no")),
            Fault("exclusive", "counselling"), Fault("missing_consent", "consent")),
            duplicates=2, hostile=True),
        Plan(DresdenXlsx, 320, Source(
            {"SY": 17, "AF": 12, "UA": 18, "VN": 10, "RU": 5, "IQ": 5, "IR": 6, "ER": 4, "TR": 4,
             "PL": 4, "RO": 3, "CZ": 3, "IN": 4, "TN": 1, "VE": 1, "DE": 4},
            {"dresden": 80, "meissen": 8, "saechs_schweiz": 8, "bautzen": 4}, None, .02),
            (dt.date(2026, 2, 16), dt.date(2026, 4, 28)), (
            *common, Fault("unknown_choice", "gender", "Weiblch", ("gender", "female")),
            Fault("unknown_choice", "district", "Radebeul", ("district", "meissen")),
            Fault("not_a_number", "household", "zwei", ("household", 2)),
            Fault("skipped_question_answered", "arrival_year", None, ("birth_country", "DE")),
            Fault("exclusive", "barriers"), Fault("missing_consent", "consent")),
            duplicates=2),
        Plan(ChemnitzSav, 300, Source(
            {"SY": 18, "AF": 10, "UA": 17, "VN": 8, "RU": 6, "IQ": 5, "IR": 4, "IN": 8, "TR": 4,
             "PL": 3, "RO": 3, "CZ": 4, "LY": 2, "PK": 2, "BG": 3, "DE": 3},
            {"chemnitz": 78, "erzgebirge": 8, "zwickau": 6, "mittelsachsen": 8}, None, .02),
            (dt.date(2026, 2, 23), dt.date(2026, 4, 30)), (
            *common, Fault("out_of_range", "household", 99),
            Fault("unknown_choice", "gender", 4, ("gender", "female")),
            Fault("skipped_question_answered", "job_match", "yes", ("work_status", "unemployed")),
            Fault("exclusive", "school_probs"), Fault("missing_consent", "consent", False)),
            duplicates=1),
        Plan(KoboCsv, 260, Source(
            {"UA": 25, "SY": 18, "AF": 14, "VN": 5, "RU": 6, "PL": 8, "CZ": 6, "RO": 4, "IQ": 4,
             "ER": 3, "TR": 3, "VE": 2, "DE": 2}, RURAL, None, 0.0),
            (dt.date(2026, 3, 2), dt.date(2026, 4, 24)), (
            Fault("out_of_range", "arrival_year", 2031), Fault("constraint", "arrival_year"),
            Fault("unknown_choice", "status", "subsidiary", ("status", "residence")),
            Fault("skipped_question_answered", "recog_result", "pending",
                  ("recog_applied", "no")),
            Fault("exclusive", "counselling"), Fault("missing_consent", "consent")),
            duplicates=1),
        Plan(OnlineJsonl, 340, Source(
            {"UA": 20, "SY": 14, "AF": 8, "VN": 7, "RU": 9, "IR": 6, "IN": 7, "TR": 4, "PL": 4,
             "RO": 3, "IQ": 3, "ER": 2, "KZ": 3, "BR": 2, "EG": 2, "CN": 2, "DE": 4},
            {"leipzig": 32, "dresden": 27, "chemnitz": 12} | {k: v * .29 for k, v in
                                                             RURAL.items()}, None, .05),
            (dt.date(2026, 2, 16), dt.date(2026, 5, 3)), (
            Fault("out_of_range", "birth_year"), Fault("constraint", "arrival_year"),
            Fault("unknown_choice", "district", "kamenz", ("district", "bautzen")),
            Fault("skipped_question_answered", "arrival_year", None, ("birth_country", "DE")),
            Fault("exclusive", "school_probs"), Fault("missing_consent", "consent", False)),
            duplicates=2),
    )


def _record(rng: np.random.Generator, q: Questionnaire, plan: Plan) -> Record:
    person = simulate(rng, q, plan.source)
    first, last = plan.days
    day = first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))
    started = dt.datetime.combine(day, dt.time(int(rng.integers(9, 21)),
                                               int(rng.integers(0, 60)), int(rng.integers(0, 60)),
                                               int(rng.integers(0, 1000)) * 1000))
    minutes = int(rng.integers(12, 46))
    utc_offset = 2 if day >= dt.date(2026, 3, 29) else 1
    # Tablets sync in the evening or on one of the next days.
    delay = dt.timedelta(minutes=minutes + int(rng.exponential(600)))
    submitted = started - dt.timedelta(hours=utc_offset) + delay
    if submitted.date() > last:
        submitted = dt.datetime.combine(last, dt.time(21, 0))
    uid = str(uuid.UUID(bytes=rng.bytes(16), version=4))
    return Record(person.answers, person.language, started, minutes, submitted, uid,
                  person.contact_in)


def _asked(q: Questionnaire, answers: dict[str, Any]) -> set[str]:
    visible = {k: None if isinstance(v, Missing) else v for k, v in answers.items()}
    return set(route(q, visible, TODAY).asked)


def _plant(rng: np.random.Generator, q: Questionnaire, fault: Fault, r: Record) -> str | None:
    """Plant `fault` in `r` if the row fits; return the variable it sits in, else None."""
    a = r.answers
    if fault.when is not None and a.get(fault.when[0]) != fault.when[1]:
        return None
    match fault.kind:
        case "out_of_range":
            if fault.target not in a:
                return None
            a[fault.target] = fault.value or (1890 if "arrival_year" in a else 2031)
        case "constraint":
            birth = a.get("birth_year")
            if "arrival_year" not in a or birth is None or birth < 1960:
                return None
            a["arrival_year"] = birth - int(rng.integers(1, 9))
        case "unknown_choice" | "not_a_number":
            r.raw[fault.target] = fault.value
        case "skipped_question_answered":
            if fault.target in _asked(q, a) or "birth_year" not in a:
                return None
            a[fault.target] = fault.value or min(a["birth_year"] + 20, 2025)
        case "exclusive":
            ticked = a.get(fault.target)
            if not ticked or "none" in ticked:
                return None
            a[fault.target] = [*ticked, "none"]
            return f"{fault.target}__none"
        case "missing_consent":
            if fault.value is None:
                del a["consent"]
            else:
                a["consent"] = fault.value
        case _:
            raise ValueError(fault.kind)
    return fault.target


def _file(rng: np.random.Generator, q: Questionnaire, plan: Plan, out_dir: Path) -> dict:
    """Simulate, plant faults and duplicates, write one file; return its expected.json entry."""
    fmt = plan.fmt(q)
    records = sorted((_record(rng, q, plan) for _ in range(plan.size)), key=lambda r: r.started)
    for number, r in enumerate(records, 1):
        r.number = number
    planted: list[tuple[Record, str, str | None, Record | None]] = []
    used: set[int] = set()
    order = [int(i) for i in rng.permutation(len(records))]
    for fault in plan.faults:
        for i in order:
            if i not in used and (column := _plant(rng, q, fault, records[i])) is not None:
                used.add(i)
                planted.append((records[i], fault.kind, column, None))
                break
        else:
            raise RuntimeError(f"no row fits {fault} in {fmt.file_name}")
    if plan.hostile:
        i = next(i for i in order if i not in used and records[i].contact_in is None
                 and "problem" in _asked(q, records[i].answers))
        records[i].answers["problem"] = HOSTILE
        planted.append((records[i], "hostile_text", "problem", None))
        used.add(i)
    originals = [records[i] for i in order if i not in used][:plan.duplicates]
    for original in originals:
        position = records.index(original) + 1
        copy_ = copy.deepcopy(original)
        records.insert(int(rng.integers(position, len(records) + 1)), copy_)
        planted.append((copy_, "duplicate", None, original))
    fmt.write(out_dir / fmt.file_name, records)

    def row_of(r: Record) -> int:
        return next(i for i, x in enumerate(records) if x is r) + fmt.header_rows + 1

    faults = sorted(({"row": row_of(r), "column": None if col is None else fmt.fault_column(col),
                      "kind": kind} | ({"of": row_of(of)} if of else {})
                     for r, kind, col, of in planted), key=lambda f: f["row"])
    quarantined = sum(f["kind"] not in ("duplicate", "hostile_text") for f in faults)
    return {
        "rows": len(records), "accepted": len(records) - quarantined - plan.duplicates,
        "quarantined": quarantined, "duplicates": plan.duplicates,
        "header_rows": fmt.header_rows, "meta_columns": list(fmt.meta_columns),
        "faults": faults,
        "contact_details": [{"row": row_of(r), "column": fmt.fault_column(r.contact_in)}
                            for r in records if r.contact_in is not None],
    }


def generate(out_dir: Path, seed: int = SEED) -> None:
    """Write the five sample files and expected.json into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    q = load_questionnaire(QUESTIONNAIRE)
    rng = np.random.default_rng(seed)
    files = {plan.fmt.file_name: _file(rng, q, plan, out_dir) for plan in _plans()}
    expected = {
        "about": "Planted faults per sample file. row: as a user sees it (spreadsheet row with "
                 "the header rows, CSV line with the header as line 1, JSONL line, SPSS case). "
                 "Every fault except duplicate and hostile_text must end in quarantine; "
                 "hostile_text rows are accepted and keep the text as text; "
                 "rows = accepted + quarantined + duplicates.",
        "seed": seed, "questionnaire": q.id, "version": q.survey.version,
        "respondents": sum(p.size for p in _plans()), "files": files}
    (out_dir / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    generate(HERE)
