"""The demo folder: a survey project of its own, so `survey serve DIR` and every other
command work on it, and nothing the demo makes lands in the repository's own folders."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from survey.store.store import STORE_FILE
from survey.user_error import UserError

REPOSITORY = Path(__file__).resolve().parent.parent.parent
"""The clone the toolkit runs from; it holds the flagship survey and the sample returns."""
QUESTIONNAIRE = Path("questionnaires") / "zusammen.yaml"
PLAN = Path("analysis") / "needs-assessment.yaml"
MARGINS = Path("analysis") / "saxony-margins.yaml"
REPORT_FACTS = Path("reports") / "report.yaml"
"""What the flagship project says about its survey (recruitment, weighting targets)."""
AREA_MAP = Path(__file__).parent / "areas-saxony.geojson"
"""Saxony's districts (BKG VG5000, dl-de/by-2-0) named by the flagship's district choices:
the report's maps (survey.report.maps), copied to reports/areas.geojson."""
SAMPLE_FOLDER = Path("data") / "sample"
SAMPLE_FILES = ("leipzig_ru.csv", "dresden_de.xlsx", "chemnitz_codes.sav", "kobo_export.csv",
                "online.jsonl")
"""One file per partner format; data/sample/README.md describes them."""
OUTPUT_FOLDERS = ("paper", "imports", "results", "published", "exports", "wave-2025")
"""What the demo writes besides its inputs; --force replaces exactly these and the store."""


class DemoError(UserError):
    """The demo cannot run; the message says what to do."""


def prepare_folder(folder: Path, force: bool) -> None:
    """Refuse a folder with someone's files in it unless forced, and prove it is writable
    before minutes of work are spent."""
    if folder.exists() and not folder.is_dir():
        raise DemoError(f"{folder} is a file, not a folder; name a new folder for the demo, "
                        "e.g. survey demo demo-output")
    if folder.is_dir() and any(folder.iterdir()):
        if not force:
            raise DemoError(f"{folder} is not empty; name a new folder for the demo, or add "
                            "--force to replace the demo's outputs in it (other files are left "
                            "alone)")
        for name in OUTPUT_FOLDERS:
            shutil.rmtree(folder / name, ignore_errors=True)
        for store_file in (folder / STORE_FILE).parent.glob(f"{STORE_FILE.name}*"):
            store_file.unlink()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as error:
        raise DemoError(f"cannot write to {folder}: {error.strerror or error}; choose a folder "
                        "you can write to") from None


def copy_pictures(folder: Path) -> None:
    """The flagship's pictures beside its copy in `folder`: a questionnaire's media travel
    with it, or it does not validate."""
    shutil.copytree(REPOSITORY / QUESTIONNAIRE.parent / "media",
                    folder / QUESTIONNAIRE.parent / "media", dirs_exist_ok=True)


def copy_inputs(folder: Path, samples: tuple[str, ...]) -> list[Path]:
    """The flagship questionnaire, its analysis plan, its report facts and the sample
    returns, copied so the folder is a complete project; the sample files' paths in it."""
    inputs = (QUESTIONNAIRE, PLAN, MARGINS, REPORT_FACTS, *(SAMPLE_FOLDER / s for s in samples))
    missing = [path for path in inputs if not (REPOSITORY / path).is_file()]
    if missing:
        raise DemoError(f"the demo needs the sample survey of the toolkit's repository, but "
                        f"{', '.join(str(p) for p in missing)} is missing in {REPOSITORY}; run "
                        "it from a clone of the repository (pip install -e .)")
    for path in inputs:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPOSITORY / path, folder / path)
    copy_pictures(folder)
    shutil.copyfile(AREA_MAP, folder / "reports" / "areas.geojson")
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Made by survey demo: keep it out of version control.\n*\n",
                          encoding="utf-8")
    return [folder / SAMPLE_FOLDER / s for s in samples]
