"""The form's HTML (jinja2, autoescaped) laid out by WeasyPrint into pages.

WeasyPrint sees only our own assets: the fetcher refuses every other URL, so a questionnaire or
project text can never make the renderer read a local file or call the network.
"""

from __future__ import annotations

import mimetypes
from importlib import resources
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)
from jinja2.sandbox import SandboxedEnvironment
from weasyprint import CSS, HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from survey.paper import geometry as g
from survey.paper.form import PaperForm, direction
from survey.paper.overrides import OverrideError, Overrides


class OwnAssetsOnly(URLFetcher):  # type: ignore[misc]  # weasyprint ships no type information
    """Serves the listed files and data: URLs; refuses everything else (a warning, no fetch)."""

    def __init__(self, allowed: list[Path]):
        super().__init__(allowed_protocols=("data",))
        self.allowed = {p.resolve().as_uri(): p for p in allowed}

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url in self.allowed:
            path = self.allowed[url]
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"the paper form fetches only its own assets, not {url[:80]}")


def _environment(overrides: Overrides) -> SandboxedEnvironment:
    loaders: list[BaseLoader] = [PackageLoader("survey.paper", "templates")]
    if overrides.folder is not None and overrides.folder.is_dir():
        loaders.insert(0, FileSystemLoader(overrides.folder))
    # sandboxed: a project's templates are files anyone with the folder can edit, not code
    return SandboxedEnvironment(loader=ChoiceLoader(loaders), autoescape=True,
                                undefined=StrictUndefined, trim_blocks=True,
                                lstrip_blocks=True)


def _css_string(text: str) -> str:
    """A CSS string literal that no text can break out of."""
    return '"' + "".join(ch if ch.isalnum() or ch in " .,:-·/" else f"\\{ord(ch):x} "
                         for ch in text) + '"'


_COUNTER_STYLES = {"0": "decimal", "۰": "persian", "٠": "arabic-indic", "०": "devanagari",
                   "০": "bengali", "๐": "thai", "၀": "myanmar", "០": "khmer", "໐": "lao",
                   "༠": "tibetan"}
"""CSS counter styles by the zero of their digits."""


def _page_of_pages(template: str, zero: str = "0") -> str:
    """'Page {page} of {pages}' as CSS content with the page counters in place, in the
    digits of the language."""
    style = _COUNTER_STYLES.get(zero, "decimal")
    page, pages = f" counter(page, {style}) ", f" counter(pages, {style}) "
    parts = []
    for piece in template.replace("{pages}", "\0P").split("{page}"):
        parts.append(pages.join(_css_string(s) for s in piece.split("\0P")))
    return page.join(parts)


def page_css(form: PaperForm) -> str:
    """The @page rules: margins clear of the scan marks, page id and "page x of y"."""
    page_id = _css_string(f"{form.questionnaire_id} {form.version} · {form.language_label} · ")
    # One footer box per language, each in its own direction: bidi never mixes the two.
    # A bilingual form puts the second language on the page's start side.
    page_id_size, footer = (g.LARGE_PRINT_SMALLEST, g.LARGE_PRINT_SMALLEST) if (
        form.large_print) else (7, 8)
    templates = {line.language: line.text for line in form.words["page_x_of_y"]}
    placed = [("bottom-center", form.languages[0])]
    if len(form.languages) == 2:
        start, end = ("right", "left") if form.dir == "rtl" else ("left", "right")
        placed = [(f"bottom-{end}", form.languages[0]), (f"bottom-{start}", form.languages[1])]
    footers = "\n".join(
        f"  @{slot} {{ content: {_page_of_pages(templates[lang], form.zero(lang))}; "
        f"direction: {direction(lang)}; "
        f'font-size: {footer}pt; color: #333; font-family: "Noto Sans", "Noto Naskh Arabic", '
        f'"DejaVu Sans"; }}' for slot, lang in placed)
    return f"""
@page {{
  size: {g.PAGE_WIDTH}mm {g.PAGE_HEIGHT}mm;
  margin: {g.MARGIN_TOP}mm {g.MARGIN_SIDE}mm {g.MARGIN_BOTTOM}mm {g.MARGIN_SIDE}mm;
  @top-left {{ content: {page_id} counter(page); font-family: "Noto Sans", "DejaVu Sans";
              font-size: {page_id_size}pt; color: #666; direction: ltr; padding-left: 4mm; }}
{footers}
}}
"""


def form_html(form: PaperForm, overrides: Overrides, serials: bool) -> str:
    logo = overrides.logo
    try:
        template = _environment(overrides).get_template("form.html")
        return template.render(form=form, logo=logo.resolve().as_uri() if logo else None,
                               serials=serials)
    except TemplateError as error:  # a project's template: broken, or refused by the sandbox
        where = f"{error.filename}:{error.lineno}: " if isinstance(
            error, TemplateSyntaxError) and error.filename else ""
        raise OverrideError(f"{where}the paper template cannot be used: {error}. Fix the "
                            f"override in {overrides.folder} or remove it.") from None


def _own_css(name: str) -> str:
    return resources.files("survey.paper").joinpath("templates", name).read_text("utf-8")


def render_document(form: PaperForm, overrides: Overrides, serials: bool) -> Document:
    """The laid-out pages, ready for box positions and PDF writing."""
    logo = overrides.logo
    fetcher = OwnAssetsOnly([*([logo] if logo else []), *form.pictures])
    sheets = [CSS(string=_own_css("paper.css"), url_fetcher=fetcher),
              CSS(string=page_css(form), url_fetcher=fetcher)]
    if project_css := overrides.style:
        sheets.append(CSS(string=project_css, url_fetcher=fetcher))
    if form.large_print:  # after the project's look, so that nothing shrinks the print
        sheets.append(CSS(string=_own_css("large-print.css"), url_fetcher=fetcher))
    html = HTML(string=form_html(form, overrides, serials), url_fetcher=fetcher,
                base_url=str(overrides.folder or Path.cwd()))
    return html.render(stylesheets=sheets)
