"""PDF from the report's own HTML pages with WeasyPrint, which fetches nothing but the pages'
own files: the stylesheet and the charts in the output folder. Any other URL (http, data,
a file elsewhere) is refused, so a hostile label can never make the renderer reach the network
or read the file system."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from survey.report.html_report import ASSETS, CHARTS
from survey.tagged_pdf import PDF_OPTIONS


class OwnAssetsOnly(URLFetcher):  # type: ignore[misc]  # weasyprint ships no annotations
    """Serves files under the allowed folders; refuses, and remembers, everything else."""

    def __init__(self, folders: list[Path]):
        super().__init__(allowed_protocols=("file",))
        self.folders = [f.resolve() for f in folders]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
        if path is None or not path.is_file() or not any(path.is_relative_to(f)
                                                         for f in self.folders):
            self.refused.append(url)
            raise ValueError(f"the report fetches only its own assets, not {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})




def write_pdf(page: Path, target: Path) -> list[str]:
    """Render `page` (an HTML file written by html_report) to `target`, tagged; the URLs
    refused."""
    fetcher = OwnAssetsOnly([page.parent / ASSETS, page.parent / CHARTS])
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    html = HTML(filename=str(page), base_url=str(page.parent), url_fetcher=fetcher)
    html.write_pdf(target, **PDF_OPTIONS)
    return fetcher.refused
