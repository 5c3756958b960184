"""Minutes and resolutions to PDF (issue 4): layout and text read back with pypdf,
A4, embedded fonts, PDF/A-3b identification, the JSON attachment; the render-once
records and their hash chain through a real Celery worker on the test Redis;
verify_minutes; minute books; downloads per persona; page 1 as PNG (pdftoppm).

Everything is real: WeasyPrint, PostgreSQL, Redis, the worker, the storage.
"""

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from chibo.celery import app as celery_app
from evaluations import services as evaluation_services
from meetings import pdf, services
from meetings.models import (
    AttendanceStatus,
    Meeting,
    MinuteBookJob,
    Minutes,
    MinutesPdf,
)
from meetings.pdf.tasks import sweep_pdfs
from tests.meetings.notify_helpers import (
    broker_at,
    celery_worker,
    reset_broker_pools,
    wait_until,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
A4 = (595.28, 841.89)  # points
# Queries of the meeting's PDF card and of the cell's chain status (constant).
QUERIES_STATUS = 13
QUERIES_CHAIN = 7
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


def at(year, month, day, hour=19, minute=30):
    return datetime(year, month, day, hour, minute, tzinfo=HANOI)


def nfc(text):
    return unicodedata.normalize("NFC", text)


def text_of(content):
    """The text of every page, NFC, with runs of white space made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    raw = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", nfc(raw))


def hold_meeting(
    tree,
    users,
    *,
    when=None,
    kind="regular",
    lock=True,
    items=2,
    speakers=2,
    votes=1,
    tasks=True,
    topic="",
):
    """A regular meeting of tree.cell held with everything the minutes hold:
    attendance with an excused and an unexcused absence, a guest, speakers, a vote
    with a reserved opinion, a task; signed and (optionally) locked."""
    when = when or at(2026, 11, 3)
    meeting = services.create_meeting(
        cell=tree.cell,
        kind=kind,
        starts_at=when,
        by=users.secretary,
        place="Nhà văn hóa khối phố 5",
        topic=topic,
    )
    minutes = services.start_meeting(meeting=meeting, by=users.secretary)
    excused, unexcused, present = tree.others
    services.record_attendance(
        meeting=meeting,
        rows={
            tree.secretary.pk: {"status": AttendanceStatus.PRESENT, "spoke": True},
            tree.member.pk: {"status": AttendanceStatus.PRESENT, "spoke": True},
            excused.pk: {
                "status": AttendanceStatus.ABSENT_EXCUSED,
                "reason": "Đi công tác Hà Nội",
            },
            unexcused.pk: {"status": AttendanceStatus.ABSENT_UNEXCUSED},
            present.pk: {"status": AttendanceStatus.PRESENT, "late": True},
        },
        by=users.secretary,
    )
    services.add_guest(
        meeting=meeting,
        name="Võ Thị Cấp Trên",
        role="superior",
        title="Đảng ủy viên phường",
    )
    people = [tree.secretary, tree.member]
    minutes = services.save_minutes(
        minutes=minutes,
        version=minutes.version,
        by=users.secretary,
        chair=tree.secretary,
        minute_taker=tree.member,
        started_at=when,
        ended_at=when + timedelta(minutes=120),
        opening="Chi bộ đã đóng đảng phí đầy đủ tháng 11.",
        items=[
            {
                "title": f"Nội dung số {index + 1}: kiểm điểm nghị quyết tháng trước",
                "speakers": [
                    {
                        "name": people[s % 2].full_name,
                        "gist": f"Ý kiến {s + 1} về việc giữ gìn vệ sinh môi trường "
                        "khu dân cư và phòng chống tệ nạn xã hội.",
                    }
                    for s in range(speakers)
                ],
                "conclusion": "Chi bộ thống nhất giao chi ủy theo dõi.",
            }
            for index in range(items)
        ],
        recommendations="Đề nghị Đảng ủy phường hỗ trợ kinh phí sửa nhà văn hóa.",
        conclusion="Chi bộ thống nhất ban hành nghị quyết về công tác tháng 12.",
    )
    if tasks:
        meeting.refresh_from_db()
        evaluation_services.assign_task(
            meeting=meeting,
            text="Vận động hội viên tham gia Tết trồng cây",
            deadline=when.date() + timedelta(days=20),
            assignees=[tree.member],
            by=users.secretary,
        )
    for number in range(votes):
        services.record_vote(
            minutes=minutes,
            subject=f"thông qua nghị quyết số {number + 1}",
            kind="resolution",
            yes=2,
            no=1,
            abstain=0,
            reserved=[(tree.member, "Đề nghị lùi thời hạn sang tháng 1.")]
            if number == 0
            else [],
        )
    services.adopt_minutes(minutes=minutes, by=users.secretary)
    services.sign_minutes(minutes=minutes, user=users.secretary)
    services.sign_minutes(minutes=minutes, user=users.member)
    if lock:
        services.lock_minutes(minutes=minutes, by=users.secretary)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def place(tree):
    tree.province.place = "Nghệ An"
    tree.province.save(update_fields=["place"])
    return "Nghệ An"


# --- layout and text ------------------------------------------------------------------


def test_minutes_pdf_reads_back_every_part(tree, users, place):
    # Arrange
    meeting = hold_meeting(tree, users)
    excused, unexcused, _present = tree.others

    # Act
    rendered = pdf.render_minutes(meeting)
    text = text_of(rendered.content)

    # Assert: header blocks, title and subtitle
    for line in (
        "ĐẢNG BỘ PHƯỜNG THỬ",
        "CHI BỘ KHỐI PHỐ 5",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Nghệ An, ngày 03 tháng 11 năm 2026",
        "BIÊN BẢN",
        "Sinh hoạt chi bộ thường kỳ tháng 11 năm 2026",
    ):
        assert nfc(line) in text, line
    # attendance counts, absent names with reason, guests, chair and minute-taker
    for line in (
        "Tổng số đảng viên của chi bộ: 5 đồng chí (chính thức: 5, dự bị: 0)",
        "Số đảng viên phải dự sinh hoạt: 5 đồng chí",
        "Có mặt: 3 đồng chí; tỷ lệ dự họp: 60,0%",
        f"Vắng có lý do: 1 đồng chí: {excused.full_name} (Đi công tác Hà Nội)",
        f"Vắng không có lý do: 1 đồng chí: {unexcused.full_name}",
        "Miễn sinh hoạt: 0 đồng chí",
        f"Đến muộn: {_present.full_name}",
        "Võ Thị Cấp Trên, Đảng ủy viên phường (đại diện cấp ủy cấp trên)",
        "Chủ trì: đồng chí Lê Văn Bí Thư. Thư ký: đồng chí Trần Thị Đảng Viên.",
    ):
        assert nfc(line) in text, line
    # each speaker, conclusion, task, recommendation, resolution text, vote line
    assert "Đồng chí Lê Văn Bí Thư: Ý kiến 1" in text
    assert "Đồng chí Trần Thị Đảng Viên: Ý kiến 2" in text
    assert "Kết luận: Chi bộ thống nhất giao chi ủy theo dõi." in text
    assert "Vận động hội viên tham gia Tết trồng cây" in text
    assert "23/11/2026" in text
    assert "Đề nghị Đảng ủy phường hỗ trợ kinh phí sửa nhà văn hóa." in text
    assert "Chi bộ thống nhất ban hành nghị quyết về công tác tháng 12." in text
    assert (
        "Biểu quyết thông qua nghị quyết số 1: tán thành 2/4 đồng chí (50,0%), "
        "không tán thành 1, không biểu quyết 0 — không được thông qua"
    ) in text
    assert (
        "Ý kiến bảo lưu của đồng chí Trần Thị Đảng Viên: Đề nghị lùi thời hạn "
        "sang tháng 1."
    ) in text
    assert "thời gian sinh hoạt: 120 phút" in text
    # both signature blocks with names; page numbers; no watermark once locked
    assert "NGƯỜI GHI BIÊN BẢN" in text
    assert "CHỦ TRÌ" in text
    assert (
        text.rstrip().endswith(f"Trang {rendered.pages}/{rendered.pages}")
        or f"Trang 1/{rendered.pages}" in text
    )
    assert "DỰ THẢO" not in text
    assert text == nfc(text)


def test_minutes_pdf_is_a4_with_every_font_embedded(tree, users, place):
    meeting = hold_meeting(tree, users)

    reader = PdfReader(io.BytesIO(pdf.render_minutes(meeting).content))

    fonts = {}
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (
            pytest.approx(A4[0], abs=0.5),
            pytest.approx(A4[1], abs=0.5),
        )
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            ).get_object()
            embedded = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded
    assert fonts, "no font found"
    assert all(fonts.values()), fonts
    # only our vendored face (declared as "Chibo Serif"), never a system fallback
    assert all("Chibo-Serif" in name for name in fonts), fonts


def test_locked_minutes_are_pdf_a_3b_with_metadata_and_json(tree, users, place):
    meeting = hold_meeting(tree, users)

    reader = PdfReader(io.BytesIO(pdf.render_minutes(meeting).content))

    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(=\"|>)3", raw), raw[:500]
    assert re.search(r"pdfaid:conformance(=\"|>)B", raw), raw[:500]
    info = reader.metadata
    assert info.title == "BIÊN BẢN — Chi bộ Khối phố 5"
    assert info.author == "Chi bộ Khối phố 5 — Đảng bộ phường Thử"
    assert info.subject == "Sinh hoạt chi bộ thường kỳ tháng 11 năm 2026"
    locked_at = Minutes.objects.get(meeting=meeting).locked_at
    assert info.creation_date == locked_at.replace(microsecond=0)
    assert "<dc:title>" in raw or "dc:title" in raw
    # the structured record, attached as JSON, parses back to the meeting's data
    attachments = reader.attachments
    assert list(attachments) == [pdf.ATTACHMENT_NAME]
    data = json.loads(attachments[pdf.ATTACHMENT_NAME][0])
    assert data["schema"] == "chibo.minutes/1"
    assert data["meeting_id"] == meeting.pk
    assert data["cell_name"] == "Chi bộ Khối phố 5"
    assert data["chair"] == "Lê Văn Bí Thư"
    assert data["minute_taker"] == "Trần Thị Đảng Viên"
    assert data["date"] == "03/11/2026"
    assert data["duration"] == 120
    assert data["stats"]["present"] == 3
    assert data["stats"]["absent_excused"] == [
        {"name": tree.others[0].full_name, "reason": "Đi công tác Hà Nội"}
    ]
    assert [v["yes"] for v in data["votes"]] == [2]
    assert data["votes"][0]["denominator"] == 4
    assert data["tasks"][0]["text"] == "Vận động hội viên tham gia Tết trồng cây"
    assert data["tasks"][0]["assignees"] == "Trần Thị Đảng Viên"
    assert {row["name"] for row in data["attendance"]} == {
        m.full_name for m in [tree.secretary, tree.member, *tree.others]
    }
    assert data["locked_at"] is not None


def test_draft_minutes_carry_the_watermark_and_are_not_archival(tree, users, place):
    meeting = hold_meeting(tree, users, lock=False)

    content = pdf.render_minutes(meeting).content

    text = text_of(content)
    assert "DỰ THẢO" in text
    assert "BIÊN BẢN" in text
    raw = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert (
        "/Metadata" not in raw
        or "pdfaid" not in raw["/Metadata"].get_object().get_data().decode()
    )


def test_resolution_pdf_is_signed_for_the_cell_by_the_secretary(tree, users, place):
    meeting = hold_meeting(tree, users)
    services.issue_resolution(
        meeting=meeting,
        title="Về nhiệm vụ trọng tâm tháng 12 năm 2026",
        text="1. Hoàn thành thu đảng phí.\n2. Tổ chức Tết trồng cây.",
        by=users.secretary,
    )

    content = pdf.render_resolution(meeting).content
    text = text_of(content)

    for line in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "CHI BỘ KHỐI PHỐ 5",
        "Số 01-NQ/CB",
        "NGHỊ QUYẾT",
        "Về nhiệm vụ trọng tâm tháng 12 năm 2026",
        "1. Hoàn thành thu đảng phí.",
        "2. Tổ chức Tết trồng cây.",
        "T/M CHI BỘ",
        "BÍ THƯ",
        "Lê Văn Bí Thư",
        "tán thành 2/4 đồng chí (50,0%)",
    ):
        assert nfc(line) in text, line
    assert "DỰ THẢO" not in text
    assert PdfReader(io.BytesIO(content)).attachments == {}


def test_draft_resolution_carries_the_watermark(tree, users, place):
    meeting = hold_meeting(tree, users, lock=False)
    Meeting.objects.filter(pk=meeting.pk).update(
        draft_resolution="Dự kiến: hoàn thành thu đảng phí."
    )
    meeting.refresh_from_db()

    text = text_of(pdf.render_resolution(meeting).content)

    assert "DỰ THẢO" in text
    assert "Dự kiến: hoàn thành thu đảng phí." in text


def test_topic_cover_of_a_thematic_meeting(tree, users, place):
    meeting = services.create_meeting(
        cell=tree.cell,
        kind="thematic",
        starts_at=at(2026, 5, 19),
        by=users.secretary,
        topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    )
    Meeting.objects.filter(pk=meeting.pk).update(presenter=tree.member)
    meeting.refresh_from_db()

    text = text_of(pdf.render_topic_cover(meeting).content)

    assert "CHUYÊN ĐỀ" in text
    assert "HỌC TẬP VÀ LÀM THEO TƯ TƯỞNG" in text
    assert "Người trình bày: đồng chí Trần Thị Đảng Viên" in text


def test_pdf_context_queries_do_not_grow(tree, users, django_assert_num_queries):
    small = hold_meeting(tree, users, items=1, speakers=1, votes=1)
    large = hold_meeting(
        tree, users, when=at(2026, 12, 3), items=6, speakers=5, votes=3
    )

    for meeting in (small, large):
        meeting = Meeting.objects.select_related("cell").get(pk=meeting.pk)
        with django_assert_num_queries(10):
            pdf.minutes_context(meeting)


def page_one_png(content, name, tmp_path):
    """Page 1 of `content` as a PNG kept under var/test-artifacts/ (CI artifact)."""
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(content)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    subprocess.run(  # noqa: S603 — poppler's pdftoppm on our own file
        [
            shutil.which("pdftoppm") or "pdftoppm",
            *("-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"),
            str(source),
            str(target),
        ],
        check=True,
        timeout=60,
    )
    return target.with_suffix(".png")


def test_page_one_renders_to_png_artifact(tree, users, place, tmp_path):
    from PIL import Image

    meeting = hold_meeting(tree, users, lock=False)
    locked = hold_meeting(tree, users, when=at(2026, 12, 3), tasks=False)
    services.issue_resolution(
        meeting=locked,
        title="Về nhiệm vụ trọng tâm tháng 01 năm 2027",
        text="1. Hoàn thành thu đảng phí.",
        by=users.secretary,
    )

    pngs = [
        page_one_png(pdf.render_minutes(meeting).content, "minutes-page1", tmp_path),
        page_one_png(
            pdf.render_resolution(locked).content, "resolution-page1", tmp_path
        ),
    ]

    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(png) as image:
            width, height = image.size
            assert round(height / width, 2) == round(A4[1] / A4[0], 2)
            # dark ink (text) is present, not a blank page
            assert image.convert("L").getextrema()[0] < 60


# --- render once, through a real worker on the "pdf" queue ----------------------------


def pdf_worker():
    """A real worker (solo pool, in a thread) consuming the "pdf" queue."""
    return celery_worker("pdf")


def stored(meeting, version=1):
    return MinutesPdf.objects.get(minutes__meeting=meeting, version=version)


def done(meeting, version=1):
    return MinutesPdf.objects.filter(
        minutes__meeting=meeting, version=version, status=MinutesPdf.Status.DONE
    ).exists()


def read_stored(record):
    with default_storage.open(record.file.name, "rb") as handle:
        return handle.read()


@pytest.mark.django_db(transaction=True)
def test_locking_renders_once_on_the_pdf_queue_and_chains_hashes(
    tree, users, place, persona_client
):
    with pdf_worker():
        # Act: lock two meetings, then sign an addendum of the first
        first = hold_meeting(tree, users, when=at(2026, 10, 5))
        wait_until(lambda: done(first), timeout=60, message="first PDF")
        second = hold_meeting(tree, users, when=at(2026, 11, 3))
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


@pytest.mark.django_db(transaction=True)
def test_broker_outage_never_fails_the_lock_and_the_sweep_catches_up(
    tree, users, place
):
    # Arrange: the broker is unreachable while the minutes are locked
    with broker_at("redis://127.0.0.1:1/0"):
        meeting = hold_meeting(tree, users)

    # Assert: locked, and the intent is kept
    assert Minutes.objects.get(meeting=meeting).is_locked
    record = stored(meeting)
    assert record.status == MinutesPdf.Status.PENDING
    assert pdf.pending_cells(older_than_seconds=0) == [tree.cell.pk]

    # Act: beat's sweep runs once the broker is back
    with pdf_worker():
        assert sweep_pdfs(older_than_seconds=0) == {"cells": 1}
        wait_until(lambda: done(meeting), timeout=60, message="swept PDF")

    assert pdf.pending_cells(older_than_seconds=0) == []


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
    meeting = hold_meeting(tree, users)
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
    assert "NotADirectoryError" in page
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


# --- tamper evidence ------------------------------------------------------------------


def test_verify_minutes_reports_exactly_the_altered_meeting(
    tree, users, place, persona_client
):
    meetings = [
        hold_meeting(tree, users, when=at(2026, month, 3), tasks=False)
        for month in (9, 10, 11)
    ]
    pdf.render_pending(cell_id=tree.cell.pk)
    out = io.StringIO()
    call_command("verify_minutes", "--cell", str(tree.cell.pk), stdout=out)
    assert f"cell {tree.cell.pk}: OK — 3 stored, 0 pending" in out.getvalue()

    # Act: change one byte of the second stored file
    target = stored(meetings[1])
    path = Path(settings.MEDIA_ROOT) / target.file.name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))

    # Assert
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 break"):
        call_command("verify_minutes", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "BROKEN" in line]
    assert lines == [
        f"cell {tree.cell.pk}: BROKEN at link 2 — meeting {meetings[1].pk} "
        f"(record {target.pk}): file altered (SHA-256 differs)"
    ]
    page = persona_client("member").get(
        reverse("meetings:minutes-chain", args=[tree.cell.pk]),
        headers={"HX-Request": "true"},
    )
    body = page.content.decode()
    assert 'id="minutes-chain-status"' in body
    assert reverse("meetings:meeting-detail", args=[meetings[1].pk]) in body
    assert reverse("meetings:meeting-detail", args=[meetings[0].pk]) not in body


# --- minute books ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_minute_book_of_a_year_is_built_in_the_background_with_progress(
    tree, users, place, persona_client
):
    client = persona_client("member")
    with pdf_worker():
        last_year = hold_meeting(tree, users, when=at(2025, 12, 4), tasks=False)
        october = hold_meeting(tree, users, when=at(2026, 10, 5), tasks=False)
        november = hold_meeting(tree, users, when=at(2026, 11, 3), tasks=False)

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


def test_minute_book_form_refuses_a_bad_year(tree, users, persona_client):
    response = persona_client("member").post(
        reverse("meetings:minute-book", args=[tree.cell.pk]), {"year": "20x6"}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="20x6"' in body
    assert MinuteBookJob.objects.count() == 0


def test_subtree_export_zips_the_books_of_every_cell(
    tree, users, place, persona_client
):
    hold_meeting(tree, users, when=at(2026, 3, 5), tasks=False)
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


# --- downloads per persona ------------------------------------------------------------


def test_draft_minutes_only_for_officers_and_committee(tree, users, persona_client):
    meeting = hold_meeting(tree, users, lock=False, tasks=False)
    url = reverse("meetings:minutes-pdf", args=[meeting.pk])

    got = {
        persona: persona_client(persona).get(url).status_code
        for persona in ("secretary", "member", "committee", "supervisor", "outsider")
    }

    assert got == {
        "secretary": 200,
        "member": 403,
        "committee": 200,
        "supervisor": 403,
        "outsider": 404,
    }
    response = persona_client("secretary").get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "DỰ THẢO" in text_of(response.content)


def test_locked_minutes_not_stored_yet_redirect_with_a_message(
    tree, users, persona_client
):
    meeting = hold_meeting(tree, users, tasks=False)

    response = persona_client("member").get(
        reverse("meetings:minutes-pdf", args=[meeting.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert stored(meeting).status == MinutesPdf.Status.PENDING


# --- a worker killed in the middle of a render (issue 8.5 b, PDF half) ----------------


def _worker_process(log_path):
    """A real `celery worker` process on the "pdf" queue, on the test database and
    Redis, redelivering a killed worker's task after 2 seconds."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "chibo.settings",
        "DATABASE_URL": "postgresql://{USER}@{HOST}:{PORT}/{NAME}".format(
            **connection.settings_dict
        ),
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
    meeting = hold_meeting(tree, users, items=40, speakers=6, votes=3)
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


def test_pdf_pages_queries_do_not_grow(
    tree, users, persona_client, django_assert_num_queries
):
    meeting = hold_meeting(tree, users, tasks=False)
    minutes = Minutes.objects.get(meeting=meeting)
    client = persona_client("secretary")
    status_url = reverse("meetings:minutes-pdf-status", args=[meeting.pk])
    chain_url = reverse("meetings:minutes-chain", args=[tree.cell.pk])

    for versions in (1, 3):
        while MinutesPdf.objects.filter(minutes=minutes).count() < versions:
            addendum = services.add_addendum(
                minutes=minutes, text="Bổ sung.", by=users.secretary
            )
            services.sign_addendum(addendum=addendum, user=users.secretary)
            services.sign_addendum(addendum=addendum, user=users.member)
        pdf.render_pending(cell_id=tree.cell.pk)

        with django_assert_num_queries(QUERIES_STATUS):
            page = client.get(status_url, headers={"HX-Request": "true"})
        with django_assert_num_queries(QUERIES_CHAIN):
            chain = client.get(chain_url, headers={"HX-Request": "true"})

        assert page.content.decode().count("?version=") == (
            versions if versions > 1 else 0
        )
        assert f"đã kiểm tra {versions} tệp" in chain.content.decode()
