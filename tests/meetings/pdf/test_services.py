"""The render-once records of locked minutes and their hash chain through a real
Celery worker on the test Redis, failures and retries, a worker killed mid-render,
and minute books (meetings/pdf/services.py)."""

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from chibo.celery import app as celery_app
from meetings import pdf, services
from meetings.models import MinuteBookJob, Minutes, MinutesPdf
from tests.factories.meetings import full_meeting
from tests.factories.times import at
from tests.support import database_url
from tests.support.pdf import done, pdf_worker, read_stored, stored, text_of
from tests.support.workers import reset_broker_pools, wait_until


@pytest.mark.django_db(transaction=True)
def test_locking_renders_once_on_the_pdf_queue_and_chains_hashes(
    tree, users, place, persona_client
):
    with pdf_worker():
        # Act: lock two meetings, then sign an addendum of the first
        first = full_meeting(tree, users, when=at(2026, 10, 5, 19, 30))
        wait_until(lambda: done(first), timeout=60, message="first PDF")
        second = full_meeting(tree, users, when=at(2026, 11, 3, 19, 30))
        wait_until(lambda: done(second), timeout=60, message="second PDF")
        minutes = Minutes.objects.get(meeting=first)
        addendum = services.add_addendum(
            minutes=minutes, text="Bổ sung: đồng chí Q68 đến muộn 10 phút.", by=None
        )
        services.sign_addendum(addendum=addendum, user=users.secretary)
        services.sign_addendum(addendum=addendum, user=users.member)
        wait_until(lambda: done(first, 2), timeout=60, message="addendum PDF")

    # Assert: one record per version, each stored once, chained in lock order
    one, two, three = stored(first), stored(second), stored(first, 2)
    assert [(r.position, r.version) for r in (one, two, three)] == [
        (1, 1),
        (2, 1),
        (3, 2),
    ]
    assert MinutesPdf.objects.count() == 3
    for record in (one, two, three):
        content = read_stored(record)
        assert pdf.sha256(content) == record.sha256
        assert record.size == len(content)
        assert "DỰ THẢO" not in text_of(content)
    assert one.previous_sha256 == ""
    assert two.previous_sha256 == one.sha256
    assert three.previous_sha256 == two.sha256
    assert "Bổ sung: đồng chí Q68 đến muộn 10 phút." in text_of(read_stored(three))
    assert "Bổ sung" not in text_of(read_stored(one))
    folder = Path(settings.MEDIA_ROOT) / Path(one.file.name).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(r.file.name).name for r in (one, two, three)
    )
    # a member downloads exactly the stored bytes (the newest version by default)
    response = persona_client("member").get(
        reverse("meetings:minutes-pdf", args=[first.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == read_stored(three)
    assert response["X-Content-SHA256"] == three.sha256
    older = persona_client("member").get(
        reverse("meetings:minutes-pdf", args=[first.pk]) + "?version=1"
    )
    assert b"".join(older.streaming_content) == read_stored(one)
    assert pdf.verify_chain(tree.cell.pk).ok


def test_render_failure_is_visible_to_the_secretary_and_retried(
    tree,
    users,
    place,
    settings,
    tmp_path,
    persona_client,
    django_capture_on_commit_callbacks,
):
    # Arrange: the storage refuses to write (its root is a file, not a folder)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    good_root = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = blocker / "media"
    meeting = full_meeting(tree, users)
    url = reverse("meetings:minutes-pdf-status", args=[meeting.pk])

    # Act: every attempt fails
    for attempt in range(1, pdf.MAX_ATTEMPTS + 1):
        with pytest.raises(pdf.RenderError):
            pdf.render_pending(cell_id=tree.cell.pk)
        record = stored(meeting)
        assert record.attempts == attempt
        assert "NotADirectoryError" in record.last_error

    # Assert: failed after the last attempt; the minutes stay locked
    assert record.status == MinutesPdf.Status.FAILED
    assert Minutes.objects.get(meeting=meeting).is_locked
    page = persona_client("secretary").get(url).content.decode()
    assert "Không tạo được bản PDF của biên bản đã khóa" in page
    # a message that says what to do, not the exception (issue 16 §3)
    assert "NotADirectoryError" not in page
    assert "xin báo quản trị viên" in page
    assert reverse("meetings:minutes-pdf-retry", args=[meeting.pk]) in page
    member_page = persona_client("member").get(url).content.decode()
    assert "NotADirectoryError" not in member_page
    assert reverse("meetings:minutes-pdf-retry", args=[meeting.pk]) not in member_page

    # Act: the storage is repaired and the secretary asks again
    settings.MEDIA_ROOT = good_root
    with django_capture_on_commit_callbacks() as callbacks:
        response = persona_client("secretary").post(
            reverse("meetings:minutes-pdf-retry", args=[meeting.pk])
        )
    assert response.status_code == 302
    assert len(callbacks) == 1  # the render is enqueued on commit
    pdf.render_pending(cell_id=tree.cell.pk)

    record = stored(meeting)
    assert record.status == MinutesPdf.Status.DONE
    assert record.last_error == ""
    assert pdf.sha256(read_stored(record)) == record.sha256


@pytest.mark.django_db(transaction=True)
def test_minute_book_of_a_year_is_built_in_the_background_with_progress(
    tree, users, place, persona_client
):
    client = persona_client("member")
    with pdf_worker():
        last_year = full_meeting(tree, users, when=at(2025, 12, 4, 19, 30), tasks=False)
        october = full_meeting(tree, users, when=at(2026, 10, 5, 19, 30), tasks=False)
        november = full_meeting(tree, users, when=at(2026, 11, 3, 19, 30), tasks=False)

        # Act: ask for the book of 2026 and follow the job page
        response = client.post(
            reverse("meetings:minute-book", args=[tree.cell.pk]), {"year": "2026"}
        )
        job = MinuteBookJob.objects.get()
        assert response.url == reverse("meetings:minute-book-job", args=[job.pk])
        wait_until(
            lambda: MinuteBookJob.objects.get(pk=job.pk).status == "done",
            timeout=90,
            message="minute book",
        )

    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    fragment = client.get(
        reverse("meetings:minute-book-job", args=[job.pk]),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert '<progress id="job-bar"' in fragment
    assert 'value="100"' in fragment
    assert "data-hx-trigger" not in fragment  # polling stops once done
    download = client.get(reverse("meetings:minute-book-download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    text = text_of(content)
    assert "SỔ BIÊN BẢN SINH HOẠT CHI BỘ" in text
    assert "Năm 2026" in text
    assert "MỤC LỤC" in text
    assert "1. Biên bản ngày 05/10/2026" in text
    assert "2. Biên bản ngày 03/11/2026" in text
    assert "04/12/2025" not in text
    assert text.index("ngày 05 tháng 10 năm 2026") < text.index(
        "ngày 03 tháng 11 năm 2026"
    )
    reader = PdfReader(io.BytesIO(content))
    pages_each = [stored(m).pages for m in (october, november)]
    assert len(reader.pages) == 2 + sum(pages_each)
    # the table of contents points at the page where each minutes starts
    assert re.search(r"1\. Biên bản ngày 05/10/2026 — [^—]*? Trang 3 ", text)
    second = 3 + pages_each[0]
    assert re.search(rf"2\. Biên bản ngày 03/11/2026 — [^—]*? Trang {second} ", text)
    data = json.loads(reader.attachments[pdf.ATTACHMENT_NAME][0])
    assert [m["meeting_id"] for m in data["minutes"]] == [october.pk, november.pk]
    assert last_year.pk not in [m["meeting_id"] for m in data["minutes"]]
    # someone else cannot see or download the job
    other = persona_client("secretary")
    assert (
        other.get(reverse("meetings:minute-book-job", args=[job.pk])).status_code == 404
    )


def test_subtree_export_zips_the_books_of_every_cell(
    tree, users, place, persona_client
):
    full_meeting(tree, users, when=at(2026, 3, 5, 19, 30), tasks=False)
    client = persona_client("committee")

    response = client.post(
        reverse("meetings:minute-books-export", args=[tree.ward.pk]), {"year": "2026"}
    )
    job = MinuteBookJob.objects.get()
    assert job.scope == MinuteBookJob.Scope.SUBTREE
    pdf.build_book(job_id=job.pk)

    job.refresh_from_db()
    assert response.status_code == 302
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    download = client.get(reverse("meetings:minute-book-download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert names == [f"{tree.cell.pk:05d}-chi-bo-khoi-pho-5-2026.pdf"]
    assert "CHI BỘ KHỐI PHỐ 5" in text_of(archive.read(names[0]))
    denied = persona_client("secretary").post(
        reverse("meetings:minute-books-export", args=[tree.ward.pk]), {"year": "2026"}
    )
    assert denied.status_code in (403, 404)


def _worker_process(log_path):
    """A real `celery worker` process on the "pdf" queue, on the test database and
    Redis, redelivering a killed worker's task after 2 seconds."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "chibo.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_VISIBILITY_TIMEOUT": "2",
    }
    env.pop("CELERY_BROKER_URL", None)
    with log_path.open("ab") as log:  # the child keeps its own copy of the handle
        return subprocess.Popen(  # noqa: S603 — our own worker command
            [
                *(sys.executable, "-m", "celery", "-A", "chibo", "worker", "-Q", "pdf"),
                *("-P", "solo", "--without-gossip", "--without-mingle", "-l", "INFO"),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_render_loses_nothing_and_stores_once(
    tree, users, place, tmp_path
):
    # Arrange: a long minutes locked while no worker runs (the task waits in Redis)
    celery_app.conf.broker_url = os.environ["REDIS_URL"]
    reset_broker_pools()
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("pdf")
    meeting = full_meeting(tree, users, items=40, speakers=6, votes=3)
    record = stored(meeting)
    log = tmp_path / "worker.log"

    # Act 1: a worker takes the task and is SIGKILLed while rendering
    first = _worker_process(log)
    try:
        wait_until(
            lambda: MinutesPdf.objects.get(pk=record.pk).attempts == 1,
            timeout=60,
            message="the render to start",
        )
        time.sleep(0.3)
        _stop(first, signal.SIGKILL)
    finally:
        _stop(first, signal.SIGKILL)
    killed_at = time.monotonic()
    record.refresh_from_db()
    assert record.status == MinutesPdf.Status.PENDING, "the render was not interrupted"
    assert Minutes.objects.get(meeting=meeting).is_locked

    # Act 2: once the visibility timeout passed, a new worker gets the task again
    time.sleep(max(0.0, killed_at + 2.5 - time.monotonic()))
    second = _worker_process(log)
    try:
        wait_until(lambda: done(meeting), timeout=90, message="the redelivered render")
    finally:
        _stop(second)

    # Assert: stored once, hash right, two attempts counted, chain verifies
    record.refresh_from_db()
    assert record.attempts == 2
    assert MinutesPdf.objects.count() == 1
    folder = Path(settings.MEDIA_ROOT) / Path(record.file.name).parent
    assert [p.name for p in folder.iterdir()] == [Path(record.file.name).name]
    assert pdf.sha256(read_stored(record)) == record.sha256
    assert record.pages >= 3
    assert pdf.verify_chain(tree.cell.pk).ok
    assert "meetings.render_minutes_pdfs" in log.read_text()
