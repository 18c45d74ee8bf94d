"""Pages into returns: one return per serial, whatever the order of the pages, simplex or
duplex, with pages scanned twice compared and pages never scanned named.

A return is complete when every page of the form that has boxes was read; the cover and
instruction pages carry none, so they may be left out of the stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from survey.returns.doubts import Doubt
from survey.returns.typed import UNREADABLE
from survey.scan.answers import AnswerRead
from survey.scan.read_page import PageResult


@dataclass
class ScannedReturn:
    questionnaire_id: str
    version: str
    language: str
    serial: str
    layout: dict[str, Any]
    pages: dict[int, PageResult] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)
    doubts: dict[str, Doubt] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    """Messages about pages scanned more than once."""

    @property
    def missing(self) -> list[int]:
        return [p["page"] for p in self.layout["pages"]
                if p["boxes"] and p["page"] not in self.pages]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def clear(self) -> bool:
        return self.complete and not self.doubts


def _merge(old: AnswerRead, new: AnswerRead) -> AnswerRead:
    """An answer whose boxes sit on two pages: two ticks are two ticks."""
    texts = [a.text for a in (old, new) if a.text not in ("", "-")]
    if UNREADABLE in texts:
        return old if old.text == UNREADABLE else new
    if len(texts) > 1:
        return AnswerRead(UNREADABLE, "ticks on both pages the question spans; read the paper")
    return AnswerRead(texts[0] if texts else old.text)


def _add_page(copy: ScannedReturn, page: PageResult) -> None:
    assert page.page_id is not None
    number = page.page_id.page
    first = copy.pages.get(number)
    if first is not None:
        differ = [n for n, a in page.answers.items()
                  if first.answers.get(n, a).text != a.text]
        if not differ:
            copy.duplicates.append(f"{page.where}: page {number} of serial {copy.serial} "
                                   f"again (also {first.where}), same marks; read once")
            return
        copy.duplicates.append(f"{page.where}: page {number} of serial {copy.serial} again "
                               f"(also {first.where}) with different marks in "
                               f"{', '.join(differ)}; a person decides those")
        for name in differ:
            copy.typed[name] = UNREADABLE
            copy.doubts[name] = Doubt(f"the page was scanned twice ({first.where}, "
                                      f"{page.where}) and the two differ; read the paper")
            if name in page.images:
                copy.images.setdefault(name, page.images[name])
        return
    copy.pages[number] = page
    for name, answer in page.answers.items():
        merged = _merge(answer_of(copy, name), answer) if name in copy.typed else answer
        copy.typed[name] = merged.text
        if merged.reason is not None:
            copy.doubts[name] = Doubt(merged.reason, merged.confidence)
            if name in page.images:
                copy.images[name] = page.images[name]


def answer_of(copy: ScannedReturn, name: str) -> AnswerRead:
    doubt = copy.doubts.get(name)
    return AnswerRead(copy.typed[name], doubt.reason if doubt else None)


def _mark_missing(copy: ScannedReturn) -> None:
    for number in copy.missing:
        boxes = copy.layout["pages"][number - 1]["boxes"]
        for name in dict.fromkeys(b["answer"] for b in boxes):
            if name not in copy.typed:
                copy.typed[name] = UNREADABLE
                copy.doubts[name] = Doubt(f"page {number} was not scanned: type it from the "
                                          "paper, or scan the whole copy again")


def assemble(pages: list[PageResult]) -> list[ScannedReturn]:
    """The returns the read pages make, in serial order."""
    returns: dict[str, ScannedReturn] = {}
    for page in pages:
        page_id = page.page_id
        assert page_id is not None and page_id.serial is not None
        copy = returns.get(page_id.serial)
        if copy is None:
            copy = returns[page_id.serial] = ScannedReturn(
                page_id.questionnaire, page_id.version, page_id.language, page_id.serial,
                page.layout)
        _add_page(copy, page)
    for copy in returns.values():
        _mark_missing(copy)
        for name in copy.images:
            copy.doubts[name] = Doubt(copy.doubts[name].reason, copy.doubts[name].confidence,
                                      f"{name}.png")
    return [returns[serial] for serial in sorted(returns)]
