"""Invitation links for staff to send out: one CSV row per one-time link, optionally made for
one partner organisation (its id is carried to the responses; nothing personal is)."""

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
                      base_url: str, db_url: str | None = None,
                      partner: str | None = None) -> int:
    """Make `count` invitations and write their links to `out_file`; returns the count.
    `partner`: the id (in partners.yaml) of the partner organisation that hands them out.

    The links are written to a side file first and the file is named only once the store
    holds the tokens: there are never links that do not work, nor tokens nobody can hand out.
    """
    if not 1 <= count <= MAX_INVITATIONS:
        raise ProjectError(f"--count must be between 1 and {MAX_INVITATIONS}, not {count}")
    if not base_url.startswith(("http://", "https://")):
        raise ProjectError(f"--base-url must start with https:// (or http://), not "
                           f"'{base_url}'")
    if partner is not None:
        project.partner(partner)
    questionnaire = project.questionnaire(questionnaire_id)
    if out_file.exists():
        raise ProjectError(f"{out_file} exists already; choose a new file so no earlier "
                           "links are overwritten")
    tokens = new_tokens(count)
    partial = out_file.with_name(out_file.name + ".part")
    try:
        with partial.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["number", "link"])
            for number, token in enumerate(tokens, start=1):
                writer.writerow([number, invitation_link(base_url, questionnaire.id, token)])
    except OSError as error:  # a full disk: no half file stays, the message names the file
        partial.unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(out_file)) from error
    store = project.store(db_url)
    try:
        add_invitations(store, questionnaire.id, tokens, partner)
    except BaseException:
        partial.unlink()
        raise
    finally:
        store.close()
    partial.replace(out_file)
    return count


def run_create_partner_invitations(project_dir: Path, survey_id: str | None, count: int,
                                   out_file: Path, base_url: str, db_url: str | None,
                                   partner: str) -> int:
    """`survey invitations create --partner ID`: the exit code, with one message either way."""
    from rich.console import Console
    from rich.text import Text

    from survey.store.store import StoreError

    try:
        made = write_invitations(Project(project_dir), survey_id, count, out_file, base_url,
                                 db_url, partner)
    except (ProjectError, StoreError) as error:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            Text(f"error: {error}", style="bold red"))
        return 1
    except OSError as error:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            Text(f"error: cannot write {out_file}: {error.strerror}", style="bold red"))
        return 1
    Console(highlight=False, soft_wrap=True).print(
        f"wrote {made} one-time invitation links of partner '{partner}' to {out_file}; the "
        "store keeps only their fingerprints and the partner id, so keep the file safe and "
        "delete it once sent")
    return 0
