"""Readers that turn any partner file (CSV, workbook, SPSS, Stata, JSON lines) into one table."""

from survey.ingest.readers.table import (
    ReadError,
    SourceColumn,
    SourceRow,
    SourceTable,
    read_table,
)

__all__ = ["ReadError", "SourceColumn", "SourceRow", "SourceTable", "read_table"]
