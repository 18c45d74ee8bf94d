"""Checking an analysis plan against its questionnaire and building the typed Plan.

Every problem is collected with its file:line:column and a hint at what to write instead;
the plan is built only when there is none. Names are resolved by `PlanLookups`, indicators
checked by `IndicatorChecks`; the rest of the plan is checked here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

from survey.questionnaire.diagnostics import Severity, did_you_mean
from survey.questionnaire.languages import is_variant
from survey.questionnaire.measurement import Scale
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.yaml_source import Path_, YamlDocument
from survey.stats.calibrate import Calfun
from survey.stats.compare import Correction
from survey.stats.design import LonelyPsu
from survey.stats.disclosure import DisclosureRules
from survey.stats.plan.indicator_checks import IndicatorChecks
from survey.stats.plan.lookups import CATEGORIES
from survey.stats.plan.margins import check_margins
from survey.stats.plan.model import (
    FORMAT_VERSION,
    Breakdown,
    Cut,
    Derived,
    DesignSpec,
    Disclosure,
    FreeText,
    Plan,
    PlanError,
    PreviousWave,
    Recode,
    Replication,
    Weighting,
)
from survey.stats.plan.reader import listing, read_yaml
from survey.stats.plan.variables import (
    CATEGORICAL_SCALES,
    NUMERIC_SCALES,
    Category,
    VariableInfo,
    known_codes,
    questionnaire_variables,
)
from survey.stats.replicates import KINDS

TOP_KEYS = ("format", "questionnaire", "title", "language", "derived", "weighting", "design",
            "indicators", "breakdowns", "alpha", "correction", "disclosure", "previous_wave")
DERIVED_KEYS = ("id", "label", "cut", "breaks", "labels", "recode", "groups", "other",
                "unknown")
CUT_ONLY = ("breaks",)
RECODE_ONLY = ("groups", "other", "unknown")
WEIGHTING_KEYS = ("method", "margins", "trim", "unknown", "max_iterations", "calfun", "bounds")
DESIGN_KEYS = ("strata", "cluster", "fpc", "lonely_psu", "replicates")
REPLICATE_KEYS = ("kind", "replicates", "fay_rho", "mse")
REPLICATE_KINDS = KINDS[:5]
"""The kinds a plan makes from its design (supplied replicate weights come with data)."""
DISCLOSURE_KEYS = ("min_cell", "low_base", "free_text", "k_anonymity_keys", "known_names")
PREVIOUS_WAVE_KEYS = ("results", "label")


def read_plan_yaml(path: Path) -> YamlDocument:
    return read_yaml(path, "plan")


def _default_labels(breaks: Sequence[float]) -> list[str]:
    """'18-29', '30-44', '65+' for whole numbers; '1.5 to under 2' otherwise."""
    whole = all(float(b).is_integer() for b in breaks)
    labels = []
    for low, high in zip(breaks, [*breaks[1:], None], strict=True):
        if high is None:
            labels.append(f"{low:g}+" if whole else f"{low:g} and more")
        elif whole:
            labels.append(f"{low:g}" if high - 1 == low else f"{low:g}-{high - 1:g}")
        else:
            labels.append(f"{low:g} to under {high:g}")
    return labels


class _PlanChecker(IndicatorChecks):
    # -- the plan ---------------------------------------------------------------------------

    def run(self) -> Plan | None:
        data = self.mapping(self.data, (), "the plan", TOP_KEYS, ("questionnaire",
                                                                   "indicators"))
        if data is None:
            return None
        if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
            self.error(("format",), f"format {data['format']!r} is not known to this version "
                       f"of the toolkit, which reads format {FORMAT_VERSION}")
        named = data.get("questionnaire")
        if named is not None and named != self.questionnaire.id:
            self.error(("questionnaire",), f"this plan is for questionnaire '{named}', but the "
                       f"questionnaire given is '{self.questionnaire.id}' "
                       f"({self.questionnaire.file})")
        self.language = self.option(data, "language", (), "the plan",  # reports: no variants
                                    tuple(code for code in self.questionnaire.languages
                                          if not is_variant(code)),
                                    self.questionnaire.default_language)
        self.variables = questionnaire_variables(self.questionnaire, self.language)
        title = self.text(data, "title", (), "the plan",
                          self.text_of(self.questionnaire.survey.title))
        derived = self.derived(data.get("derived"))
        breakdowns = self.breakdowns(data)
        weighting = self.weighting(data.get("weighting"))
        design = self.design(data.get("design"))
        if weighting is not None and design.replicates is not None:
            self.error(("design", "replicates"), "replicate weights are made from the design "
                       "before weighting, and weighted replicates are not supported: leave out "
                       "either weighting or replicates (the weighted design's variance "
                       "already accounts for the weighting)")
        section = data.get("weighting")
        weighted = ((isinstance(section, dict)
                     and section.get("method") in ("rake", "calibrate"))
                    or design.strata is not None or bool(design.cluster))
        indicators = self.indicators(data.get("indicators"), breakdowns, weighted)
        alpha = self.number(data, "alpha", (), "the plan", 0.05, 0, 0.5,
                            "a number between 0 and 0.5, such as 0.05")
        correction = Correction(self.option(data, "correction", (), "the plan",
                                            tuple(Correction), Correction.HOLM))
        disclosure = self.disclosure(data.get("disclosure"))
        previous = self.previous_wave(data.get("previous_wave"))
        if any(d.severity == Severity.ERROR for d in self.diagnostics + self.other_files):
            return None
        assert title is not None and disclosure is not None
        return Plan(str(self.path), self.questionnaire, self.language, title,
                    dict(self.variables), tuple(derived), weighting, design, tuple(indicators),
                    tuple(breakdowns), alpha, correction, disclosure,
                    tuple(sorted(self.diagnostics, key=lambda d: d.mark)
                          + sorted(self.other_files, key=lambda d: d.mark)),
                    self.place(()), previous)

    # -- derived variables ------------------------------------------------------------------

    def derived(self, entries: Any) -> list[Derived]:
        if entries is None:
            return []
        if not isinstance(entries, list):
            self.error(("derived",), "derived must be a list of variables ('- id: ...')")
            return []
        taken = set(self.variables)
        result: list[Derived] = []
        for index, raw in enumerate(entries):
            path: Path_ = ("derived", index)
            entry = self.mapping(raw, path, "a derived variable", DERIVED_KEYS, ("id",))
            if entry is None:
                continue
            new = self.new_id(entry, path, "a derived variable", taken)
            made = self.derive(entry, path, new)
            if made is None:
                if new is not None:
                    self.failed.add(new)
                continue
            result.append(made)
            labels = made.group_labels if isinstance(made, Recode) else made.groups
            self.variables[made.id] = VariableInfo(
                made.id, made.label, Scale.CATEGORICAL,
                tuple(Category(g, lab) for g, lab in zip(made.groups, labels, strict=True)))
        return result

    def derive(self, entry: dict[str, Any], path: Path_, new: str | None) -> Derived | None:
        if ("cut" in entry) == ("recode" in entry):
            self.error(path, "a derived variable is made either by cut: (groups of a number) or "
                       "by recode: (groups of categories); give one of them")
            return None
        way, wrong = ("cut", RECODE_ONLY) if "cut" in entry else ("recode", CUT_ONLY)
        for key in wrong:
            if key in entry:
                self.error((*path, key), f"'{key}' does not go with {way}:", at_key=True)
        if new is None:
            return None
        return self.cut(entry, path, new) if way == "cut" else self.recode(entry, path, new)

    def cut(self, entry: dict[str, Any], path: Path_, new: str) -> Cut | None:
        source = self.lookup(entry["cut"], (*path, "cut"), "cut", NUMERIC_SCALES, "a number")
        breaks = entry.get("breaks")
        rule = ("a list of at least two increasing numbers, e.g. [18, 30, 45, 65]: each starts "
                "a group and the last group is open-ended")
        if not isinstance(breaks, list) or len(breaks) < 2 or not all(
                isinstance(b, int | float) and not isinstance(b, bool) and math.isfinite(b)
                for b in breaks):
            self.error((*path, "breaks") if "breaks" in entry else path,
                       f"breaks of '{new}' must be {rule}")
            return None
        for index in range(1, len(breaks)):
            if breaks[index] <= breaks[index - 1]:
                self.error((*path, "breaks", index), f"breaks of '{new}' must increase: "
                           f"{breaks[index]} follows {breaks[index - 1]}")
                return None
        labels = _default_labels(breaks)
        if "labels" in entry:
            given = entry["labels"]
            if isinstance(given, list):
                given = [self.in_language(x) for x in given]
            if not isinstance(given, list) or not all(isinstance(x, str) for x in given):
                self.error((*path, "labels"), f"labels of '{new}' must be a list of texts, one "
                           "per group")
                return None
            if len(given) != len(breaks):
                self.error((*path, "labels"), f"'{new}' has {len(breaks)} groups (one per "
                           f"break) but {len(given)} labels")
                return None
            if len(set(given)) != len(given):
                self.error((*path, "labels"), f"labels of '{new}' must differ from each other")
                return None
            labels = given
        if source is None:
            return None
        label = self.text(entry, "label", path, f"'{new}'", source.label) or new
        return Cut(new, label, source.name, tuple(float(b) for b in breaks), tuple(labels),
                   self.place(path))

    def recode_value(self, value: Any, path: Path_, source: VariableInfo) -> str | None:
        """A category of the recoded variable, as written in a group."""
        if source.scale == Scale.CODES:
            known = known_codes(source)
            if isinstance(value, str) and value in known:
                return value
            hint = (f"; did you mean '{value.upper()}'?" if isinstance(value, str)
                    and value.upper() in known else did_you_mean(str(value), known))
            self.error(path, f"'{value}' is not a code of {source.name}{hint}")
            return None
        names = source.category_names()
        if isinstance(value, str) and value in names:
            return value
        by_code = {c.code: c.name for c in source.categories}
        if isinstance(value, int | float) and not isinstance(value, bool) and value in by_code:
            hint = f"; write the category name '{by_code[value]}', not its code"
        else:
            hint = did_you_mean(str(value), names) or f" (categories: {listing(names)})"
        self.error(path, f"'{value}' is not a category of {source.name}{hint}")
        return None

    def recode(self, entry: dict[str, Any], path: Path_, new: str) -> Recode | None:
        source = self.lookup(entry["recode"], (*path, "recode"), "recode", CATEGORICAL_SCALES,
                             "categories")
        groups = entry.get("groups")
        if not isinstance(groups, dict) or not groups:
            self.error((*path, "groups") if "groups" in entry else path,
                       f"recode '{new}' needs groups: a mapping from each new group to the list "
                       "of categories it takes, e.g. eu: [PL, RO]")
            return None
        other = self.text(entry, "other", path, f"'{new}'")
        names = list(groups) + ([other] if other is not None and other not in groups else [])
        mapping: dict[str, str | None] = {}
        lists = [((*path, "groups", group), group, values) for group, values in groups.items()]
        if "unknown" in entry:
            lists.append(((*path, "unknown"), None, entry["unknown"]))
        for list_path, group, values in lists:
            if not isinstance(values, list) or (not values and group != other):
                self.error(list_path, f"{'group ' + repr(group) if group else 'unknown'} of "
                           f"'{new}' must list categories, e.g. [a, b]")
                continue
            for index, value in enumerate(values):
                if source is None:
                    break
                name = self.recode_value(value, (*list_path, index), source)
                if name is None:
                    continue
                if name in mapping:
                    where = mapping[name]
                    self.error((*list_path, index), f"'{name}' is already in "
                               f"{'group ' + repr(where) if where else 'unknown'} of '{new}'")
                    continue
                mapping[name] = group
        labels = entry.get("labels", {})
        if not isinstance(labels, dict):
            self.error((*path, "labels"), f"labels of '{new}' must map groups to texts")
            labels = {}
        labels = {group: self.in_language(text) for group, text in labels.items()}
        for group, text in labels.items():
            if group not in names:
                self.error((*path, "labels", group), f"'{group}' is not a group of '{new}'"
                           f"{did_you_mean(group, names)}", at_key=True)
            elif not isinstance(text, str):
                self.error((*path, "labels", group), "a label must be text")
        if len(names) < 2:
            self.error((*path, "groups"), f"'{new}' has only one group; a derived variable "
                       "needs at least two")
            return None
        if source is None:
            return None
        if source.categories and other is None:
            left = [f"'{c}'" for c in source.category_names() if c not in mapping]
            if left:
                one = len(left) == 1
                self.warn((*path, "groups"), f"{listing(left)} of {source.name} "
                          f"{'is' if one else 'are'} in no group of '{new}' and "
                          f"{'counts' if one else 'count'} as unknown; add "
                          f"{'it' if one else 'them'} to a group or to 'unknown:', or set "
                          "'other:'")
        label = self.text(entry, "label", path, f"'{new}'", source.label) or new
        group_labels = tuple(str(labels.get(g, g)) for g in names)
        return Recode(new, label, source.name, tuple(names), group_labels, mapping, other,
                      self.place(path))

    # -- breakdowns, weighting, design ------------------------------------------------------

    def breakdowns(self, data: dict[str, Any]) -> list[Breakdown]:
        result: list[Breakdown] = []
        for path, name in self.words(data, "breakdowns", (), "the plan"):
            info = self.lookup(name, path, "a breakdown", CATEGORICAL_SCALES, CATEGORIES)
            if info is None:
                continue
            if any(b.variable == name for b in result):
                self.error(path, f"breakdown '{name}' is listed twice")
            elif info.categories and len(info.categories) < 2:
                self.error(path, f"breakdown '{name}' has only one category; a breakdown "
                           "compares at least two groups")
            else:
                result.append(Breakdown(name, self.place(path)))
        return result

    def weighting(self, section: Any) -> Weighting | None:
        if section is None:
            return None
        path: Path_ = ("weighting",)
        section = self.mapping(section, path, "weighting", WEIGHTING_KEYS, ("method",))
        if section is None:
            return None
        method = self.option(section, "method", path, "weighting", ("rake", "calibrate", "none"),
                             "none")
        if method == "none":
            for key in section:
                if key != "method":
                    self.error((*path, key), f"'{key}' only applies to method: rake or "
                               "calibrate", at_key=True)
            return None
        for key in ("calfun", "bounds"):
            if key in section and method != "calibrate":
                self.error((*path, key), f"'{key}' only applies to method: calibrate",
                           at_key=True)
        calfun = self.option(section, "calfun", path, "weighting",
                             get_args(Calfun), "raking")
        bounds = self.bounds(section.get("bounds"))
        if method == "calibrate" and calfun == "logit" and bounds is None:
            self.error(path, "calfun: logit needs bounds (e.g. bounds: {lower: 0.5, upper: 3}): "
                       "the logit calibration keeps every weight between them")
        trim = self.trim(section.get("trim"))
        unknown = self.option(section, "unknown", path, "weighting", ("error", "impute"),
                              "error")
        iterations = self.integer(section, "max_iterations", path, "weighting", 100, 1)
        name = self.text(section, "margins", path, "weighting")
        if name is None:
            self.error(path, "weighting by rake needs margins: the file of population counts, "
                       "relative to this plan (e.g. margins: saxony-margins.yaml)")
            return None
        file = self.path.parent / name
        if not file.is_file():
            self.error((*path, "margins"), f"margins file '{name}' not found (looked for "
                       f"{file}); the path is relative to the plan's folder")
            return None
        margins, problems = check_margins(file, self.variables)
        self.other_files += problems
        if margins is None:
            return None
        return Weighting(margins.margins, trim, unknown == "impute", iterations, str(file),
                         margins.source, margins.illustrative, self.place(path), method, calfun,
                         bounds)

    def bounds(self, value: Any) -> tuple[float, float] | None:
        """Calibration bounds: multiples of the base weight, lower below 1, upper above."""
        if value is None:
            return None
        path: Path_ = ("weighting", "bounds")
        section = self.mapping(value, path, "bounds", ("lower", "upper"), ("lower", "upper"))
        if section is None or not {"lower", "upper"} <= set(section):
            return None
        lower = self.number(section, "lower", path, "bounds", 0.0, -1e-12, 1 - 1e-12,
                            "a multiple of the base weight from 0 to below 1, such as 0.5")
        upper = self.number(section, "upper", path, "bounds", 2.0, 1 + 1e-12, math.inf,
                            "a multiple of the base weight above 1, such as 3")
        return lower, upper

    def trim(self, value: Any) -> tuple[float, float] | None:
        if value is None:
            return None
        path: Path_ = ("weighting", "trim")
        section = self.mapping(value, path, "trim", ("lower", "upper"), ("lower", "upper"))
        if section is None or not {"lower", "upper"} <= set(section):
            return None
        lower = self.number(section, "lower", path, "trim", 0.0, -1e-12, 1 + 1e-12,
                            "a multiple of the mean weight from 0 to 1, such as 0.3")
        upper = self.number(section, "upper", path, "trim", 1.0, 1 - 1e-12, math.inf,
                            "a multiple of the mean weight of 1 or more, such as 3")
        return lower, upper

    def design(self, section: Any) -> DesignSpec:
        path: Path_ = ("design",)
        section = self.mapping(section if section is not None else {}, path, "design",
                               DESIGN_KEYS) or {}
        roles = {"strata": (CATEGORICAL_SCALES, CATEGORIES),
                 "cluster": (CATEGORICAL_SCALES | {Scale.NUMERIC}, "cluster ids"),
                 "fpc": (frozenset({Scale.NUMERIC}), "a number")}
        found: dict[str, tuple[str, ...]] = {}
        for key, (scales, wanted) in roles.items():
            value = section.get(key)
            names = value if isinstance(value, list) and key != "strata" else (
                [] if value is None else [value])
            if key != "strata" and len(names) > 2:
                self.error((*path, key), f"design {key} names at most two stages (PSUs, then "
                           f"units within them), not {len(names)}")
                names = []
            infos = [self.lookup(name, (*path, key), f"design {key}", scales, wanted)
                     for name in names]
            found[key] = tuple(info.name for info in infos if info is not None)
        if len(found["fpc"]) == 2 and len(found["cluster"]) < 2:
            self.error((*path, "fpc"), "a second fpc belongs to a second stage: name the units "
                       "within the PSUs as the second cluster (cluster: [psu, unit])")
        lonely = LonelyPsu(self.option(section, "lonely_psu", path, "design",
                                       tuple(LonelyPsu), LonelyPsu.ADJUST))
        return DesignSpec(found["strata"][0] if found["strata"] else None, found["cluster"],
                          found["fpc"], lonely, self.place(path),
                          self.replication(section.get("replicates")))

    def replication(self, value: Any) -> Replication | None:
        if value is None:
            return None
        path: Path_ = ("design", "replicates")
        section = self.mapping(value, path, "replicates", REPLICATE_KEYS, ("kind",))
        if section is None or "kind" not in section:
            return None
        kind = self.option(section, "kind", path, "replicates", REPLICATE_KINDS, "JKn")
        count = None
        if "replicates" in section:
            if kind != "bootstrap":
                self.error((*path, "replicates"), f"the number of replicates applies to kind "
                           f"bootstrap; {kind} makes one per PSU or per Hadamard row",
                           at_key=True)
            count = self.integer(section, "replicates", path, "replicates", 50, 2)
        fay_rho = None
        if kind == "Fay":
            fay_rho = self.number(section, "fay_rho", path, "replicates", 0.5, 1e-12,
                                  1 - 1e-12, "Fay's factor, between 0 and 1, such as 0.5")
        elif "fay_rho" in section:
            self.error((*path, "fay_rho"), "fay_rho applies to kind Fay", at_key=True)
        mse = section.get("mse", False)
        if not isinstance(mse, bool):
            self.error((*path, "mse"), f"mse must be true or false, not {mse!r}")
            mse = False
        return Replication(kind, count, fay_rho, mse)

    # -- disclosure -------------------------------------------------------------------------

    def disclosure(self, section: Any) -> Disclosure | None:
        path: Path_ = ("disclosure",)
        section = self.mapping(section if section is not None else {}, path, "disclosure",
                               DISCLOSURE_KEYS)
        if section is None:
            return None
        min_cell = self.integer(section, "min_cell", path, "disclosure", 5, 1)
        low_base = self.integer(section, "low_base", path, "disclosure", 30, 1)
        if low_base < min_cell:
            self.error((*path, "low_base"), f"low_base ({low_base}) must be at least min_cell "
                       f"({min_cell}): a base under min_cell is suppressed, not flagged")
        free_text = FreeText(self.option(section, "free_text", path, "disclosure",
                                         tuple(FreeText), FreeText.EXCLUDE))
        keys = []
        for word_path, name in self.words(section, "k_anonymity_keys", path, "disclosure"):
            info = self.lookup(name, word_path, "a k-anonymity key", CATEGORICAL_SCALES,
                               CATEGORIES)
            if info is not None:
                keys.append(info.name)
        names = tuple(name for _, name in self.words(section, "known_names", path,
                                                     "disclosure"))
        return Disclosure(DisclosureRules(min_cell, low_base), free_text, tuple(keys), names)


    # -- the previous wave ------------------------------------------------------------------

    def previous_wave(self, section: Any) -> PreviousWave | None:
        """The earlier wave's results folder (relative to the plan's folder), which must hold
        what `survey analyse` wrote there, and its label."""
        if section is None:
            return None
        path: Path_ = ("previous_wave",)
        section = self.mapping(section, path, "previous_wave", PREVIOUS_WAVE_KEYS,
                               PREVIOUS_WAVE_KEYS)
        if section is None:
            return None
        given = section.get("label")
        # label: 2025 (a YAML number) is meant as the text "2025"
        label = (str(given) if isinstance(given, int) and not isinstance(given, bool)
                 else self.text(section, "label", path, "previous_wave"))
        name = self.text(section, "results", path, "previous_wave")
        if name is None or label is None:
            return None
        folder = (self.path.parent / name).resolve()
        again = ("; give the folder `survey analyse` wrote for the earlier wave (its --out), "
                 "relative to the plan's folder, e.g. results: ../wave-2025/results")
        if not folder.is_dir():
            self.error((*path, "results"), f"previous wave '{name}' not found (looked for the "
                       f"folder {folder}){again}")
            return None
        missing = [f for f in ("results.csv", "run.json") if not (folder / f).is_file()]
        if missing:
            self.error((*path, "results"), f"previous wave '{name}' has no "
                       f"{' and no '.join(missing)} (looked in {folder}){again}; or run "
                       f"survey analyse for that wave with --out {folder}")
            return None
        return PreviousWave(str(folder), label, self.place(path))


def check_plan(path: Path, questionnaire: Questionnaire) -> Plan:
    """The checked plan; raises PlanError with every problem of the plan and its margins."""
    document = read_plan_yaml(path)
    checker = _PlanChecker(document, questionnaire, path)
    plan = checker.run()
    if plan is None:
        raise PlanError(sorted(checker.diagnostics, key=lambda d: d.mark)
                        + sorted(checker.other_files, key=lambda d: d.mark))
    return plan
