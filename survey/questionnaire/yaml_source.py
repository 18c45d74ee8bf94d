"""Read a questionnaire file into plain Python data, remembering where every key and value stood.

The tree is built from the parser's event stream rather than by a YAML constructor, so that
aliases (the "billion laughs" bomb), absurd nesting, duplicate keys and foreign tags are refused
at their exact position before they cost memory, and every later message can name
file:line:column. Plain scalars follow the YAML 1.2 core schema: `no`, `yes`, `on` and `off`
stay strings, so a Norwegian language key or a choice labelled "No" is never turned into False.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from survey.questionnaire.diagnostics import Diagnostic, Mark, QuestionnaireError

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"),
                  ".nan": float("nan")}
_CORE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class SourceMap:
    """Positions of keys and values, addressed by their path from the document root."""

    file: str
    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)
    styles: dict[Path_, str] = field(default_factory=dict)
    """Quoting style of scalars that were not plain: ' " | >."""

    def value(self, path: Path_) -> Mark:
        """Where the value at `path` starts; falls back to the nearest enclosing node."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Mark(1, 1))

    def inside(self, path: Path_, offset: int) -> Mark:
        """Where character `offset` of the one-line scalar at `path` stands."""
        start = self.value(path)
        style = self.styles.get(path)
        if style in ("|", ">"):
            return start
        return Mark(start.line, start.column + offset + (1 if style else 0))

    def key(self, path: Path_) -> Mark:
        """Where the key naming `path` stands (for mapping entries), else where its value starts."""
        return self.keys.get(path) or self.value(path)


@dataclass
class YamlDocument:
    data: Any
    source: SourceMap


def _mark(yaml_mark: Any) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


def _fail(file: str, mark: Mark, message: str) -> QuestionnaireError:
    return QuestionnaireError([Diagnostic(file, mark, message)])


def _decode(raw: bytes, file: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _fail(file, Mark(1, 1), f"file starts like UTF-16 but is not: {exc.reason}; "
                        "save it as UTF-8") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail(file, Mark(line, column),
                    f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; this is a binary file or uses "
                    "another encoding: save the questionnaire as UTF-8") from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise _fail(file, Mark(line, column),
                    "file contains NUL bytes: this is a binary file, not a YAML questionnaire")
    return text


def read_text(path: Path) -> str:
    """The file's text, refusing what cannot be a questionnaire before parsing it."""
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(file, Mark(1, 1),
                        f"file is {size / 1024 / 1024:.1f} MB; a questionnaire file may be at most "
                        f"{MAX_FILE_BYTES // 1024 // 1024} MB: is this the right file?")
        raw = path.read_bytes()
    except IsADirectoryError:
        raise _fail(file, Mark(1, 1), "is a folder, not a questionnaire file") from None
    except FileNotFoundError:
        raise _fail(file, Mark(1, 1), "file not found") from None
    except PermissionError:
        raise _fail(file, Mark(1, 1), "file cannot be read: permission denied") from None
    return _decode(raw, file)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _check_tag(event: Any, file: str) -> None:
    """Refuse tags beyond YAML's core ones (such as !!python/object, which runs code)."""
    if event.tag is not None and event.tag not in _CORE_TAGS:
        raise _fail(file, _mark(event.start_mark),
                    f"YAML tag '{_short_tag(event.tag)}' is not allowed in a questionnaire; "
                    "remove it")


def _scalar(event: Any, file: str) -> Any:
    text = event.value
    if event.tag is not None and not any(event.implicit):
        _check_tag(event, file)
        if event.tag == "tag:yaml.org,2002:str":
            return text
    if event.style:  # quoted or block: always text ('' is plain in libyaml, None in pure Python)
        return text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _INT_OCT.match(text):
        return int(text[2:], 8)
    if _INT_HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if text in _SPECIAL_FLOAT:
        return _SPECIAL_FLOAT[text]
    return text


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path_
    key: str | None = None
    key_mark: Mark | None = None


def _parse_events(text: str, file: str) -> YamlDocument:
    source = SourceMap(file)
    stack: list[_Frame] = []
    root: list[Any] = []
    documents = 0

    def place(value: Any, mark: Mark) -> Path_ | None:
        """Attach a finished value to its parent; returns its path, or None for a mapping key."""
        if not stack:
            root.append(value)
            source.values[()] = mark
            return ()
        frame = stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
            source.values[path] = mark
            return path
        if frame.key is None:
            if isinstance(value, dict | list):
                raise _fail(file, mark, "a mapping key must be a plain word, not a list or mapping")
            key = str(value)
            if key in frame.container:
                first = source.keys[(*frame.path, key)]
                raise _fail(file, mark, f"duplicate key '{key}' (already given at line "
                            f"{first.line}); remove one of them")
            frame.key, frame.key_mark = key, mark
            return None
        path = (*frame.path, frame.key)
        frame.container[frame.key] = value
        source.keys[path] = frame.key_mark or mark
        source.values[path] = mark
        frame.key = None
        return path

    def child_path() -> Path_:
        if not stack:
            return ()
        frame = stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        return (*frame.path, frame.key or "")

    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event).__name__
            if kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise _fail(file, _mark(event.start_mark),
                                "a questionnaire file holds one YAML document, but a second one "
                                "starts here ('---'); split it into two files")
            elif isinstance(event, yaml.AliasEvent):
                raise _fail(file, _mark(event.start_mark),
                            f"YAML alias '*{event.anchor}' is not allowed in a questionnaire; "
                            "write the value out, or share choices through 'choice_lists'")
            elif isinstance(event, yaml.ScalarEvent):
                is_key = bool(stack) and isinstance(stack[-1].container, dict) \
                    and stack[-1].key is None
                path = place(event.value if is_key else _scalar(event, file),
                             _mark(event.start_mark))
                if path is not None and event.style:
                    source.styles[path] = event.style
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                if len(stack) >= MAX_DEPTH:
                    raise _fail(file, _mark(event.start_mark),
                                f"nesting deeper than {MAX_DEPTH} levels; a questionnaire never "
                                "needs that: check the indentation")
                _check_tag(event, file)
                mark = _mark(event.start_mark)
                if stack and isinstance(stack[-1].container, dict) and stack[-1].key is None:
                    raise _fail(file, mark,
                                "a mapping key must be a plain word, not a list or mapping")
                container: dict[str, Any] | list[Any] = (
                    {} if kind == "MappingStartEvent" else [])
                stack.append(_Frame(container, child_path()))
                source.values[stack[-1].path] = mark
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                frame = stack.pop()
                place(frame.container, source.values[frame.path])
    except yaml.MarkedYAMLError as exc:
        yaml_mark = exc.problem_mark or exc.context_mark
        where = _mark(yaml_mark) if yaml_mark is not None else Mark(1, 1)
        detail = exc.problem or "invalid YAML"
        if exc.context:
            detail = f"{detail} ({exc.context})"
        raise _fail(file, where, f"YAML syntax error: {detail}; check the indentation, and that "
                    "quotes and brackets are closed, on this line or the lines above") from None
    except yaml.YAMLError as exc:
        raise _fail(file, Mark(1, 1), f"YAML syntax error: {exc}") from None
    except RecursionError:
        raise _fail(file, Mark(1, 1), f"nesting deeper than {MAX_DEPTH} levels") from None

    if not root or root[0] is None:
        raise _fail(file, Mark(1, 1), "file is empty; a questionnaire needs at least 'survey:' "
                    "and 'sections:' (see docs/questionnaire-format.md)")
    return YamlDocument(root[0], source)


def load_yaml(path: Path) -> YamlDocument:
    """Parse one questionnaire file; raises QuestionnaireError with a located message."""
    return _parse_events(read_text(path), str(path))


def load_yaml_text(text: str, file: str = "<text>") -> YamlDocument:
    return _parse_events(text, file)
