"""The JSON Schema of the questionnaire format, generated from `spec.py` for editor autocomplete.

Editors (VS Code with the YAML extension, JetBrains) read it from the comment
`# yaml-language-server: $schema=...` or their settings; the validator stays the authority on
meaning (references, expressions, translations), the schema covers shape.
"""

from __future__ import annotations

from typing import Any

from survey.questionnaire.spec import (
    OBJECTS,
    QUESTION_KEYS,
    QUESTION_REQUIRED,
    TRANSLATION_STATUSES,
    Key,
    KeyKind,
    QuestionType,
)
from survey.questionnaire.structure import FINGERPRINT_PATTERN, ID_PATTERN

SCHEMA_ID = "questionnaire.schema.json"

_TEXT = {
    "description": "Text, or a mapping of language code to text.",
    "oneOf": [
        {"type": ["string", "number"]},
        {"type": "object", "additionalProperties": {"type": ["string", "number"]}},
    ],
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/definitions/{name}"}


def _key_schema(key: Key) -> dict[str, Any]:
    schema: dict[str, Any]
    match key.kind:
        case KeyKind.TEXT:
            schema = _ref("text")
        case KeyKind.ID:
            schema = {"type": "string", "pattern": ID_PATTERN.pattern}
        case KeyKind.STRING:
            schema = {"type": ["string", "integer"]}
        case KeyKind.INTEGER:
            schema = {"type": "integer"}
        case KeyKind.NUMBER:
            schema = {"type": "number"}
        case KeyKind.BOOLEAN:
            schema = {"type": "boolean"}
        case KeyKind.EXPRESSION:
            schema = {"type": "string"}
        case KeyKind.REQUIRED:
            schema = {"type": ["boolean", "string"]}
        case KeyKind.BOUND:
            schema = {"type": ["number", "string"]}
        case KeyKind.LANGUAGE:
            schema = {"type": "string"}
        case KeyKind.NAMES:
            schema = {"type": "array", "items": {"type": "string"}}
        case KeyKind.CHOICES:
            schema = {"oneOf": [{"type": "string"},
                                {"type": "array", "items": _ref(key.item or "choice")}]}
        case KeyKind.ENUM:
            schema = {"enum": list(key.values)}
        case KeyKind.OBJECT:
            schema = _ref(key.item or "")
        case KeyKind.LIST:
            schema = {"type": "array", "minItems": 1, "items": _ref(key.item or "")}
        case KeyKind.MAPPING:
            schema = {"type": "object", "additionalProperties": {
                "type": "array", "items": _ref(key.item or "")}}
        case KeyKind.STATUS_MAP:
            schema = {"type": "object",
                      "additionalProperties": {"enum": list(TRANSLATION_STATUSES)}}
        case KeyKind.INTERFACE:
            schema = {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": {"type": "string"}}}
        case KeyKind.MEDIA:
            files = {"oneOf": [{"type": "string"}, {
                "type": "object", "additionalProperties": {"type": "string"}}]}
            schema = {"anyOf": [files, {  # a picture with its alt text: {file: ..., alt: ...}
                "type": "object", "required": ["file"], "additionalProperties": False,
                "properties": {"file": files, "alt": files}}]}
        case KeyKind.FINGERPRINTS:
            schema = {"type": "object", "additionalProperties": {
                "type": "object",
                "additionalProperties": {"type": "string",
                                         "pattern": FINGERPRINT_PATTERN.pattern}}}
    return {"description": key.doc, **schema}


def _object_schema(name: str) -> dict[str, Any]:
    spec = OBJECTS[name]
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {key: _key_schema(k) for key, k in spec.items()},
        "required": [key for key, k in spec.items() if k.required],
        "additionalProperties": False,
    }
    if name == "question":
        schema["allOf"] = [
            {"if": {"properties": {"type": {"const": qtype.value}}},
             "then": {"required": list(QUESTION_REQUIRED[qtype]),
                      "propertyNames": {"enum": list(QUESTION_KEYS[qtype])}}}
            for qtype in QuestionType
        ]
    return schema


def questionnaire_schema() -> dict[str, Any]:
    root = _object_schema("questionnaire")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "Survey toolkit questionnaire",
        **root,
        "definitions": {"text": _TEXT} | {name: _object_schema(name) for name in OBJECTS
                                    if name != "questionnaire"},
    }
