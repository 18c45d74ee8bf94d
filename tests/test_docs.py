"""Every YAML example in the user documentation is a valid questionnaire (or part of one).

A block that is a whole questionnaire is validated as it is; a list is taken as the questions
of one section; a mapping of top-level keys is merged into a minimal questionnaire; a mapping
with 'questions' is taken as one section. A block preceded by <!-- novalidate --> shows a
mistake on purpose and is skipped.
"""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import ROOT, picture

from survey.questionnaire import validate_file
from survey.questionnaire.yaml_source import load_yaml_text

DOCS = [ROOT / "docs" / "questionnaire-format.md", ROOT / "docs" / "expression-examples.md",
        ROOT / "docs" / "howto-write-a-questionnaire.md"]
TOP = {"format", "survey", "missing_values", "choice_lists", "sections"}
BASE: dict[str, Any] = {
    "survey": {"id": "doc_example", "version": "1", "title": "Example",
               "organisation": "Example", "languages": ["de", "en"], "default_language": "de"},
    "missing_values": [
        {"name": "dont_know", "code": -1, "label": {"de": "Weiß nicht", "en": "Don't know"}},
        {"name": "no_answer", "code": -2, "label": {"de": "Keine Angabe", "en": "No answer"}},
        {"name": "not_applicable", "code": -3,
         "label": {"de": "Trifft nicht zu", "en": "Not applicable"}},
    ],
    "choice_lists": {
        "yes_no": [{"name": "yes", "code": 1, "label": {"de": "Ja", "en": "Yes"}},
                   {"name": "no", "code": 2, "label": {"de": "Nein", "en": "No"}}],
        "agree5": [{"name": f"p{i}", "code": i, "label": f"{i}"} for i in range(1, 6)],
    },
}
FILLER = [{"id": "q", "type": "integer", "label": "Q"}]


def blocks() -> list[tuple[str, int, str]]:
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for index, match in enumerate(re.finditer(r"(<!-- novalidate -->\n)?```yaml\n(.*?)```",
                                                  text, re.S)):
            if not match.group(1):
                found.append((path.name, index, match.group(2)))
    return found


def as_questionnaire(block: str) -> str:
    data = load_yaml_text(block).data
    if isinstance(data, dict) and {"survey", "sections"} <= set(data):
        return block
    document = {key: (dict(value) if isinstance(value, dict) else list(value))
                for key, value in BASE.items()}
    if isinstance(data, list):
        document["sections"] = [{"id": "s", "title": "S", "questions": data}]
    elif isinstance(data, dict) and set(data) <= TOP:
        for key, value in data.items():
            document[key] = ({**document[key], **value} if key in ("survey", "choice_lists")
                             else value)
        document.setdefault("sections", [{"id": "s", "title": "S", "questions": FILLER}])
    elif isinstance(data, dict) and "questions" in data:
        document["sections"] = [data]
    else:
        raise AssertionError(f"cannot place this example in a questionnaire: {block[:80]}")
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


BLOCKS = blocks()


def test_the_documentation_has_examples() -> None:
    assert len(BLOCKS) >= 30


@pytest.mark.parametrize("name,index,block", BLOCKS, ids=[f"{n}-{i}" for n, i, _ in BLOCKS])
def test_example_is_valid(tmp_path: Path, name: str, index: int, block: str) -> None:
    for found in re.findall(r"media/[\w-]+\.(?:png|mp3)", block):  # the files it names
        if found.endswith(".png"):
            picture(tmp_path / found, (0, 0, 0))
        else:
            (tmp_path / found).write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00")
    path = tmp_path / "example.yaml"
    path.write_text(as_questionnaire(block), encoding="utf-8")
    result = validate_file(path)
    assert [str(d) for d in result.diagnostics] == []
