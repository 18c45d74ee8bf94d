"""Paper forms: print-ready questionnaires and the routing texts printed on them."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = [
    "MadeForm", "OverrideError", "Overrides", "PageId", "PaperError", "PayloadError", "PrintRun",
    "SerialError", "form_variants", "make_form", "make_forms", "parse_payload", "read_registry",
    "register_runs", "routing_texts",
]

if TYPE_CHECKING:
    from survey.paper.overrides import OverrideError, Overrides
    from survey.paper.produce import MadeForm, PaperError, form_variants, make_form, make_forms
    from survey.paper.qr import PageId, PayloadError, parse_payload
    from survey.paper.routing_text import routing_texts
    from survey.paper.serials import PrintRun, SerialError, read_registry, register_runs
else:
    export_lazily(__name__, {
        "survey.paper.overrides": ("OverrideError", "Overrides"),
        "survey.paper.produce": (
            "MadeForm", "PaperError", "form_variants", "make_form", "make_forms",
        ),
        "survey.paper.qr": ("PageId", "PayloadError", "parse_payload"),
        "survey.paper.routing_text": ("routing_texts",),
        "survey.paper.serials": ("PrintRun", "SerialError", "read_registry", "register_runs"),
    })
