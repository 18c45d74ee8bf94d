"""Paper forms: print-ready questionnaires and the routing texts printed on them."""
