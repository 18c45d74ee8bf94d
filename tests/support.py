"""Paths and checks shared by test modules: imported as `support`, because a conftest module
of a subfolder would shadow the name `conftest`."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from survey.cli import cli
from survey.stats.design import SampleDesign
from survey.stats.estimate import mean, total

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"
BAD = Path(__file__).resolve().parent / "bad_questionnaires"
API = ROOT.parent / "shared" / "reference" / "api"
"""R survey's api data (../shared beside the repository, as in CI)."""
SAMPLE = sorted(p for p in (ROOT / "data" / "sample").iterdir()
                if p.suffix in (".csv", ".xlsx", ".sav", ".jsonl"))
"""The sample returns in every partner format (data/sample/README.md)."""


def copy_flagship(questionnaires: Path, name: str = "zusammen.yaml",
                  text: str | None = None) -> Path:
    """The flagship questionnaire (or `text` in its place) with its pictures, into a project's
    questionnaires folder: a questionnaire's media files travel with it."""
    questionnaires.mkdir(parents=True, exist_ok=True)
    target = questionnaires / name
    target.write_text(text if text is not None
                      else (QUESTIONNAIRES / "zusammen.yaml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    shutil.copytree(QUESTIONNAIRES / "media", questionnaires / "media", dirs_exist_ok=True)
    return target


def run(*args: object) -> Result:
    """The `survey` command in-process, with a wide terminal so messages are not wrapped."""
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "200"})


def assert_domain_mean_is_ratio_of_totals(design: SampleDesign, y: np.ndarray,
                                          inside: np.ndarray) -> None:
    """A domain mean must equal the ratio of two domain totals, with the delta-method SE."""
    domain = mean(design, y, domain=inside)
    both = total(design, np.column_stack([y * inside, inside.astype(float)]))
    ratio = both.values[0] / both.values[1]
    gradient = np.array([1.0, -ratio]) / both.values[1]
    assert domain.values[0] == pytest.approx(ratio, rel=1e-12)
    assert domain.se[0] == pytest.approx(np.sqrt(gradient @ both.covariance @ gradient),
                                         rel=1e-10)


MEDIA_QUESTIONNAIRE = """\
survey:
  id: housing_pictures
  version: "1"
  title: {de: Wohnen, ar: السكن}
  organisation: Nachbarschaftshilfe e. V.
  languages: [de, ar]
  default_language: de
sections:
  - id: home
    title: {de: Ihre Wohnung, ar: سكنك}
    questions:
      - id: home_kind
        type: single_choice
        label: {de: Wie wohnen Sie?, ar: كيف تسكن؟}
        image: media/street.png
        audio: {de: media/home-de.wav, ar: media/home-ar.wav}
        choices:
          - {name: flat, code: 1, label: {de: Wohnung, ar: شقة}, image: media/flat.png}
          - {name: shelter, code: 2, label: {de: Unterkunft, ar: سكن جماعي},
             image: {de: media/shelter-de.jpg, ar: media/shelter-ar.jpg}}
      - id: mood
        type: rating
        label: {de: Wie zufrieden sind Sie?, ar: ما مدى رضاك؟}
        scale:
          - {name: bad, code: 1, label: {de: schlecht, ar: سيء}, image: media/sad.png}
          - {name: okay, code: 2, label: {de: mittel, ar: متوسط}}
          - {name: good, code: 3, label: {de: gut, ar: جيد}, image: media/happy.png}
"""


def picture(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (120, 90),
            kind: str = "PNG") -> Path:
    """A real picture file (Pillow), one colour so tests can find it on a rendered page."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, kind)
    return path


def recording(path: Path, seconds: float = 0.2) -> Path:
    """A real WAV file of silence (the standard library's wave module)."""
    import wave

    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * int(8000 * seconds))
    return path


def media_questionnaire(folder: Path) -> Path:
    """A German+Arabic questionnaire with pictures on a question, its choices and a rating's
    scale points (some per language) and a recording per language, files beside it."""
    media = folder / "media"
    picture(media / "street.png", (200, 30, 30))
    picture(media / "flat.png", (30, 160, 30))
    picture(media / "shelter-de.jpg", (30, 30, 200), kind="JPEG")
    picture(media / "shelter-ar.jpg", (230, 200, 20), kind="JPEG")
    picture(media / "sad.png", (120, 0, 120), (60, 60))
    picture(media / "happy.png", (0, 140, 140), (60, 60))
    recording(media / "home-de.wav")
    recording(media / "home-ar.wav")
    path = folder / "housing.yaml"
    path.write_text(MEDIA_QUESTIONNAIRE, encoding="utf-8")
    return path
