"""A Frictionless Data Package (v2) describing the CSV export: every column with its type,
categories (codes and labels) and labelled missing values, so tools that read Data Packages
get the codebook with the data."""

from __future__ import annotations

from typing import Any

from survey.codebook.entries import Codebook, Entry
from survey.questionnaire.measurement import Storage

PROFILE = "https://datapackage.org/profiles/2.0/"
_TYPES = {Storage.CODE: "integer", Storage.INTEGER: "integer", Storage.NUMBER: "number",
          Storage.TEXT: "string", Storage.DATE: "date"}


def _field(entry: Entry, language: str) -> dict[str, Any]:
    column = entry.column
    field: dict[str, Any] = {"name": entry.name, "type": _TYPES[column.kind],
                             "title": entry.labels[language]}
    if entry.question_texts:
        field["description"] = entry.question_texts[language]
    if entry.categories:
        field["categories"] = [{"value": c.code, "label": c.labels[language]}
                               for c in entry.categories]
        field["categoriesOrdered"] = column.measure == "ordinal"
    if entry.missing:
        field["missingValues"] = [{"value": "", "label": "not answered"}, *(
            {"value": str(m.code), "label": m.labels[language]} for m in entry.missing)]
    return field


def datapackage(codebook: Codebook) -> dict[str, Any]:
    q = codebook.questionnaire
    language = q.default_language
    return {
        "$schema": PROFILE + "datapackage.json",
        "name": q.id.replace("_", "-"),
        "title": q.survey.title.get(language),
        "version": q.survey.version,
        "resources": [{
            "$schema": PROFILE + "dataresource.json",
            "name": q.id.replace("_", "-"),
            "path": f"{q.id}.csv",
            "type": "table", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": "The export written by: survey export PROJECT --format csv",
            "schema": {"$schema": PROFILE + "tableschema.json",
                       "fields": [_field(e, language) for e in codebook.entries],
                       "missingValues": [""]},
        }],
    }
