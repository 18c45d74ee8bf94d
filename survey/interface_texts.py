"""The words of our forms that no questionnaire supplies ("Page 2 of 12", "Tick all that apply").

One catalogue (interface_texts.yaml) serves the paper form and the online form, so a
respondent reads the same instruction in both, and translators work on one list.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

FALLBACK_LANGUAGE = "en"
Overrides = Mapping[str, Mapping[str, str]]
"""key -> language -> text: a questionnaire's own wording of some interface texts."""


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    text = resources.files("survey").joinpath("interface_texts.yaml").read_text("utf-8")
    data: dict[str, dict[str, str]] = yaml.safe_load(text)
    return data


def _base(language: str) -> str:
    """'fa-AF' → 'fa': a regional variant reads the texts of its language."""
    return language.replace("_", "-").split("-")[0]


def interface_keys() -> list[str]:
    return list(_catalogue())


def has_interface_text(key: str) -> bool:
    return key in _catalogue()


def interface_translations(key: str) -> dict[str, str]:
    """Every language's text of `key` (for texts that are data, such as value labels)."""
    return dict(_catalogue()[key])


def interface_languages() -> list[str]:
    """Every language at least one text is written in."""
    return sorted({lang for texts in _catalogue().values() for lang in texts})


def interface_text(key: str, language: str, overrides: Overrides | None = None,
                   **params: Any) -> str:
    """The text of `key` in `language` (else English), with {placeholders} filled in.

    `overrides` is a questionnaire's own wording (`Questionnaire.interface`), taken first.
    An unknown key is a programming error and raises KeyError.
    """
    texts = _catalogue()[key]
    own = (overrides or {}).get(key) or {}
    text = (own.get(language) or own.get(_base(language)) or texts.get(language)
            or texts.get(_base(language)) or texts[FALLBACK_LANGUAGE])
    return text.format(**params) if params else text


def untranslated_interface_texts(language: str,
                                 overrides: Overrides | None = None) -> list[str]:
    """The keys that `language` shows in English because nobody translated them yet."""
    own = overrides or {}
    return [key for key, texts in _catalogue().items()
            if not (texts.get(language) or texts.get(_base(language))
                    or (own.get(key) or {}).get(language))]
