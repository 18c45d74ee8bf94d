"""A survey project: a folder with `questionnaires/`, `analysis/`, and its store.

Commands take the project folder (default: the current one) so staff never type paths into
the store or pick files out of the questionnaire folder by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validate import validate_file
from survey.store.store import Store, database_url


class ProjectError(Exception):
    """The project folder does not provide what a command needs; the message says what to do."""


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def questionnaire_dir(self) -> Path:
        return self.root / "questionnaires"

    @property
    def imports_dir(self) -> Path:
        """Import reports and draft mapping files, for staff to open."""
        return self.root / "imports"

    def questionnaire_files(self) -> list[Path]:
        if not self.questionnaire_dir.is_dir():
            raise ProjectError(f"{self.root} has no questionnaires/ folder; is it a survey "
                               "project? Run the command from the project folder or name it.")
        return sorted(p for p in self.questionnaire_dir.glob("*.y*ml") if p.is_file())

    def questionnaire(self, survey_id: str | None = None) -> Questionnaire:
        """The project's questionnaire with `survey_id`, or its only one."""
        found: dict[str, Questionnaire] = {}
        broken: list[str] = []
        for path in self.questionnaire_files():
            result = validate_file(path)
            if result.questionnaire is None:
                broken.append(path.name)
            else:
                found[result.questionnaire.id] = result.questionnaire
        if survey_id is not None:
            if survey_id in found:
                return found[survey_id]
            hint = f" ({', '.join(broken)} did not validate: run survey validate)" if broken else ""
            raise ProjectError(f"no questionnaire '{survey_id}' in {self.questionnaire_dir}; "
                               f"there are: {', '.join(sorted(found)) or 'none'}{hint}")
        if len(found) == 1:
            return next(iter(found.values()))
        if not found:
            raise ProjectError(f"no valid questionnaire in {self.questionnaire_dir}; run "
                               "survey validate on it")
        raise ProjectError(f"{self.questionnaire_dir} holds {len(found)} questionnaires "
                           f"({', '.join(sorted(found))}); choose one with --questionnaire ID")

    def store(self, url: str | None = None) -> Store:
        return Store.open(database_url(self.root, url))
