"""Report texts per language (texts/*.yaml): headings, methodology and sentence templates.

A report language is offered only when its file has every key the English file has, so a
German report never shows an English heading by accident or a template placeholder raw. A
project words any text its own way in reports/report.yaml (survey.report.project_facts).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from survey.questionnaire.languages import base_language, is_variant
from survey.report.errors import ReportError

TEXTS_DIR = Path(__file__).parent / "texts"
REFERENCE = "en"


def _keys(tree: Mapping[str, Any], prefix: str = "") -> set[str]:
    found = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        found |= _keys(value, path + ".") if isinstance(value, Mapping) else {path}
    return found


def _flat(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        found |= _flat(value, path + ".") if isinstance(value, Mapping) else {path: str(value)}
    return found


def available() -> list[str]:
    return sorted(p.stem for p in TEXTS_DIR.glob("*.yaml"))


class Texts:
    """Looks up `section.key` and fills in its placeholders."""

    def __init__(self, language: str, tree: Mapping[str, Any],
                 overrides: Mapping[str, str] | None = None):
        self.language = language
        self.tree = tree
        self.overrides = dict(overrides or {})

    def with_overrides(self, overrides: Mapping[str, str]) -> Texts:
        """These texts with a project's own wording of some keys."""
        return Texts(self.language, self.tree, {**self.overrides, **overrides})

    def flat(self) -> dict[str, str]:
        """Every key with dots (headings.summary) and its text."""
        return _flat(self.tree) | self.overrides

    def raw(self, key: str) -> Any:
        if key in self.overrides:
            return self.overrides[key]
        node: Any = self.tree
        for part in key.split("."):
            node = node[part]
        return node

    def __call__(self, key: str, **values: Any) -> str:
        return str(self.raw(key)).format(**values)


@cache
def load_texts(language: str) -> Texts:
    path = TEXTS_DIR / f"{language}.yaml"
    if is_variant(language):
        raise ReportError(f"'{language}' is a variant of '{base_language(language)}' for the "
                          "forms (easy language, say); reports are written in a language "
                          f"itself: use --lang {base_language(language)}")
    if not path.is_file():
        raise ReportError(f"no report texts in '{language}'; choose one of "
                          f"{', '.join(available())} with --lang, or add "
                          f"{TEXTS_DIR / (language + '.yaml')} translated from {REFERENCE}.yaml")
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    reference = yaml.safe_load((TEXTS_DIR / f"{REFERENCE}.yaml").read_text(encoding="utf-8"))
    missing = sorted(_keys(reference) - _keys(tree))
    if missing:
        raise ReportError(f"{path}: the report texts lack {len(missing)} keys of "
                          f"{REFERENCE}.yaml (first: {', '.join(missing[:5])}); translate them "
                          "or choose another --lang")
    return Texts(language, tree)
