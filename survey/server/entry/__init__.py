"""Data entry of paper returns: blind double entry, reconciliation, progress (issue 5)."""
