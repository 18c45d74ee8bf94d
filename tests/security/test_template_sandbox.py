"""A project's own templates (reports/ and reports/paper/) are rendered in jinja2's sandbox:
they can change the look, but cannot reach Python (files, processes) through attribute walks
like `cycler.__init__.__globals__.os`. A refused template is a message naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2.exceptions import SecurityError, TemplateError
from support import copy_flagship

from survey.cli import cli
from survey.report.html_report import environment

ROOT = Path(__file__).resolve().parents[2]


def _payload(marker: Path) -> str:
    """Makes a folder through the os module when templates can reach Python."""
    return (f'{{{{ cycler.__init__.__globals__.os.makedirs("{marker}", exist_ok=True) }}}}'
            f'{{{{ self.__init__.__globals__ }}}}')


@pytest.mark.parametrize("payload", [
    "{{ cycler.__init__.__globals__.os.makedirs(MARKER) }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].makedirs(MARKER) }}",
    "{{ joiner.__init__.__globals__.__builtins__.open(MARKER, 'w') }}",
])
def test_a_report_template_cannot_reach_python(tmp_path, payload):
    reports = tmp_path / "reports"
    reports.mkdir()
    marker = tmp_path / "reached"
    (reports / "report.html.j2").write_text(payload.replace("MARKER", repr(str(marker))),
                                            encoding="utf-8")
    with pytest.raises(TemplateError):  # SecurityError, or the undefined it leaves
        environment(reports).get_template("report.html.j2").render()
    assert not marker.exists()


def test_a_report_template_that_only_changes_the_look_still_renders(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "note.html.j2").write_text(
        "{% for x in items|sort %}<li>{{ x|upper }}</li>{% endfor %}{{ '%.1f'|format(2.25) }}",
        encoding="utf-8")
    html = environment(reports).get_template("note.html.j2").render(items=["b", "a"])
    assert html == "<li>A</li><li>B</li>2.2"


def test_the_sandbox_is_what_refuses(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "x.html.j2").write_text("{{ cycler.__init__ }}", encoding="utf-8")
    with pytest.raises(SecurityError):
        environment(reports).get_template("x.html.j2").render()


def test_survey_paper_refuses_a_template_that_reaches_python(tmp_path):
    project = tmp_path / "project"
    questionnaire = copy_flagship(project / "questionnaires")
    look = project / "reports" / "paper"
    look.mkdir(parents=True)
    marker = tmp_path / "reached"
    (look / "form.html").write_text(
        '{% extends "layout.html" %}{% block how_to %}' + _payload(marker) + "{% endblock %}",
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["paper", str(questionnaire), "--lang", "de", "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "cannot be used" in result.output and "reports/paper" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not marker.exists()
    assert not list((tmp_path / "out").glob("*.pdf"))
