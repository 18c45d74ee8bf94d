"""DDI Codebook 2.5 XML, the metadata standard data archives (GESIS, UKDS) take in."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from survey.codebook.entries import Codebook, Entry
from survey.export.columns import NUMERIC
from survey.questionnaire.measurement import Storage
from survey.questionnaire.model import VariableRole

NAMESPACE = "ddi:codebook:2_5"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _var(parent: ET.Element, entry: Entry, index: int, languages: tuple[str, ...]) -> None:
    column = entry.column
    var = _sub(parent, "var", ID=f"V{index}", name=entry.name, files="F1",
               intrvl="discrete" if column.kind in (Storage.CODE, Storage.TEXT) else "contin")
    if column.kind in (Storage.CODE, Storage.INTEGER):
        var.set("dcml", "0")
    for language in languages:
        _sub(var, "labl", entry.labels[language], **{_LANG: language})
    if entry.question_texts:
        qstn = _sub(var, "qstn", ID=f"Q{index}")
        if entry.number is not None:
            qstn.set("seqNo", str(entry.number))
        for language in languages:
            _sub(qstn, "qstnLit", entry.question_texts[language], **{_LANG: language})
    if entry.missing:
        invalid = _sub(var, "invalrng")
        for category in entry.missing:
            _sub(invalid, "item", VALUE=str(category.code))
    for rule in entry.routing:
        _sub(var, "universe", str(rule), clusion="I")
    if entry.answered is not None:
        _sub(var, "sumStat", str(entry.answered), type="vald")
    if entry.mean is not None:
        _sub(var, "sumStat", repr(entry.mean), type="mean")
        _sub(var, "sumStat", repr(entry.minimum), type="min")
        _sub(var, "sumStat", repr(entry.maximum), type="max")
    for category in (*entry.categories, *entry.missing):
        catgry = _sub(var, "catgry")
        if category.missing:
            catgry.set("missing", "Y")
        _sub(catgry, "catValu", str(category.code))
        for language in languages:
            _sub(catgry, "labl", category.labels[language], **{_LANG: language})
        if category.count is not None:
            _sub(catgry, "catStat", str(category.count), type="freq")
    _sub(var, "varFormat", type="numeric" if column.kind in NUMERIC else "character",
         schema="other", formatname="date" if column.kind == Storage.DATE else column.kind.value)
    if entry.spss_name != entry.name or entry.stata_name != entry.name:
        _sub(var, "notes", f"SPSS name: {entry.spss_name}; Stata name: {entry.stata_name}")


def ddi_xml(codebook: Codebook) -> bytes:
    q = codebook.questionnaire
    languages = codebook.languages
    root = ET.Element("codeBook", {"version": "2.5", "ID": q.id,
                                   "xmlns": NAMESPACE, _LANG: q.default_language})
    doc = _sub(_sub(_sub(root, "docDscr"), "citation"), "titlStmt")
    _sub(doc, "titl", f"Codebook: {q.survey.title.get(q.default_language)}")
    citation = _sub(_sub(root, "stdyDscr"), "citation")
    titles = _sub(citation, "titlStmt")
    for language in languages:
        _sub(titles, "titl" if language == q.default_language else "parTitl",
             q.survey.title.get(language, q.default_language), **{_LANG: language})
    _sub(titles, "IDNo", q.id)
    _sub(_sub(citation, "rspStmt"), "AuthEnty", q.survey.organisation.get(q.default_language))
    _sub(_sub(citation, "verStmt"), "version", q.survey.version)
    file_text = _sub(_sub(root, "fileDscr", ID="F1"), "fileTxt")
    _sub(file_text, "fileName", f"{q.id}.csv")
    dimensions = _sub(file_text, "dimensns")
    if codebook.responses is not None:
        _sub(dimensions, "caseQnty", str(codebook.responses))
    _sub(dimensions, "varQnty", str(len(codebook.entries)))
    data = _sub(root, "dataDscr")
    ids = {e.name: f"V{i}" for i, e in enumerate(codebook.entries, start=1)}
    groups: dict[str, list[str]] = {}
    for entry in codebook.entries:
        variable = entry.column.variable
        if variable is not None and variable.role == VariableRole.OPTION:
            groups.setdefault(variable.question.id, []).append(ids[entry.name])
    for question_id, members in groups.items():
        group = _sub(data, "varGrp", ID=f"G_{question_id}", type="multipleResp",
                     var=" ".join(members))
        question = q.question(question_id)
        for language in languages:
            _sub(group, "labl", question.label.get(language, q.default_language),
                 **{_LANG: language})
    for index, entry in enumerate(codebook.entries, start=1):
        _var(data, entry, index, languages)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
