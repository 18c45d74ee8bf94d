"""Import of survey returns from files: read, map, validate, store."""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = [
    "ImportResult", "IngestError", "MappingFileError", "ReadError", "ingest_file", "load_mapping",
    "read_table", "rollback_batch",
]

if TYPE_CHECKING:
    from survey.ingest.importer import ImportResult, IngestError, ingest_file, rollback_batch
    from survey.ingest.mapping_file import MappingFileError, load_mapping
    from survey.ingest.readers import ReadError, read_table
else:
    export_lazily(__name__, {
        "survey.ingest.importer": ("ImportResult", "IngestError", "ingest_file", "rollback_batch"),
        "survey.ingest.mapping_file": ("MappingFileError", "load_mapping"),
        "survey.ingest.readers": ("ReadError", "read_table"),
    })
