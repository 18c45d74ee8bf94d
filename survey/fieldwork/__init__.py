"""The fieldwork dashboard: returns per partner, mode, language and day, the weighting cells
against their targets, paper forms not yet back, and how representative the sample is now.

Computed here from the store and the analysis plan; `survey fieldwork` and the admin page
/admin/<survey>/fieldwork only show it (docs/howto-fieldwork.md).
"""

from survey.fieldwork.dashboard import Fieldwork, PartnerRow, TargetCell, compute_fieldwork
from survey.fieldwork.representativeness import Representativeness, representativeness
from survey.fieldwork.tables import Sheet, fieldwork_sheets, said, write_fieldwork

__all__ = ["Fieldwork", "PartnerRow", "Representativeness", "Sheet", "TargetCell",
           "compute_fieldwork", "fieldwork_sheets", "representativeness", "said",
           "write_fieldwork"]
