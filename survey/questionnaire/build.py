"""Turn validated questionnaire data into the typed model (only ever called on sound data)."""

from __future__ import annotations

from typing import Any

from survey.questionnaire.expressions.syntax import Node
from survey.questionnaire.languages import ordered_languages
from survey.questionnaire.media import picture_parts
from survey.questionnaire.model import (
    NO_TEXT,
    Choice,
    ChoiceList,
    Contact,
    Expression,
    GridItem,
    MissingValue,
    Question,
    Questionnaire,
    Section,
    SurveyInfo,
    Text,
)
from survey.questionnaire.spec import QuestionType
from survey.questionnaire.yaml_source import Path_

_UNNUMBERED = {QuestionType.NOTE, QuestionType.CALCULATE}


def text(value: Any) -> Text:
    if value is None:
        return NO_TEXT
    if isinstance(value, dict):
        return Text({lang: str(t) for lang, t in value.items()})
    return Text(neutral=str(value))


def _picture(raw: dict[str, Any]) -> dict[str, Text]:
    """`image` and `image_alt` of a question or choice, from either way of writing it."""
    files, alt = picture_parts(raw.get("image"))
    return {"image": text(files), "image_alt": text(alt)}


def _choices(raw: list[dict[str, Any]]) -> tuple[Choice, ...]:
    return tuple(Choice(c["name"], c["code"], text(c["label"]), bool(c.get("exclusive")),
                        bool(c.get("other")), c.get("original"), audio=text(c.get("audio")),
                        **_picture(c)) for c in raw)


class _Builder:
    def __init__(self, data: dict[str, Any], trees: dict[Path_, Node]):
        self.data = data
        self.trees = trees
        self.lists = {name: ChoiceList(name, _choices(raw))
                      for name, raw in (data.get("choice_lists") or {}).items()}
        self.missing = tuple(MissingValue(m["name"], m["code"], text(m["label"]),
                                          m.get("original"))
                             for m in data.get("missing_values") or [])
        self.number = 0

    def expression(self, path: Path_, source: Any) -> Expression | None:
        if not isinstance(source, str) or path not in self.trees:
            return None
        return Expression(source, self.trees[path])

    def choice_list(self, value: Any, owner: str, key: str) -> ChoiceList | None:
        if value is None:
            return None
        if isinstance(value, str):
            return self.lists[value]
        return ChoiceList(f"{owner}.{key}", _choices(value))

    def question(self, raw: dict[str, Any], path: Path_, section: str) -> Question:
        qtype = QuestionType(raw["type"])
        number = None
        if qtype not in _UNNUMBERED:
            self.number += 1
            number = self.number
        required = raw.get("required", False)
        missing = {m.name: m for m in self.missing}
        return Question(
            id=raw["id"], type=qtype, label=text(raw.get("label")), number=number,
            section=section, hint=text(raw.get("hint")),
            required=required if isinstance(required, bool)
            else self.expression((*path, "required"), required) or False,
            relevant=self.expression((*path, "relevant"), raw.get("relevant")),
            constraint=self.expression((*path, "constraint"), raw.get("constraint")),
            constraint_message=text(raw.get("constraint_message")),
            missing=tuple(missing[name] for name in raw.get("missing") or []),
            choices=self.choice_list(raw.get("choices", raw.get("scale")), raw["id"],
                                     "choices" if "choices" in raw else "scale"),
            items=tuple(GridItem(i["id"], text(i["label"]), i.get("original"))
                        for i in raw.get("items") or []),
            min=raw.get("min"), max=raw.get("max"), unit=text(raw.get("unit")),
            decimals=raw.get("decimals"), max_length=raw.get("max_length"),
            min_selected=raw.get("min_selected"), max_selected=raw.get("max_selected"),
            priority=tuple(raw.get("priority") or ()), rank=raw.get("rank"),
            calculate=self.expression((*path, "calculate"), raw.get("calculate")),
            original=raw.get("original"), audio=text(raw.get("audio")), **_picture(raw),
        )

    def section(self, raw: dict[str, Any], index: int) -> Section:
        path: Path_ = ("sections", index)
        return Section(
            id=raw["id"], title=text(raw["title"]), intro=text(raw.get("intro")),
            relevant=self.expression((*path, "relevant"), raw.get("relevant")),
            questions=tuple(self.question(q, (*path, "questions", i), raw["id"])
                            for i, q in enumerate(raw["questions"])),
        )

    def survey(self) -> SurveyInfo:
        raw = self.data["survey"]
        contact = raw.get("contact") or {}
        return SurveyInfo(
            id=raw["id"], version=str(raw["version"]), title=text(raw["title"]),
            organisation=text(raw["organisation"]), languages=ordered_languages(raw["languages"]),
            default_language=raw["default_language"],
            contact=Contact(name=text(contact.get("name")), email=contact.get("email"),
                            phone=contact.get("phone"), address=text(contact.get("address")),
                            web=contact.get("web")),
            intro=text(raw.get("intro")), privacy=text(raw.get("privacy")),
            privacy_summary=text(raw.get("privacy_summary")),
            return_instructions=text(raw.get("return_instructions")),
            translation_status=dict(raw.get("translation_status") or {}),
        )


def build_questionnaire(data: dict[str, Any], trees: dict[Path_, Node],
                        file: str) -> Questionnaire:
    builder = _Builder(data, trees)
    return Questionnaire(
        survey=builder.survey(), missing_values=builder.missing, choice_lists=builder.lists,
        sections=tuple(builder.section(s, i) for i, s in enumerate(data["sections"])),
        file=file,
        interface={key: {lang: str(t) for lang, t in texts.items()}
                   for key, texts in (data.get("interface") or {}).items()},
    )
