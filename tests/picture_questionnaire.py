"""A small German/English/Arabic questionnaire whose pictures are SVG pictograms with alt text:
the shared fixture of the tests of pictures for respondents who read little."""

from __future__ import annotations

import shutil
from pathlib import Path

PICTOGRAMS = Path(__file__).parents[1] / "questionnaires" / "media" / "pictograms"

QUESTIONNAIRE = """\
survey:
  id: pictures
  version: "1"
  title: {de: Bilder, en: Pictures, ar: صور}
  organisation: Nachbarschaftshilfe e. V.
  languages: [de, en, ar]
  default_language: de
sections:
  - id: help
    title: {de: Hilfe, en: Help, ar: مساعدة}
    questions:
      - id: need
        type: multiple_choice
        label: {de: Wobei brauchen Sie Hilfe?, en: Where do you need help?, ar: أين تحتاج المساعدة؟}
        image:
          file: media/pictograms/contacts.svg
          alt: {de: Zwei Menschen, en: Two people, ar: شخصان}
        choices:
          - name: housing
            code: 1
            label: {de: Wohnung, en: Flat, ar: سكن}
            image:
              file: media/pictograms/housing.svg
              alt: {de: Ein Haus, en: A house, ar: منزل}
          - name: jobs
            code: 2
            label: {de: Arbeit, en: Work, ar: عمل}
            image: {file: media/pictograms/jobs.svg, alt: ""}
"""


def picture_questionnaire(folder: Path, text: str = QUESTIONNAIRE) -> Path:
    """The questionnaire in `folder`, with the pictograms it names copied beside it."""
    shutil.copytree(PICTOGRAMS, folder / "media" / "pictograms", dirs_exist_ok=True)
    path = folder / "pictures.yaml"
    path.write_text(text, encoding="utf-8")
    return path
