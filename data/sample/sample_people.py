"""Simulated respondents of "Zusammen sind wir stärker": one answer set per person.

Answers are keyed by answer name (question id, `<grid>__<row>`, `<q>__<choice>_text`) and hold
the values `route()` takes: choice names, lists of names (ranking in rank order), ints, ISO
codes, bools; a declared missing value is a `Missing`. Each answer follows from the person's
origin, age, years in Germany and district, so needs and satisfaction vary the way field
reports describe: refugees of 2015/16, Ukrainians under temporary protection since 2022,
Vietnamese contract workers of the 1980s, Russian-speaking Spätaussiedler, EU workers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from sample_texts import CONTACT, PROBLEM, SUGGEST, WHERE_ELSE

from survey.questionnaire.model import Questionnaire
from survey.questionnaire.routing import route

SURVEY_YEAR = 2026
TODAY = dt.date(2026, 5, 3)
CITIES = ("leipzig", "dresden", "chemnitz")
GERMAN_LEVELS = ("none", "a1", "a2", "b1", "b2", "c1_c2")
IMPORTANCE = ("not_important", "less_important", "important", "very_important")
SATISFACTION = ("very_dissatisfied", "dissatisfied", "satisfied", "very_satisfied")
NEEDS = ("german", "recognition", "jobs", "housing", "health", "childcare", "school", "legal",
         "own_lang", "contacts", "discrim", "digital", "mobility", "politics")
REFUGEE_KINDS = ("syria", "afghan", "iran", "africa")


@dataclass(frozen=True)
class Missing:
    """A declared missing value such as no_answer: given, but empty for routing."""

    name: str


@dataclass(frozen=True)
class Profile:
    """What a community looks like: age, sex ratio, when people came, schooling, languages."""

    age: tuple[float, float]
    """Mean and spread of the age people came at (of the age now for people born here)."""
    female: float
    arrivals: tuple[tuple[int, int, float], ...]
    """(first year, last year, weight) of the migration waves; empty for people born here."""
    qual: tuple[float, float, float, float, float]
    """Chances of none, school, vocational, university, other."""
    discrim: float
    german: float
    """Head start (or lag) in German beyond what the years in Germany give."""
    form_langs: dict[str, float]


PROFILES = {
    "ukraine": Profile((34, 15), .70, ((2022, 2022, .47), (2023, 2023, .23), (2024, 2025, .15),
                                       (1996, 2021, .15)),
                       (.02, .15, .25, .55, .03), .18, 0.0, {"uk": .65, "ru": .22, "de": .13}),
    "syria": Profile((25, 10), .38, ((2015, 2016, .55), (2013, 2014, .08), (2017, 2019, .2),
                                     (2020, 2025, .17)),
                     (.12, .38, .2, .25, .05), .45, 0.0, {"ar": .75, "de": .2, "en": .05}),
    "afghan": Profile((23, 9), .36, ((2015, 2016, .35), (2017, 2020, .15), (2021, 2025, .45),
                                      (2005, 2014, .05)),
                      (.3, .4, .12, .14, .04), .5, -0.2, {"fa": .8, "de": .17, "en": .03}),
    "iran": Profile((28, 9), .45, ((2010, 2014, .15), (2015, 2019, .45), (2020, 2025, .4)),
                    (.03, .22, .15, .55, .05), .4, 0.2, {"fa": .7, "de": .2, "en": .1}),
    "africa": Profile((23, 6), .33, ((2014, 2019, .7), (2020, 2025, .3)),
                      (.3, .45, .1, .1, .05), .6, -0.2, {"en": .45, "de": .35, "ar": .2}),
    "post_soviet": Profile((30, 15), .58, ((1990, 2005, .55), (2006, 2021, .2),
                                           (2022, 2025, .25)),
                           (.02, .15, .4, .4, .03), .2, 0.6, {"ru": .85, "de": .15}),
    "vietnam": Profile((25, 6), .52, ((1980, 1990, .35), (1991, 2010, .3), (2011, 2025, .35)),
                       (.05, .35, .35, .2, .05), .35, -0.3, {"vi": .6, "de": .4}),
    "eu": Profile((28, 8), .48, ((2004, 2013, .3), (2014, 2025, .7)),
                  (.02, .25, .45, .25, .03), .25, 0.3, {"de": .7, "en": .3}),
    "skilled": Profile((27, 4), .40, ((2012, 2018, .35), (2019, 2025, .65)),
                       (0, .05, .1, .83, .02), .4, -0.4, {"en": .8, "de": .2}),
    "turkey": Profile((26, 10), .45, ((1985, 2009, .35), (2010, 2025, .65)),
                      (.05, .35, .3, .25, .05), .4, 0.2, {"de": .8, "en": .2}),
    "born_de": Profile((30, 10), .52, (), (.02, .35, .35, .25, .03), .35, 0.0, {"de": 1.0}),
}

ORIGINS: dict[str, tuple[str, dict[str, float]]] = {
    "UA": ("ukraine", {"uk": .6, "ru": .4}), "SY": ("syria", {"ar": .85, "ku": .15}),
    "IQ": ("syria", {"ar": .6, "ku": .4}), "LY": ("syria", {"ar": 1}),
    "AF": ("afghan", {"fa": .6, "ps": .4}), "IR": ("iran", {"fa": .85, "ku": .1, "az": .05}),
    "ER": ("africa", {"ti": 1}), "RU": ("post_soviet", {"ru": 1}),
    "KZ": ("post_soviet", {"ru": .8, "kk": .2}), "BY": ("post_soviet", {"ru": .7, "be": .3}),
    "MD": ("post_soviet", {"ro": .6, "ru": .4}), "UZ": ("post_soviet", {"uz": .5, "ru": .5}),
    "AM": ("post_soviet", {"hy": .7, "ru": .3}), "AZ": ("post_soviet", {"az": .7, "ru": .3}),
    "GE": ("post_soviet", {"ka": .7, "ru": .3}), "VN": ("vietnam", {"vi": 1}),
    "PL": ("eu", {"pl": 1}), "RO": ("eu", {"ro": 1}), "CZ": ("eu", {"cs": 1}),
    "BG": ("eu", {"bg": 1}), "IN": ("skilled", {"hi": .4, "ml": .3, "ta": .3}),
    "PK": ("skilled", {"ur": 1}), "TN": ("skilled", {"ar": 1}), "EG": ("skilled", {"ar": 1}),
    "VE": ("skilled", {"es": 1}), "BR": ("skilled", {"pt": 1}), "CN": ("skilled", {"zh": 1}),
    "TR": ("turkey", {"tr": .75, "ku": .25}),
    "DE": ("born_de", {"de": .4, "ar": .15, "ru": .2, "vi": .15, "tr": .1}),
}

BLANK_WEIGHT = {"consent": 0.0, "gender": .5, "birth_country": .4, "district": .5,
                "status": 1.3, "household": 1.4, "discrim": 1.3, "urgent": 1.8, "info_lang": 1.2}
"""How much more (or less) often than average a question is left blank; sensitive ones more."""


@dataclass(frozen=True)
class Source:
    """Who sends a file: the communities it reaches, where they live, how forms come back."""

    origins: dict[str, float]
    districts: dict[str, float]
    language: str | None
    """The one language of the file's forms; None: each person picks from their profile."""
    break_off: float


@dataclass
class Person:
    language: str
    answers: dict[str, Any]
    contact_in: str | None
    """The open-text answer that gives an e-mail address or phone number, if any."""


def pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    names = list(weights)
    p = np.array([weights[n] for n in names], dtype=float)
    return names[int(rng.choice(len(names), p=p / p.sum()))]


def _ordinal(rng: np.random.Generator, score: float, names: tuple[str, ...],
             spread: float = .22) -> str:
    cuts = np.linspace(0, 1, len(names) + 1)[1:-1]
    return names[int(np.searchsorted(cuts, score + rng.normal(0, spread)))]


def _ticks(rng: np.random.Generator, chances: dict[str, float], none: str | None) -> list[str]:
    """Ticked options; with none of them ticked, most people tick the 'none' box if there is one."""
    ticked = [name for name, p in chances.items() if rng.random() < p]
    if not ticked and none is not None and rng.random() < .9:
        return [none]
    return ticked


def _born_and_came(rng: np.random.Generator, profile: Profile) -> tuple[int, int | None]:
    """Birth and arrival year: a migration wave first, then the age people came at."""
    if not profile.arrivals:
        age = int(np.clip(rng.normal(*profile.age), 18, 88))
        return SURVEY_YEAR - age - int(rng.integers(0, 2)), None
    waves = {f"{a}-{b}": w for a, b, w in profile.arrivals}
    while True:
        first, last = (int(y) for y in pick(rng, waves).split("-"))
        arrival = int(rng.integers(first, last + 1))
        birth = arrival - int(np.clip(rng.normal(*profile.age), 0, 75))
        if 1937 <= birth <= 2008:  # respondents are adults, the oldest near 90
            return birth, arrival


def _status(rng: np.random.Generator, kind: str, origin: str, arrival: int | None,
            years: int) -> str:
    if kind == "born_de":
        return pick(rng, {"citizen": .93, "settlement": .04, "eu": .03})
    if kind == "eu":
        return pick(rng, {"eu": .88, "citizen": .12})
    if origin == "UA" and arrival is not None and arrival >= 2022:
        return pick(rng, {"temp_protection": .84, "residence": .1, "settlement": .02,
                          "other": .04})
    if kind in REFUGEE_KINDS:
        if years <= 2:
            return pick(rng, {"asylum": .55, "toleration": .1, "residence": .32, "other": .03})
        if years <= 8:
            return pick(rng, {"residence": .55, "settlement": .15, "toleration": .12,
                              "asylum": .08, "citizen": .07, "other": .03})
        return pick(rng, {"residence": .25, "settlement": .35, "citizen": .35,
                          "toleration": .03, "other": .02})
    if years <= 5:
        return pick(rng, {"residence": .85, "settlement": .05, "asylum": .05, "other": .05})
    if years <= 15:
        return pick(rng, {"residence": .35, "settlement": .4, "citizen": .2, "other": .05})
    spaetaussiedler = kind == "post_soviet" and arrival is not None and arrival < 2006
    citizen = .8 if spaetaussiedler else .5
    return pick(rng, {"citizen": citizen, "settlement": .95 - citizen, "residence": .05})


def _work(rng: np.random.Generator, kind: str, age: int, status: str) -> str:
    if age >= 67:
        return pick(rng, {"retired": .85, "family": .08, "other": .07})
    if age >= 60 and rng.random() < .35:
        return "retired"
    if status in ("asylum", "toleration"):
        return pick(rng, {"no_permit": .3, "course": .25, "unemployed": .2, "family": .1,
                          "employed": .1, "other": .05})
    if status == "temp_protection":
        return pick(rng, {"course": .3, "employed": .28, "unemployed": .17, "family": .1,
                          "student": .05, "training": .04, "other": .06})
    if age < 25:
        return pick(rng, {"student": .35, "training": .25, "employed": .25, "course": .1,
                          "unemployed": .05})
    self_employed = .3 if kind == "vietnam" else .07
    return pick(rng, {"employed": .67 - self_employed, "self_employed": self_employed,
                      "unemployed": .1, "family": .08, "course": .05, "training": .04,
                      "student": .03, "other": .03})


def _latent(rng: np.random.Generator, source: Source) -> tuple[str, dict[str, Any]]:
    """Every answer a person would give if asked everything; routing prunes it later."""
    origin = pick(rng, source.origins)
    kind, first_langs = ORIGINS[origin]
    profile = PROFILES[kind]
    language = source.language or pick(rng, profile.form_langs)
    birth_year, arrival = _born_and_came(rng, profile)
    age = SURVEY_YEAR - birth_year
    years = SURVEY_YEAR - arrival if arrival is not None else age
    status = _status(rng, kind, origin, arrival, years)
    district = pick(rng, source.districts)
    rural = district not in CITIES
    refugee = kind in REFUGEE_KINDS or status in ("asylum", "toleration", "temp_protection")
    a: dict[str, Any] = {"consent": True, "birth_year": birth_year, "birth_country": origin}
    r = rng.random()
    a["gender"] = ("female" if r < profile.female else "male" if r < .985
                   else "diverse" if r < .992 else Missing("no_answer"))
    if arrival is not None:
        a["arrival_year"] = arrival
    a["status"] = status if rng.random() > .04 else Missing("no_answer")
    a["district"] = district
    a["first_lang"] = (language if kind == "born_de" and language != "de"
                       else pick(rng, first_langs))

    qual = pick(rng, dict(zip(("none", "school", "vocational", "university", "other"),
                              profile.qual, strict=True)))
    if age < 21 and qual == "university":
        qual = "school"
    a["qual"] = qual if rng.random() > .03 else Missing("no_answer")
    young_arrival = arrival is None or arrival - birth_year < 18
    child_arrival = arrival is not None and arrival - birth_year < 12
    trained_here = years >= 6 and qual == "vocational" and rng.random() < .3
    abroad = not ((young_arrival and rng.random() < .85) or trained_here)
    a["qual_where"] = "abroad" if abroad else "germany"
    p_apply = (.3 + .05 * min(years, 8) if qual in ("vocational", "university")
               else .15 if qual == "other" else .08)
    applied = rng.random() < p_apply
    a["recog_applied"] = ("yes" if applied else "no") if rng.random() > .06 else Missing(
        "dont_know")
    a["recog_result"] = ("pending" if years <= 1 and rng.random() < .6 else pick(
        rng, {"full": .42, "partial": .25, "rejected": .13, "pending": .2}))
    recognised = not abroad or (applied and a["recog_result"] == "full")

    if kind == "born_de":
        german = "native" if rng.random() < .8 else "c1_c2"
    else:
        score = (.4 + .32 * min(years, 12) - .03 * max(age - 40, 0) + profile.german
                 + {"none": -.8, "university": .6, "vocational": .2}.get(qual, 0.0)
                 + (3 if child_arrival else 0) + rng.normal(0, .9))
        german = GERMAN_LEVELS[int(np.clip(np.floor(score), 0, 5))]
        if child_arrival and arrival - birth_year < 8 and rng.random() < .5:
            german = "native"
    a["german"] = german
    weak_german = german in ("none", "a1", "a2")

    work = _work(rng, kind, age, status)
    a["work_status"] = work
    mismatch = qual == "university" and not recognised
    a["job_match"] = (pick(rng, {"no": .45, "partly": .35, "yes": .15}) if mismatch
                      else pick(rng, {"yes": .55, "partly": .3, "no": .12}))
    if rng.random() < .03:
        a["job_match"] = Missing("dont_know")
    a["barriers"] = _ticks(rng, {
        "german": {"none": .85, "a1": .8, "a2": .65, "b1": .45, "b2": .25}.get(german, .05),
        "recognition": .55 if abroad and qual in ("vocational", "university")
        and not recognised else .05,
        "permit": {"asylum": .6, "toleration": .75}.get(status, .02),
        "discrimination": profile.discrim * .5}, "none")

    housing = ("shared" if status == "asylum" and years <= 2 and rng.random() < .6
               else pick(rng, {"flat": .65, "shared": .15, "relatives": .15, "other": .05})
               if status == "temp_protection"
               else pick(rng, {"flat": .88, "relatives": .05, "shared": .04, "other": .03}))
    a["housing_type"] = housing
    a["housing_sat"] = _ordinal(rng, .25 if housing == "shared" else .62, SATISFACTION)
    kids_chance = .6 if 25 <= age <= 50 else .15 if age < 25 else .3 if age <= 60 else .05
    has_kids = rng.random() < kids_chance
    a["has_children"] = "yes" if has_kids else "no"
    n_kids = min(1 + int(rng.poisson(1.6 if kind in ("syria", "afghan") else .9)), 15)
    a["n_children"] = n_kids
    a["household"] = (int(rng.integers(2, 9)) if housing == "shared" else
                      min(1 + int(rng.random() < .6) + (n_kids if has_kids else 0)
                          + int(rng.random() < .1), 30))
    a["insurance"] = (pick(rng, {"voucher": .55, "card": .42, "no": .03})
                      if status == "asylum" and years <= 1
                      else pick(rng, {"card": .965, "no": .02, "voucher": .015}))
    if rng.random() < .02:
        a["insurance"] = Missing("dont_know")
    a["counselling"] = _ticks(rng, {"migration": .55 if years <= 5 else .2,
                                    "social": .5 if work == "unemployed" else .15,
                                    "health": .25 if refugee else .15}, "none")
    a["counsel_bar"] = pick(rng, {"no_problem": .4 if years > 8 and not weak_german else .1,
                                  "unknown": .3 if years <= 3 else .12,
                                  "language": .35 if weak_german else .05, "waiting": .2,
                                  "distance": .25 if rural else .05, "trust": .05,
                                  "other": .04})

    a["child_edu"] = pick(rng, {"all": .7, "some": .18, "none": .07}) if rng.random() > .05 \
        else Missing("not_applicable")
    a["school_probs"] = _ticks(rng, {"german": .6 if years <= 3 else .3,
                                     "bullying": .25 if refugee else .15, "learning": .22},
                               "none")
    discriminated = rng.random() < profile.discrim + (.08 if rural else 0)
    r = rng.random()
    a["discrim"] = (Missing("dont_know") if r < .05 else Missing("no_answer") if r < .11
                    else "yes" if discriminated else "no")
    a["discrim_where"] = _ticks(rng, {"authorities": .45, "job_search": .3,
                                      "housing_search": .35, "transport": .55, "other": .1},
                                None) or ["transport"]
    if "other" in a["discrim_where"] and rng.random() < .8:
        a["discrim_where__other_text"] = str(rng.choice(WHERE_ELSE[language]))
    a["discrim_report"] = pick(rng, {"yes": .18, "no": .74}) if rng.random() > .08 \
        else Missing("no_answer")

    member = rng.random() < .32
    a["member_org"] = "yes" if member else "no"
    a["knows_council"] = "yes" if rng.random() < .15 + .03 * min(years, 15) else "no"
    a["volunteer"] = "yes" if rng.random() < (.3 if member else .18) else "no"
    a["more_part"] = pick(rng, {"yes": .45 if member else .25, "maybe": .42, "no": .25})
    a["info"] = _ticks(rng, {"counselling": .55 if years <= 5 else .3, "migrant_orgs": .35,
                             "social_media": .6 if age < 35 else .35, "messenger": .55,
                             "friends": .6, "other": .06}, None) or ["friends"]
    first = a["first_lang"]
    a["info_lang"] = ("de" if not weak_german and rng.random() < .55 else
                      first if first in ("ar", "fa", "ru", "uk", "vi") and rng.random() < .8
                      else pick(rng, {"en": .4, "de": .4, first: .2}))

    need = {
        "german": {"none": .95, "a1": .9, "a2": .8, "b1": .6, "b2": .4, "c1_c2": .2}.get(
            german, .05),
        "recognition": .85 if abroad and qual in ("vocational", "university")
        and not recognised else .3,
        "jobs": .9 if work in ("unemployed", "course", "no_permit") else .1
        if work == "retired" else .5,
        "housing": .95 if housing == "shared" else .45 + (0 if rural else .12),
        "health": .6 + (.1 if age > 55 else 0) + (.1 if refugee else 0),
        "childcare": .8 if has_kids and age < 45 else .15,
        "school": .8 if has_kids else .2,
        "legal": {"asylum": .95, "toleration": .95, "temp_protection": .8, "residence": .6,
                  "settlement": .35}.get(status, .2),
        "own_lang": .8 if weak_german else .3,
        "contacts": .7 if years <= 3 else .5,
        "discrim": .85 if discriminated else .45,
        "digital": .5,
        "mobility": .75 if rural else .4,
        "politics": .45 if status == "citizen" else .3,
    }
    offer = {"german": .6, "recognition": .35, "jobs": .45, "housing": .35 - (0 if rural else .1),
             "health": .5, "childcare": .4, "school": .45, "legal": .4,
             "own_lang": .2 if rural else .4, "contacts": .5, "discrim": .35, "digital": .35,
             "mobility": .25 if rural else .6, "politics": .4}
    irrelevant = {"childcare": not has_kids, "school": not has_kids,
                  "recognition": not abroad, "legal": status in ("citizen", "eu")}
    mood = rng.normal(0, .12)
    for row in NEEDS:
        a[f"imp__{row}"] = _ordinal(rng, need[row], IMPORTANCE)
        a[f"sat__{row}"] = (Missing("dont_know") if rng.random() < (
            .4 if irrelevant.get(row) else .04) else _ordinal(rng, offer[row] + mood,
                                                              SATISFACTION))
    noise = rng.gumbel(0, .15, len(NEEDS))
    order = np.argsort(-(np.array([need[n] for n in NEEDS]) + noise), kind="stable")
    a["urgent"] = [NEEDS[i] for i in order[:3]]
    return language, a


def _leave_blanks(rng: np.random.Generator, q: Questionnaire, answers: dict[str, Any],
                  break_off: float) -> None:
    """Item non-response: some people skip more than others, sensitive questions more often."""
    propensity = rng.beta(1.5, 18)
    for name in list(answers):
        question = name.split("__")[0]
        if rng.random() < propensity * BLANK_WEIGHT.get(question, 1.0):
            del answers[name]
    for grid in ("imp", "sat"):
        if rng.random() < .03:
            for row in NEEDS:
                answers.pop(f"{grid}__{row}", None)
    if "birth_year" not in answers:
        answers.pop("arrival_year", None)  # else `. >= ${birth_year}` fails on the empty year
    if "other" not in answers.get("discrim_where", ()):
        answers.pop("discrim_where__other_text", None)
    if rng.random() < break_off:
        stop = int(rng.integers(3, len(q.sections)))
        for section in q.sections[stop:]:
            for question in section.questions:
                for name in [n for n in answers if n.split("__")[0] == question.id]:
                    del answers[name]


def _open_texts(rng: np.random.Generator, language: str, answers: dict[str, Any]) -> str | None:
    """Rarely filled, short, in the form's language; now and then with contact details."""
    contact_in = None
    for name, bank, chance in (("problem", PROBLEM, .14), ("suggest", SUGGEST, .09)):
        if rng.random() < chance:
            if contact_in is None and rng.random() < .04:
                answers[name] = str(rng.choice(CONTACT[language]))
                contact_in = name
            else:
                answers[name] = str(rng.choice(bank[language]))
    return contact_in


def simulate(rng: np.random.Generator, q: Questionnaire, source: Source) -> Person:
    """One respondent whose answers follow the questionnaire's routing."""
    language, answers = _latent(rng, source)
    contact_in = _open_texts(rng, language, answers)
    _leave_blanks(rng, q, answers, source.break_off)
    visible = {k: None if isinstance(v, Missing) else v for k, v in answers.items()}
    asked = set(route(q, visible, TODAY).asked)
    kept = {k: v for k, v in answers.items() if k.split("__")[0] in asked}
    return Person(language, kept, contact_in if contact_in in kept else None)
