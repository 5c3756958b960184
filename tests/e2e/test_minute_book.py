"""In Chromium: the cell page shows that the chain of stored minutes verifies (htmx),
the meeting page offers the stored PDF/A, and the minute book of a year is built by a
real worker on the "pdf" queue while the page's progress bar polls, then downloaded."""

import io

import pytest
from pypdf import PdfReader

from meetings import pdf
from meetings.models import MinuteBookJob, MinutesPdf
from tests.factories.meetings import full_meeting
from tests.factories.times import at
from tests.support.pdf import pdf_worker, read_stored, text_of

pytestmark = pytest.mark.e2e


def test_minute_book_is_built_with_progress_then_downloaded(
    page, login, tree, users, screenshot
):
    # Arrange: two locked meetings of 2026, their PDFs stored
    tree.province.place = "Nghệ An"
    tree.province.save(update_fields=["place"])
    october = full_meeting(tree, users, when=at(2026, 10, 5, 19, 30), tasks=False)
    full_meeting(tree, users, when=at(2026, 11, 3, 19, 30), tasks=False)
    pdf.render_pending(cell_id=tree.cell.pk)
    login("secretary")

    with pdf_worker():
        # The cell page loads the chain status by itself
        page.goto(tree.cell.get_absolute_url())
        status = page.locator("#minutes-chain-status")
        status.wait_for()
        assert "2" in status.inner_text()
        assert status.locator(".text-danger-emphasis").count() == 0

        # The meeting page offers the stored PDF/A: the very bytes stored
        page.goto(october.get_absolute_url())
        link = page.locator("#minutes-pdf-link")
        link.wait_for()
        with page.expect_download() as download_info:
            link.click()
        stored = MinutesPdf.objects.get(minutes__meeting=october)
        assert download_info.value.path().read_bytes() == read_stored(stored)

        # Ask for the minute book of 2026 and follow the progress bar
        page.goto(tree.cell.get_absolute_url())
        page.locator(f"a[href='/cells/{tree.cell.pk}/minute-book/']").first.click()
        page.locator("input[name=year]").fill("2026")
        page.locator("#minute-book-form button[type=submit]").click()
        page.locator("#job-bar").wait_for()
        download_link = page.locator("#minute-book-download")
        download_link.wait_for(timeout=90_000)
        assert page.locator("#job-bar").get_attribute("value") == "100"
        screenshot("minute-book-ready")
        with page.expect_download() as download_info:
            download_link.click()

    content = download_info.value.path().read_bytes()
    text = text_of(content)
    assert "SỔ BIÊN BẢN SINH HOẠT CHI BỘ" in text
    assert "MỤC LỤC" in text
    assert "1. Biên bản ngày 05/10/2026" in text
    assert "2. Biên bản ngày 03/11/2026" in text
    assert len(PdfReader(io.BytesIO(content)).pages) > 4
    assert MinuteBookJob.objects.get().status == MinuteBookJob.Status.DONE
