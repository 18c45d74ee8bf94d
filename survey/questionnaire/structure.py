"""Structural check: keys, value types and required keys, driven by the tables of `spec.py`."""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import get_close_matches
from typing import Any

from survey.questionnaire.diagnostics import did_you_mean
from survey.questionnaire.media import ALT, FILE, IMAGE, PICTURE_KEYS, is_picture_with_alt
from survey.questionnaire.spec import (
    OBJECTS,
    QUESTION_KEYS,
    QUESTION_REQUIRED,
    Key,
    QuestionType,
)
from survey.questionnaire.yaml_source import Path_

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
INTERFACE_KEY = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$")
FINGERPRINT_PATTERN = re.compile(r"^[0-9a-f]{8}$")
ID_RULE = ("lower-case letters, digits and single '_' between them, starting with a letter "
           "(e.g. arrival_year)")

Report = Callable[[Path_, str, bool], None]
"""report(path, message, at_key): record a problem at the key (True) or value of `path`."""

_TYPE_WORDS = {
    dict: "a mapping (key: value lines)", list: "a list ('- ' items)", str: "text",
    int: "a whole number", float: "a number", bool: "true/false", type(None): "nothing",
}


def article(word: str) -> str:
    """'a single_choice', 'an integer': the indefinite article for a type name."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def is_bare_word(value: str) -> bool:
    """A single word such as 'ja' or '1' where true/false or an expression was expected."""
    return re.fullmatch(r"\w+", value) is not None


def describe_value(value: Any) -> str:
    return _TYPE_WORDS.get(type(value), type(value).__name__)


def object_name(kind: str, data: Any) -> str:
    """'question 'age'' or 'section 3': how messages name the object a problem is in."""
    label = kind.replace("_", " ")
    if isinstance(data, dict):
        for key in ("id", "name"):
            if isinstance(data.get(key), str):
                return f"{label} '{data[key]}'"
    return label


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class StructureChecker:
    def __init__(self, report: Report):
        self.report = report
        self.texts: list[tuple[Path_, Any, str]] = []
        """Every user-visible text met, for the translation check: (path, value, description)."""
        self.media: list[tuple[Path_, str, Any, str]] = []
        """Every media file named: (path, 'image' or 'audio', value, description)."""

    def check_object(self, kind: str, data: Any, path: Path_) -> None:
        if not isinstance(data, dict):
            self.report(path, f"expected a {kind.replace('_', ' ')} as a mapping of keys, "
                        f"found {describe_value(data)}", False)
            return
        spec = OBJECTS[kind]
        allowed: tuple[str, ...] = tuple(spec)
        required = tuple(k for k, key in spec.items() if key.required)
        name = object_name(kind, data)
        if kind == "question":
            qtype = self.question_type(data)
            if qtype is not None:
                allowed, required = QUESTION_KEYS[qtype], QUESTION_REQUIRED[qtype]
        misspelt: set[str] = set()
        for key, value in data.items():
            if key not in allowed:
                misspelt.update(get_close_matches(key, allowed, n=1, cutoff=0.6))
                self.unknown_key(kind, name, key, allowed, data, (*path, key))
                continue
            self.check_value(spec[key], value, (*path, key), f"'{key}' of {name}")
        for key in required:
            if key not in data and key not in misspelt:
                doc = spec[key].doc.rstrip(".")
                self.report(path, f"{name} has no '{key}' ({doc[0].lower()}{doc[1:]})", False)

    @staticmethod
    def question_type(data: dict[str, Any]) -> QuestionType | None:
        value = data.get("type")
        if isinstance(value, str) and value in QuestionType.__members__.values():
            return QuestionType(value)
        return None

    def unknown_key(self, kind: str, name: str, key: str, allowed: tuple[str, ...],
                    data: dict[str, Any], path: Path_) -> None:
        if kind == "question" and key in OBJECTS["question"]:
            users = [t.value for t, keys in QUESTION_KEYS.items() if key in keys]
            self.report(path, f"'{key}' does not apply to {article(str(data.get('type')))} "
                        "question "
                        f"({name}); it is for: {', '.join(users)}", True)
            return
        self.report(path, f"unknown key '{key}' in {name}{did_you_mean(key, allowed)}", True)

    def check_value(self, key: Key, value: Any, path: Path_, what: str) -> None:
        checker = getattr(self, f"kind_{key.kind.value}")
        checker(key, value, path, what)

    def expect(self, ok: bool, value: Any, path: Path_, what: str, expected: str) -> bool:
        if not ok:
            self.report(path, f"{what} must be {expected}, found {describe_value(value)}",
                        False)
        return ok

    def kind_text(self, key: Key, value: Any, path: Path_, what: str) -> None:
        self.texts.append((path, value, what))
        if isinstance(value, str) or _is_number(value):
            if isinstance(value, str) and not value.strip():
                self.report(path, f"{what} is empty", False)
            return
        if not self.expect(isinstance(value, dict), value, path, what,
                           "text, or a mapping of language to text (de: ..., en: ...)"):
            return
        for language, text in value.items():
            if not (isinstance(text, str) or _is_number(text)):
                self.report((*path, language), f"the '{language}' text of {what} must be "
                            f"text, found {describe_value(text)}", False)

    def kind_media(self, key: Key, value: Any, path: Path_, what: str) -> None:
        def files_or_texts(found: Any) -> bool:
            return isinstance(found, str) or (isinstance(found, dict) and all(
                isinstance(f, str) for f in found.values()))

        if path[-1] == IMAGE and is_picture_with_alt(value):
            for name in value:
                if name not in PICTURE_KEYS:
                    self.report((*path, name), f"unknown key '{name}' in {what}: a picture "
                                "with alt text has file: and alt:", True)
            if self.expect(files_or_texts(value[FILE]), value[FILE], (*path, FILE), what,
                           "a file name such as media/house.png, or a mapping of language "
                           "to file name") and self.expect(
                    files_or_texts(value.get(ALT, "")), value.get(ALT), (*path, ALT),
                    f"the alt text of {what}", "text per language (de: ..., ar: ...), or "
                    "\"\" for a decorative picture"):
                self.media.append((path, IMAGE, value, what))
            return
        if files_or_texts(value):
            self.media.append((path, str(path[-1]), value, what))
            return
        self.expect(False, value, path, what, "a file name such as media/house.png, or a "
                    "mapping of language to file name (de: ..., ar: ...)")

    def kind_id(self, key: Key, value: Any, path: Path_, what: str) -> None:
        if not self.expect(isinstance(value, str), value, path, what, ID_RULE):
            return
        if "__" in value:
            self.report(path, f"{what} contains '__', which is reserved for joining question "
                        "and option names in variable names; use a single '_'", False)
        elif not ID_PATTERN.match(value):
            self.report(path, f"{what} is not a valid identifier: use {ID_RULE}", False)

    def kind_string(self, key: Key, value: Any, path: Path_, what: str) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.report(path, f"{what} is read as the number {value}; put it in quotes so it "
                        "stays exactly as written (leading zeros, trailing zeros)", False)
            return
        self.expect(isinstance(value, str), value, path, what, "text")

    def kind_integer(self, key: Key, value: Any, path: Path_, what: str) -> None:
        self.expect(isinstance(value, int) and not isinstance(value, bool), value, path, what,
                    "a whole number")

    def kind_number(self, key: Key, value: Any, path: Path_, what: str) -> None:
        self.expect(_is_number(value), value, path, what, "a number")

    def kind_boolean(self, key: Key, value: Any, path: Path_, what: str) -> None:
        self.expect(isinstance(value, bool), value, path, what, "true or false")

    def kind_expression(self, key: Key, value: Any, path: Path_, what: str) -> None:
        self.expect(isinstance(value, str), value, path, what, "an expression (text)")

    def kind_required(self, key: Key, value: Any, path: Path_, what: str) -> None:
        if isinstance(value, str) and is_bare_word(value):
            self.report(path, f"{what} must be true, false or an expression, found the word "
                        f"'{value}'", False)
            return
        self.expect(isinstance(value, bool | str), value, path, what,
                    "true, false or an expression")

    def kind_bound(self, key: Key, value: Any, path: Path_, what: str) -> None:
        self.expect(_is_number(value) or isinstance(value, str), value, path, what,
                    "a number, or a date 'YYYY-MM-DD'")

    def kind_language(self, key: Key, value: Any, path: Path_, what: str) -> None:
        self.expect(isinstance(value, str), value, path, what, "a language code such as de")

    def kind_names(self, key: Key, value: Any, path: Path_, what: str) -> None:
        if not self.expect(isinstance(value, list), value, path, what, "a list such as [a, b]"):
            return
        for index, item in enumerate(value):
            self.expect(isinstance(item, str), item, (*path, index), f"each entry of {what}",
                        "a plain word")

    def kind_choices(self, key: Key, value: Any, path: Path_, what: str) -> None:
        if isinstance(value, str):
            return
        if not self.expect(isinstance(value, list), value, path, what,
                           "the name of a choice list, or a list of choices"):
            return
        self.kind_list(key, value, path, what)

    def kind_enum(self, key: Key, value: Any, path: Path_, what: str) -> None:
        if not self.expect(isinstance(value, str), value, path, what,
                           f"one of {', '.join(key.values)}"):
            return
        if value not in key.values:
            self.report(path, f"{what} is '{value}', which is unknown"
                        f"{did_you_mean(value, key.values)} (one of: {', '.join(key.values)})",
                        False)

    def kind_object(self, key: Key, value: Any, path: Path_, what: str) -> None:
        assert key.item is not None
        self.check_object(key.item, value, path)

    def kind_list(self, key: Key, value: Any, path: Path_, what: str) -> None:
        assert key.item is not None
        if not self.expect(isinstance(value, list), value, path, what, "a list ('- ' items)"):
            return
        if not value:
            self.report(path, f"{what} is an empty list", False)
        for index, item in enumerate(value):
            self.check_object(key.item, item, (*path, index))

    def kind_mapping(self, key: Key, value: Any, path: Path_, what: str) -> None:
        if not self.expect(isinstance(value, dict), value, path, what,
                           "a mapping of names to lists"):
            return
        for name, items in value.items():
            if not ID_PATTERN.match(name):
                self.report((*path, name), f"choice list name '{name}' is not a valid "
                            f"identifier: use {ID_RULE}", True)
            self.kind_list(key, items, (*path, name), f"choice list '{name}'")

    def kind_status_map(self, key: Key, value: Any, path: Path_, what: str) -> None:
        if not self.expect(isinstance(value, dict), value, path, what,
                           "a mapping of language to status"):
            return
        for language, status in value.items():
            if status not in key.values:
                self.report((*path, language), f"translation status '{status}' of "
                            f"'{language}' is unknown{did_you_mean(str(status), key.values)} "
                            f"(one of: {', '.join(key.values)})", False)

    def kind_interface(self, key: Key, value: Any, path: Path_, what: str) -> None:
        """Interface texts are checked like texts, but kept out of the coverage count: a
        questionnaire overrides only the few it words differently."""
        if not self.expect(isinstance(value, dict), value, path, what,
                           "a mapping of interface text key to {language: text}"):
            return
        for name, texts in value.items():
            if not INTERFACE_KEY.match(name):
                self.report((*path, name), f"'{name}' in {what} is not an interface text key "
                            "(such as next or routing.go_to)", True)
            if not isinstance(texts, dict):
                self.report((*path, name), f"'{name}' in {what} must be a mapping of language "
                            f"to text (de: ..., en: ...), found {describe_value(texts)}", False)
                continue
            for language, text in texts.items():
                if not isinstance(text, str) or not text.strip():
                    self.report((*path, name, language), f"the '{language}' text of '{name}' "
                                f"in {what} must be text, found {describe_value(text)}", False)

    def kind_fingerprints(self, key: Key, value: Any, path: Path_, what: str) -> None:
        if not self.expect(isinstance(value, dict), value, path, what,
                           "a mapping of text id to {language: fingerprint}"):
            return
        for identifier, marks in value.items():
            if not isinstance(marks, dict) or not all(
                    isinstance(m, str) and FINGERPRINT_PATTERN.match(m) for m in marks.values()):
                self.report((*path, identifier), f"'{identifier}' in {what} must be a mapping "
                            "of language to an 8-character fingerprint such as {en: 3f2a91c0}; "
                            "remove the line if in doubt (survey translations import writes it)",
                            False)
