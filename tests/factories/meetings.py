"""Builders of meetings: every step goes through the real services, so a meeting in
state X got there the way a secretary would take it there."""

from datetime import timedelta

from django.utils import timezone

from evaluations import services as evaluation_services
from meetings import services
from meetings.models import (
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingState,
)

from .files import pdf_bytes, upload
from .members import user_for
from .times import at, on


def make_meeting(cell, *, starts_at=None, kind=MeetingKind.REGULAR, by=None, **fields):
    """A planned meeting of `cell`, by default on 03/11/2026 at 19:30."""
    return services.create_meeting(
        cell=cell,
        kind=kind,
        starts_at=starts_at or at(2026, 11, 3, 19, 30),
        by=by,
        **fields,
    )


def start(meeting, by=None):
    """Hold the meeting: attendance is prefilled and the minutes opened."""
    minutes = services.start_meeting(meeting=meeting, by=by)
    meeting.refresh_from_db()
    return minutes


def fill_minutes(minutes, *, chair, taker, by=None, conclusion="Kết luận chung"):
    """Save chair, minute-taker, a 120-minute duration and a conclusion."""
    day = minutes.meeting.starts_at
    return services.save_minutes(
        minutes=minutes,
        version=minutes.version,
        by=by,
        chair=chair,
        minute_taker=taker,
        started_at=day,
        ended_at=day + timedelta(minutes=120),
        opening="Khai mạc",
        conclusion=conclusion,
    )


def held(
    cell,
    *,
    chair,
    taker,
    starts_at=None,
    kind=MeetingKind.REGULAR,
    minutes_long=120,
    conclusion="Kết luận chung",
    **fields,
):
    """A meeting started (attendance prefilled) with its minutes filled, lasting
    `minutes_long` minutes: (meeting, minutes)."""
    meeting = make_meeting(cell, starts_at=starts_at, kind=kind, **fields)
    minutes = start(meeting)
    minutes = fill_minutes(minutes, chair=chair, taker=taker, conclusion=conclusion)
    if minutes_long != 120:
        minutes.ended_at = minutes.started_at + timedelta(minutes=minutes_long)
        minutes.save(update_fields=["ended_at"])
    return meeting, minutes


def adopt_and_sign(minutes, *, chair, taker):
    services.adopt_minutes(minutes=minutes, by=None)
    services.sign_minutes(minutes=minutes, user=user_for(chair))
    if taker != chair:  # one person in both roles signs both at once
        services.sign_minutes(minutes=minutes, user=user_for(taker))
    return minutes


def locked_meeting(cell, *, chair, taker, by=None, conclusion="Kết luận chung", **kw):
    """A meeting taken through start → minutes → adopt → sign → lock."""
    meeting = make_meeting(cell, by=by, **kw)
    minutes = start(meeting, by)
    minutes = fill_minutes(
        minutes, chair=chair, taker=taker, by=by, conclusion=conclusion
    )
    adopt_and_sign(minutes, chair=chair, taker=taker)
    services.lock_minutes(minutes=minutes, by=by)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.LOCKED
    return meeting, minutes


def reload(meeting):
    return Meeting.objects.get(pk=meeting.pk)


def attendance_rows(meeting, overrides):
    """Rows for record_attendance: everyone as prefilled, then `overrides` (member →
    dict) applied."""
    rows = {
        row.member_id: {
            "status": row.status,
            "reason": row.reason,
            "late": row.late,
            "spoke": row.spoke,
        }
        for row in meeting.attendance.all()
    }
    for member, data in overrides.items():
        rows[member.pk] = {"reason": "", "late": False, "spoke": False, **data}
    return rows


def upcoming_meeting(cell, *, days=10, kind=MeetingKind.REGULAR, **fields):
    """A meeting `days` after today (the test's clock) at 19:30, with a place and an
    agenda: ten days ahead nothing is due yet, so only the scans a test runs with
    its own `now` find it."""
    day = timezone.localdate() + timedelta(days=days)
    meeting = services.create_meeting(
        cell=cell,
        kind=kind,
        starts_at=on(day, 19, 30),
        by=None,
        place="Nhà văn hoá khối phố 5",
        **fields,
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda=[{"title": "Tình hình tháng"}, {"title": "Nhiệm vụ tháng tới"}]
    )
    meeting.refresh_from_db()
    return meeting


# --- the cell of the `tree` fixture: chaired by its secretary, minutes by its member

TREE_MEETING = {"topic": "Họp chi bộ tháng 11", "place": "Nhà văn hóa khu phố 5"}


def tree_meeting(tree):
    """November's meeting of the cell, with a topic and a place."""
    return make_meeting(tree.cell, **TREE_MEETING)


def tree_held(tree, conclusion="Kết luận riêng của chi bộ"):
    return held(
        tree.cell,
        chair=tree.secretary,
        taker=tree.member,
        conclusion=conclusion,
        **TREE_MEETING,
    )


def tree_locked(tree, **kw):
    kw.setdefault("topic", "Họp chi bộ tháng 11")
    return locked_meeting(tree.cell, chair=tree.secretary, taker=tree.member, **kw)


def tree_submitted(tree):
    meeting, minutes = tree_locked(tree)
    services.submit_minutes(meeting=meeting, by=None)
    return meeting, minutes


def tree_with_document(tree):
    meeting = tree_meeting(tree)
    document = services.add_document(
        meeting=meeting,
        upload=upload("du-thao.pdf", pdf_bytes()),
        title="Dự thảo",
        by=None,
    )
    return meeting, document


def full_meeting(
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
    with a reserved opinion, a task; signed and (optionally) locked. By default on
    03/11/2026 at 19:30."""
    when = when or at(2026, 11, 3, 19, 30)
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
