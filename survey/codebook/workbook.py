"""The codebook as an Excel workbook: one sheet of variables, one of codes."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from survey.atomic_write import save_atomically
from survey.codebook.entries import Codebook
from survey.safe_cells import neutralise


def write_xlsx(codebook: Codebook, path: Path) -> None:
    languages = codebook.languages
    default = codebook.questionnaire.default_language
    workbook = Workbook()
    variables = workbook.active
    assert variables is not None
    variables.title = "variables"
    variables.append(["variable", "SPSS name", "Stata name", "number", "label", "type", "kind",
                      "measure", "asked only if", "missing codes",
                      *(f"question ({lang})" for lang in languages), "answered", "mean",
                      "minimum", "maximum"])
    for e in codebook.entries:
        variables.append([neutralise(v) for v in (
            e.name, e.spss_name, e.stata_name, e.number, e.labels[default], e.question_type,
            str(e.column.kind), e.column.measure, "; ".join(map(str, e.routing)) or None,
            ", ".join(str(m.code) for m in e.missing) or None,
            *(e.question_texts.get(lang) for lang in languages), e.answered, e.mean,
            e.minimum, e.maximum)])
    codes = workbook.create_sheet("codes")
    codes.append(["variable", "code", "missing", *(f"label ({lang})" for lang in languages),
                  "n"])
    for e in codebook.entries:
        for c in (*e.categories, *e.missing):
            codes.append([e.name, c.code, "missing" if c.missing else None,
                          *(neutralise(c.labels[lang]) for lang in languages), c.count])
    for sheet in (variables, codes):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
    save_atomically(path, workbook.save)
