"""Builders shared by the PDF tests: a meeting held with everything the minutes
hold, text read back from a PDF, the stored records and a worker on the "pdf" queue.
"""

import io
import re
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import default_storage
from pypdf import PdfReader

from evaluations import services as evaluation_services
from meetings import services
from meetings.models import AttendanceStatus, MinutesPdf
from tests.meetings.notify_helpers import celery_worker

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
A4 = (595.28, 841.89)  # points
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
    duration=120,
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
        ended_at=when + timedelta(minutes=duration),
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
