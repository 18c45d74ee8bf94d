"""Invitation links for staff to send out: one CSV row per one-time link."""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import quote

from survey.project import Project, ProjectError
from survey.store.invitations import add_invitations, new_tokens

MAX_INVITATIONS = 100_000


def invitation_link(base_url: str, questionnaire_id: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/s/{quote(questionnaire_id)}/?invitation={quote(token)}"


def write_invitations(project: Project, questionnaire_id: str | None, count: int, out_file: Path,
                      base_url: str, db_url: str | None = None) -> int:
    """Make `count` invitations and write their links to `out_file`; returns the count.

    The links are written to a side file first and the file is named only once the store
    holds the tokens: there are never links that do not work, nor tokens nobody can hand out.
    """
    if not 1 <= count <= MAX_INVITATIONS:
        raise ProjectError(f"--count must be between 1 and {MAX_INVITATIONS}, not {count}")
    if not base_url.startswith(("http://", "https://")):
        raise ProjectError(f"--base-url must start with https:// (or http://), not "
                           f"'{base_url}'")
    questionnaire = project.questionnaire(questionnaire_id)
    if out_file.exists():
        raise ProjectError(f"{out_file} exists already; choose a new file so no earlier "
                           "links are overwritten")
    tokens = new_tokens(count)
    partial = out_file.with_name(out_file.name + ".part")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "link"])
        for number, token in enumerate(tokens, start=1):
            writer.writerow([number, invitation_link(base_url, questionnaire.id, token)])
    store = project.store(db_url)
    try:
        add_invitations(store, questionnaire.id, tokens)
    except BaseException:
        partial.unlink()
        raise
    finally:
        store.close()
    partial.replace(out_file)
    return count
