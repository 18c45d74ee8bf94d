"""A project's own look for its paper forms, from one folder (reports/paper/ of the project).

Everything is optional: `logo.svg` or `logo.png`, `style.css` (applied after ours, e.g. to
change colours), `organisation.yaml` (name and address printed instead of the
questionnaire's), `settings.yaml` (e.g. `digits: {fa: native}` to print Farsi with Persian
digits; every language prints Latin digits unless set), and templates that replace ours by
name (e.g. a `form.html` that extends "layout.html" and overrides one block). Nothing has to
be copied from the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from survey.paper.bidi import DIGIT_SYSTEMS
from survey.paper.form import OrganisationOverride
from survey.questionnaire.model import Text
from survey.user_error import UserError

OVERRIDES_FOLDER = Path("reports") / "paper"
LOGO_NAMES = ("logo.svg", "logo.png")
STYLE_NAME = "style.css"
ORGANISATION_NAME = "organisation.yaml"
SETTINGS_NAME = "settings.yaml"
_SETTINGS_KEYS = ("digits",)
_TEXT_KEYS = ("name", "address")
_STRING_KEYS = ("email", "phone", "web")


class OverrideError(UserError, ValueError):
    """A project override file that cannot be used; the message names the file and key."""


def project_folder(questionnaire_file: Path) -> Path:
    """The project a questionnaire belongs to: the folder holding its questionnaires/ folder,
    else the current folder."""
    parent = questionnaire_file.resolve().parent
    return parent.parent if parent.name == "questionnaires" else Path.cwd()


@dataclass(frozen=True)
class Overrides:
    """A project's own look for its paper forms, read from its override folder; without one (None)
    every form uses ours."""

    folder: Path | None = None

    @classmethod
    def for_questionnaire(cls, questionnaire_file: Path) -> Overrides:
        folder = project_folder(questionnaire_file) / OVERRIDES_FOLDER
        return cls(folder if folder.is_dir() else None)

    def file(self, name: str) -> Path | None:
        if self.folder is None:
            return None
        path = self.folder / name
        return path if path.is_file() else None

    @property
    def logo(self) -> Path | None:
        return next((p for name in LOGO_NAMES if (p := self.file(name))), None)

    @property
    def style(self) -> str:
        path = self.file(STYLE_NAME)
        return path.read_text("utf-8") if path else ""

    def digits(self) -> dict[str, str]:
        """The digit system a language prints, where settings.yaml sets one: latin (0-9)
        or native (the language's own digits, e.g. Persian digits for fa)."""
        path = self.file(SETTINGS_NAME)
        if path is None:
            return {}
        data = _mapping(path, "digits:")
        unknown = sorted(set(map(str, data)) - set(_SETTINGS_KEYS))
        if unknown:
            raise OverrideError(f"{path}: unknown key '{unknown[0]}'; the keys are "
                                f"{', '.join(_SETTINGS_KEYS)}")
        digits = data.get("digits") or {}
        if not isinstance(digits, dict):
            raise OverrideError(f"{path}: 'digits' maps a language to latin or native, "
                                "e.g. digits: {fa: native}")
        wrong = [(k, v) for k, v in digits.items() if v not in DIGIT_SYSTEMS]
        if wrong:
            raise OverrideError(f"{path}: digits of '{wrong[0][0]}' is '{wrong[0][1]}'; "
                                f"use {' or '.join(DIGIT_SYSTEMS)}")
        return {str(k): str(v) for k, v in digits.items()}

    def organisation(self, languages: tuple[str, ...]) -> OrganisationOverride | None:
        path = self.file(ORGANISATION_NAME)
        if path is None:
            return None
        data = _mapping(path, "name: and address:")
        unknown = sorted(set(map(str, data)) - {*_TEXT_KEYS, *_STRING_KEYS})
        if unknown:
            raise OverrideError(f"{path}: unknown key '{unknown[0]}'; the keys are "
                                f"{', '.join((*_TEXT_KEYS, *_STRING_KEYS))}")
        texts = {key: _text(path, key, data[key], languages) for key in _TEXT_KEYS
                 if data.get(key) is not None}
        for key in _STRING_KEYS:
            if data.get(key) is not None and not isinstance(data[key], str):
                raise OverrideError(f"{path}: '{key}' must be text (put it in quotes)")
        return OrganisationOverride(name=texts.get("name"), address=texts.get("address"),
                                    email=data.get("email"), phone=data.get("phone"),
                                    web=data.get("web"))


def _mapping(path: Path, example_keys: str) -> dict[Any, Any]:
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise OverrideError(f"{path}: not readable YAML: {error}") from None
    if not isinstance(data, dict):
        raise OverrideError(f"{path}: expected keys such as {example_keys}")
    return data


def _text(path: Path, key: str, value: object, languages: tuple[str, ...]) -> Text:
    if isinstance(value, str):
        return Text(neutral=value)
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        missing = [lang for lang in languages if lang not in value]
        if missing:
            raise OverrideError(f"{path}: '{key}' has no text in {', '.join(missing)}; give "
                                "one text for every language, or one plain text for all")
        return Text(translations={str(k): v for k, v in value.items()})
    raise OverrideError(f"{path}: '{key}' must be a text, or a mapping of language to text")
