"""Generated answers to the flagship questionnaire, in the form the store keeps them.

Structure with known direction (Leipzig and the under-35s use counselling more, women report
discrimination more) so breakdowns have something to find, and the awkward cases of real
returns: declared missing values, skipped questions, respondents born in Germany, 'diverse'.
"""

from __future__ import annotations

from typing import Any

import numpy as np

YEAR = 2026
DISTRICTS = ["chemnitz", "dresden", "leipzig", "bautzen", "erzgebirge", "goerlitz",
             "lk_leipzig", "meissen", "mittelsachsen", "nordsachsen", "saechs_schweiz",
             "vogtland", "zwickau"]
DISTRICT_P = [0.12, 0.18, 0.25] + [0.45 / 10] * 10
COUNTRIES = ["UA", "SY", "AF", "VN", "PL", "RO", "RU", "TR", "IQ", "IN", "CN", "ER", "NG",
             "BR", "DE", "IR", "BG", "ES", "PK", "US"]
COUNTRY_P = np.array([20, 12, 6, 6, 6, 5, 6, 4, 4, 4, 2, 3, 3, 2, 5, 3, 3, 2, 2, 2], float)
AREAS = ["german", "recognition", "jobs", "housing", "health", "childcare", "school", "legal",
         "own_lang", "contacts", "discrim", "digital", "mobility", "politics"]
TEXTS = ["Wohnung finden ist schwer", "Zu lange Wartezeiten beim Amt",
         "=HYPERLINK(\"http://example.org\")", "Bitte Frau Petrova anrufen: 0351 4567890",
         "mehr Deutschkurse am Abend", "schreiben Sie an ana@example.org"]


def respondents(n: int, seed: int = 7, complete: bool = False
                ) -> list[tuple[str, dict[str, Any]]]:
    """(submission_id, answers) for `n` generated respondents who all consented; `complete`:
    everyone gives district, country of birth and a gender of female or male (so weighting
    needs no imputation)."""
    rng = np.random.default_rng(seed)
    records = []
    for k in range(n):
        a: dict[str, Any] = {"consent": True}
        birth_year = int(rng.integers(1945, 2009))
        a["birth_year"], a["age"] = birth_year, YEAR - birth_year
        young = a["age"] < 35
        a["gender"] = str(rng.choice(["female", "male", "diverse", "no_answer"],
                                     p=[0.46, 0.54, 0, 0] if complete
                                     else [0.45, 0.49, 0.02, 0.04]))
        if a["gender"] == "no_answer":
            a["gender"] = {"missing": "no_answer"}
        female = a["gender"] == "female"
        if complete or rng.random() > 0.03:
            a["birth_country"] = str(rng.choice(COUNTRIES, p=COUNTRY_P / COUNTRY_P.sum()))
            if a["birth_country"] != "DE":
                arrival = int(rng.integers(max(1975, birth_year + 1), YEAR + 1))
                a["arrival_year"], a["years_de"] = arrival, YEAR - arrival
        if complete or rng.random() > 0.02:
            a["district"] = str(rng.choice(DISTRICTS, p=DISTRICT_P))
        leipzig = a.get("district") == "leipzig"
        a["status"] = str(rng.choice(["citizen", "eu", "settlement", "residence", "asylum",
                                      "toleration", "temp_protection", "other"]))
        a["german"] = str(rng.choice(["none", "a1", "a2", "b1", "b2", "c1_c2", "native"],
                                     p=[0.08, 0.14, 0.18, 0.22, 0.18, 0.12, 0.08]))
        a["work_status"] = str(rng.choice(["employed", "self_employed", "training", "student",
                                           "course", "unemployed", "no_permit", "family",
                                           "retired", "other"],
                                          p=[.3, .05, .06, .08, .1, .15, .04, .08, .08, .06]))
        if a["work_status"] in ("employed", "self_employed"):
            a["job_match"] = (str(rng.choice(["yes", "partly", "no"])) if rng.random() > 0.1
                              else {"missing": "dont_know"})
        if a["work_status"] != "retired":
            chosen = [b for b, p in (("german", .5), ("recognition", .35), ("permit", .15),
                                     ("discrimination", .25)) if rng.random() < p]
            a["barriers"] = chosen or ["none"]
        a["housing_type"] = str(rng.choice(["flat", "shared", "relatives", "other"]))
        a["housing_sat"] = str(rng.choice(["very_dissatisfied", "dissatisfied", "satisfied",
                                           "very_satisfied"]))
        a["household"] = int(rng.integers(1, 7))
        a["insurance"] = (str(rng.choice(["card", "voucher", "no"], p=[.85, .1, .05]))
                          if rng.random() > 0.05 else {"missing": "dont_know"})
        boost = 0.2 * leipzig + 0.1 * young
        used = [c for c, p in (("migration", .35 + boost), ("social", .25), ("health", .2))
                if rng.random() < p]
        a["counselling"] = used or ["none"]
        a["counsel_bar"] = str(rng.choice(["no_problem", "unknown", "language", "waiting",
                                           "distance", "trust", "other"]))
        a["has_children"] = str(rng.choice(["yes", "no"]))
        r = rng.random()
        a["discrim"] = ("yes" if r < 0.3 + 0.15 * female else "no" if r < 0.9
                        else {"missing": "dont_know"} if r < 0.95 else {"missing": "no_answer"})
        if a["discrim"] == "yes":
            a["discrim_where"] = [p for p in ("authorities", "job_search", "housing_search",
                                              "transport") if rng.random() < 0.4] or ["other"]
        a["member_org"] = str(rng.choice(["yes", "no"], p=[.3, .7]))
        a["knows_council"] = str(rng.choice(["yes", "no"], p=[.35 + boost, .65 - boost]))
        a["volunteer"] = str(rng.choice(["yes", "no"]))
        a["more_part"] = str(rng.choice(["yes", "maybe", "no"]))
        a["info"] = [s for s in ("counselling", "migrant_orgs", "social_media", "messenger",
                                 "friends", "other") if rng.random() < 0.4] or ["friends"]
        for area in AREAS:
            a[f"imp__{area}"] = str(rng.choice(["not_important", "less_important", "important",
                                                "very_important"], p=[.1, .2, .35, .35]))
            a[f"sat__{area}"] = (str(rng.choice(["very_dissatisfied", "dissatisfied",
                                                 "satisfied", "very_satisfied"]))
                                 if rng.random() > 0.15 else {"missing": "dont_know"})
        if rng.random() > 0.05:
            a["urgent"] = [str(x) for x in rng.choice(AREAS, 3, replace=False,
                                                      p=np.linspace(2, 1, len(AREAS)) / 21)]
        if rng.random() < 0.3:
            a["problem"] = str(rng.choice(TEXTS))
        records.append((f"r{k:05d}", a))
    return records
