"""Locked minutes never change (DOMAIN.md §3.5): the PostgreSQL triggers of migration
0003 refuse every write to a locked minutes row, its votes, reserved opinions and
attendance, whatever the code path; the services refuse politely first.

The triggers raise SQLSTATE 23514 (check_violation), which psycopg2 maps to
CheckViolation and Django to ``django.db.utils.IntegrityError``. Each refused write
runs in its own savepoint so the test transaction stays usable afterwards.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import IntegrityError
from django.utils import translation

from meetings import services
from meetings.models import (
    Addendum,
    Attendance,
    AttendanceStatus,
    Minutes,
    ReservedOpinion,
    Vote,
    VoteKind,
)
from tests.factories.meetings import (
    adopt_and_sign,
    attendance_rows,
    fill_minutes,
    make_meeting,
    start,
)

LOCKED_MESSAGE = "The minutes are locked: add an addendum instead."


@pytest.fixture
def held(tree, users):
    """A held meeting of the cell with filled minutes and one vote, not yet locked."""
    meeting = make_meeting(tree.cell)
    minutes = start(meeting, users.secretary)
    minutes = fill_minutes(
        minutes, chair=tree.secretary, taker=tree.member, conclusion="Nguyên bản"
    )
    vote = services.record_vote(
        minutes=minutes,
        subject="Nghị quyết tháng",
        kind=VoteKind.RESOLUTION,
        yes=4,
        no=1,
        abstain=0,
    )
    return meeting, minutes, vote


@pytest.fixture
def locked(held, tree):
    meeting, minutes, vote = held
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    services.lock_minutes(minutes=minutes, by=None)
    return meeting, minutes, vote


def refused(write):
    """Run `write` in a savepoint; return the IntegrityError the trigger raised."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        write()
    error = excinfo.value
    assert type(error) is IntegrityError  # not InternalError nor a bare DatabaseError
    if connection.vendor == "postgresql":
        assert error.__cause__.pgcode == "23514"  # check_violation (CheckViolation)
    else:  # SQLite: RAISE(ABORT, …) in the trigger
        assert "locked" in str(error.__cause__)
    return error


def locked_message(pk):
    """PostgreSQL names the minutes; SQLite's RAISE takes a fixed message."""
    if connection.vendor == "postgresql":
        return f"chibo: minutes {pk} are locked"
    return "chibo: minutes are locked"


def snapshot(minutes):
    return Minutes.objects.filter(pk=minutes.pk).values().get()


# --- before locking, the same writes work --------------------------------------------


def test_unlocked_minutes_accept_orm_update(held):
    # Arrange
    _meeting, minutes, _vote = held

    # Act
    updated = Minutes.objects.filter(pk=minutes.pk).update(conclusion="x")

    # Assert
    assert updated == 1
    assert Minutes.objects.get(pk=minutes.pk).conclusion == "x"


def test_unlocked_children_accept_orm_writes(held, tree):
    # Arrange
    meeting, _minutes, vote = held

    # Act
    votes = Vote.objects.filter(pk=vote.pk).update(yes=3)
    rows = Attendance.objects.filter(meeting=meeting, member=tree.member).update(
        spoke=True
    )
    opinion = ReservedOpinion.objects.create(
        vote=vote, member=tree.others[0], opinion="Bảo lưu"
    )

    # Assert
    assert (votes, rows) == (1, 1)
    assert Vote.objects.get(pk=vote.pk).yes == 3
    assert Attendance.objects.get(meeting=meeting, member=tree.member).spoke is True
    assert ReservedOpinion.objects.filter(pk=opinion.pk).exists()


# --- the minutes row ------------------------------------------------------------------


def test_locked_minutes_refuse_orm_update(locked):
    # Arrange
    _meeting, minutes, _vote = locked
    before = snapshot(minutes)

    # Act
    error = refused(
        lambda: Minutes.objects.filter(pk=minutes.pk).update(conclusion="x")
    )

    # Assert
    assert locked_message(minutes.pk) in str(error)
    assert snapshot(minutes) == before
    assert before["conclusion"] == "Nguyên bản"


def test_locked_minutes_refuse_model_save(locked):
    # Arrange
    _meeting, minutes, _vote = locked
    before = snapshot(minutes)
    minutes.conclusion = "Sửa lén"

    # Act
    refused(minutes.save)

    # Assert
    assert snapshot(minutes) == before


def test_locked_minutes_refuse_raw_sql_update(locked):
    # Arrange
    _meeting, minutes, _vote = locked
    before = snapshot(minutes)

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE meetings_minutes SET locked_at = NULL WHERE id = %s",
                [minutes.pk],
            )

    # Act
    refused(raw_update)

    # Assert
    assert snapshot(minutes) == before
    assert before["locked_at"] is not None


def test_locked_minutes_refuse_delete(tree):
    # Arrange: no votes, so the minutes row itself is what the delete hits
    meeting = make_meeting(tree.cell)
    minutes = fill_minutes(start(meeting), chair=tree.secretary, taker=tree.member)
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    services.lock_minutes(minutes=minutes, by=None)
    before = snapshot(minutes)

    # Act
    error = refused(lambda: Minutes.objects.filter(pk=minutes.pk).delete())

    # Assert
    assert locked_message(minutes.pk) in str(error)
    assert snapshot(minutes) == before
    assert minutes.revisions.count() == 1  # the cascade was rolled back too


# --- votes and reserved opinions ------------------------------------------------------


def test_locked_minutes_refuse_vote_update(locked):
    # Arrange
    _meeting, _minutes, vote = locked

    # Act
    error = refused(lambda: Vote.objects.filter(pk=vote.pk).update(yes=5))

    # Assert
    assert "meetings_vote belongs to locked minutes" in str(error)
    assert Vote.objects.get(pk=vote.pk).yes == 4


def test_locked_minutes_refuse_vote_insert(locked):
    # Arrange
    _meeting, minutes, vote = locked

    # Act
    refused(
        lambda: Vote.objects.create(
            minutes=minutes,
            subject="Thêm sau khi khóa",
            kind=VoteKind.RESOLUTION,
            yes=5,
            no=0,
            abstain=0,
            denominator=5,
            passed=True,
        )
    )

    # Assert
    assert list(Vote.objects.filter(minutes=minutes)) == [vote]


def test_locked_minutes_refuse_vote_delete(locked):
    # Arrange
    _meeting, minutes, vote = locked

    # Act
    refused(lambda: Vote.objects.filter(pk=vote.pk).delete())

    # Assert
    assert list(Vote.objects.filter(minutes=minutes)) == [vote]


def test_locked_minutes_refuse_reserved_opinion_insert(locked, tree):
    # Arrange
    _meeting, _minutes, vote = locked

    # Act
    error = refused(
        lambda: ReservedOpinion.objects.create(
            vote=vote, member=tree.others[0], opinion="Bảo lưu muộn"
        )
    )

    # Assert
    assert "meetings_reservedopinion belongs to locked minutes" in str(error)
    assert not ReservedOpinion.objects.filter(vote=vote).exists()


# --- attendance -----------------------------------------------------------------------


def test_locked_minutes_refuse_attendance_update(locked, tree):
    # Arrange
    meeting, _minutes, _vote = locked
    rows = Attendance.objects.filter(meeting=meeting)
    before = list(rows.order_by("pk").values_list("member_id", "status", "spoke"))

    # Act
    error = refused(
        lambda: rows.filter(member=tree.member).update(
            status=AttendanceStatus.ABSENT_UNEXCUSED
        )
    )

    # Assert
    assert "meetings_attendance belongs to locked minutes" in str(error)
    assert list(rows.order_by("pk").values_list("member_id", "status", "spoke")) == (
        before
    )


def test_locked_minutes_refuse_attendance_insert_and_delete(locked, tree):
    # Arrange
    meeting, _minutes, _vote = locked
    count = Attendance.objects.filter(meeting=meeting).count()

    # Act
    refused(lambda: Attendance.objects.filter(meeting=meeting).delete())
    refused(lambda: Attendance.objects.create(meeting=meeting, member=tree.supervisor))

    # Assert
    assert Attendance.objects.filter(meeting=meeting).count() == count == 5


# --- the services refuse first, with a message ---------------------------------------


def test_save_minutes_refuses_locked_minutes(locked, users):
    # Arrange
    _meeting, minutes, _vote = locked
    before = snapshot(minutes)

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.save_minutes(
            minutes=minutes,
            version=minutes.version,
            by=users.secretary,
            conclusion="Sửa",
        )

    # Assert
    assert excinfo.value.messages == [LOCKED_MESSAGE]
    assert snapshot(minutes) == before


def test_record_vote_refuses_locked_minutes(locked):
    # Arrange
    _meeting, minutes, vote = locked

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.record_vote(
            minutes=minutes,
            subject="Muộn",
            kind=VoteKind.RESOLUTION,
            yes=1,
            no=0,
            abstain=0,
        )

    # Assert
    assert excinfo.value.messages == [LOCKED_MESSAGE]
    assert list(Vote.objects.filter(minutes=minutes)) == [vote]


def test_delete_vote_refuses_locked_minutes(locked):
    # Arrange
    _meeting, minutes, vote = locked

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.delete_vote(vote=Vote.objects.get(pk=vote.pk))

    # Assert
    assert excinfo.value.messages == [LOCKED_MESSAGE]
    assert list(Vote.objects.filter(minutes=minutes)) == [vote]


def test_record_attendance_refuses_locked_minutes(locked, tree):
    # Arrange
    meeting, _minutes, _vote = locked
    rows = attendance_rows(meeting, {tree.member: {"status": "absent_unexcused"}})

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.record_attendance(meeting=meeting, rows=rows, by=None)

    # Assert
    assert excinfo.value.messages == [LOCKED_MESSAGE]
    assert Attendance.objects.get(meeting=meeting, member=tree.member).status == (
        AttendanceStatus.PRESENT
    )


def test_adopt_sign_and_lock_refuse_locked_minutes(locked, users):
    # Arrange
    _meeting, minutes, _vote = locked
    before = snapshot(minutes)

    # Act / Assert
    for action in (
        lambda: services.adopt_minutes(minutes=minutes, by=None),
        lambda: services.sign_minutes(minutes=minutes, user=users.secretary),
        lambda: services.lock_minutes(minutes=minutes, by=None),
    ):
        with translation.override("en"), pytest.raises(ValidationError) as excinfo:
            action()
        assert excinfo.value.messages == [LOCKED_MESSAGE]
    assert snapshot(minutes) == before


def test_addendum_is_the_way_to_correct_locked_minutes(locked, users):
    # Arrange
    _meeting, minutes, _vote = locked

    # Act
    addendum = services.add_addendum(
        minutes=minutes,
        text="  Bổ sung: sửa tên người phát biểu.  ",
        by=users.secretary,
    )

    # Assert
    assert Addendum.objects.get(pk=addendum.pk).text == (
        "Bổ sung: sửa tên người phát biểu."
    )
    assert snapshot(minutes)["conclusion"] == "Nguyên bản"
