"""A subpackage's public names, imported when first used (PEP 562).

Each subpackage names its public API in its `__init__` (`__all__`; DESIGN.md, "Layers").
Importing those objects there eagerly would make every import of a small submodule
(survey.paper.bidi, survey.returns.typed) pay for the package's heavy ones (weasyprint,
matplotlib, scipy), so an `__init__` names them for mypy and readers under
`if TYPE_CHECKING:` and otherwise hands the same names to `export_lazily`:

    if TYPE_CHECKING:
        from survey.report.make import ReportRequest, make_report
    else:
        export_lazily(__name__, {"survey.report.make": ("ReportRequest", "make_report")})

`from survey.report import make_report` then imports survey.report.make on first use. Where a
public name is also the name of a submodule (survey.jobs.ingest, survey/jobs/ingest.py), the
public object wins, as it would with an eager import. Imports nothing of ours.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import Any

# package → public name → the module that defines it
_SOURCES: dict[str, dict[str, str]] = {}


class _Package(ModuleType):
    """A package module whose public names are imported on first use."""

    def __getattr__(self, name: str) -> Any:
        module = _SOURCES.get(self.__name__, {}).get(name)
        if module is None:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        self.__dict__[name] = value
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        # The import system binds each submodule it loads to its package: never over a
        # public object of the same name.
        if isinstance(value, ModuleType) and name in _SOURCES.get(self.__name__, {}):
            return
        super().__setattr__(name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(_SOURCES.get(self.__name__, {})))


def export_lazily(package: str, sources: Mapping[str, Iterable[str]]) -> None:
    """Make `package` (its `__name__`) import each public name from its module (`sources`:
    module → names) when the name is first looked up."""
    names = {name: module for module, listed in sources.items() for name in listed}
    differ = set(getattr(sys.modules[package], "__all__", names)) ^ set(names)
    if differ:
        raise ImportError(f"{package}: __all__ and the names exported lazily differ: "
                          f"{sorted(differ)}")
    _SOURCES[package] = names
    sys.modules[package].__class__ = _Package
