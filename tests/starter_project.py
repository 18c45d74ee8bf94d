"""A project made with `survey init` (the starter questionnaire, not the flagship) with 400
generated returns imported, for the notebook, plan-regression and model-report tests."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from support import run

AREAS = ["north", "centre", "south", "elsewhere"]
RATINGS = ["very_bad", "bad", "ok", "good", "very_good"]


def starter_project(root: Path) -> Path:
    assert run("init", root).exit_code == 0
    draw = random.Random(8)
    with (root / "returns.csv").open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(["consent", "area", "arrival_year", "needs", "used_counselling",
                      "counselling_rating", "comments"])
        for k in range(400):
            area = draw.choices(AREAS, weights=[4, 3, 2, 1])[0]
            year = draw.randint(1990, 2025)
            used = draw.random() < (0.8 if year > 2015 else 0.4) - 0.1 * AREAS.index(area)
            out.writerow(["yes", area, year,
                          " ".join(n for n in ("german", "work", "housing", "health")
                                   if draw.random() < 0.4),
                          "yes" if used else "no", draw.choice(RATINGS) if used else "",
                          f"note {k}"])  # no two returns alike: none is a duplicate
    assert run("ingest", root, root / "returns.csv").exit_code == 0
    return root


MODEL = """
  - id: counselling_model
    label: {de: Beratung genutzt, en: Used counselling}
    kind: regression
    formula: used_counselling ~ area + arrival_year
    family: binomial
    event: "yes"
"""
"""A regression indicator for the starter plan: who used counselling, by area and arrival."""


def with_indicator(root: Path, text: str) -> Path:
    """The project's plan with the indicator `text` (YAML lines) added to its indicators."""
    plan = root / "analysis" / "needs.yaml"
    original = plan.read_text(encoding="utf-8")
    marker = "\ndisclosure:"
    plan.write_text(original.replace(marker, text + marker, 1), encoding="utf-8")
    return plan
