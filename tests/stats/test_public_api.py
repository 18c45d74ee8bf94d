"""The public face of survey.stats: every name in `__all__` is what its name says (never a
module that shadows a function), has a docstring of its own, and is listed in
docs/python-api.md; and the documentation lists no name that is not public."""

from __future__ import annotations

import inspect
import re

from support import ROOT

import survey.stats as public

API_DOC = ROOT / "docs" / "python-api.md"


def test_every_public_name_is_an_object_with_its_own_docstring() -> None:
    for name in public.__all__:
        found = getattr(public, name)
        assert not inspect.ismodule(found), f"survey.stats.{name} is a module"
        doc = inspect.getdoc(found) or ""
        assert doc and not doc.startswith(f"{name}("), f"{name} has no docstring of its own"


def test_the_api_page_lists_exactly_the_public_names() -> None:
    listed = set(re.findall(r"`([A-Za-z_]+)`", API_DOC.read_text(encoding="utf-8")))
    public_names = set(public.__all__)
    assert public_names <= listed, sorted(public_names - listed)
    table_names = {n for n in listed if n in dir(public) and not n.startswith("_")}
    assert table_names <= public_names | {"survey"}, sorted(table_names - public_names)
