"""Fixtures shared by the whole test suite."""

from pathlib import Path

import pytest


@pytest.fixture
def write_questionnaire(tmp_path: Path):
    """Write YAML text to a file and return its path."""

    def write(text: str, name: str = "q.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


SLOW = ("server/browser/", "paper/", "scan/", "report/", "test_demo.py",
        "convert/test_realworld_xlsforms.py", "ingest/test_realworld_pairs.py",
        "stats/test_against_r.py", "security/test_availability.py",
        "security/test_schema_lock.py", "server/test_postgresql.py",
        "server/test_reverse_proxy.py", "preview/", "stats/test_r_",
        # Each quick, together minutes (command-line subprocesses, a store per test, speech,
        # hypothesis sweeps): their packages keep quicker tests in make test-fast.
        "test_cli_bad_paths.py", "test_cli_small_things.py", "test_analyse_command.py",
        "test_sample_data.py", "architecture/test_store_boundary.py",
        "audio/test_audio_bad_input.py", "audio/test_speech_files.py", "convert/test_convert.py",
        "entry/test_bad_input.py",
        "entry/test_serial_registry.py", "entry/test_returns_in_one_place.py",
        "entry/test_double_entry_flow.py", "expressions/test_properties.py",
        "fieldwork/test_dashboard.py", "ingest/test_column_validation.py",
        "ingest/test_ingest_command.py", "security/test_staff_sessions.py",
        "security/test_nul_and_line_breaks.py", "security/test_control_characters.py",
        "security/test_scan_image_paths.py", "server/test_hostile_input.py",
        "server/test_admin.py", "server/test_server_commands.py", "server/test_admin_responses.py",
        "stats/test_run_plan.py", "translations/test_translation_roundtrip.py",
        "convert/test_carry_over.py", "entry/test_fix_mapped_row.py", "ingest/test_import.py",
        "ingest/test_report_language.py", "architecture/test_layers.py",
        "translations/test_translation_bad_input.py", "server/test_staff_language.py",
        "stats/test_analysis_guide.py", "security/test_public_links_and_proxy.py",
        "stats/test_weighting.py", "server/test_respondent_flow.py",
        "security/test_unlinkable_invitations.py")
"""Tests that start Chromium, PostgreSQL or R, render PDFs or sweep every real-world file, and
files whose many small tests add up: `make test-fast` leaves them out to run in under a minute;
`make test` runs everything."""
QUICK = ("paper/test_routing_text.py", "paper/test_interface_texts.py", "preview/test_watcher.py")
"""Quick files in folders marked slow: make test-fast keeps something of those packages."""
TESTS = Path(__file__).resolve().parent


def _slow(path: Path) -> bool:
    where = path.relative_to(TESTS).as_posix()
    return where.startswith(SLOW) and not where.startswith(QUICK)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under -m "not slow" the slow files are not even imported (a quicker start)."""
    if (config.getoption("markexpr") == "not slow" and collection_path.name.startswith("test_")
            and collection_path.is_relative_to(TESTS)):
        return _slow(collection_path) or None
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _slow(item.path):
            item.add_marker(pytest.mark.slow)
