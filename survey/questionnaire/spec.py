"""The questionnaire format, declared once: the structural check and the published JSON Schema
are both derived from these tables, so the documentation of keys cannot drift from the validator.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class KeyKind(StrEnum):
    TEXT = "text"  # a string, or a mapping language -> string
    ID = "id"  # a lower-case identifier that becomes (part of) a variable name
    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    EXPRESSION = "expression"
    REQUIRED = "required"  # true/false or an expression
    BOUND = "bound"  # number, year or date, depending on the question type
    LANGUAGE = "language"
    NAMES = "names"  # a list of plain words (languages, missing-value names, country codes)
    CHOICES = "choices"  # the name of a choice list, or the choices themselves
    ENUM = "enum"
    OBJECT = "object"
    LIST = "list"  # a list of objects
    MAPPING = "mapping"  # names -> object or list of objects
    STATUS_MAP = "status_map"  # language -> translation status
    FINGERPRINTS = "fingerprints"  # text id -> language -> source-text fingerprint
    INTERFACE = "interface"  # interface text key -> language -> text
    MEDIA = "media"  # a file beside the questionnaire, or a mapping language -> file


@dataclass(frozen=True)
class Key:
    kind: KeyKind
    doc: str
    required: bool = False
    item: str | None = None  # the object kind inside OBJECT, LIST and MAPPING
    values: tuple[str, ...] = ()  # for ENUM and STATUS_MAP


class QuestionType(StrEnum):
    """The kinds of question a questionnaire can ask; the type decides how a question is shown,
    stored and analysed."""

    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    RATING = "rating"
    GRID = "grid"
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    YEAR = "year"
    COUNTRY = "country"
    LANGUAGE = "language"
    RANKING = "ranking"
    NOTE = "note"
    CONSENT = "consent"
    CALCULATE = "calculate"


TRANSLATION_STATUSES = ("source", "draft", "needs_review", "reviewed")

_IMAGE_DOC = ("A picture shown with it online and printed on paper: a PNG, JPEG or WebP file "
              "in the questionnaire's folder (e.g. media/house.png), or one file per language "
              "(de: media/house-de.png, ...).")
_AUDIO_DOC = ("A recording of it read aloud, played online (paper forms cannot play it): an MP3, "
              "OGG/Opus, M4A or WAV file in the questionnaire's folder, usually one per language "
              "(de: audio/q1-de.mp3, ar: audio/q1-ar.mp3).")

OBJECTS: dict[str, dict[str, Key]] = {
    "questionnaire": {
        "format": Key(KeyKind.INTEGER, "Version of this file format; currently 1."),
        "survey": Key(KeyKind.OBJECT, "Who asks, what, and in which languages.", True,
                      item="survey"),
        "missing_values": Key(KeyKind.LIST, "Declared missing-value codes (don't know, no "
                              "answer, not applicable), carried to every output.",
                              item="missing_value"),
        "choice_lists": Key(KeyKind.MAPPING, "Reusable choice lists by name.", item="choice"),
        "sections": Key(KeyKind.LIST, "The sections (pages) in order.", True, item="section"),
        "interface": Key(KeyKind.INTERFACE, "This questionnaire's own wording of the forms' "
                         "interface texts (\"Next\", \"Page 2 of 12\"): key -> language -> "
                         "text; overrides or adds to the toolkit's catalogue."),
        "translated_from": Key(KeyKind.FINGERPRINTS, "Written by `survey translations import`: "
                               "for each text id and language, the fingerprint of the source "
                               "text the translation was made from (finds stale translations)."),
    },
    "survey": {
        "id": Key(KeyKind.ID, "Stable identifier of the survey (letters, digits, '_').", True),
        "version": Key(KeyKind.STRING, "Version of this questionnaire, e.g. '2026.1'.", True),
        "title": Key(KeyKind.TEXT, "Title shown on the cover page and the online form.", True),
        "organisation": Key(KeyKind.TEXT, "The organisation that runs the survey.", True),
        "contact": Key(KeyKind.OBJECT, "Whom respondents can ask.", item="contact"),
        "intro": Key(KeyKind.TEXT, "Cover letter / introduction to respondents."),
        "privacy": Key(KeyKind.TEXT, "Privacy notice (GDPR/DSGVO): who processes the data, "
                       "why, how long, respondents' rights."),
        "privacy_summary": Key(KeyKind.TEXT, "The privacy notice in a few plain sentences "
                               "(up to about 80 words): shown above the full notice on the "
                               "consent page and spoken by `survey audio` instead of it."),
        "return_instructions": Key(KeyKind.TEXT, "How to return a paper form."),
        "languages": Key(KeyKind.NAMES, "Every language the questionnaire is offered in "
                         "(IETF tags such as de, en, ar, fa), and variants of them as "
                         "private-use tags (de-x-easy: easy language).", True),
        "default_language": Key(KeyKind.LANGUAGE, "Source language of the texts; one of "
                                "'languages'.", True),
        "translation_status": Key(KeyKind.STATUS_MAP, "State of each translation.",
                                  values=TRANSLATION_STATUSES),
    },
    "contact": {
        "name": Key(KeyKind.TEXT, "Contact person or office."),
        "email": Key(KeyKind.STRING, "E-mail address."),
        "phone": Key(KeyKind.STRING, "Telephone number."),
        "address": Key(KeyKind.TEXT, "Postal address."),
        "web": Key(KeyKind.STRING, "Web address."),
    },
    "missing_value": {
        "name": Key(KeyKind.ID, "Name of the missing value, e.g. dont_know.", True),
        "code": Key(KeyKind.INTEGER, "Numeric code, conventionally negative (-1, -2, ...).",
                    True),
        "label": Key(KeyKind.TEXT, "Label shown to respondents and in outputs.", True),
        "original": Key(KeyKind.STRING, "How the data file it was converted from writes it "
                        "(e.g. Stata's '.a'); imported values are matched by it as well."),
    },
    "choice": {
        "name": Key(KeyKind.ID, "Name used in expressions and variable names.", True),
        "code": Key(KeyKind.INTEGER, "Stable numeric code stored in the data.", True),
        "label": Key(KeyKind.TEXT, "Text shown to respondents.", True),
        "exclusive": Key(KeyKind.BOOLEAN, "In a multiple choice: ticking it excludes all "
                         "other choices (\"none of these\")."),
        "other": Key(KeyKind.BOOLEAN, "\"Other, please specify\": adds a text variable "
                     "<question>__<name>_text."),
        "original": Key(KeyKind.STRING, "The choice's name in the form or data file it was "
                        "converted from; imported values are matched by it as well."),
        "image": Key(KeyKind.MEDIA, _IMAGE_DOC),
        "audio": Key(KeyKind.MEDIA, _AUDIO_DOC),
    },
    "section": {
        "id": Key(KeyKind.ID, "Stable identifier of the section.", True),
        "title": Key(KeyKind.TEXT, "Heading of the section (page).", True),
        "intro": Key(KeyKind.TEXT, "Text shown under the heading."),
        "relevant": Key(KeyKind.EXPRESSION, "Show the whole section only when this is true."),
        "questions": Key(KeyKind.LIST, "The questions in order.", True, item="question"),
    },
    "grid_item": {
        "id": Key(KeyKind.ID, "Identifier of the row; the variable is <grid>__<id>.", True),
        "label": Key(KeyKind.TEXT, "Text of the row.", True),
        "original": Key(KeyKind.STRING, "The row's name in the form or data file it was "
                        "converted from; imported columns are matched by it as well."),
    },
    "question": {
        "id": Key(KeyKind.ID, "Stable identifier; the variable name (at most 32 characters "
                  "with any suffix, for Stata).", True),
        "type": Key(KeyKind.ENUM, "Question type.", True, values=tuple(QuestionType)),
        "label": Key(KeyKind.TEXT, "The question text."),
        "hint": Key(KeyKind.TEXT, "Help text shown under the question."),
        "required": Key(KeyKind.REQUIRED, "true, false or an expression: an answer (or a "
                        "declared missing value) must be given."),
        "relevant": Key(KeyKind.EXPRESSION, "Skip logic: ask only when this is true."),
        "constraint": Key(KeyKind.EXPRESSION, "Validation: the answer ('.') must make this "
                          "true."),
        "constraint_message": Key(KeyKind.TEXT, "Shown when the constraint fails."),
        "missing": Key(KeyKind.NAMES, "Missing values offered as answers, e.g. "
                       "[dont_know, no_answer]."),
        "choices": Key(KeyKind.CHOICES, "A choice list name, or the choices inline.",
                       item="choice"),
        "scale": Key(KeyKind.CHOICES, "The points of a rating or grid scale: a choice list "
                     "name or inline choices with consecutive codes.", item="choice"),
        "items": Key(KeyKind.LIST, "The rows of a grid.", item="grid_item"),
        "min": Key(KeyKind.BOUND, "Smallest allowed value (a number, a year, or a date "
                   "'YYYY-MM-DD' or 'today')."),
        "max": Key(KeyKind.BOUND, "Largest allowed value (as min)."),
        "unit": Key(KeyKind.TEXT, "Unit printed after the answer box, e.g. 'years'."),
        "decimals": Key(KeyKind.INTEGER, "Digits after the decimal point."),
        "max_length": Key(KeyKind.INTEGER, "Most characters a text answer may have."),
        "min_selected": Key(KeyKind.INTEGER, "Fewest choices to tick."),
        "max_selected": Key(KeyKind.INTEGER, "Most choices to tick."),
        "priority": Key(KeyKind.NAMES, "Codes listed first: ISO 3166 country codes (country) "
                        "or language codes (language)."),
        "rank": Key(KeyKind.INTEGER, "How many of the choices to rank (the top k)."),
        "calculate": Key(KeyKind.EXPRESSION, "The expression a calculate question computes."),
        "original": Key(KeyKind.STRING, "The question's name in the form or data file it was "
                        "converted from, with its group path when it had one (e.g. "
                        "'group_a/Q1.1'); imported columns are matched by it as well."),
        "image": Key(KeyKind.MEDIA, _IMAGE_DOC),
        "audio": Key(KeyKind.MEDIA, _AUDIO_DOC),
    },
}

_COMMON = ("id", "type", "label", "hint", "required", "relevant", "constraint",
           "constraint_message", "missing", "original", "image", "audio")
_PLAIN = ("id", "type", "label", "hint", "relevant", "original", "image", "audio")

QUESTION_KEYS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE_CHOICE: (*_COMMON, "choices"),
    QuestionType.MULTIPLE_CHOICE: (*_COMMON, "choices", "min_selected", "max_selected"),
    QuestionType.RATING: (*_COMMON, "scale"),
    QuestionType.GRID: (*_COMMON, "scale", "items"),
    QuestionType.INTEGER: (*_COMMON, "min", "max", "unit"),
    QuestionType.DECIMAL: (*_COMMON, "min", "max", "unit", "decimals"),
    QuestionType.TEXT: (*_COMMON, "max_length"),
    QuestionType.LONG_TEXT: (*_COMMON, "max_length"),
    QuestionType.DATE: (*_COMMON, "min", "max"),
    QuestionType.YEAR: (*_COMMON, "min", "max"),
    QuestionType.COUNTRY: (*_COMMON, "priority"),
    QuestionType.LANGUAGE: (*_COMMON, "priority"),
    QuestionType.RANKING: (*_COMMON, "choices", "rank"),
    QuestionType.NOTE: _PLAIN,
    QuestionType.CONSENT: (*_PLAIN, "required"),
    QuestionType.CALCULATE: ("id", "type", "label", "relevant", "calculate", "original"),
}

QUESTION_REQUIRED: dict[QuestionType, tuple[str, ...]] = {
    qtype: ("label",) for qtype in QuestionType if qtype != QuestionType.CALCULATE
} | {
    QuestionType.SINGLE_CHOICE: ("label", "choices"),
    QuestionType.MULTIPLE_CHOICE: ("label", "choices"),
    QuestionType.RATING: ("label", "scale"),
    QuestionType.GRID: ("label", "scale", "items"),
    QuestionType.RANKING: ("label", "choices", "rank"),
    QuestionType.CALCULATE: ("calculate",),
}
