"""Converting one file: XLSForm or SPSS/Stata to a questionnaire, a questionnaire to XLSForm."""

from __future__ import annotations

from pathlib import Path

from survey.convert.from_statistical import STATISTICAL_SUFFIXES, statistical_to_data
from survey.convert.from_xlsform import xlsform_to_data
from survey.convert.languages import normalise_code
from survey.convert.report import ConversionReport, ConvertError
from survey.convert.to_xlsform import write_xlsform
from survey.convert.yaml_out import write_questionnaire
from survey.questionnaire import validate_file
from survey.questionnaire.languages import check_language

XLSFORM_SUFFIXES = (".xlsx", ".xls")
QUESTIONNAIRE_SUFFIXES = (".yaml", ".yml")


def output_path(source: Path, target: str, out: Path | None) -> Path | None:
    """The file a conversion of `source` writes (default: beside it with the new suffix);
    None when `source` cannot be converted that way (convert_file says why)."""
    suffix = source.suffix.lower()
    if target == "xlsform":
        return (out or source.with_suffix(".xlsx")) if suffix in QUESTIONNAIRE_SUFFIXES else None
    if suffix in XLSFORM_SUFFIXES or suffix in STATISTICAL_SUFFIXES:
        return out or source.with_suffix(".yaml")
    return None


def convert_file(source: Path, target: str, out: Path | None, language: str = "en",
                 report: ConversionReport | None = None) -> tuple[Path, ConversionReport]:
    """Convert `source`; the file written and what could not be carried over (collected in
    `report` as it goes, so it is there even when the conversion fails)."""
    report = report if report is not None else ConversionReport()
    if not source.is_file():
        raise ConvertError(f"{source} does not exist or is not a file")
    suffix = source.suffix.lower()
    if target == "xlsform":
        if suffix not in QUESTIONNAIRE_SUFFIXES:
            raise ConvertError(f"{source.name}: --to xlsform takes a questionnaire (.yaml)")
        result = validate_file(source)
        if result.questionnaire is None:
            problems = "\n".join(str(d) for d in result.errors)
            raise ConvertError(f"{source} does not validate; fix it first:\n{problems}")
        path = out or source.with_suffix(".xlsx")
        report.notes += write_xlsform(result.questionnaire, path).notes
        return path, report
    problem = check_language(language)
    if problem:
        raise ConvertError(f"--lang {language}: {problem}")
    language = normalise_code(language)  # EN and en are one language
    if suffix in XLSFORM_SUFFIXES:
        data = xlsform_to_data(source, language, report)
    elif suffix in STATISTICAL_SUFFIXES:
        data = statistical_to_data(source, language, report)
    else:
        raise ConvertError(f"{source.name}: --to yaml takes an XLSForm (.xlsx, .xls) or an "
                           "SPSS/Stata file (.sav, .zsav, .por, .dta)")
    path = out or source.with_suffix(".yaml")
    write_questionnaire(data, path, report, source.name)
    return path, report
