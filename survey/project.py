"""A survey project: a folder with `questionnaires/`, `analysis/`, and its store.

Commands take the project folder (default: the current one) so staff never type paths into
the store or pick files out of the questionnaire folder by hand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validate import validate_file
from survey.store.store import Store, database_url
from survey.user_error import UserError

QUESTIONNAIRE_FOLDER = "questionnaires"
"""The folder that makes a folder a survey project."""
PARTNERS_FILE = "partners.yaml"
"""The project's partner organisations (id, name, optional contact); see Project.partners."""
PARTNER_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
PARTNER_KEYS = ("id", "name", "contact")


class ProjectError(UserError):
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


class PartnerError(ProjectError):
    """partners.yaml is malformed, or a partner id is not in it; the message names the file."""


@dataclass(frozen=True)
class Partner:
    """A partner organisation that recruits respondents (paper forms, links, files)."""

    id: str
    name: str
    contact: str = ""


def read_partners(path: Path) -> tuple[Partner, ...]:
    """The partners listed in `path` (none if there is no such file); PartnerError naming the
    file and line of the first mistake."""
    from survey.questionnaire.diagnostics import QuestionnaireError
    from survey.questionnaire.yaml_source import load_yaml_text, read_text

    if not path.is_file():
        return ()
    try:
        text = read_text(path)
        if not text.strip() or all(line.lstrip().startswith("#") or not line.strip()
                                   for line in text.splitlines()):
            return ()
        document = load_yaml_text(text, str(path))
    except QuestionnaireError as error:
        first = error.diagnostics[0]
        raise PartnerError(f"{path}:{first.mark.line}: {first.message}") from None
    data, source = document.data, document.source

    def fail(where: tuple[str | int, ...], message: str) -> PartnerError:
        return PartnerError(f"{path}:{source.value(where).line}: {message} (see the example in "
                            "the comments of a new project's partners.yaml)")

    if not isinstance(data, dict) or set(data) != {"partners"}:
        raise fail((), "the file must hold one key, 'partners:', with a list of partners, "
                   "each with 'id:' and 'name:' (and 'contact:' if you like)")
    entries = data["partners"] or []
    if not isinstance(entries, list):
        raise fail(("partners",), "'partners:' must be a list; start each partner with '- id:'")
    found: dict[str, Partner] = {}
    for index, entry in enumerate(entries):
        where: tuple[str | int, ...] = ("partners", index)
        if not isinstance(entry, dict):
            raise fail(where, "each partner is a mapping with 'id:' and 'name:'")
        unknown = sorted(str(k) for k in entry if k not in PARTNER_KEYS)
        if unknown:
            raise fail((*where, unknown[0]), f"unknown key '{unknown[0]}'; a partner has "
                       f"{', '.join(PARTNER_KEYS)}")
        partner_id, name = entry.get("id"), entry.get("name")
        if not isinstance(partner_id, str) or not PARTNER_ID.fullmatch(partner_id):
            given = "has no id:" if partner_id is None else f"has the id {partner_id!r}"
            raise fail((*where, "id"), f"partner {index + 1} {given}; an id is a short name of "
                       "lower-case letters, digits, '-' and '_' (at most 64), such as leipzig-ru")
        if partner_id in found:
            raise fail((*where, "id"), f"the id '{partner_id}' is listed twice")
        if not isinstance(name, str) or not name.strip():
            raise fail((*where, "name") if "name" in entry else where,
                       f"partner '{partner_id}' needs a name: (the organisation's name)")
        contact = entry.get("contact") or ""
        if not isinstance(contact, str):
            raise fail((*where, "contact"), f"the contact of partner '{partner_id}' must be text")
        found[partner_id] = Partner(partner_id, name.strip(), contact.strip())
    return tuple(found.values())


@dataclass(frozen=True)
class Project:
    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))  # a folder given as text works too

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

    def _check_is_project(self) -> None:
        if not self.questionnaire_dir.is_dir():
            raise ProjectError(f"{self.root} has no questionnaires/ folder; is it a survey "
                               "project? Run the command from the project folder or name it.")

    def questionnaire_files(self) -> list[Path]:
        self._check_is_project()
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

    @property
    def partners_file(self) -> Path:
        return self.root / PARTNERS_FILE

    def partners(self) -> tuple[Partner, ...]:
        """The partner organisations of partners.yaml (none without the file)."""
        return read_partners(self.partners_file)

    def partner(self, partner_id: str, what: str = "--partner") -> Partner:
        """The partner `partner_id` of partners.yaml; PartnerError naming the file and the
        known ids otherwise. `what` says where the id was given."""
        partners = self.partners()
        for partner in partners:
            if partner.id == partner_id:
                return partner
        known = ", ".join(p.id for p in partners) or "none yet"
        raise PartnerError(f"{what} '{partner_id}' is not a partner in {self.partners_file} "
                           f"(known ids: {known}); add it there first, or correct the id")

    def store(self, url: str | None = None) -> Store:
        """The store at `url`, else the project's own file: a mistyped PROJECT is refused
        rather than given a new, empty store."""
        if url is None:
            self._check_is_project()
        return Store.open(database_url(self.root, url))
