"""Pages and files that cannot be read as they are: each gets a clear message and a report
line, the exit code says so, and nothing is stored wrongly or lost."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from printed_forms import DPI, FLAGSHIP_FILE
from scan_helpers import report_text, scan, stored, tick_plans, write_multipage, write_png
from synthetic import distort, fill_copy

from survey.paper import geometry as g
from survey.paper.qr import PageId, qr_modules
from survey.questionnaire import load_questionnaire
from survey.returns.typed import UNREADABLE
from survey.store.entries import entries_of

FLAGSHIP = load_questionnaire(FLAGSHIP_FILE)


def _px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def filled_copy(form, copy: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    pages = form.pages(copy)
    fill_copy(pages, form.layout, tick_plans(FLAGSHIP, form.layout, 1)[0], rng, DPI)
    return pages


def overprint_qr(page: np.ndarray, page_id: PageId) -> None:
    """Another form's page id where the QR code is (as if the page came from that form)."""
    modules = np.array(qr_modules(page_id.payload()))
    size = _px(g.QR_SIZE)
    code = np.where(np.kron(modules, np.ones((8, 8))), 0, 255).astype(np.uint8)
    x, y = _px(g.QR_X), _px(g.QR_Y)
    resized = np.array(Image.fromarray(code).resize((size, size), Image.Resampling.NEAREST))
    page[y - 8:y + size + 8, x - 8:x + size + 8] = 255
    page[y:y + size, x:x + size] = resized


@pytest.mark.parametrize(("page_id", "says"), [
    (PageId("nachbarn", "3", "de", 3, "000101"), "questionnaire 'nachbarn', which is not in"),
    (PageId("zusammen", "2025.2", "de", 3, "000001"), "version 2025.2"),
    (PageId("zusammen", "2026.1", "de", 3, "000999"), "serial 000999 (de) was not printed"),
])
def test_a_page_of_another_survey_version_or_print_run_is_refused(forms, project, tmp_path,
                                                                   page_id, says):
    page = filled_copy(forms["de"], 0, 1)[2]
    overprint_qr(page, page_id)
    result = scan(project, *write_png([page], tmp_path, "foreign"))
    assert result.exit_code == 1
    assert "foreign-01.png page 1: unknown: " in result.output and says in result.output
    assert says in report_text(project)
    assert stored(project, page_id.serial or "") is None


def test_a_damaged_qr_code_is_kept_aside_and_read_once_the_page_is_named(forms, project,
                                                                          tmp_path):
    form = forms["de"]
    pages = filled_copy(form, 0, 2)
    x, y = _px(g.QR_X + 3), _px(g.QR_Y + 3)
    pages[4][y:y + _px(9), x:x + _px(9)] = 15  # an ink blot over the code
    stack = write_multipage([distort(p, np.random.default_rng(3), angle=1.5, turn=2 * (n == 4))
                             for n, p in enumerate(pages)], tmp_path / "stack.tif")

    first = scan(project, stack)

    assert first.exit_code == 1
    assert "stack.tif page 5: unidentified: its QR code cannot be read" in first.output
    assert "--page 'stack.tif:5=SERIAL:PAGE'" in first.output
    assert (project.root / "scans" / "unidentified" / "stack-page5.png").exists()
    assert stored(project, form.serials[0]) is None  # page 5 is missing: nothing stored

    second = scan(project, stack, "--page", f"stack.tif:5={form.serials[0]}:5")

    assert second.exit_code == 0, second.output
    assert stored(project, form.serials[0])["mode"] == "scan"


def test_blank_pages_are_reported_and_skipped(forms, project, tmp_path):
    form = forms["ar"]
    white = np.full_like(form.copies[0][0], 255)
    pages = filled_copy(form, 1, 4)
    duplex = [p for page in pages for p in (page, white)]  # simplex form scanned duplex
    result = scan(project, write_multipage(duplex, tmp_path / "duplex.pdf"))
    assert result.exit_code == 0, result.output
    assert stored(project, form.serials[1]) is not None
    assert f"blank {len(pages)}" in result.output  # one blank back per page
    assert "duplex.pdf page 2" in report_text(project)


def test_unreadable_files_are_named_and_the_other_files_still_read(forms, project, tmp_path):
    form = forms["de"]
    good = write_multipage(filled_copy(form, 1, 5), tmp_path / "good.tif")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\0" * 500)
    not_image = tmp_path / "photo.jpg"
    not_image.write_text("this is not a photo")
    result = scan(project, broken, good, not_image)
    assert result.exit_code == 1
    assert "broken.pdf: not a readable PDF" in result.output
    assert "photo.jpg: not a readable image" in result.output
    assert stored(project, form.serials[1]) is not None


def test_a_page_without_its_corner_marks_is_unreadable(forms, project, tmp_path):
    page = filled_copy(forms["de"], 0, 6)[3]
    cropped = page[_px(20):, :]  # the top of the page cut off, corner marks and QR with it
    result = scan(project, *write_png([cropped], tmp_path, "cut"))
    assert result.exit_code == 1
    assert "cut-01.png page 1" in result.output
    assert "corner marks" in result.output or "QR code cannot be read" in result.output


def test_duplicate_and_missing_pages_leave_the_return_for_a_person(forms, project, tmp_path):
    form = forms["de"]
    pages = filled_copy(form, 0, 7)
    stack = [*pages[:5], pages[3], *pages[6:]]  # page 4 twice, page 6 not at all
    result = scan(project, write_multipage(stack, tmp_path / "stack.tif"))
    assert result.exit_code == 3, result.output
    serial = form.serials[0]
    assert f"serial {serial}: to the reconciliation screen: incomplete: page 6 not scanned" \
        in result.output
    report = report_text(project)
    assert f"page 4 of serial {serial} again" in report and "same marks; read once" in report
    assert stored(project, serial) is None
    store = project.store()
    try:
        (entry,) = entries_of(store, "zusammen", serial)
    finally:
        store.close()
    on_page_6 = {b["answer"] for b in form.layout["pages"][5]["boxes"]}
    assert on_page_6 and all(entry.typed[name] == UNREADABLE for name in on_page_6)


def test_options_that_cannot_work_stop_before_anything_is_read(project, tmp_path):
    image = tmp_path / "x.png"
    image.write_bytes(b"")
    assert "--dpi 50" in scan(project, image, "--dpi", "50").output
    wrong = scan(project, image, "--page", "x.png:1=12")
    assert wrong.exit_code == 1 and "FILE:N=SERIAL:PAGE" in wrong.output
    assert not (project.root / "scans").exists()
