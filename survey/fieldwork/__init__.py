"""The fieldwork dashboard: returns per partner, mode, language and day, the weighting cells
against their targets, paper forms not yet back, and how representative the sample is now.

Computed here from the store and the analysis plan; `survey fieldwork` and the admin page
/admin/<survey>/fieldwork only show it (docs/howto-fieldwork.md).
"""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = ["Fieldwork", "PartnerRow", "Representativeness", "Sheet", "TargetCell",
           "compute_fieldwork", "fieldwork_sheets", "representativeness", "said",
           "write_fieldwork"]

if TYPE_CHECKING:
    from survey.fieldwork.dashboard import Fieldwork, PartnerRow, TargetCell, compute_fieldwork
    from survey.fieldwork.representativeness import Representativeness, representativeness
    from survey.fieldwork.tables import Sheet, fieldwork_sheets, said, write_fieldwork
else:
    export_lazily(__name__, {
        "survey.fieldwork.dashboard": (
            "Fieldwork", "PartnerRow", "TargetCell", "compute_fieldwork",
        ),
        "survey.fieldwork.representativeness": ("Representativeness", "representativeness"),
        "survey.fieldwork.tables": ("Sheet", "fieldwork_sheets", "said", "write_fieldwork"),
    })
