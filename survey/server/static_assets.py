"""Compressed answers and fingerprinted static files: a respondent on a slow phone connection
downloads the form's CSS and scripts once, and every page in a fraction of its size.

Static URLs carry the file's content hash (`form.css?v=1a2b3c4d5e`), so a changed file has a
new address and the old one may be cached for a year without ever going stale.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_compress import Compress
from werkzeug.wrappers import Response

FOREVER = "public, max-age=31536000, immutable"
"""Cache-Control of a fingerprinted file: its address changes whenever its content does."""
COMPRESSED_TYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                    "application/json", "image/svg+xml"]


@cache
def fingerprint(path: Path, modified: float) -> str:
    """The first ten hex digits of the file's SHA-256 (`modified` renews it on a change)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def _static_fingerprint(app: Flask, filename: str) -> str | None:
    path = Path(app.static_folder or "") / filename
    if not path.is_file():
        return None
    return fingerprint(path, path.stat().st_mtime)


def serve_static_assets(app: Flask) -> None:
    """Compress answers (brotli, else gzip) and give static files hashed, long-lived URLs."""
    app.config.update(COMPRESS_MIMETYPES=COMPRESSED_TYPES, COMPRESS_ALGORITHM=["br", "gzip"],
                      COMPRESS_ALGORITHM_STREAMING=["br", "gzip"],  # static files stream
                      COMPRESS_MIN_SIZE=500, COMPRESS_BR_LEVEL=5)
    Compress(app)

    @app.url_defaults
    def hashed(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            found = _static_fingerprint(app, values["filename"])
            if found:
                values["v"] = found

    @app.after_request
    def cached(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200 and \
                request.args.get("v") == _static_fingerprint(app, request.view_args["filename"]
                                                              if request.view_args else ""):
            response.headers["Cache-Control"] = FOREVER
            response.expires = None
        return response
