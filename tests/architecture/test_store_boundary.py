"""Only the store touches the store's tables (DESIGN.md, "Layers", 2).

The import-linter contract "Only the store uses sqlalchemy" keeps sqlalchemy out of every other
package; what it cannot say is that a module outside the store may take the enums of
survey.store.schema (Status, Mode) but not its table objects, which would let it build queries
without importing sqlalchemy itself. This test says that.
"""

import ast
import enum
from pathlib import Path

import survey.store.schema as schema

ROOT = Path(__file__).resolve().parents[2]
SURVEY = ROOT / "survey"
ENUMS = {name for name, value in vars(schema).items()
         if isinstance(value, type) and issubclass(value, enum.Enum)}


def _schema_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) of what a module takes from survey.store.schema other than its enums."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "survey.store.schema":
            found += [(node.lineno, a.name) for a in node.names if a.name not in ENUMS]
        elif isinstance(node, ast.ImportFrom) and node.module == "survey.store":
            found += [(node.lineno, "schema") for a in node.names if a.name == "schema"]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names
                      if a.name == "survey.store.schema"]
    return found


def test_only_the_store_takes_tables_from_its_schema() -> None:
    outside = [p for p in SURVEY.rglob("*.py") if (SURVEY / "store") not in p.parents]
    found = [f"{path.relative_to(ROOT)}:{line}: {name}" for path in outside
             for line, name in _schema_uses(ast.parse(path.read_text(encoding="utf-8")))]
    assert not found, ("outside survey/store, take only the enums from survey.store.schema and "
                       "call a function of the store instead:\n" + "\n".join(found))


def test_a_table_taken_outside_the_store_is_caught() -> None:
    tree = ast.parse("from survey.store.schema import Mode, Status, responses\n")
    assert _schema_uses(tree) == [(1, "responses")]
