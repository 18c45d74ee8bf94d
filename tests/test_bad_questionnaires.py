"""The catalogue of malformed questionnaires: one mistake each, each with its exact message.

Every file in tests/bad_questionnaires/ ends with '# expect: LINE:COLUMN: error: MESSAGE' lines
(binary and empty files, which cannot hold comments, are listed here). The validator must
report exactly those problems, in that order, and the CLI must print them and exit 1.
"""

from pathlib import Path

import pytest
from click.testing import CliRunner
from support import BAD

from survey.cli import cli
from survey.questionnaire import validate_file
from survey.questionnaire.yaml_source import MAX_FILE_BYTES

NOT_TEXT = {
    "binary.yaml": ["1:1: error: byte 0x89 is not UTF-8 text; this is a binary file or uses "
                    "another encoding: save the questionnaire as UTF-8"],
    "empty.yaml": ["1:1: error: file is empty; a questionnaire needs at least 'survey:' and "
                   "'sections:' (see docs/questionnaire-format.md)"],
}
CATALOGUE = sorted(BAD.glob("*.yaml"))


def expected(path: Path) -> list[str]:
    if path.name in NOT_TEXT:
        return NOT_TEXT[path.name]
    encoding = "cp1252" if path.name.startswith("latin1") else "utf-8"
    return [line.removeprefix("# expect: ")
            for line in path.read_text(encoding=encoding).splitlines()
            if line.startswith("# expect: ")]


def found(path: Path) -> list[str]:
    return [f"{d.mark.line}:{d.mark.column}: {d.severity}: {d.message}"
            for d in validate_file(path).diagnostics]


def test_catalogue_is_large_and_every_file_states_its_expectation() -> None:
    assert len(CATALOGUE) >= 40
    for path in CATALOGUE:
        assert expected(path), f"{path.name} has no '# expect:' line"


@pytest.mark.parametrize("path", CATALOGUE, ids=lambda p: p.stem)
def test_validator_reports_exactly_the_expected_problem(path: Path) -> None:
    assert found(path) == expected(path)


@pytest.mark.parametrize("path", CATALOGUE, ids=lambda p: p.stem)
def test_cli_prints_file_line_column_and_exits_1(path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--no-coverage", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for line in expected(path):
        assert f"{path}:{line}" in result.output


def test_ten_megabyte_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    filler = "# " + "x" * 1021 + "\n"
    path.write_text("survey:\n" + filler * (10 * 1024), encoding="utf-8")
    assert path.stat().st_size > MAX_FILE_BYTES
    assert found(path) == ["1:1: error: file is 10.0 MB; a questionnaire file may be at most "
                           "8 MB: is this the right file?"]


def test_folder_and_missing_file_are_reported_not_raised(tmp_path: Path) -> None:
    assert found(tmp_path / "nowhere.yaml") == ["1:1: error: file not found"]
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert found(folder) == ["1:1: error: is a folder, not a questionnaire file"]


def test_utf16_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    source = (BAD.parent.parent / "questionnaires" / "examples" / "all-types.yaml")
    path = tmp_path / "utf16.yaml"
    path.write_bytes(source.read_text(encoding="utf-8").encode("utf-16"))
    assert found(path) == []
