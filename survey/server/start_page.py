"""The site's front door: `/` leads a respondent who typed only the address to the survey.

With one questionnaire it redirects to its start page; with several it lists them, each
title in the browser's language where the questionnaire has it, else in its own default.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, redirect, render_template, url_for
from werkzeug.wrappers import Response as HttpResponse

from survey.questionnaire.languages import is_right_to_left
from survey.questionnaire.model import Questionnaire
from survey.server.context import page_language, site


@dataclass(frozen=True)
class ListedSurvey:
    id: str
    title: str
    organisation: str
    language: str
    """The language the title is shown in, marked on the link for screen readers."""
    direction: str


def register(app: Flask) -> None:
    app.add_url_rule("/", "start_page", start_page)


def start_page() -> HttpResponse | str:
    served = site().questionnaires
    if len(served) == 1:
        # 302, not 301: a project may add a questionnaire later, and browsers keep a 301.
        return redirect(url_for("respondent.landing", survey_id=next(iter(served))))
    wanted = page_language()
    listed = [_listed(q, wanted) for q in sorted(served.values(), key=lambda q: q.id)]
    return render_template("start.html", surveys=listed)


def _listed(questionnaire: Questionnaire, wanted: str) -> ListedSurvey:
    language = wanted if wanted in questionnaire.languages else questionnaire.default_language
    survey = questionnaire.survey
    return ListedSurvey(questionnaire.id, survey.title.get(language, language),
                        survey.organisation.get(language, language) if survey.organisation
                        else "", language, "rtl" if is_right_to_left(language) else "ltr")
