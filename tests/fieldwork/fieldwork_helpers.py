"""Helpers of the fieldwork tests: a survey project with a few hundred responses from several
partners and modes: the flagship questionnaire and plan, a partners.yaml, and the sample online
returns stored as web, paper and imported responses of three partners (and some of none)."""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from pathlib import Path

from support import copy_flagship

from survey.project import Project
from survey.questionnaire.answer_checks import check_answers
from survey.store.partners import record_serial_blocks
from survey.store.schema import Mode, Status
from survey.store.store import Response, Store

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "server"))  # postgres_cluster, server_helpers
SURVEY = "zusammen"
PARTNERS = """\
# test partners
partners:
  - id: leipzig-ru
    name: Russischsprachiger Verein Leipzig
    contact: info@example.org
  - id: dresden-beirat
    name: Migrantenbeirat Dresden
  - id: kobo-team
    name: Feldteam ländliche Kreise
"""
SERIALS = {"leipzig-ru": (1, 100), "dresden-beirat": (101, 160)}
RETURNED = {"leipzig-ru": range(1, 41), "dresden-beirat": range(101, 131)}
"""Serials stored as paper returns (the rest of each block is still out)."""


def make_project(folder: Path) -> Project:
    (folder / "questionnaires").mkdir(parents=True)
    (folder / "analysis").mkdir()
    copy_flagship(folder / "questionnaires")
    for name in ("needs-assessment.yaml", "saxony-margins.yaml"):
        shutil.copy(ROOT / "analysis" / name, folder / "analysis")
    (folder / "partners.yaml").write_text(PARTNERS, "utf-8")
    return Project(folder)


def sample_answers(project: Project) -> list[tuple[str, dict]]:
    questionnaire = project.questionnaire(SURVEY)
    found = []
    for line in (ROOT / "data" / "sample" / "online.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        check = check_answers(questionnaire, row["answers"])
        if check.accepted:
            found.append((row["language"], check.validated))
    return found


def fill_store(project: Project, store: Store, limit: int | None = None) -> None:
    """Web responses of links of each partner, paper returns by serial (their partner comes
    from the serial block), imports tagged with a partner, some without any partner."""
    questionnaire = project.questionnaire(SURVEY)
    for partner, block in SERIALS.items():
        record_serial_blocks(store, SURVEY, [block], partner)
    serials = [s for partner in SERIALS for s in RETURNED[partner]]
    answers = sample_answers(project)[:limit]
    records = []
    for k, (language, validated) in enumerate(answers):
        common = {"questionnaire_id": SURVEY,
                  "questionnaire_version": questionnaire.survey.version,
                  "status": Status.ACCEPTED, "raw": validated, "answers": validated,
                  "language": language}
        sid = str(uuid.UUID(int=k + 1, version=4))
        if serials and k % 3 == 0:
            serial = serials.pop()
            records.append(Response(sid, mode=Mode.PAPER, source_row=serial,
                                    source_file=f"paper serial {serial:06d}", **common))
        elif k % 3 == 1:
            records.append(Response(sid, mode=Mode.IMPORT, partner="kobo-team", **common))
        else:
            partner = (None, "leipzig-ru", "dresden-beirat")[k % 3 + (k // 3) % 2 - 1]
            records.append(Response(sid, mode=Mode.WEB, partner=partner, **common))
    records.append(Response(str(uuid.uuid4()), SURVEY, questionnaire.survey.version, Mode.IMPORT,
                            Status.QUARANTINED, raw={}, answers={}, partner="kobo-team"))
    store.add(records)
