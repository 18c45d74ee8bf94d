"""The report tests' project: the flagship with a catalogue of hostile labels and answers."""

import json
import re
import uuid

from support import ROOT

PLAN = "analysis/needs-assessment.yaml"

HOSTILE_LABELS = {
    "Wohnungssuche": "<script>alert('x')</script> Wohnungssuche",
    "Soziale Kontakte": '<img src="http://127.0.0.1:9/leak.png"> Kontakte',
    "Mobilität und Nahverkehr": '=HYPERLINK("http://127.0.0.1:9/","Mobilität")',
    "Politische Teilhabe": "{{ 7*7 }} Teilhabe",
    "Deutschkurse": "Deutsch\u202ekurse",
    "Gesundheitsversorgung (auch psychische Gesundheit)": "الصحة Gesundheit",
}
"""German labels of the needs replaced by hostile text (and an Arabic one)."""
HOSTILE_ANSWERS = ["<script>alert('answer')</script>", '<img src="http://127.0.0.1:9/a.png">',
                   '=HYPERLINK("http://127.0.0.1:9/","x")', "{{ 7*7 }} answer",
                   "zwei\u202e Richtungen", "مشكلة السكن"]
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
HOSTILE_ROWS = 30


def hostile_questionnaire(text: str) -> str:
    for label, hostile in HOSTILE_LABELS.items():
        text = text.replace(f"de: {label}\n", f"de: {json.dumps(hostile)}\n")
    return text


def hostile_returns(path):
    """Web returns copied from the sample with new ids and hostile open answers."""
    lines = (ROOT / "data" / "sample" / "online.jsonl").read_text(encoding="utf-8").splitlines()
    rows = []
    for k, line in enumerate(lines[:HOSTILE_ROWS]):
        record = json.loads(line)
        record["submission_id"] = str(uuid.UUID(int=k + 1))
        record["answers"]["problem"] = HOSTILE_ANSWERS[k % len(HOSTILE_ANSWERS)]
        rows.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
