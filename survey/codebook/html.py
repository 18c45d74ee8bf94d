"""The codebook as HTML (and, through WeasyPrint, as PDF). Autoescaping is always on: labels
come from questionnaires written by many hands."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from survey.codebook.entries import Codebook
from survey.questionnaire.languages import is_right_to_left
from survey.tagged_pdf import PDF_OPTIONS

_ENVIRONMENT = Environment(loader=PackageLoader("survey.codebook", "templates"),
                           autoescape=select_autoescape(default=True, default_for_string=True))


def render_html(codebook: Codebook) -> str:
    q = codebook.questionnaire
    return _ENVIRONMENT.get_template("codebook.html").render(
        q=q, title=q.survey.title.get(q.default_language), default=q.default_language,
        languages=codebook.languages, entries=codebook.entries, renamed=codebook.renamed,
        responses=codebook.responses,
        direction={lang: "rtl" if is_right_to_left(lang) else "ltr"
                   for lang in codebook.languages})


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the codebook does not load outside resources ({url})")




def render_pdf(codebook: Codebook) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(codebook), url_fetcher=_no_fetching).write_pdf(
        **PDF_OPTIONS)
    return pdf
