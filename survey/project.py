"""A survey project: a folder with `questionnaires/`, `analysis/`, and its store.

Commands take the project folder (default: the current one) so staff never type paths into
the store or pick files out of the questionnaire folder by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validate import validate_file
from survey.store.store import Store, database_url

QUESTIONNAIRE_FOLDER = "questionnaires"
"""The folder that makes a folder a survey project."""


class ProjectError(Exception):
    """The project folder does not provide what a command needs; the message says what to do."""


def is_project(folder: Path) -> bool:
    return (folder / QUESTIONNAIRE_FOLDER).is_dir()


def project_or_current(project: Path | None, usage: str) -> Path:
    """The named project, else the current folder when it is one, so staff working inside
    their project never type its path. `usage` is the command with PROJECT, for the message."""
    if project is not None:
        return project
    if is_project(Path.cwd()):
        return Path(".")
    raise ProjectError(f"{Path.cwd()} is not a survey project (it has no {QUESTIONNAIRE_FOLDER}/ "
                       f"folder): run this inside a survey project or name it: {usage}; create "
                       "one with survey init DIR")


def split_project_and_files(arguments: Sequence[str], usage: str) -> tuple[Path, list[Path]]:
    """`[PROJECT] FILE...`: a first argument that is a folder is the project (the files read
    are never folders); otherwise every argument is a file of the current project."""
    if not arguments:
        raise ProjectError(f"name the files to read: {usage}")
    first = Path(arguments[0])
    if first.is_dir():
        if len(arguments) == 1:
            raise ProjectError(f"{first} is a folder; name the files to read after it: {usage}")
        return first, [Path(a) for a in arguments[1:]]
    files = [Path(a) for a in arguments]
    for path in files:
        if not path.is_file():
            raise ProjectError(f"{path}: no such file" + (" (a folder here is taken as the "
                               "project only as the first argument)" if path.is_dir() else ""))
    return project_or_current(None, usage), files


def split_project_and_values(arguments: Sequence[str], names: Sequence[str],
                             usage: str) -> tuple[Path, list[str]]:
    """`[PROJECT] NAME...` with a fixed number of values: one argument more than `names`
    means the first is the project."""
    if len(arguments) == len(names) + 1:
        return Path(arguments[0]), list(arguments[1:])
    if len(arguments) == len(names):
        return project_or_current(None, usage), list(arguments)
    raise ProjectError(f"expected {' '.join(names)} (after the project folder when it is not "
                       f"the current one): {usage}")


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def questionnaire_dir(self) -> Path:
        return self.root / QUESTIONNAIRE_FOLDER

    @property
    def imports_dir(self) -> Path:
        """Import reports and draft mapping files, for staff to open."""
        return self.root / "imports"

    @property
    def analysis_dir(self) -> Path:
        return self.root / "analysis"

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

    def questionnaire_file(self) -> Path:
        """The project's only questionnaire file, for commands that read one file."""
        files = self.questionnaire_files()
        if len(files) == 1:
            return files[0]
        if not files:
            raise ProjectError(f"{self.questionnaire_dir} holds no questionnaire (*.yaml); write "
                               "one there or name the file")
        raise ProjectError(f"{self.questionnaire_dir} holds {len(files)} questionnaires "
                           f"({', '.join(p.name for p in files)}); name the file to use")

    def plan_file(self) -> Path:
        """The project's only analysis plan: the file in analysis/ that names its
        questionnaire (margins files do not)."""
        from survey.stats.plan import PlanError, read_questionnaire_id

        plans = []
        for path in sorted(self.analysis_dir.glob("*.y*ml")):
            try:
                read_questionnaire_id(path)
            except PlanError:
                continue
            plans.append(path)
        if len(plans) == 1:
            return plans[0]
        if not plans:
            raise ProjectError(f"{self.analysis_dir} holds no analysis plan; write one (see "
                               "docs/analysis-plan.md) or name it with --plan")
        raise ProjectError(f"{self.analysis_dir} holds {len(plans)} analysis plans "
                           f"({', '.join(p.name for p in plans)}); choose one with --plan")

    def store(self, url: str | None = None) -> Store:
        return Store.open(database_url(self.root, url))
