"""The forms this project printed, which a scanned page must be one of: the layout files and
the serial registry in PROJECT/paper/, and the project's questionnaires.

A page whose QR code names another questionnaire, another version, a language never printed or
a serial never printed is refused by name, so that no page is read against the wrong layout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from survey.paper.layout_file import LAYOUT_FORMAT
from survey.paper.qr import PageId
from survey.paper.serials import REGISTRY_FILE, PrintRun, read_registry
from survey.project import Project, ProjectError
from survey.questionnaire.model import Questionnaire
from survey.user_error import UserError

PAPER_DIR = "paper"
LAYOUT_SUFFIX = ".layout.json"


class UnknownPage(UserError):
    """A page id this project cannot read; the message says why and what to do."""


@dataclass
class KnownForms:
    """The forms this project printed (layouts, print runs and questionnaires), against which each
    scanned page is identified and read."""

    project: Project
    layouts: dict[tuple[str, str, str, bool], dict[str, Any]] = field(default_factory=dict)
    """By questionnaire, version, language and large print: standard and large-print forms of
    one language have their boxes in different places."""
    runs: list[PrintRun] = field(default_factory=list)
    questionnaires: dict[str, Questionnaire | None] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """Layout files that could not be read (reported, not fatal: other forms still read)."""

    @classmethod
    def of(cls, project: Project) -> KnownForms:
        """Every layout file and print run in PROJECT/paper/ (SerialError if the registry is
        broken)."""
        paper = project.root / PAPER_DIR
        known = cls(project, runs=read_registry(paper / REGISTRY_FILE))
        for path in sorted(paper.glob(f"*{LAYOUT_SUFFIX}")):
            try:
                layout = json.loads(path.read_text("utf-8"))
                if layout.get("layout_format") != LAYOUT_FORMAT:
                    raise ValueError(f"layout format {layout.get('layout_format')!r}, this "
                                     f"toolkit reads {LAYOUT_FORMAT}")
                key = (layout["questionnaire"], layout["version"], layout["language"],
                       bool(layout.get("large_print", False)))
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
                known.problems.append(f"{path}: not a layout file of survey paper ({error}); "
                                      "print the forms again to write it")
                continue
            known.layouts.setdefault(key, layout)
        return known

    def questionnaire(self, survey_id: str) -> Questionnaire | None:
        if survey_id not in self.questionnaires:
            try:
                self.questionnaires[survey_id] = self.project.questionnaire(survey_id)
            except ProjectError:
                self.questionnaires[survey_id] = None
        return self.questionnaires[survey_id]

    def layout(self, page_id: PageId) -> dict[str, Any]:
        """The layout of the page's form; UnknownPage if this project did not print it."""
        questionnaire = self.questionnaire(page_id.questionnaire)
        if questionnaire is None:
            raise UnknownPage(f"a page of questionnaire '{page_id.questionnaire}', which is not "
                              f"in {self.project.questionnaire_dir}: scan it in its own project")
        version = questionnaire.survey.version
        if page_id.version != version:
            raise UnknownPage(f"a page of '{page_id.questionnaire}' version {page_id.version}, "
                              f"but the project's questionnaire is version {version}: its boxes "
                              "differ; scan it in a project that holds that version")
        if page_id.serial is not None and not page_id.serial.isdigit():
            raise UnknownPage(f"serial {page_id.serial!r} is not a serial number of our forms")
        if page_id.serial is None:
            raise UnknownPage("a page without a serial number (printed without --copies): "
                              "its pages cannot be put together into one return; enter it by "
                              "hand")
        run = next((run for run in self.runs if run.holds(page_id.serial)
                    and run.form[:3] == (page_id.questionnaire, page_id.version,
                                         page_id.language)), None)
        if run is None:
            raise UnknownPage(f"serial {page_id.serial} ({page_id.language}) was not printed "
                              f"for this project (see {PAPER_DIR}/{REGISTRY_FILE})")
        layout = self.layouts.get(run.form)
        if layout is None:
            size = "large-print " if run.large_print else ""
            raise UnknownPage(f"no {size}layout file for '{page_id.questionnaire}' "
                              f"{page_id.version} in language {page_id.language} in "
                              f"{self.project.root / PAPER_DIR}; copy the .layout.json printed "
                              "with the forms there")
        if not 1 <= page_id.page <= layout["pages_per_copy"]:
            raise UnknownPage(f"page {page_id.page}, but the form has "
                              f"{layout['pages_per_copy']} pages")
        return layout
