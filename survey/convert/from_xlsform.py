"""An XLSForm as a draft questionnaire in our format.

pyxform reads the workbook (so every spelling Kobo and ODK accept is understood the same way);
its form tree is then mapped question by question. Whatever has no counterpart here (repeats,
GPS, media, choice filters, metadata fields) is left out and reported, and what depended on it
(a rule naming a left-out question, a `required` whose condition was lost) is adjusted and
reported too, so the draft always passes `survey validate`.

Each question, choice and grid row keeps its XLSForm name (with the group path) as `original`,
so that exports of the original form still match after renaming.
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
from survey.convert.rules import settle_piping, settle_references
from survey.convert.workbook import survey_rows
from survey.questionnaire.expressions.parser import ExpressionSyntaxError, parse_expression
from survey.questionnaire.expressions.syntax import (
    Binary,
    Call,
    Current,
    Literal,
    Node,
    Ref,
    references,
)
from survey.questionnaire.media import media_problem

_TEXTUAL = {"text": "text", "string": "text"}
_NUMBERS = {"integer": "integer", "int": "integer", "decimal": "decimal"}
_SELECTS = {"select one": "single_choice", "select all that apply": "multiple_choice",
            "rank": "ranking"}
_METADATA = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
             "username", "email", "audit", "uri:deviceid", "start-geopoint",
             "background-audio", "uri:email", "uri:username", "uri:subscriberid",
             "uri:simserial", "uri:phonenumber"}
_MEDIA_KEYS = {"image": "image", "audio": "audio"}
"""XLSForm media columns the questionnaire format holds (video and big-image it does not)."""
_IGNORED_KEYS = {"type", "name", "label", "hint", "bind", "children", "choices", "itemset",
                 "list_name", "parameters", "control", "toolkit_type", "choice_filter",
                 "default", "media", "constraint_message"}
_REPORTED_BIND = {"readonly": "read-only", "jr:requiredMsg": "required message",
                  "jr:noAppErrorString": "error text"}
_PATH = re.compile(r"(?:\.\./)+([A-Za-z_][\w.-]*)|/data/(?:[\w.-]+/)*([A-Za-z_][\w.-]*)")
_SELECTED = re.compile(
    r"selected\(\s*(\$\{(\w+)\}|\.)\s*,\s*(?:(['\"])(.*?)\3|(-?\d+))\s*\)")
_EQUALS = re.compile(r"\$\{(\w+)\}\s*(!?=)\s*(?:(['\"])(.*?)\3|(-?\d+)(?![\w.]))")
_DATE = re.compile(r"date\(\s*(['\"])(\d{4}-\d{2}-\d{2})\1\s*\)")
_DATE_PART = re.compile(
    r"int\(\s*format-date\(\s*(\$\{\w+\}|\.|today\(\))\s*,\s*'%([Yn])'\s*\)\s*\)")
_PIPED = re.compile(r"\$\{([^}]*)\}")
_FALSE = ("no", "false", "false()", "0")


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("yes", "true", "true()", "1")


def _has(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


class _Reader:
    def __init__(self, form: dict[str, Any], fallback_language: str, report: ConversionReport,
                 folder: Path):
        self.form = form
        self.folder = folder
        """The form's folder, where its pictures and recordings are looked for."""
        self.report = report
        default = language_code(str(form.get("default_language") or ""))
        self.default = default or fallback_language
        self.languages: list[str] = [self.default]
        self.ids = Renamer(ConversionReport(), "question")
        """Our question ids, keyed by the XLSForm path (names repeat across groups)."""
        self.refs: dict[str, str] = {}
        """XLSForm name -> our id, for `${name}` (the first question of that name)."""
        self.list_names = Renamer(report, "choice list")
        self.choice_names: dict[str, Renamer] = {}
        self.lists: dict[str, list[dict[str, Any]]] = {}
        self.list_missing: dict[str, list[str]] = {}
        self.missing: dict[str, dict[str, Any]] = {}
        self.choice_maps: dict[str, dict[str, str]] = {}
        """question id (ours) -> XLSForm choice name -> our choice name."""
        self.sections: list[dict[str, Any]] = []
        self.unknown_languages: set[str] = set()
        self.columns: dict[str, str] = {}
        """language code -> the first column name met for it (`English`, `English (EN)`)."""
        self.merged: set[tuple[str, str]] = set()
        self.intro: Any = None
        self.privacy: Any = None
        self.removed: dict[str, str] = {}
        """Questions (our ids) whose calculation could not be carried over -> why."""
        self.types: dict[str, str] = {}
        """Our question id -> our question type, for reading rules that name it."""
        self.calculations: dict[str, str] = {}
        """Calculations carried over: our id -> XLSForm name (to find cycles)."""

    # -- names -----------------------------------------------------------------------------

    def name_all(self, nodes: list[dict[str, Any]], prefix: str = "",
                 loop_choice: str | None = None) -> None:
        """Give every question its id before any rule is read, so that a rule may name a
        later question, and two questions of one name in different groups stay apart.
        A question copied for each choice of a loop is named after the choice as well."""
        for node in nodes:
            kind = str(node.get("type", ""))
            name = str(node.get("name", ""))
            path = f"{prefix}{name}"
            if kind in ("group", "repeat") and not (
                    kind == "group" and str(node.get("toolkit_type") or "") == "grid"):
                self.name_all(node.get("children") or [], f"{path}/",
                              node.get("$loop_choice", loop_choice))
                continue
            wanted = _loop_name(name, loop_choice) if loop_choice else name
            our = self.ids(wanted, key=path)
            self.refs.setdefault(name, our)

    def question_id(self, name: str, path: str, where: str) -> str:
        our = self.ids(name, key=path)
        if our != name:
            self.report.add(where, f"question '{path}' renamed to '{our}' (identifiers are "
                            "short lower-case letters, digits and single _; the XLSForm name "
                            "is kept as 'original')")
        return our

    # -- texts -----------------------------------------------------------------------------

    def text(self, value: Any, where: str | None = None) -> dict[str, str] | None:
        if value is None or value == "" or value == {}:
            return None
        if not isinstance(value, dict):
            value = {"default": value}
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
            first = self.columns.setdefault(code, name)
            if str(text).strip():
                kept = result.setdefault(code, self.pipe(str(text), where))
                if first != name and kept != self.pipe(str(text), None) \
                        and (first, name) not in self.merged:
                    self.merged.add((first, name))
                    self.report.add("languages", f"columns '{first}' and '{name}' both name "
                                    f"language '{code}'; where both have a text, the one of "
                                    f"'{first}' was kept")
        return result or None

    def pipe(self, text: str, where: str | None) -> str:
        """`${name}` in a text shows an earlier answer, in ODK as here: the name becomes our
        id. Whether it still names an earlier question is settled once the draft is whole
        (survey.convert.rules.settle_piping)."""
        if not _PIPED.search(text):
            return text
        return _PIPED.sub(
            lambda m: "${" + self.refs.get(m.group(1).strip(), identifier(m.group(1))) + "}",
            text)

    # -- expressions -----------------------------------------------------------------------

    def expression(self, source: Any, where: str, key: str,
                   current: str | None = None) -> str | None:
        """Our spelling of an XLSForm rule; None (and a note) when it cannot be read.
        `current` is our id of the question `.` stands for."""
        if not _has(source):
            return None
        text = str(source)
        text = _PATH.sub(lambda m: "${" + (m.group(1) or m.group(2)) + "}", text)
        text = re.sub(r"\$\{([^}]*)\}",
                      lambda m: "${" + self.refs.get(m.group(1).strip(), m.group(1)) + "}",
                      text)

        def selected(match: re.Match[str]) -> str:
            owner = match.group(2) or current or ""
            subject = "." if match.group(1) == "." else "${" + match.group(2) + "}"
            value = match.group(4) if match.group(3) else match.group(5)
            return f"selected({subject}, '{self.choice(owner, value)}')"

        def equals(match: re.Match[str]) -> str:
            owner, value = match.group(1), match.group(4) if match.group(3) else match.group(5)
            op, ref, kind = match.group(2), "${" + owner + "}", self.types.get(owner)
            if kind == "multiple_choice":
                if value == "":
                    return f"count-selected({ref}) {'=' if op == '=' else '>'} 0"
                exact = (f"selected({ref}, '{self.choice(owner, value)}') and "
                         f"count-selected({ref}) = 1")
                return f"({exact})" if op == "=" else f"not({exact})"
            if kind in ("integer", "decimal", "year") and re.fullmatch(r"-?\d+(\.\d+)?", value):
                return f"{ref} {op} {value}"
            if not match.group(3) and value not in self.choice_maps.get(owner, {}):
                return match.group(0)
            return f"{ref} {op} '{self.choice(owner, value)}'"

        text = _SELECTED.sub(selected, text)
        text = _EQUALS.sub(equals, text)
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
            label = self.text(entry.get("label"), f"choice list {raw_name}") or {
                self.default: original}
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
            choice: dict[str, Any] = {"name": renamer(original, f"choice list {raw_name}")}
            xlsform_name = str(entry.get("name"))
            if choice["name"] != xlsform_name:
                choice["original"] = xlsform_name
            choice |= {"code": code, "label": label}
            if _truthy(entry.get("exclusive")):
                choice["exclusive"] = True
            choice |= self._media(entry, f"choice list {raw_name}, choice {original}")
            choices.append(choice)
            used.add(code)
        if not choices:
            self.report.add(where, f"choice list '{raw_name}' has no choice that is not a "
                            "missing value; the question was left out")
            return None
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
            if number.is_integer() and abs(number) < 2**31:
                return int(number)
        return position

    # -- questions -------------------------------------------------------------------------

    def question(self, node: dict[str, Any], relevant: list[str], lost: list[str],
                 path: str) -> dict[str, Any] | None:
        raw_type = str(node.get("type", "")).strip()
        raw_name = str(node.get("name", ""))
        where = f"question {path}"
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
                            "question left out" + (" with its media" if node.get("media")
                                                   else ""))
            return None
        question: dict[str, Any] = {"id": self.question_id(raw_name, path, where)}
        if question["id"] != path:
            question["original"] = path
        question["type"] = kind
        where = f"question {question['id']}"
        label = self.text(node.get("label"), where)
        if label:
            question["label"] = label
        elif kind != "calculate":
            question["label"] = {self.default: raw_name}
            self.report.add(where, "had no label; its name is used as the label")
        hint = self.text(node.get("hint"), where)
        if hint:
            question["hint"] = hint
        if kind in ("single_choice", "multiple_choice", "ranking", "rating"):
            list_name = self.choice_list(node, where)
            if list_name is None:
                return None
            if kind == "rating" and not _is_scale(self.lists[list_name]):
                self.report.add(where, "appearance 'likert' not carried over as a rating: "
                                "its choices are not numbered 1, 2, 3, ... (a rating scale's "
                                "codes must be consecutive); asked as a single choice")
                kind = question["type"] = "single_choice"
            question["scale" if kind == "rating" else "choices"] = list_name
            self.choice_maps[question["id"]] = {
                c.get("original", c["name"]): c["name"] for c in self.lists[list_name]}
            if self.list_missing[list_name]:
                question["missing"] = list(self.list_missing[list_name])
            if kind == "ranking":
                rank = marker.split()[1:] if marker.startswith("ranking") else []
                question["rank"] = int(rank[0]) if rank else len(self.lists[list_name])
        self.types[question["id"]] = kind
        self._rules(question, node, relevant, lost, where)
        if kind == "calculate" and "calculate" not in question:
            self.removed[question["id"]] = "its calculation could not be carried over"
            return None
        if kind == "calculate":
            self.calculations[question["id"]] = path
        self._leftovers(node, where)
        if kind != "calculate":
            question |= self._media(node, where)
        return question

    def _type(self, raw: str, marker: str, node: dict[str, Any]) -> str | None:
        appearance = str((node.get("control") or {}).get("appearance") or "")
        if marker in ("country", "language", "year", "consent", "long_text", "rating"):
            return marker
        if raw in _TEXTUAL:
            return "long_text" if "multiline" in appearance else "text"
        if raw in _NUMBERS:
            return _NUMBERS[raw]
        if raw == "select one" and "likert" in appearance.split():
            return "rating"
        if raw in _SELECTS:
            return _SELECTS[raw]
        if raw == "acknowledge":
            return "consent"
        if raw in ("date", "note", "calculate"):
            return raw
        return None

    def _rules(self, question: dict[str, Any], node: dict[str, Any], relevant: list[str],
               lost: list[str], where: str) -> None:
        bind = node.get("bind") or {}
        own = self.expression(bind.get("relevant"), where, "relevant")
        lost = [*lost, *(["its own condition"] if _has(bind.get("relevant")) and not own
                         else [])]
        rules = [*relevant, own] if own else list(relevant)
        if rules:
            question["relevant"] = " and ".join(f"({r})" if len(rules) > 1 else r
                                                for r in rules)
        required = bind.get("required")
        if _has(required):
            if _truthy(required):
                question["required"] = True
            elif str(required).strip().lower() not in _FALSE:
                expression = self.expression(required, where, "required", question["id"])
                if expression:
                    question["required"] = expression
        if question.get("required") and lost:
            question.pop("required")
            self.report.add(where, f"required not carried over: {' and '.join(lost)} could "
                            "not be carried over, so the question is now asked of everyone "
                            "and may be left empty")
        if question["type"] == "note" and question.pop("required", None):
            self.report.add(where, "required not carried over: a note has no answer")
        if question["type"] == "calculate":
            calculation = self.expression(bind.get("calculate") or node.get("calculation"),
                                          where, "calculation")
            if calculation:
                question["calculate"] = calculation
            elif not _has(bind.get("calculate") or node.get("calculation")):
                self.report.add(where, "calculation is empty")
            question.pop("required", None)
            return
        self._constraint(question, bind, node, where)
        for key, what in _REPORTED_BIND.items():
            if key in bind:
                self.report.add(where, f"{what} not carried over")
        if "jr:preload" in bind:
            self.report.add(where, f"preload '{bind['jr:preload']}' not carried over")

    def _constraint(self, question: dict[str, Any], bind: dict[str, Any],
                    node: dict[str, Any], where: str) -> None:
        source = bind.get("constraint")
        message = bind.get("jr:constraintMsg") or node.get("constraint_message")
        constraint = self.expression(source, where, "constraint", question["id"])
        if not constraint:
            if _has(source) and message:
                self.report.add(where, "constraint message not carried over with its "
                                "constraint")
            return
        if question["type"] not in ("single_choice", "multiple_choice", "rating", "ranking",
                                    "integer", "decimal", "text", "long_text", "date", "year",
                                    "country", "language"):
            self.report.add(where, f"constraint '{source}' not carried over: a "
                            f"{question['type']} question has no answer to check")
            return
        rest = self._bounds(question, constraint)
        text = self.text(message, where) if message else None
        if text and not rest:
            rest = constraint  # the message is shown when the rule fails, so keep the rule
        if rest:
            question["constraint"] = rest
            if text:
                question["constraint_message"] = text

    def _bounds(self, question: dict[str, Any], constraint: str) -> str | None:
        """Move `. >= n`, `. <= n`, `string-length(.) <= n` and count-selected bounds into
        min, max, max_length, min_selected and max_selected, and "ticking x excludes the
        others" rules into `exclusive`; the rest stays a constraint."""
        kind = question["type"]
        if kind not in ("integer", "decimal", "year", "date", "text", "long_text",
                        "multiple_choice"):
            return constraint
        rest: list[Node] = []
        exclusive: list[str] = []
        names = set(self.choice_maps.get(question["id"], {}).values())
        for part in _conjuncts(parse_expression(constraint)):
            key, value = _bound(part, kind)
            alone = _exclusive_choice(part, question["id"], names) \
                if kind == "multiple_choice" else None
            if key is not None and key not in question:
                question[key] = value
            elif alone is not None:
                exclusive.append(alone)
            else:
                rest.append(part)
        if exclusive:
            self._make_exclusive(question, exclusive)
        printer = Printer()
        return " and ".join(printer(p) if len(rest) == 1 else f"({printer(p)})"
                            for p in rest) or None

    def _make_exclusive(self, question: dict[str, Any], names: list[str]) -> None:
        choices = question["choices"]
        inline = copy.deepcopy(self.lists[choices] if isinstance(choices, str) else choices)
        for choice in inline:
            if choice["name"] in names:
                choice["exclusive"] = True
        question["choices"] = inline

    def _media(self, node: dict[str, Any], where: str) -> dict[str, Any]:
        """The node's pictures and recordings as `image:`/`audio:` keys, for the files found
        beside the form; every other medium is listed, with what to do."""
        carried: dict[str, Any] = {}
        for kind, files in (node.get("media") or {}).items():
            key = _MEDIA_KEYS.get(kind)
            by_language = files if isinstance(files, dict) else {"default": files}
            shown = ", ".join(f"{name}: {file}" if name != "default" else str(file)
                              for name, file in by_language.items())
            if key is None:
                self.report.add(where, f"media::{kind} '{shown}' not carried over (the format "
                                "holds pictures and recordings, not video); name where to "
                                "watch it in the hint, or add a picture and a recording")
                continue
            found: dict[str, str] = {}
            for name, file in by_language.items():
                code = self.default if name == "default" else language_code(name)
                if code not in self.languages:
                    self.report.add(where, f"media::{kind}::{name} '{file}' not carried over: "
                                    "the form has no texts in that language")
                    continue
                relative = self._media_file(key, str(file), where)
                if relative is None:
                    continue
                found[code] = relative
            if found:
                # one file for every language only where the form named no language
                carried[key] = found[self.default] if list(by_language) == ["default"] \
                    else found
        return carried

    def _media_file(self, kind: str, name: str, where: str) -> str | None:
        """`media/<name>` when the form's folder (or its media folder) holds a usable `name`;
        otherwise None, with a note that says what to do."""
        plain = Path(name.replace("\\", "/")).name
        found = next((c for c in (self.folder / plain, self.folder / "media" / plain)
                      if plain and c.is_file()), None)
        if found is None:
            self.report.add(where, f"media::{kind} '{name}' not carried over: the file is not "
                            f"in {self.folder} or its media folder; put it there and convert "
                            f"again, or add '{kind}:' by hand")
            return None
        problem = media_problem(kind, plain, found.parent)
        if problem:
            self.report.add(where, f"media::{kind} not carried over: {problem}")
            return None
        self.report.media[f"media/{plain}"] = found
        return f"media/{plain}"

    def _leftovers(self, node: dict[str, Any], where: str) -> None:
        if node.get("choice_filter"):
            self.report.add(where, f"choice filter '{node['choice_filter']}' not carried "
                            "over: every choice is offered")
        if node.get("default") not in (None, ""):
            self.report.add(where, f"default '{node['default']}' not carried over")
        for key in node:
            if key not in _IGNORED_KEYS and not key.startswith("$"):
                self.report.add(where, f"column '{key}' not carried over")

    # -- structure -------------------------------------------------------------------------

    def children(self, nodes: list[dict[str, Any]], section: dict[str, Any] | None,
                 relevant: list[str], lost: list[str], top: bool, prefix: str = "") -> None:
        previous: dict[str, Any] | None = None
        for node in nodes:
            kind = str(node.get("type", ""))
            name = str(node.get("name", ""))
            marker = str(node.get("toolkit_type") or "")
            path = f"{prefix}{name}"
            if kind == "group" and (node.get("control") or {}).get("bodyless"):
                continue
            if kind == "repeat":
                self.report.add(f"repeat {path}", "repeated groups have no counterpart; the "
                                "group and its questions were left out")
                continue
            if kind == "group" and marker == "grid":
                grid = self.grid(node, relevant, lost, path)
                if grid is not None:
                    section = self._place(grid, section)
                continue
            if kind == "group":
                source = (node.get("bind") or {}).get("relevant")
                group_rule = self.expression(source, f"group {path}", "relevant")
                inner_lost = [*lost, *([f"the condition of group {path}"]
                                       if _has(source) and not group_rule else [])]
                if top:
                    self.section(node, group_rule, inner_lost, path)
                    section = None
                else:
                    if not node.get("$loop"):
                        self.report.add(f"group {path}", "nested group flattened into its "
                                        "section; its condition now stands on each question")
                    self.children(node.get("children") or [], section,
                                  [*relevant, *([group_rule] if group_rule else [])],
                                  inner_lost, False, f"{path}/")
                continue
            if marker in ("survey_intro", "survey_privacy", "section_intro"):
                text = self.text(node.get("label"), f"question {path}")
                if marker == "survey_intro":
                    self.intro = text
                elif marker == "survey_privacy":
                    self.privacy = text
                elif section is not None:
                    section["intro"] = text
                continue
            if self._is_specify_text(node, previous, marker):
                continue
            question = self.question(node, relevant, lost, path)
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
        elif name == f"{previous.get('original', previous['id']).rsplit('/', 1)[-1]}_other" \
                and node.get("type") in _TEXTUAL:
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

    def grid(self, node: dict[str, Any], relevant: list[str], lost: list[str],
             path: str) -> dict[str, Any] | None:
        name = str(node["name"])
        rows = [c for c in node.get("children") or [] if c.get("type") == "select one"]
        if not rows:
            return None
        question: dict[str, Any] = {"id": self.question_id(name, path, f"grid {path}")}
        if question["id"] != path:
            question["original"] = path
        question |= {"type": "grid",
                     "label": self.text(node.get("label"), f"grid {path}") or {
                         self.default: name}}
        hint = self.text(node.get("hint"), f"grid {path}")
        if hint:
            question["hint"] = hint
        list_name = self.choice_list(rows[0], f"grid {name}")
        if list_name is None:
            return None
        question["scale"] = list_name
        if self.list_missing[list_name]:
            question["missing"] = list(self.list_missing[list_name])
        items = Renamer(ConversionReport(), "row", "r")
        question["items"] = []
        for row in rows:
            row_name = str(row["name"])
            item: dict[str, Any] = {"id": items(row_name.split("__", 1)[-1])}
            if row_name.split("__", 1)[-1] != item["id"]:
                item["original"] = row_name.split("__", 1)[-1]
            item["label"] = self.text(row.get("label"), f"grid {path}") or {
                self.default: row_name}
            question["items"].append(item)
        self._rules(question, node, relevant, lost, f"grid {name}")
        question.pop("constraint", None)
        question.pop("constraint_message", None)
        if all(_truthy((r.get("bind") or {}).get("required")) for r in rows) and not lost:
            question["required"] = True
        return question

    def section(self, node: dict[str, Any], rule: str | None, lost: list[str],
                path: str) -> None:
        name = str(node["name"])
        section: dict[str, Any] = {
            "id": identifier(name, "s"),
            "title": self.text(node.get("label"), f"group {path}") or {self.default: name},
            "questions": []}
        if rule:
            section["relevant"] = rule
        self.sections.append(section)
        self.children(node.get("children") or [], section, [], lost, False, f"{path}/")
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


def _is_scale(choices: list[dict[str, Any]]) -> bool:
    codes = sorted(c["code"] for c in choices)
    return len(codes) >= 2 and codes == list(range(codes[0], codes[0] + len(codes)))


def _conjuncts(node: Node) -> list[Node]:
    if isinstance(node, Binary) and node.op == "and":
        return [*_conjuncts(node.left), *_conjuncts(node.right)]
    return [node]


def _disjuncts(node: Node) -> list[Node]:
    if isinstance(node, Binary) and node.op == "or":
        return [*_disjuncts(node.left), *_disjuncts(node.right)]
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


# -- "ticking x excludes the others" ---------------------------------------------------------

def _is_self(node: Node, own: str) -> bool:
    return isinstance(node, Current) or (isinstance(node, Ref) and node.name == own)


def _ticked(node: Node, own: str) -> str | None:
    """'x' for `selected(., 'x')` (or `selected(${own}, 'x')`)."""
    if (isinstance(node, Call) and node.name == "selected" and len(node.args) == 2
            and _is_self(node.args[0], own) and isinstance(node.args[1], Literal)):
        return str(node.args[1].value)
    return None


def _count(node: Node, own: str) -> tuple[str, int | float] | None:
    """(op, n) for `count-selected(.) op n`, turned round when written `n op count`."""
    if not isinstance(node, Binary):
        return None
    flipped = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=", "!=": "!="}
    for counter, number, op in ((node.left, node.right, node.op),
                                (node.right, node.left, flipped.get(node.op, ""))):
        if (isinstance(counter, Call) and counter.name == "count-selected" and counter.args
                and _is_self(counter.args[0], own) and isinstance(number, Literal)
                and not isinstance(number.value, str)):
            return op, number.value
    return None


def _more_than_one(node: Node, own: str) -> bool:
    found = _count(node, own)
    return found in ((">", 1), (">=", 2), ("!=", 1))


def _at_most_one(node: Node, own: str) -> bool:
    found = _count(node, own)
    return found in (("=", 1), ("<=", 1), ("<", 2))


def _not(node: Node) -> Node | None:
    if isinstance(node, Call) and node.name == "not" and len(node.args) == 1:
        return node.args[0]
    return None


def _exclusive_choice(node: Node, own: str, names: set[str]) -> str | None:
    """The choice a rule makes exclusive ("don't know" excludes the others), or None.

    Recognised: `not(selected(., 'x') and count-selected(.) > 1)` (also `>= 2`, `!= 1`),
    `not(selected(., 'x') and (selected(., 'a') or ...))` naming every other choice,
    `not(selected(., 'x')) or count-selected(.) = 1` (also `<= 1`, `< 2`) in either order,
    and `(selected(., 'x') and count-selected(.) = 1) or not(selected(., 'x'))`.
    """
    inner = _not(node)
    if isinstance(inner, Binary) and inner.op == "and":
        for first, second in ((inner.left, inner.right), (inner.right, inner.left)):
            ticked = _ticked(first, own)
            if ticked is None:
                continue
            if _more_than_one(second, own):
                return ticked
            others = {_ticked(part, own) for part in _disjuncts(second)}
            if None not in others and others == names - {ticked} and others:
                return ticked
    parts = _disjuncts(node)
    if len(parts) == 2:
        for first, second in ((parts[0], parts[1]), (parts[1], parts[0])):
            negated = _not(first)
            ticked = _ticked(negated, own) if negated is not None else None
            if ticked is None:
                continue
            if _at_most_one(second, own):
                return ticked
            both = _conjuncts(second)
            if (len(both) == 2 and ticked in {_ticked(b, own) for b in both}
                    and any(_at_most_one(b, own) for b in both)):
                return ticked
    if isinstance(node, Call) and node.name == "if" and len(node.args) == 3:
        ticked = _ticked(node.args[0], own)
        rest = node.args[2]
        if (ticked is not None and _at_most_one(node.args[1], own)
                and isinstance(rest, Call) and rest.name == "true"):
            return ticked
    return None


def read_form(path: Path) -> dict[str, Any]:
    from pyxform.xls2json import parse_file_to_json

    try:
        form: dict[str, Any] = parse_file_to_json(str(path))
        return form
    except Exception as error:  # pyxform parses untrusted workbooks; any failure is the file's
        raise ConvertError(f"{path.name} is not a usable XLSForm: {error}. Open it in a "
                           "spreadsheet program, fix the survey and choices sheets, and try "
                           "again") from None


def xlsform_to_data(path: Path, fallback_language: str,
                    report: ConversionReport) -> dict[str, Any]:
    """The questionnaire as plain data, ready to be written as YAML."""
    form = read_form(path)
    form["children"] = _expand_loops(form.get("children") or [], report)
    reader = _Reader(form, fallback_language, report, path.parent)
    reader.name_all(form.get("children") or [])
    reader.children(form.get("children") or [], None, [], [], True)
    _refuse_circular_calculations(reader, path)
    if not reader.sections:
        raise ConvertError(f"{path.name} has no question the toolkit can take over (see the "
                           "notes above); nothing was written. Convert a form with at least "
                           "one text, number, date, choice or note question")
    data = _assemble(reader, form, path)
    settle_references(data, reader.removed, report)
    settle_piping(data, report)
    if not data["sections"]:
        raise ConvertError(f"{path.name}: no question is left once the rules that name "
                           "left-out questions are taken out (see the notes above); nothing "
                           "was written")
    _prune_lists(data)
    _fit_variable_names(data, report)
    _settle_default_language(data, reader, report)
    _complete_translations(data, reader.languages, reader.default, report)
    return data


def _settle_default_language(data: dict[str, Any], reader: _Reader,
                             report: ConversionReport) -> None:
    """A default language without a single text (settings name Arabic, every column is
    English) would make every text a copy; the language with the most texts is used."""
    counts = {language: 0 for language in reader.languages}
    for text in _texts(data):
        for language in text:
            counts[language] = counts.get(language, 0) + 1
    if counts.get(reader.default) or not any(counts.values()):
        return
    best = max(counts, key=lambda language: counts[language])
    report.add("languages", f"the default language '{reader.default}' has no texts in the "
               f"XLSForm; '{best}' is the default instead, and '{reader.default}' was left out")
    reader.languages.remove(reader.default)
    reader.languages.remove(best)
    reader.languages.insert(0, best)
    reader.default = best
    data["survey"]["languages"] = reader.languages
    data["survey"]["default_language"] = best


def _refuse_circular_calculations(reader: _Reader, path: Path) -> None:
    """A calculation that needs itself has no value anywhere; the form must be mended."""
    formulas: dict[str, set[str]] = {}
    for section in reader.sections:
        for question in section["questions"]:
            if question["id"] in reader.calculations:
                names = {r.name for r in references(parse_expression(question["calculate"]))}
                formulas[question["id"]] = names & set(reader.calculations)
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> list[str] | None:
        state[name] = 1
        for needed in sorted(formulas.get(name, ())):
            if state.get(needed) == 1:
                return [*trail[trail.index(needed):], needed] if needed in trail else [
                    name, needed]
            if needed not in state:
                found = visit(needed, [*trail, needed])
                if found:
                    return found
        state[name] = 2
        return None

    for name in formulas:
        if name not in state:
            cycle = visit(name, [name])
            if cycle:
                rows = survey_rows(path)
                originals = [reader.calculations[n] for n in cycle]
                where = ", ".join(
                    f"row {rows[o.rsplit('/', 1)[-1]]}" if o.rsplit("/", 1)[-1] in rows
                    else o for o in dict.fromkeys(originals))
                raise ConvertError(
                    f"{path.name}, sheet 'survey', column 'calculation' ({where}): circular "
                    f"calculation {' → '.join(originals)}: each needs the other's value, so "
                    "none can be computed. Change one of them so that it no longer uses the "
                    "other, then convert again; nothing was written")


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
        _recode_missing(data["missing_values"], reader.lists, reader.report)
    data["choice_lists"] = reader.lists
    data["sections"] = reader.sections
    return data


def _recode_missing(missing: list[dict[str, Any]], lists: dict[str, list[dict[str, Any]]],
                    report: ConversionReport) -> None:
    """A missing value coded like a choice would read as that choice; an XLSForm stores
    names, not codes, so the missing value simply takes a free negative code."""
    used = {c["code"] for choices in lists.values() for c in choices}
    taken = used | {m["code"] for m in missing}
    for entry in missing:
        if entry["code"] in used:
            old, code = entry["code"], -1
            while code in taken:
                code -= 1
            entry["code"] = code
            taken.add(code)
            report.add(f"missing value {entry['name']}", f"code {old} is also a choice code; "
                       f"coded {code} instead")


def _prune_lists(data: dict[str, Any]) -> None:
    """Keep the choice lists some question still uses (in the order they were met)."""
    used = {q.get(key) for s in data["sections"] for q in s["questions"]
            for key in ("choices", "scale") if isinstance(q.get(key), str)}
    data["choice_lists"] = {name: choices for name, choices in data["choice_lists"].items()
                            if name in used}
    if not data["choice_lists"]:
        del data["choice_lists"]


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
                   "variable names stay within Stata's 32 characters (the XLSForm name is "
                   "kept as 'original')")
        question.setdefault("original", question["id"])
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
                "id", "name", "type", "original"} & set(value):
            return [value]
        return [t for k, v in value.items() if k not in _MEDIA_KEYS.values()
                for t in _texts(v)]
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


def _expand_loops(nodes: list[dict[str, Any]], report: ConversionReport
                  ) -> list[dict[str, Any]]:
    """A `begin loop over` a choice list asks its questions once per choice; here it becomes
    a group with one group per choice (paths loop/choice/question, as ODK and Kobo exports
    name their columns), with `%(name)s` and `%(label)s` filled in as ODK does."""
    expanded = []
    for node in nodes:
        if node.get("children") and node.get("type") != "loop":
            node = {**node, "children": _expand_loops(node["children"], report)}
        if node.get("type") == "loop":
            columns = node.get("columns") or []
            children = _expand_loops(node.get("children") or [], report)
            report.add(f"loop {node.get('name')}", f"asked once for each of {len(columns)} "
                       "choices: its questions were copied for every choice")
            node = {"type": "group", "name": node.get("name"), "$loop": True,
                    "bind": node.get("bind") or {}, "children": [
                        {"type": "group", "name": column.get("name"), "$loop": True,
                         "$loop_choice": str(column.get("name")),
                         "children": [_filled(copy.deepcopy(c), column) for c in children]}
                        for column in columns]}
        expanded.append(node)
    return expanded


LOOP_CHOICE_PART = 12
"""Characters of the choice's name a question copied for it keeps in its id."""


def _loop_name(question: str, choice: str) -> str:
    """The id of `question` asked for `choice` of a loop: both names, shortened so that the
    choice, which tells the copies apart, is never cut off."""
    tail = identifier(choice, "c", LOOP_CHOICE_PART)
    head = identifier(question, "q", MAX_ID - len(tail) - 1).rstrip("_")
    return f"{head}_{tail}"


def _filled(value: Any, column: dict[str, Any]) -> Any:
    """`value` with ODK's loop placeholders replaced by the choice's name and label."""
    if isinstance(value, str):
        label = column.get("label")
        text = label if isinstance(label, str) else next(iter((label or {}).values()), "")
        return value.replace("%(name)s", str(column.get("name", ""))).replace(
            "%(label)s", str(text))
    if isinstance(value, dict):
        label = column.get("label")
        if isinstance(label, dict) and set(value) <= set(label) and all(
                isinstance(v, str) for v in value.values()):
            return {k: v.replace("%(name)s", str(column.get("name", ""))).replace(
                "%(label)s", str(label[k])) for k, v in value.items()}
        return {k: _filled(v, column) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, column) for v in value]
    return value

