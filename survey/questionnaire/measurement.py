"""How a variable is measured and stored: the one classification that statistics (what may be
averaged or tabulated), exports (column types, SPSS measure levels) and the codebook read."""

from __future__ import annotations

from enum import StrEnum

from survey.questionnaire.spec import QuestionType


class Scale(StrEnum):
    """The measurement scale: what may be done with the values."""

    CATEGORICAL = "categorical"  # nominal categories: shares, breakdowns, recodes
    ORDINAL = "ordinal"  # ordered categories with numeric codes: also means and quantiles
    NUMERIC = "numeric"  # numbers: means, quantiles, cut into groups
    CODES = "codes"  # country or language codes: categories found in the data
    FREE_TEXT = "free text"  # what respondents typed: never tabulated
    DATE = "date"


class Measure(StrEnum):
    """The measure level SPSS and the codebook name, a coarser view of the scale."""

    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    SCALE = "scale"


MEASURES = {Scale.CATEGORICAL: Measure.NOMINAL, Scale.CODES: Measure.NOMINAL,
            Scale.FREE_TEXT: Measure.NOMINAL, Scale.ORDINAL: Measure.ORDINAL,
            Scale.NUMERIC: Measure.SCALE, Scale.DATE: Measure.SCALE}


class Storage(StrEnum):
    """How the values are stored in a data set's column."""

    CODE = "code"  # whole-number codes with value labels
    INTEGER = "integer"  # whole numbers without labels (counts, years)
    NUMBER = "number"
    TEXT = "text"
    DATE = "date"


ANSWER_CLASSES: dict[QuestionType, tuple[Scale, Storage]] = {
    QuestionType.SINGLE_CHOICE: (Scale.CATEGORICAL, Storage.CODE),
    QuestionType.CONSENT: (Scale.CATEGORICAL, Storage.CODE),
    QuestionType.RATING: (Scale.ORDINAL, Storage.CODE),
    QuestionType.INTEGER: (Scale.NUMERIC, Storage.INTEGER),
    QuestionType.YEAR: (Scale.NUMERIC, Storage.INTEGER),
    QuestionType.DECIMAL: (Scale.NUMERIC, Storage.NUMBER),
    QuestionType.CALCULATE: (Scale.NUMERIC, Storage.NUMBER),
    QuestionType.TEXT: (Scale.FREE_TEXT, Storage.TEXT),
    QuestionType.LONG_TEXT: (Scale.FREE_TEXT, Storage.TEXT),
    QuestionType.COUNTRY: (Scale.CODES, Storage.TEXT),
    QuestionType.LANGUAGE: (Scale.CODES, Storage.TEXT),
    QuestionType.DATE: (Scale.DATE, Storage.DATE),
}
"""Scale and storage of the one variable of a single-valued question; the variables of multiple
choices, grids, rankings and "please specify" texts are classified where they are made
(model.question_variables)."""
