"""The codebook as Markdown, for a repository or a wiki."""

from __future__ import annotations

from survey.codebook.entries import Category, Codebook, Entry


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _categories(entry: Entry, languages: tuple[str, ...], counts: bool) -> list[str]:
    rows: list[Category] = [*entry.categories, *entry.missing]
    if not rows:
        return []
    header = ["code", *languages, "missing"] + (["n"] if counts else [])
    lines = ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for category in rows:
        cells = [str(category.code), *(category.labels[lang] for lang in languages),
                 "yes" if category.missing else ""]
        if counts:
            cells.append(str(category.count))
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def render_markdown(codebook: Codebook) -> str:
    q = codebook.questionnaire
    languages = codebook.languages
    default = q.default_language
    lines = [f"# Codebook: {q.survey.title.get(default)}", "",
             f"Questionnaire `{q.id}` version {q.survey.version}; languages "
             f"{', '.join(languages)}; {len(codebook.entries)} variables."]
    if codebook.responses is not None:
        lines.append(f"Frequencies count {codebook.responses} responses.")
    if codebook.renamed:
        lines += ["", "## Renamed variables", "", "| variable | SPSS | Stata |", "|---|---|---|"]
        lines += [f"| {e.name} | {e.spss_name} | {e.stata_name} |" for e in codebook.renamed]
    for entry in codebook.entries:
        number = f"{entry.number}. " if entry.number else ""
        lines += ["", f"## {number}{entry.name}", "",
                  f"- label: {_cell(entry.labels[default])}",
                  f"- type: {entry.question_type} ({entry.column.kind}, {entry.column.measure})"]
        if entry.spss_name != entry.name or entry.stata_name != entry.name:
            lines.append(f"- SPSS name: {entry.spss_name}; Stata name: {entry.stata_name}")
        for language, text in entry.question_texts.items():
            lines.append(f"- question ({language}): {_cell(text)}")
        for rule in entry.routing:
            lines.append(f"- asked only if: `{rule}`")
        if entry.answered is not None:
            lines.append(f"- answered: {entry.answered}")
        if entry.mean is not None:
            lines.append(f"- mean {entry.mean:.2f}, minimum {entry.minimum:g}, "
                         f"maximum {entry.maximum:g}")
        lines += _categories(entry, languages, codebook.responses is not None)
    return "\n".join(lines) + "\n"
