"""A small survey project with a real SQLite store, built in seconds, whose answers exercise
what exports must carry: Arabic labels, long labels, declared missing values in numbers, texts
and dates, a reserved word as a question id, formula-like text, and quarantined responses."""

from __future__ import annotations

from pathlib import Path

from survey.project import Project
from survey.questionnaire import load_questionnaire
from survey.store.schema import Mode, Status
from survey.store.store import Response

LONG_AR = "هل تعرف مجلس المهاجرين في مدينتك أو مقاطعتك وما الذي يقوم به من أجل السكان؟ " * 4
QUESTIONNAIRE = f"""\
format: 1
survey:
  id: small
  version: "1"
  title: {{de: Kleine Befragung, ar: استطلاع صغير}}
  organisation: Beispielverein
  languages: [de, ar]
  default_language: de
missing_values:
  - {{name: dont_know, code: -1, label: {{de: Weiß nicht, ar: لا أعرف}}}}
  - {{name: no_answer, code: -2, label: {{de: Keine Angabe, ar: لا إجابة}}}}
sections:
  - id: main
    title: {{de: Fragen, ar: أسئلة}}
    questions:
      - id: gender
        type: single_choice
        missing: [no_answer]
        label: {{de: Geschlecht, ar: الجنس}}
        choices:
          - {{name: female, code: 1, label: {{de: Weiblich, ar: أنثى}}}}
          - {{name: male, code: 2, label: {{de: Männlich, ar: ذكر}}}}
      - id: with
        type: integer
        min: 0
        max: 20
        missing: [dont_know, no_answer]
        relevant: ${{gender}} = 'female'
        label: {{de: "{'Sehr lange Frage ' * 20}", ar: "{LONG_AR}"}}
      - id: arrival
        type: date
        missing: [dont_know]
        label: {{de: Ankunft, ar: الوصول}}
      - id: needs
        type: multiple_choice
        label: {{de: Bedarf, ar: الاحتياجات}}
        choices:
          - {{name: housing, code: 1, label: {{de: Wohnung, ar: سكن}}}}
          - {{name: work, code: 2, label: {{de: Arbeit, ar: عمل}}}}
          - {{name: other, code: 97, other: true, label: {{de: Anderes, ar: أخرى}}}}
      - id: comment
        type: long_text
        missing: [no_answer]
        label: {{de: Kommentar, ar: تعليق}}
"""

ANSWERS = [
    {"gender": "female", "with": 3, "arrival": "2016-05-01", "needs": ["housing", "other"],
     "needs__other_text": "=HYPERLINK(\"http://x\")", "comment": "شكرا جزيلا\nسطر ثان"},
    {"gender": "male", "arrival": {"missing": "dont_know"}, "needs": ["work"],
     "comment": {"missing": "no_answer"}},
    {"gender": {"missing": "no_answer"}, "arrival": "2020-01-31", "needs": []},
    {"gender": "female", "with": {"missing": "dont_know"}, "needs": ["work", "housing"],
     "comment": "@SUM(A1:A2)"},
]


def make_project(root: Path, answers: list[dict] | None = None,
                 quarantined: int = 1) -> Path:
    """The project folder, its store filled with `answers` (accepted) and `quarantined`
    extra quarantined responses."""
    (root / "questionnaires").mkdir(parents=True)
    path = root / "questionnaires" / "small.yaml"
    path.write_text(QUESTIONNAIRE, encoding="utf-8")
    load_questionnaire(path)
    answers = ANSWERS if answers is None else answers
    records = [Response(f"s{i:03d}", "small", "1", Mode.IMPORT, Status.ACCEPTED, a, a)
               for i, a in enumerate(answers)]
    records += [Response(f"q{i:03d}", "small", "1", Mode.IMPORT, Status.QUARANTINED,
                         {"gender": "x"}, {"gender": "male", "with": 99})
                for i in range(quarantined)]
    store = Project(root).store()
    store.add(records)
    store.close()
    return root
