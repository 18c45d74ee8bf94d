"""An XLSForm as a draft questionnaire in our format.

pyxform reads the workbook (so every spelling Kobo and ODK accept is understood the same way);
its form tree is then mapped question by question. Whatever has no counterpart here (repeats,
GPS, media, choice filters, metadata fields) is left out and reported.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from survey.convert.expressions import Printer
from survey.convert.identifiers import MAX_CHOICE, MAX_ID, Renamer, identifier
from survey.convert.languages import language_code
from survey.convert.report import ConversionReport, ConvertError
from survey.questionnaire.expressions.parser import ExpressionSyntaxError, parse_expression
from survey.questionnaire.expressions.syntax import Binary, Call, Current, Literal, Node

_TEXTUAL = {"text": "text", "string": "text"}
_NUMBERS = {"integer": "integer", "int": "integer", "decimal": "decimal"}
_SELECTS = {"select one": "single_choice", "select all that apply": "multiple_choice",
            "rank": "ranking"}
_METADATA = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
             "username", "email", "audit", "uri:deviceid", "start-geopoint",
             "background-audio", "uri:email", "uri:username", "uri:subscriberid",
             "uri:simserial", "uri:phonenumber"}
_IGNORED_KEYS = {"type", "name", "label", "hint", "bind", "children", "choices", "itemset",
                 "list_name", "parameters", "control", "toolkit_type", "choice_filter",
                 "default"}
_REPORTED_BIND = {"readonly": "read-only", "jr:requiredMsg": "required message",
                  "jr:preload": "preload", "jr:noAppErrorString": "error text"}
_PATH = re.compile(r"(?:\.\./)+([A-Za-z_][\w.-]*)|/data/(?:[\w.-]+/)*([A-Za-z_][\w.-]*)")
_SELECTED = re.compile(r"selected\(\s*\$\{(\w+)\}\s*,\s*(['\"])(.*?)\2\s*\)")
_EQUALS = re.compile(r"\$\{(\w+)\}\s*(!?=)\s*(['\"])(.*?)\3")
_DATE = re.compile(r"date\(\s*(['\"])(\d{4}-\d{2}-\d{2})\1\s*\)")
_DATE_PART = re.compile(
    r"int\(\s*format-date\(\s*(\$\{\w+\}|\.|today\(\))\s*,\s*'%([Yn])'\s*\)\s*\)")


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("yes", "true", "true()", "1")


class _Reader:
    def __init__(self, form: dict[str, Any], fallback_language: str, report: ConversionReport):
        self.form = form
        self.report = report
        default = language_code(str(form.get("default_language") or ""))
        self.default = default or fallback_language
        self.languages: list[str] = [self.default]
        self.questions = Renamer(report, "question")
        self.list_names = Renamer(report, "choice list")
        self.choice_names: dict[str, Renamer] = {}
        self.lists: dict[str, list[dict[str, Any]]] = {}
        self.list_missing: dict[str, list[str]] = {}
        self.missing: dict[str, dict[str, Any]] = {}
        self.choice_maps: dict[str, dict[str, str]] = {}
        """question id (ours) -> XLSForm choice name -> our choice name."""
        self.sections: list[dict[str, Any]] = []
        self.unknown_languages: set[str] = set()
        self.intro: Any = None
        self.privacy: Any = None

    # -- texts -----------------------------------------------------------------------------

    def text(self, value: Any) -> dict[str, str] | None:
        if value is None or value == "" or value == {}:
            return None
        if not isinstance(value, dict):
            return {self.default: str(value)}
        result: dict[str, str] = {}
        for name, text in value.items():
            code = self.default if name == "default" else language_code(name)
            if code is None:
                if name not in self.unknown_languages:
                    self.unknown_languages.add(name)
                    self.report.add("languages", f"'{name}' names no language code CLDR "
                                    "knows; its texts were left out (name columns like "
                                    "label::English (en))")
                continue
            if code not in self.languages:
                self.languages.append(code)
            if str(text).strip():
                result.setdefault(code, str(text))
        return result or None

    # -- expressions -----------------------------------------------------------------------

    def expression(self, source: Any, where: str, key: str) -> str | None:
        if source is None or str(source).strip() == "":
            return None
        text = str(source)
        text = _PATH.sub(lambda m: "${" + (m.group(1) or m.group(2)) + "}", text)
        text = re.sub(r"\$\{([^}]*)\}",
                      lambda m: "${" + self.questions.names.get(m.group(1), m.group(1)) + "}",
                      text)
        text = _SELECTED.sub(lambda m: "selected(${" + m.group(1) + "}, '"
                             + self.choice(m.group(1), m.group(3)) + "')", text)
        text = _EQUALS.sub(lambda m: "${" + m.group(1) + "} " + m.group(2) + " '"
                           + self.choice(m.group(1), m.group(4)) + "'", text)
        text = _DATE.sub(lambda m: f"'{m.group(2)}'", text)
        text = _DATE_PART.sub(lambda m: ("year" if m.group(2) == "Y" else "month")
                              + f"({m.group(1)})", text)
        try:
            parse_expression(text)
        except ExpressionSyntaxError as error:
            self.report.add(where, f"{key} '{source}' not carried over: {error}")
            return None
        return text

    def choice(self, question: str, name: str) -> str:
        """Our name of XLSForm choice `name` of (our) question `question`."""
        return self.choice_maps.get(question, {}).get(name, name)

    # -- choices ---------------------------------------------------------------------------

    def choice_list(self, node: dict[str, Any], where: str) -> str | None:
        raw_name = str(node.get("list_name") or node.get("itemset") or node["name"])
        name = self.list_names(raw_name, f"choice list {raw_name}")
        if name in self.lists:
            return name
        renamer = self.choice_names.setdefault(
            name, Renamer(self.report, "choice", "c", MAX_CHOICE))
        choices, missing, used = [], [], set()
        raw = node.get("choices") or []
        if not raw:
            self.report.add(where, f"choice list '{raw_name}' is empty or external; the "
                            "question was left out")
            return None
        for position, entry in enumerate(raw, start=1):
            original = str(entry.get("toolkit_name") or entry.get("name"))
            code = self._code(entry, position)
            label = self.text(entry.get("label")) or {self.default: original}
            if _truthy(entry.get("missing")):
                missing_name = identifier(original, "m")
                self.missing.setdefault(missing_name, {"name": missing_name, "code": code,
                                                       "label": label})
                missing.append(missing_name)
                continue
            if original in renamer.names:
                self.report.add(f"choice list {raw_name}", f"choice '{original}' appears "
                                "more than once (a list for a choice filter); only the first "
                                "was kept")
                continue
            choice = {"name": renamer(original, f"choice list {raw_name}"), "code": code,
                      "label": label}
            if _truthy(entry.get("exclusive")):
                choice["exclusive"] = True
            choices.append(choice)
            used.add(code)
        if len(used) != len(choices):
            self.report.add(f"choice list {raw_name}", "codes were not unique; numbered "
                            "1, 2, 3, ... in list order instead")
            for position, choice in enumerate(choices, start=1):
                choice["code"] = position
        self.lists[name] = choices
        self.list_missing[name] = missing
        return name

    @staticmethod
    def _code(entry: dict[str, Any], position: int) -> int:
        for candidate in (entry.get("code"), entry.get("name")):
            try:
                number = float(str(candidate))
            except (TypeError, ValueError):
                continue
            if number.is_integer():
                return int(number)
        return position

    # -- questions -------------------------------------------------------------------------

    def question(self, node: dict[str, Any], relevant: list[str]) -> dict[str, Any] | None:
        raw_type = str(node.get("type", "")).strip()
        raw_name = str(node.get("name", ""))
        where = f"question {raw_name}"
        marker = str(node.get("toolkit_type") or "")
        if raw_type in _METADATA:
            self.report.add(where, f"metadata field '{raw_type}' not carried over (the "
                            "toolkit records its own timestamps and sources)")
            return None
        if (node.get("control") or {}).get("appearance") == "label":
            self.report.add(where, "header row of a table-list group not carried over (its "
                            "choices are shown with each question)")
            return None
        kind = self._type(raw_type, marker, node)
        if kind is None:
            self.report.add(where, f"type '{raw_type}' has no counterpart in the toolkit; "
                            "question left out")
            return None
        question: dict[str, Any] = {"id": self.questions(raw_name, where), "type": kind}
        where = f"question {question['id']}"
        label = self.text(node.get("label"))
        if label:
            question["label"] = label
        elif kind != "calculate":
            question["label"] = {self.default: raw_name}
            self.report.add(where, "had no label; its name is used as the label")
        hint = self.text(node.get("hint"))
        if hint:
            question["hint"] = hint
        if kind in ("single_choice", "multiple_choice", "ranking", "rating"):
            list_name = self.choice_list(node, where)
            if list_name is None:
                return None
            question["scale" if kind == "rating" else "choices"] = list_name
            self.choice_maps[question["id"]] = {
                self._xlsform_name(c, list_name): c["name"] for c in self.lists[list_name]}
            if self.list_missing[list_name]:
                question["missing"] = list(self.list_missing[list_name])
            if kind == "ranking":
                rank = marker.split()[1:] if marker.startswith("ranking") else []
                question["rank"] = int(rank[0]) if rank else len(self.lists[list_name])
        self._rules(question, node, relevant, where)
        self._leftovers(node, where)
        return question

    def _xlsform_name(self, choice: dict[str, Any], list_name: str) -> str:
        renamer = self.choice_names[list_name]
        return next((old for old, new in renamer.names.items() if new == choice["name"]),
                    choice["name"])

    def _type(self, raw: str, marker: str, node: dict[str, Any]) -> str | None:
        appearance = str((node.get("control") or {}).get("appearance") or "")
        if marker in ("country", "language", "year", "consent", "long_text", "rating"):
            return marker
        if raw in _TEXTUAL:
            return "long_text" if "multiline" in appearance else "text"
        if raw in _NUMBERS:
            return _NUMBERS[raw]
        if raw in _SELECTS:
            return _SELECTS[raw]
        if raw == "acknowledge":
            return "consent"
        if raw in ("date", "note", "calculate"):
            return raw
        return None

    def _rules(self, question: dict[str, Any], node: dict[str, Any], relevant: list[str],
               where: str) -> None:
        bind = node.get("bind") or {}
        own = self.expression(bind.get("relevant"), where, "relevant")
        rules = [*relevant, own] if own else list(relevant)
        if rules:
            question["relevant"] = " and ".join(f"({r})" if len(rules) > 1 else r
                                                for r in rules)
        required = bind.get("required")
        if required is not None and str(required).strip():
            if _truthy(required):
                question["required"] = True
            elif str(required).strip().lower() not in ("no", "false", "false()", "0"):
                expression = self.expression(required, where, "required")
                if expression:
                    question["required"] = expression
        if question["type"] == "calculate":
            calculation = self.expression(bind.get("calculate") or node.get("calculation"),
                                          where, "calculation")
            if calculation:
                question["calculate"] = calculation
            return
        constraint = self.expression(bind.get("constraint"), where, "constraint")
        if constraint:
            rest = self._bounds(question, constraint)
            if rest:
                question["constraint"] = rest
                message = self.text(bind.get("jr:constraintMsg")
                                    or node.get("constraint_message"))
                if message:
                    question["constraint_message"] = message
        for key, what in _REPORTED_BIND.items():
            if key in bind and key != "jr:preload":
                self.report.add(where, f"{what} not carried over")

    def _bounds(self, question: dict[str, Any], constraint: str) -> str | None:
        """Move `. >= n`, `. <= n`, `string-length(.) <= n` and count-selected bounds into
        min, max, max_length, min_selected and max_selected; the rest stays a constraint."""
        kind = question["type"]
        if kind not in ("integer", "decimal", "year", "date", "text", "long_text",
                        "multiple_choice"):
            return constraint
        rest: list[Node] = []
        for part in _conjuncts(parse_expression(constraint)):
            key, value = _bound(part, kind)
            if key is not None and key not in question:
                question[key] = value
            elif not (kind == "multiple_choice" and _is_exclusive_rule(part)):
                rest.append(part)
        printer = Printer()
        return " and ".join(printer(p) if len(rest) == 1 else f"({printer(p)})"
                            for p in rest) or None

    def _leftovers(self, node: dict[str, Any], where: str) -> None:
        if node.get("choice_filter"):
            self.report.add(where, f"choice filter '{node['choice_filter']}' not carried "
                            "over: every choice is offered")
        if node.get("default") not in (None, ""):
            self.report.add(where, f"default '{node['default']}' not carried over")
        media = [k for k in node if k in ("media", "image", "audio", "video")]
        if media:
            self.report.add(where, "media (images, audio, video) not carried over")
        for key in node:
            if key not in _IGNORED_KEYS and key not in media and not key.startswith("$"):
                self.report.add(where, f"column '{key}' not carried over")

    # -- structure -------------------------------------------------------------------------

    def children(self, nodes: list[dict[str, Any]], section: dict[str, Any] | None,
                 relevant: list[str], top: bool) -> None:
        previous: dict[str, Any] | None = None
        for node in nodes:
            kind = str(node.get("type", ""))
            name = str(node.get("name", ""))
            marker = str(node.get("toolkit_type") or "")
            if kind == "group" and (node.get("control") or {}).get("bodyless"):
                continue
            if kind == "repeat":
                self.report.add(f"repeat {name}", "repeated groups have no counterpart; the "
                                "group and its questions were left out")
                continue
            if kind == "group" and marker == "grid":
                grid = self.grid(node, relevant)
                if grid is not None:
                    section = self._place(grid, section)
                continue
            if kind == "group":
                group_rule = self.expression((node.get("bind") or {}).get("relevant"),
                                             f"group {name}", "relevant")
                if top:
                    self.section(node, group_rule)
                    section = None
                else:
                    self.report.add(f"group {name}", "nested group flattened into its "
                                    "section; its condition now stands on each question")
                    self.children(node.get("children") or [], section,
                                  [*relevant, *([group_rule] if group_rule else [])], False)
                continue
            if marker in ("survey_intro", "survey_privacy", "section_intro"):
                text = self.text(node.get("label"))
                if marker == "survey_intro":
                    self.intro = text
                elif marker == "survey_privacy":
                    self.privacy = text
                elif section is not None:
                    section["intro"] = text
                continue
            if self._is_specify_text(node, previous, marker):
                continue
            question = self.question(node, relevant)
            if question is not None:
                section = self._place(question, section)
                previous = question

    def _is_specify_text(self, node: dict[str, Any], previous: dict[str, Any] | None,
                         marker: str) -> bool:
        """`x_other` after `select_one list or_other`, or our own "please specify" rows."""
        if previous is None or previous["type"] not in ("single_choice", "multiple_choice",
                                                        "ranking"):
            return False
        name = str(node.get("name", ""))
        choices = previous.get("choices")
        if not isinstance(choices, (str, list)):
            return False
        inline = copy.deepcopy(self.lists[choices] if isinstance(choices, str) else choices)
        if marker == "other_text":
            choice_name = name.split("__", 1)[-1].removesuffix("_text")
        elif name == f"{previous['id']}_other" and node.get("type") in _TEXTUAL:
            choice_name = "other"
        else:
            return False
        target = next((c for c in inline if c["name"] == choice_name), None)
        if target is None:
            return False
        target["other"] = True
        previous["choices"] = inline
        if marker != "other_text":
            self.report.add(f"question {name}", f"becomes the 'please specify' text of "
                            f"{previous['id']} (variable {previous['id']}__{choice_name}_text)")
        return True

    def grid(self, node: dict[str, Any], relevant: list[str]) -> dict[str, Any] | None:
        name = str(node["name"])
        rows = [c for c in node.get("children") or [] if c.get("type") == "select one"]
        if not rows:
            return None
        question: dict[str, Any] = {
            "id": self.questions(name, f"grid {name}"), "type": "grid",
            "label": self.text(node.get("label")) or {self.default: name}}
        hint = self.text(node.get("hint"))
        if hint:
            question["hint"] = hint
        list_name = self.choice_list(rows[0], f"grid {name}")
        if list_name is None:
            return None
        question["scale"] = list_name
        if self.list_missing[list_name]:
            question["missing"] = list(self.list_missing[list_name])
        question["items"] = [{"id": identifier(str(r["name"]).split("__", 1)[-1], "r"),
                              "label": self.text(r.get("label")) or {self.default: r["name"]}}
                             for r in rows]
        self._rules(question, node, relevant, f"grid {name}")
        question.pop("constraint", None)
        if all(_truthy((r.get("bind") or {}).get("required")) for r in rows):
            question["required"] = True
        return question

    def section(self, node: dict[str, Any], rule: str | None) -> None:
        name = str(node["name"])
        section: dict[str, Any] = {"id": identifier(name, "s"),
                                   "title": self.text(node.get("label")) or {self.default: name},
                                   "questions": []}
        if rule:
            section["relevant"] = rule
        self.sections.append(section)
        self.children(node.get("children") or [], section, [], False)
        if section.get("intro") is None:
            section.pop("intro", None)
        self.sections.remove(section)
        if section["questions"]:
            section["id"] = self._section_id(section["id"])
            self.sections.append(section)

    def _section_id(self, wanted: str) -> str:
        taken = {s["id"] for s in self.sections}
        candidate, number = wanted, 1
        while candidate in taken:
            number += 1
            candidate = f"{wanted}_{number}"
        return candidate

    def _place(self, question: dict[str, Any], section: dict[str, Any] | None
               ) -> dict[str, Any]:
        if section is None:
            section = {"id": self._section_id("questions"),
                       "title": {self.default: str(self.form.get("title") or "Questions")},
                       "questions": []}
            self.sections.append(section)
        section["questions"].append(question)
        return section


def _conjuncts(node: Node) -> list[Node]:
    if isinstance(node, Binary) and node.op == "and":
        return [*_conjuncts(node.left), *_conjuncts(node.right)]
    return [node]


def _bound(node: Node, kind: str) -> tuple[str | None, Any]:
    if not isinstance(node, Binary) or node.op not in (">=", "<="):
        return None, None
    low = node.op == ">="
    left, right = node.left, node.right
    if isinstance(left, Current):
        if kind == "date":
            if isinstance(right, Literal) and isinstance(right.value, str):
                return ("min" if low else "max"), right.value
            if isinstance(right, Call) and right.name == "today":
                return ("min" if low else "max"), "today"
        elif kind in ("integer", "decimal", "year") and isinstance(right, Literal) \
                and not isinstance(right.value, str):
            return ("min" if low else "max"), right.value
    if (isinstance(left, Call) and left.args and isinstance(left.args[0], Current)
            and isinstance(right, Literal) and isinstance(right.value, int)):
        if left.name == "string-length" and not low and kind in ("text", "long_text"):
            return "max_length", right.value
        if left.name == "count-selected" and kind == "multiple_choice":
            return ("min_selected" if low else "max_selected"), right.value
    return None, None


def _is_exclusive_rule(node: Node) -> bool:
    """The rule `not(selected(., 'x') and count-selected(.) > 1)` our XLSForms carry for an
    exclusive choice, which the `exclusive` column already restores."""
    return (isinstance(node, Call) and node.name == "not" and len(node.args) == 1
            and isinstance(node.args[0], Binary) and node.args[0].op == "and"
            and isinstance(node.args[0].left, Call) and node.args[0].left.name == "selected")


def read_form(path: Path) -> dict[str, Any]:
    from pyxform.xls2json import parse_file_to_json

    try:
        return parse_file_to_json(str(path))
    except Exception as error:  # pyxform parses untrusted workbooks; any failure is the file's
        raise ConvertError(f"{path.name} is not a usable XLSForm: {error}. Open it in a "
                           "spreadsheet program, fix the survey and choices sheets, and try "
                           "again") from None


def xlsform_to_data(path: Path, fallback_language: str,
                    report: ConversionReport) -> dict[str, Any]:
    """The questionnaire as plain data, ready to be written as YAML."""
    form = read_form(path)
    reader = _Reader(form, fallback_language, report)
    reader.children(form.get("children") or [], None, [], True)
    if not reader.sections:
        raise ConvertError(f"{path.name} has no question the toolkit can take over; see the "
                           "notes above")
    data = _assemble(reader, form, path)
    _fit_variable_names(data, report)
    _complete_translations(data, reader.languages, reader.default, report)
    return data


def _assemble(reader: _Reader, form: dict[str, Any], path: Path) -> dict[str, Any]:
    title = str(form.get("title") or path.stem)
    organisation = form.get("organisation")
    if not organisation:
        organisation = "(organisation)"
        reader.report.add("survey", "the XLSForm names no organisation; fill in "
                          "survey.organisation")
    survey: dict[str, Any] = {
        "id": identifier(str(form.get("id_string") or path.stem), "s"),
        "version": str(form.get("version") or "1"),
        "title": title, "organisation": str(organisation),
        "languages": reader.languages, "default_language": reader.default}
    if reader.intro:
        survey["intro"] = reader.intro
    if reader.privacy:
        survey["privacy"] = reader.privacy
    data: dict[str, Any] = {"format": 1, "survey": survey}
    if reader.missing:
        data["missing_values"] = list(reader.missing.values())
    used = {q.get(key) for s in reader.sections for q in s["questions"]
            for key in ("choices", "scale") if isinstance(q.get(key), str)}
    lists = {name: choices for name, choices in reader.lists.items() if name in used}
    if lists:
        data["choice_lists"] = lists
    data["sections"] = reader.sections
    return data


def _suffixes(question: dict[str, Any], lists: dict[str, list[dict[str, Any]]]) -> list[str]:
    choices = question.get("choices")
    choices = lists.get(choices, []) if isinstance(choices, str) else choices or []
    kind = question["type"]
    found = [f"__{c['name']}_text" for c in choices if c.get("other")]
    if kind == "multiple_choice":
        found += [f"__{c['name']}" for c in choices]
    elif kind == "grid":
        found += [f"__{item['id']}" for item in question["items"]]
    elif kind == "ranking":
        found.append(f"__rank{question['rank']}")
    return found


def _fit_variable_names(data: dict[str, Any], report: ConversionReport) -> None:
    """Shorten question ids whose variables (`id__choice`) would pass Stata's 32 characters,
    and the references to them."""
    lists = data.get("choice_lists", {})
    questions = [q for s in data["sections"] for q in s["questions"]]
    taken = {q["id"] for q in questions}
    renamed: dict[str, str] = {}
    for question in questions:
        longest = max((len(s) for s in _suffixes(question, lists)), default=0)
        if len(question["id"]) + longest <= MAX_ID:
            continue
        base = question["id"][:max(1, MAX_ID - longest - 2)].rstrip("_")
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}{number}"
        taken.add(candidate)
        renamed[question["id"]] = candidate
        report.add(f"question {question['id']}", f"renamed to '{candidate}' so that its "
                   "variable names stay within Stata's 32 characters")
        question["id"] = candidate
    if not renamed:
        return
    pattern = re.compile(r"\$\{(" + "|".join(map(re.escape, renamed)) + r")(__\w+)?\}")
    for owner in [*questions, *data["sections"]]:
        for key in ("relevant", "constraint", "required", "calculate"):
            if isinstance(owner.get(key), str):
                owner[key] = pattern.sub(
                    lambda m: "${" + renamed[m.group(1)] + (m.group(2) or "") + "}", owner[key])


def _texts(value: Any) -> list[dict[str, str]]:
    """Every translated text (a mapping language -> text) inside `value`."""
    if isinstance(value, dict):
        if value and all(isinstance(v, str) for v in value.values()) and not {
                "id", "name", "type"} & set(value):
            return [value]
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _complete_translations(data: dict[str, Any], languages: list[str], default: str,
                           report: ConversionReport) -> None:
    """Our format needs every text in every language; a missing one is filled from another
    language and counted, and that language is marked as a draft."""
    filled: dict[str, int] = {}
    for text in _texts(data):
        source = text.get(default) or next(iter(text.values()))
        for language in languages:
            if not text.get(language):
                text[language] = source
                filled[language] = filled.get(language, 0) + 1
    status = {}
    for language, count in filled.items():
        status[language] = "draft"
        report.add("languages", f"{count} texts had no {language} translation; the text of "
                   f"another language ({default} where there is one) was copied in "
                   "(translation_status: draft)")
    if status:
        data["survey"]["translation_status"] = status
