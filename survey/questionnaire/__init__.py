"""The questionnaire: its YAML format, validator and typed model. Imports nothing else of ours."""

from survey.questionnaire.diagnostics import Diagnostic, QuestionnaireError, Severity
from survey.questionnaire.model import (
    Choice,
    ChoiceList,
    Expression,
    Question,
    Questionnaire,
    Section,
    Text,
    Variable,
)
from survey.questionnaire.spec import QuestionType
from survey.questionnaire.translations import Coverage
from survey.questionnaire.validate import ValidationResult, load_questionnaire, validate_file

__all__ = [
    "Choice",
    "ChoiceList",
    "Coverage",
    "Diagnostic",
    "Expression",
    "Question",
    "QuestionType",
    "Questionnaire",
    "QuestionnaireError",
    "Section",
    "Severity",
    "Text",
    "ValidationResult",
    "Variable",
    "load_questionnaire",
    "validate_file",
]
