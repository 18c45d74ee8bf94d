"""Moving questionnaires between this toolkit, XLSForm (KoboToolbox, ODK) and SPSS/Stata files."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = ["ConversionReport", "ConvertError", "convert_file", "output_path"]

if TYPE_CHECKING:
    from survey.convert.files import convert_file, output_path
    from survey.convert.report import ConversionReport, ConvertError
else:
    export_lazily(__name__, {
        "survey.convert.files": ("convert_file", "output_path"),
        "survey.convert.report": ("ConversionReport", "ConvertError"),
    })
