"""Survey toolkit: one questionnaire definition drives forms, ingest, statistics and reports."""

__version__ = "0.1.0"
