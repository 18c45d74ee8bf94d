"""An R script that reads the exported CSV with base R only and turns codes into labelled
factors, so an R user needs no package and no manual recoding."""

from __future__ import annotations

from pathlib import Path

from survey.atomic_write import write_atomically
from survey.export.table import ExportTable
from survey.questionnaire.measurement import Storage


def r_string(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def _vector(values: list[str]) -> str:
    return "c(" + ", ".join(values) + ")"


def r_script(table: ExportTable, csv_name: str) -> str:
    survey = table.questionnaire.survey
    frame = survey.id.replace("-", "_")
    lines = [
        f"# Reads {csv_name} (questionnaire {survey.id} {survey.version}) and applies its "
        f"labels ({table.language}).",
        '# Run it from the folder holding the CSV: source("' + Path(csv_name).stem
        + '.R", encoding = "UTF-8")',
        "# Declared missing codes (don't know, no answer, ...) become NA; their labels are kept "
        "in attr(x, \"missing\").",
        "# Text cells that began with = + - @ carry a leading ' (spreadsheet safety).",
        "",
        f"{frame} <- read.csv({r_string(csv_name)}, fileEncoding = \"UTF-8\", "
        "stringsAsFactors = FALSE, check.names = FALSE, na.strings = \"\")",
        "",
    ]
    for column in table.columns:
        ref = f"{frame}[[{r_string(column.name)}]]"
        if column.missing and column.kind != Storage.DATE:
            codes = [r_string(str(c)) if column.kind == Storage.TEXT else str(c)
                     for c in column.missing]
            labels = [r_string(t) for t in column.missing.values()]
            lines.append(f"{ref}[{ref} %in% {_vector(codes)}] <- NA")
            missing = f"setNames({_vector(codes)}, {_vector(labels)})"
        else:
            missing = None
        if column.kind == Storage.CODE and column.value_labels:
            levels = _vector([str(c) for c in column.value_labels])
            level_labels = _vector([r_string(t) for t in column.value_labels.values()])
            ordered = "TRUE" if column.measure == "ordinal" else "FALSE"
            lines.append(f"{ref} <- factor({ref}, levels = {levels}, labels = {level_labels}, "
                         f"ordered = {ordered})")
        elif column.kind == Storage.DATE:
            lines.append(f"{ref} <- as.Date({ref})")
        lines.append(f"attr({ref}, \"label\") <- {r_string(column.label)}")
        if missing:
            lines.append(f"attr({ref}, \"missing\") <- {missing}")
    lines.append("")
    return "\n".join(lines)


def write_r_script(table: ExportTable, csv_path: Path) -> list[Path]:
    path = csv_path.with_suffix(".R")
    write_atomically(path, r_script(table, csv_path.name).encode("utf-8"))
    return [path]
