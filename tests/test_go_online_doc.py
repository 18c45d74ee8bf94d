"""The configuration files docs/howto-go-online.md shows are the files in docs/go-online/, which
tests/server/test_reverse_proxy.py runs: each is shown in the guide exactly as it is, under a
`<!-- file: go-online/NAME -->` line, so the guide and the tested files cannot drift apart.
The systemd units pass `systemd-analyze verify` where systemd is installed, and the Caddyfile
`caddy adapt` where Caddy is."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GUIDE = DOCS / "howto-go-online.md"
FILES = DOCS / "go-online"
SHOWN = re.compile(r"<!-- file: (go-online/[\w.-]+) -->\n```[\w-]*\n(.*?)^```\n", re.S | re.M)
BLOCK = re.compile(r"^```[\w-]*\n(.*?)^```\n", re.S | re.M)
CONFIGURATION = ("reverse_proxy", "proxy_pass", "[Service]", "[Timer]", "[Unit]", "ExecStart=",
                 "listen 443")
"""Lines of the configuration files: a block with one of them must be a shown file."""
UNITS = ("survey.service", "survey-backup.service", "survey-backup.timer")


def shown() -> list[tuple[str, str]]:
    return SHOWN.findall(GUIDE.read_text("utf-8"))


def test_every_file_is_shown_once_as_it_is() -> None:
    names = [name for name, _ in shown()]
    files = sorted(f"go-online/{path.name}" for path in FILES.iterdir() if path.is_file())
    assert sorted(names) == files
    for name, block in shown():
        assert block == (DOCS / name).read_text("utf-8"), f"{name} differs from the guide"


def test_no_other_block_of_the_guide_is_configuration() -> None:
    text = SHOWN.sub("", GUIDE.read_text("utf-8"))
    for block in BLOCK.findall(text):
        assert not any(line in block for line in CONFIGURATION), \
            f"configuration in the guide that is not one of docs/go-online/:\n{block}"


def test_the_guides_that_lead_online_point_to_it() -> None:
    for guide in ("index.md", "howto-online-survey.md"):
        assert "(howto-go-online.md" in (DOCS / guide).read_text("utf-8"), guide


def test_the_units_restart_and_are_hardened() -> None:
    serve = (FILES / "survey.service").read_text("utf-8")
    for line in ("Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict",
                 "ReadWritePaths=/srv/survey", "PrivateTmp=yes", "User=survey",
                 "--behind-proxy", "--public-url https://", "--host 127.0.0.1"):
        assert line in serve, line
    backup = (FILES / "survey-backup.service").read_text("utf-8")
    assert "survey backup /srv/survey" in backup and "ProtectSystem=strict" in backup
    assert "Persistent=true" in (FILES / "survey-backup.timer").read_text("utf-8")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_reads_the_units_without_a_complaint(tmp_path: Path) -> None:
    survey = Path(sys.executable).with_name("survey")  # the units' programs must exist
    for name in UNITS:
        text = (FILES / name).read_text("utf-8").replace("/opt/survey/venv/bin/survey",
                                                         str(survey))
        (tmp_path / name).write_text(text, "utf-8")
    done = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / n) for n in UNITS)],
                          capture_output=True, text=True, timeout=120)
    complaints = [line for line in done.stderr.splitlines()
                  if re.search(r"unknown|invalid|ignoring|failed|not executable|not found|no such",
                                    line, re.I)]
    assert done.returncode == 0 and not complaints, done.stderr


@pytest.mark.skipif(shutil.which("caddy") is None, reason="Caddy is not installed")
def test_caddy_reads_the_caddyfile(tmp_path: Path) -> None:
    done = subprocess.run(["caddy", "adapt", "--config", str(FILES / "Caddyfile"),
                           "--adapter", "caddyfile"], capture_output=True, text=True,
                          timeout=60, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert '"reverse_proxy"' in done.stdout and "survey.example.org" in done.stdout
