"""Everything locked minutes print is frozen in the database: rows cannot be moved
out of (or into) locked minutes, and guests, tasks, the meeting's printed fields,
signed addenda and issued resolutions cannot change — whatever the code path. Task
review outcomes stay writable. Runs on PostgreSQL and SQLite."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.utils import IntegrityError, OperationalError, ProgrammingError

from evaluations import services as eval_services
from evaluations.models import Task
from meetings import services
from meetings.models import (
    Addendum,
    Attendance,
    Guest,
    Meeting,
    MeetingState,
    Resolution,
    Vote,
    VoteKind,
)
from tests.factories.meetings import adopt_and_sign, fill_minutes, make_meeting, start


def refused(write):
    """Run `write` in a savepoint; the database must refuse it."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        write()
    assert "chibo:" in str(excinfo.value)
    return excinfo.value


@pytest.fixture
def record(tree, users):
    """A locked meeting (a vote, a guest, a task, a signed addendum, an issued
    resolution) and an open meeting of the same cell."""
    meeting = make_meeting(tree.cell)
    minutes = fill_minutes(
        start(meeting, users.secretary), chair=tree.secretary, taker=tree.member
    )
    vote = services.record_vote(
        minutes=minutes,
        subject="Nghị quyết tháng",
        kind=VoteKind.RESOLUTION,
        yes=4,
        no=1,
        abstain=0,
    )
    guest = Guest.objects.create(
        meeting=meeting, name="Đồng chí Cấp Trên", role=Guest.Role.SUPERIOR
    )
    task = eval_services.assign_task(
        meeting=meeting,
        text="Vận động đóng góp quỹ",
        deadline=meeting.planned_date + timedelta(days=20),
        assignees=[tree.secretary],
    )
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    services.lock_minutes(minutes=minutes, by=None)
    addendum = Addendum.objects.create(
        minutes=minutes,
        text="Bổ sung",
        taker_signed_at=minutes.locked_at,
        chair_signed_at=minutes.locked_at,
    )
    resolution = services.issue_resolution(
        meeting=meeting, title="Nghị quyết", text="Nội dung", by=None
    )
    other = make_meeting(tree.cell, starts_at=meeting.starts_at + timedelta(days=30))
    open_minutes = start(other, users.secretary)
    meeting.refresh_from_db()
    return {
        "meeting": meeting,
        "minutes": minutes,
        "vote": vote,
        "guest": guest,
        "task": task,
        "addendum": addendum,
        "resolution": resolution,
        "other": other,
        "open_minutes": open_minutes,
    }


def test_a_vote_cannot_be_moved_out_of_locked_minutes(record):
    vote = record["vote"]

    refused(
        lambda: Vote.objects.filter(pk=vote.pk).update(
            minutes_id=record["open_minutes"].pk
        )
    )

    assert Vote.objects.get(pk=vote.pk).minutes_id == record["minutes"].pk


def test_attendance_cannot_be_moved_out_of_locked_minutes(record):
    row = Attendance.objects.filter(meeting=record["meeting"]).first()

    refused(
        lambda: Attendance.objects.filter(pk=row.pk).update(
            meeting_id=record["other"].pk
        )
    )


def test_a_vote_cannot_be_moved_into_locked_minutes(record):
    other_vote = services.record_vote(
        minutes=record["open_minutes"],
        subject="Khác",
        kind=VoteKind.RESOLUTION,
        yes=3,
        no=0,
        abstain=0,
    )

    refused(
        lambda: Vote.objects.filter(pk=other_vote.pk).update(
            minutes_id=record["minutes"].pk
        )
    )


@pytest.mark.parametrize(
    "write",
    [
        lambda r: Guest.objects.filter(pk=r["guest"].pk).update(name="Người Giả"),
        lambda r: Guest.objects.filter(pk=r["guest"].pk).delete(),
        lambda r: Guest.objects.create(
            meeting=r["meeting"], name="Thêm", role=Guest.Role.INVITED
        ),
        lambda r: Meeting.objects.filter(pk=r["meeting"].pk).update(place="Nơi khác"),
        lambda r: Meeting.objects.filter(pk=r["meeting"].pk).update(topic="Đổi"),
        lambda r: Meeting.objects.filter(pk=r["meeting"].pk).update(
            starts_at=r["meeting"].starts_at + timedelta(hours=1)
        ),
        lambda r: Meeting.objects.filter(pk=r["meeting"].pk).update(kind="thematic"),
        lambda r: Meeting.objects.filter(pk=r["meeting"].pk).update(
            state=MeetingState.HELD
        ),
        lambda r: Task.objects.filter(pk=r["task"].pk).update(text="Sửa"),
        lambda r: Task.objects.filter(pk=r["task"].pk).update(
            deadline=r["task"].deadline + timedelta(days=30)
        ),
        lambda r: r["task"].assignees.clear(),
        lambda r: Task.objects.filter(pk=r["task"].pk).delete(),
        lambda r: Addendum.objects.filter(pk=r["addendum"].pk).update(text="Khác"),
        lambda r: Addendum.objects.filter(pk=r["addendum"].pk).delete(),
        lambda r: Resolution.objects.filter(pk=r["resolution"].pk).update(text="x"),
        lambda r: Resolution.objects.filter(pk=r["resolution"].pk).delete(),
    ],
    ids=[
        "guest-rename",
        "guest-delete",
        "guest-add",
        "meeting-place",
        "meeting-topic",
        "meeting-time",
        "meeting-kind",
        "meeting-state-back",
        "task-text",
        "task-deadline",
        "task-assignees",
        "task-delete",
        "addendum-text",
        "addendum-delete",
        "resolution-text",
        "resolution-delete",
    ],
)
def test_what_the_minutes_print_is_frozen(record, write):
    refused(lambda: write(record))


def test_the_meeting_still_moves_forward_and_outcomes_stay_writable(record):
    services.submit_minutes(meeting=record["meeting"], by=None)
    Task.objects.filter(pk=record["task"].pk).update(
        outcome="done_on_time", outcome_comment="Xong"
    )

    assert Meeting.objects.get(pk=record["meeting"].pk).state == MeetingState.SUBMITTED
    assert Task.objects.get(pk=record["task"].pk).outcome == "done_on_time"


@pytest.mark.postgresql_only(reason="SQLite has no TRUNCATE statement")
@pytest.mark.parametrize(
    "table",
    ["meetings_vote", "meetings_meeting", "meetings_guest", "evaluations_task"],
)
def test_truncate_is_refused(record, table):
    def truncate():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("RESET chibo.audit_truncate")  # as any session would be
            cursor.execute(f"TRUNCATE {table} CASCADE")

    with pytest.raises((ProgrammingError, OperationalError, IntegrityError)) as excinfo:
        truncate()

    assert "TRUNCATE refused" in str(excinfo.value)
    assert Vote.objects.filter(pk=record["vote"].pk).exists()
