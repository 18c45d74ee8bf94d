"""Every subpackage of survey/ names its public API in `__init__` (`__all__`; DESIGN.md,
"Layers"): each name imports and is the object its name says (never a submodule that shadows
it), classes and functions carry a docstring of their own, no name is listed twice, and
docs/python-api.md lists every name in its package's section. Importing one small submodule
does not import its package's public objects (survey.public_api).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from types import ModuleType

import pytest
from support import ROOT

import survey

API_DOC = ROOT / "docs" / "python-api.md"
PACKAGES = sorted(f"survey.{info.name}" for info in pkgutil.iter_modules(survey.__path__)
                  if info.ispkg)


def _public(package: str) -> list[str]:
    module = importlib.import_module(package)
    names = getattr(module, "__all__", None)
    assert isinstance(names, list), f"{package} names no public API (__all__) in __init__"
    return names


def _own_docstring(found: object, name: str) -> bool:
    doc = found.__dict__.get("__doc__") if inspect.isclass(found) else inspect.getdoc(found)
    return bool(doc and doc.strip()) and not doc.startswith(f"{name}(")


def _doc_sections() -> dict[str, str]:
    """The text under each `## survey.x` heading of the API page (to the next such heading)."""
    text = API_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## `?(survey\.[a-z_]+)`?\s*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_subpackages_are_found() -> None:
    assert {"survey.jobs", "survey.questionnaire", "survey.stats", "survey.store"} <= set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_imports_and_has_a_docstring(package: str) -> None:
    names = _public(package)
    assert len(names) == len(set(names)), f"{package}.__all__ lists a name twice"
    undocumented = set()
    for name in names:
        found = getattr(__import__(package, fromlist=[name]), name)  # from package import name
        assert not isinstance(found, ModuleType), f"{package}.{name} is a module"
        if (inspect.isclass(found) or inspect.isfunction(found)) and not _own_docstring(
                found, name):
            undocumented.add(name)
    assert not undocumented, f"{package}: no docstring: {sorted(undocumented)}"


def test_the_api_page_lists_every_public_name_in_its_package_section() -> None:
    sections = _doc_sections()
    for package in PACKAGES:
        names = _public(package)
        if not names:
            continue
        assert package in sections, f"docs/python-api.md has no section '## {package}'"
        listed = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", sections[package]))
        assert set(names) <= listed, f"{package}: not in its section: {sorted(set(names) - listed)}"


def test_a_small_submodule_does_not_import_its_package_api() -> None:
    probe = ("import sys; import survey.paper.bidi, survey.returns.typed, survey.jobs.progress; "
             "print(sorted(m for m in ('survey.paper.produce', 'survey.returns.reconcile', "
             "'survey.report.make', 'weasyprint') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]", result.stdout
