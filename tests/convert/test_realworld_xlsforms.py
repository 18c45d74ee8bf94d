"""Real XLSForms from Kobo, ODK, Ona, CorrelAid and OPENGIS (../shared/fixtures/realworld,
origins in SOURCES.md): every one converts to a questionnaire that validates, or stops with a
message and leaves no file behind."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from survey.convert.files import convert_file
from survey.convert.from_xlsform import read_form
from survey.convert.report import ConversionReport, ConvertError
from survey.questionnaire import validate_file
from tests.support import ROOT, run

REALWORLD = ROOT.parent / "shared" / "fixtures" / "realworld" / "xlsform"
FORMS = sorted(p for p in REALWORLD.glob("*") if p.suffix in (".xls", ".xlsx"))
ASKABLE = {"text", "string", "integer", "int", "decimal", "select one",
           "select all that apply", "rank", "date", "note", "acknowledge"}
"""XLSForm types with a counterpart in the format (calculations alone ask nothing)."""


def _askable(nodes: list[dict[str, Any]]) -> bool:
    for node in nodes:
        kind = str(node.get("type", ""))
        if kind == "group" and _askable(node.get("children") or []):
            return True
        if kind in ASKABLE:
            return True
    return False


def _eligible(form: Path) -> bool:
    """pyxform accepts the form, and it has a question outside repeats we can ask."""
    from pyxform.xls2xform import convert

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            convert(xlsform=str(form), validate=False)
            tree = read_form(form)
        except Exception:  # pyxform's own refusal is what marks a form as not eligible
            return False
    return _askable(tree.get("children") or [])


def test_the_corpus_is_there() -> None:
    assert len(FORMS) >= 100


@pytest.mark.parametrize("form", FORMS, ids=lambda p: p.name)
def test_converts_to_a_valid_questionnaire_or_leaves_nothing(form: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "form.yaml"
    outcome = run("convert", form, "--to", "yaml", "--out", out)
    assert "Traceback" not in outcome.output
    if outcome.exit_code == 0:
        assert validate_file(out).questionnaire is not None
    else:
        assert outcome.exit_code == 1
        assert "error:" in outcome.output and form.name in outcome.output
        assert not out.exists()
        assert list(tmp_path.iterdir()) == []


def test_at_least_95_percent_of_eligible_forms_validate(tmp_path: Path) -> None:
    eligible = [form for form in FORMS if _eligible(form)]
    valid = []
    for index, form in enumerate(eligible):
        out = tmp_path / f"{index}.yaml"
        try:
            convert_file(form, "yaml", out, "en", ConversionReport())
        except ConvertError:
            assert not out.exists()
            continue
        if validate_file(out).questionnaire is not None:
            valid.append(form.name)
    assert len(eligible) >= 80
    assert len(valid) / len(eligible) >= 0.95, sorted(
        {f.name for f in eligible} - set(valid))
