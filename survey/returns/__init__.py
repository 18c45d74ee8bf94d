"""The rules of paper returns: reading what a typist typed or a scanner read, double entry and
reconciliation, and the doubts a scanner leaves for a person. Both the data-entry screens and
scanning use them, so they sit below both."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = [
    "Doubt", "Verdict", "entry_fields", "finish_entry", "read_doubts", "reconcile", "typed_answers",
    "verdict", "write_doubts",
]

if TYPE_CHECKING:
    from survey.returns.double_entry import finish_entry
    from survey.returns.doubts import Doubt, read_doubts, write_doubts
    from survey.returns.reconcile import Verdict, reconcile, verdict
    from survey.returns.typed import entry_fields, typed_answers
else:
    export_lazily(__name__, {
        "survey.returns.double_entry": ("finish_entry",),
        "survey.returns.doubts": ("Doubt", "read_doubts", "write_doubts"),
        "survey.returns.reconcile": ("Verdict", "reconcile", "verdict"),
        "survey.returns.typed": ("entry_fields", "typed_answers"),
    })
