"""Meeting services against the real database: the yearly plan, the lifecycle,
excuses and attendance, votes (DOMAIN.md §3.4), minutes, review, resolutions and
documents. Messages are checked in English (``translation.override("en")``)."""

from datetime import date, time, timedelta
from fractions import Fraction

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from meetings import selectors, services
from meetings.models import (
    Addendum,
    Attendance,
    ExcuseRequest,
    Meeting,
    MeetingChange,
    MeetingDocument,
    MeetingKind,
    MeetingState,
    Minutes,
    MinutesRevision,
    ReservedOpinion,
    Resolution,
    Vote,
    VoteKind,
)
from members import services as member_services
from members.holidays import public_holidays
from members.models import RuleKey
from tests.factories import OrganizationFactory
from tests.factories.files import docx_bytes, pdf_bytes, png_bytes, upload
from tests.factories.meetings import (
    adopt_and_sign,
    attendance_rows,
    fill_minutes,
    locked_meeting,
    make_meeting,
    reload,
    start,
)
from tests.factories.members import (
    attached_in,
    away,
    exempt,
    official,
    probationary,
    suspended,
    user_for,
)
from tests.factories.times import at

EPOCH = date(2000, 1, 1)


def messages_of(excinfo):
    return excinfo.value.messages


def set_rule(org, key, value, valid_from=EPOCH):
    member_services.set_rule(org=org, key=key, value=value, valid_from=valid_from)


def planned(cell, year):
    """{slot: planned date} of the cell's plan of `year`."""
    return dict(
        Meeting.objects.filter(cell=cell, plan_slot__startswith=f"{year}-").values_list(
            "plan_slot", "planned_date"
        )
    )


def regular_days(cell, year):
    dates = planned(cell, year)
    return [dates[f"{year}-M{month:02d}"] for month in range(1, 13)]


# --- the yearly plan ------------------------------------------------------------------


def test_generate_year_plan_creates_12_regular_and_4_thematic(tree, users):
    # Act
    with translation.override("en"):
        created = services.generate_year_plan(
            cell=tree.cell, year=2026, by=users.secretary
        )

    # Assert
    meetings = Meeting.objects.filter(cell=tree.cell).order_by("plan_slot")
    assert len(created) == 17  # 5 official members: no committee meetings
    assert [(m.plan_slot, m.kind) for m in meetings] == [
        *((f"2026-M{n:02d}", MeetingKind.REGULAR) for n in range(1, 13)),
        *((f"2026-Q{n}", MeetingKind.THEMATIC) for n in range(1, 5)),
        ("2026-R", MeetingKind.ANNUAL_REVIEW),
    ]
    regular = meetings.get(plan_slot="2026-M11")
    assert regular.planned_date == date(2026, 11, 3)
    assert timezone.localtime(regular.starts_at).time() == time(8, 0)
    assert regular.state == MeetingState.PLANNED
    assert regular.created_by == users.secretary
    assert regular.topic == "Regular meeting of 11/2026"
    assert regular.agenda[0] == {"title": "Khai mạc: mục đích, giới thiệu đại biểu"}
    assert len(regular.agenda) == 16
    thematic = meetings.get(plan_slot="2026-Q4")
    assert thematic.topic == "Thematic meeting, quarter 4/2026"
    assert thematic.agenda[5] == {
        "title": "Mục đích, yêu cầu của buổi sinh hoạt chuyên đề"
    }


def test_generate_year_plan_defaults_to_day_3_without_shift(tree):
    # Act
    services.generate_year_plan(cell=tree.cell, year=2026, by=None)

    # Assert: the 3rd even on a Saturday (January, October) or a Sunday (May)
    assert regular_days(tree.cell, 2026) == [
        date(2026, month, 3) for month in range(1, 13)
    ]
    # Thematic meetings a week later under the cell's own shift rule: none, so
    # Sunday 10 May 2026 stays; the year-end review on 20 December.
    dates = planned(tree.cell, 2026)
    assert [dates[f"2026-Q{q}"] for q in range(1, 5)] == [
        date(2026, 2, 10),
        date(2026, 5, 10),
        date(2026, 8, 10),
        date(2026, 11, 10),
    ]
    assert dates["2026-R"] == date(2026, 12, 20)


def test_generate_year_plan_clips_meeting_day_31_to_month_end(tree):
    # Arrange: set on the ward, inherited by the cell
    set_rule(tree.ward, RuleKey.MEETING_DAY, 31)

    # Act
    services.generate_year_plan(cell=tree.cell, year=2026, by=None)

    # Assert
    assert regular_days(tree.cell, 2026) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
        date(2026, 7, 31),
        date(2026, 8, 31),
        date(2026, 9, 30),
        date(2026, 10, 31),
        date(2026, 11, 30),
        date(2026, 12, 31),
    ]


def test_generate_year_plan_shifts_weekends_to_next_working_day(tree):
    # Arrange
    set_rule(tree.ward, RuleKey.MEETING_SHIFT, "next_working_day")

    # Act
    services.generate_year_plan(cell=tree.cell, year=2026, by=None)

    # Assert: Sat 3 Jan → Mon 5, Sun 3 May → Mon 4, Sat 3 Oct → Mon 5
    days = regular_days(tree.cell, 2026)
    assert days == [
        date(2026, 1, 5),
        *(date(2026, month, 3) for month in (2, 3, 4)),
        date(2026, 5, 4),
        *(date(2026, month, 3) for month in (6, 7, 8, 9)),
        date(2026, 10, 5),
        date(2026, 11, 3),
        date(2026, 12, 3),
    ]
    assert all(day.weekday() < 5 for day in days)


def test_generate_year_plan_skips_tet_2027(tree):
    # Arrange: the 4th is "29 Tết" in 2027; the holiday runs to the 10th
    set_rule(tree.ward, RuleKey.MEETING_DAY, 4)
    set_rule(tree.ward, RuleKey.MEETING_SHIFT, "next_working_day")
    holidays = public_holidays(2027)
    assert {date(2027, 2, day) for day in range(4, 11)} <= holidays

    # Act
    services.generate_year_plan(cell=tree.cell, year=2027, by=None)

    # Assert
    dates = planned(tree.cell, 2027)
    assert dates["2027-M02"] == date(2027, 2, 11)
    assert dates["2027-Q1"] == date(2027, 2, 11)
    assert dates["2027-M01"] == date(2027, 1, 4)
    assert all(day.weekday() < 5 and day not in holidays for day in dates.values()), (
        dates
    )


def test_generate_year_plan_adds_committee_meetings_hcm_topic_and_review(tree):
    """A cell of 9 official members has a committee: its meeting is planned a few
    working days before each regular meeting. The second quarter's thematic meeting
    studies Hồ Chí Minh's example. Thematic dates follow the cell's shift rule and
    the offset setting."""
    for n in range(4):
        official(tree.cell, f"Thêm {n}")
    attached_in(tree.cell, "Tạm Thời")  # the home cell's, not this cell's
    set_rule(tree.ward, RuleKey.MEETING_SHIFT, "next_working_day")
    set_rule(tree.ward, RuleKey.THEMATIC_OFFSET_DAYS, 14)

    services.generate_year_plan(cell=tree.cell, year=2026, by=None)

    dates = planned(tree.cell, 2026)
    assert [k for k in dates if k.startswith("2026-C")] == [
        f"2026-C{n:02d}" for n in range(1, 13)
    ]
    # 3 working days before: Mon 5 Jan -> Fri 2 Jan; Tue 3 Nov -> Sat 31 Oct,
    # moved back to Fri 30 Oct.
    assert dates["2026-C01"] == date(2026, 1, 2)
    assert dates["2026-C11"] == date(2026, 10, 30)
    assert all(dates[f"2026-C{n:02d}"] < dates[f"2026-M{n:02d}"] for n in range(1, 13))
    # 3 + 14 = 17 May 2026, a Sunday -> Monday 18 May; 17 Nov is a Tuesday.
    assert (dates["2026-Q2"], dates["2026-Q4"]) == (
        date(2026, 5, 18),
        date(2026, 11, 17),
    )
    hcm = Meeting.objects.filter(cell=tree.cell, is_ho_chi_minh_topic=True)
    assert [m.plan_slot for m in hcm] == ["2026-Q2"]
    assert dates["2026-R"] == date(2026, 12, 21)  # Sunday 20 -> Monday 21


def test_generate_year_plan_without_committee_plans_no_committee_meeting(tree):
    attached_in(tree.cell, "Tạm Thời")
    for n in range(3):
        official(tree.cell, f"Thêm {n}")  # 8 own official members

    services.generate_year_plan(cell=tree.cell, year=2026, by=None)

    assert not Meeting.objects.filter(cell=tree.cell, kind="committee").exists()


def test_generate_year_plan_twice_creates_nothing_new(tree):
    # Arrange
    first = services.generate_year_plan(cell=tree.cell, year=2026, by=None)
    Meeting.objects.filter(plan_slot="2026-M03").update(place="Nhà văn hóa")

    # Act
    second = services.generate_year_plan(cell=tree.cell, year=2026, by=None)

    # Assert
    assert (len(first), second) == (17, [])
    assert Meeting.objects.filter(cell=tree.cell).count() == 17
    assert Meeting.objects.get(plan_slot="2026-M03").place == "Nhà văn hóa"


def test_generate_year_plan_refuses_a_committee(tree):
    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.generate_year_plan(cell=tree.ward, year=2026, by=None)

    # Assert
    assert messages_of(excinfo) == ["Plans are made for cells."]
    assert not Meeting.objects.exists()


# --- reschedule and cancel ------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_reschedule_requires_a_reason(tree, users, reason):
    # Arrange
    meeting = make_meeting(tree.cell)

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.reschedule_meeting(
            meeting=meeting,
            starts_at=at(2026, 11, 5, 18),
            reason=reason,
            by=users.secretary,
        )

    # Assert
    assert excinfo.value.message_dict == {"reason": ["A reason is required."]}
    assert reload(meeting).starts_at == at(2026, 11, 3, 19, 30)
    assert not MeetingChange.objects.exists()


@pytest.mark.parametrize("state", [MeetingState.PLANNED, MeetingState.NOTIFIED])
def test_reschedule_moves_and_logs(tree, users, state):
    # Arrange
    meeting = make_meeting(tree.cell, place="Nhà văn hóa")
    Meeting.objects.filter(pk=meeting.pk).update(state=state)

    # Act
    services.reschedule_meeting(
        meeting=meeting,
        starts_at=at(2026, 11, 5, 18),
        reason="Trùng lịch họp phường",
        place="Trụ sở UBND",
        by=users.secretary,
    )

    # Assert
    moved = reload(meeting)
    assert (moved.starts_at, moved.place, moved.state) == (
        at(2026, 11, 5, 18),
        "Trụ sở UBND",
        state,
    )
    assert moved.planned_date == date(2026, 11, 3)  # the plan remembers its day
    change = MeetingChange.objects.get(meeting=meeting)
    assert (change.kind, change.before, change.after, change.reason, change.by) == (
        MeetingChange.Kind.RESCHEDULED,
        "03/11/2026 19:30",
        "05/11/2026 18:00",
        "Trùng lịch họp phường",
        users.secretary,
    )


@pytest.mark.parametrize(
    "state", [s for s in MeetingState if s not in {"planned", "notified"}]
)
def test_reschedule_refused_once_held_or_cancelled(tree, users, state):
    # Arrange
    meeting = make_meeting(tree.cell)
    Meeting.objects.filter(pk=meeting.pk).update(state=state)

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.reschedule_meeting(
            meeting=meeting, starts_at=at(2026, 12, 1), reason="x", by=users.secretary
        )

    # Assert
    assert messages_of(excinfo) == ["Only a planned or notified meeting can be moved."]
    assert reload(meeting).starts_at == at(2026, 11, 3, 19, 30)
    assert not MeetingChange.objects.exists()


def test_cancel_requires_a_reason(tree, users):
    # Arrange
    meeting = make_meeting(tree.cell)

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.cancel_meeting(meeting=meeting, reason=" ", by=users.secretary)

    # Assert
    assert excinfo.value.message_dict == {"reason": ["A reason is required."]}
    assert reload(meeting).state == MeetingState.PLANNED
    assert not MeetingChange.objects.exists()


def test_cancel_records_reason_and_logs(tree, users):
    # Arrange
    meeting = make_meeting(tree.cell)

    # Act
    services.cancel_meeting(meeting=meeting, reason="Bão số 3", by=users.secretary)

    # Assert
    cancelled = reload(meeting)
    assert (cancelled.state, cancelled.cancel_reason) == ("cancelled", "Bão số 3")
    change = MeetingChange.objects.get(meeting=meeting)
    assert (change.kind, change.before, change.after, change.reason, change.by) == (
        MeetingChange.Kind.CANCELLED,
        "planned",
        "cancelled",
        "Bão số 3",
        users.secretary,
    )


# --- every illegal transition is refused with the state names -------------------------

LABELS = {
    "planned": "Planned",
    "notified": "Notified",
    "held": "Held",
    "locked": "Minutes locked",
    "submitted": "Submitted",
    "acknowledged": "Acknowledged",
    "returned": "Returned for an addendum",
    "cancelled": "Cancelled",
}


def _lock(meeting, minutes, by):
    services.lock_minutes(minutes=minutes, by=by)


TRANSITION_ACTIONS = {
    # action: (target, legal sources, call(meeting, minutes, user))
    "notify": (
        "notified",
        {"planned"},
        lambda m, _mi, by: services.mark_notified(meeting=m, by=by),
    ),
    "start": (
        "held",
        {"planned", "notified"},
        lambda m, _mi, by: services.start_meeting(meeting=m, by=by),
    ),
    "cancel": (
        "cancelled",
        {"planned", "notified"},
        lambda m, _mi, by: services.cancel_meeting(meeting=m, reason="Bão", by=by),
    ),
    "lock": ("locked", {"held"}, _lock),
    "submit": (
        "submitted",
        {"locked", "returned"},
        lambda m, _mi, by: services.submit_minutes(meeting=m, by=by),
    ),
    "acknowledge": (
        "acknowledged",
        {"submitted"},
        lambda m, _mi, by: services.review_minutes(
            meeting=m, accept=True, comment="", by=by
        ),
    ),
    "return": (
        "returned",
        {"submitted"},
        lambda m, _mi, by: services.review_minutes(
            meeting=m, accept=False, comment="Thiếu danh sách", by=by
        ),
    ),
}


@pytest.mark.parametrize("action", TRANSITION_ACTIONS)
def test_illegal_transitions_are_refused_with_state_names(tree, users, action):
    # Arrange: signed, unlocked minutes so that only the state can stop `lock`
    target, legal, call = TRANSITION_ACTIONS[action]
    meeting = make_meeting(tree.cell)
    minutes = fill_minutes(start(meeting), chair=tree.secretary, taker=tree.member)
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    changes = MeetingChange.objects.count()
    illegal = [state for state in LABELS if state not in legal]

    for state in illegal:
        Meeting.objects.filter(pk=meeting.pk).update(state=state)

        # Act
        with translation.override("en"), pytest.raises(ValidationError) as excinfo:
            call(reload(meeting), minutes, users.secretary)

        # Assert
        assert messages_of(excinfo) == [
            f"A meeting that is “{LABELS[state]}” cannot become “{LABELS[target]}”."
        ], state
        assert reload(meeting).state == state
        assert MeetingChange.objects.count() == changes
    assert not Minutes.objects.filter(meeting=meeting, locked_at__isnull=False).exists()


# --- excuses and the prefilled roll call ----------------------------------------------


def test_accepted_excuse_prefills_absent_excused_with_reason(tree, users):
    # Arrange
    meeting = make_meeting(tree.cell)
    excuse = services.request_excuse(
        meeting=meeting, member=tree.member, reason="  Đi công tác Hà Nội "
    )
    refused = services.request_excuse(
        meeting=meeting, member=tree.others[0], reason="Bận việc nhà"
    )

    # Act
    services.decide_excuse(excuse=excuse, accept=True, by=users.secretary)
    services.decide_excuse(excuse=refused, accept=False, by=users.secretary)
    start(meeting, users.secretary)

    # Assert
    excuse.refresh_from_db()
    assert (excuse.status, excuse.decided_by) == ("accepted", users.secretary)
    rows = {
        row.member_id: (row.status, row.reason)
        for row in Attendance.objects.filter(meeting=meeting)
    }
    assert rows[tree.member.pk] == ("absent_excused", "Đi công tác Hà Nội")
    assert rows[tree.others[0].pk] == ("present", "")
    assert rows[tree.secretary.pk] == ("present", "")
    assert len(rows) == 5


def test_start_meeting_prefills_standing_of_each_member(tree):
    # Arrange
    cell = tree.cell
    members = {
        "exempt": exempt(cell, "Miễn Sinh Hoạt"),
        "away": away(cell, "Đi Vắng"),
        "attached": attached_in(cell, "Tạm Thời"),
        "probationary": probationary(cell, "Dự Bị"),
        "suspended": suspended(cell, "Đình Chỉ"),
    }
    official(cell, "Đã Nghỉ", is_active=False)
    meeting = make_meeting(cell)

    # Act
    minutes = start(meeting)

    # Assert
    rows = {row.member_id: row for row in Attendance.objects.filter(meeting=meeting)}
    assert len(rows) == 10  # 5 of the tree + 5 above; the inactive one is left out
    flags = {
        name: (
            rows[m.pk].status,
            rows[m.pk].was_official,
            rows[m.pk].was_attached_in,
            rows[m.pk].was_suspended,
        )
        for name, m in members.items()
    }
    assert flags == {
        "exempt": ("exempt", True, False, False),
        "away": ("away", True, False, False),
        "attached": ("present", True, True, False),
        "probationary": ("present", False, False, False),
        "suspended": ("suspended", True, False, True),
    }
    stats = selectors.attendance_stats(selectors.attendance_rows(meeting))
    # 10 rows - attached in (counted apart) - exempt - away - suspended = 6 required.
    assert (stats["present"], stats["required"]) == (6, 6)
    assert [r.member.full_name for r in stats["suspended"]] == ["Đình Chỉ"]
    assert meeting.state == MeetingState.HELD
    assert [item["title"] for item in minutes.items] == [
        item["title"] for item in meeting.agenda
    ]
    assert minutes.items[0] == {
        "title": "Khai mạc: mục đích, giới thiệu đại biểu",
        "speakers": [],
        "conclusion": "",
    }


def test_standing_is_taken_on_the_meeting_day_not_the_day_it_is_started(tree, clock):
    """A meeting of 3/11 started on 20/11 (minutes typed late): a suspension from
    10/11 and a recognition as official on 15/11 do not change who was required."""
    from members.models import MemberStatus, Suspension

    cell = tree.cell
    late_suspended = official(cell, "Đình Chỉ Sau")
    Suspension.objects.create(
        member=late_suspended, reason="Sau ngày họp", start=date(2026, 11, 10)
    )
    early_suspended = official(cell, "Đình Chỉ Trước")
    Suspension.objects.create(
        member=early_suspended, reason="Trước ngày họp", start=date(2026, 10, 1)
    )
    recognised = official(cell, "Mới Chính Thức")
    recognised.status = MemberStatus.OFFICIAL
    recognised.official_date = date(2026, 11, 15)
    recognised.save()
    meeting = make_meeting(cell, starts_at=at(2026, 11, 3, 19, 30))
    clock(at(2026, 11, 20, 9))

    start(meeting)

    rows = {r.member_id: r for r in Attendance.objects.filter(meeting=meeting)}
    assert (rows[late_suspended.pk].status, rows[late_suspended.pk].was_suspended) == (
        "present",
        False,
    )
    assert (
        rows[early_suspended.pk].status,
        rows[early_suspended.pk].was_suspended,
    ) == ("suspended", True)
    assert rows[recognised.pk].was_official is False


def test_suspended_status_belongs_to_suspended_members_only(tree):
    cell = tree.cell
    barred = suspended(cell, "Đình Chỉ")
    meeting = make_meeting(cell)
    start(meeting)

    with pytest.raises(ValidationError):
        services.record_attendance(
            meeting=meeting,
            rows=attendance_rows(meeting, {barred: {"status": "present"}}),
            by=None,
        )
    with pytest.raises(ValidationError):
        services.record_attendance(
            meeting=meeting,
            rows=attendance_rows(meeting, {tree.member: {"status": "suspended"}}),
            by=None,
        )
    assert Attendance.objects.get(meeting=meeting, member=barred).status == "suspended"


def test_request_excuse_again_reopens_the_request(tree, users):
    # Arrange
    meeting = make_meeting(tree.cell)
    first = services.request_excuse(meeting=meeting, member=tree.member, reason="A")
    services.decide_excuse(excuse=first, accept=False, by=users.secretary)

    # Act
    again = services.request_excuse(meeting=meeting, member=tree.member, reason="B")

    # Assert
    assert again.pk == first.pk
    assert ExcuseRequest.objects.filter(meeting=meeting).count() == 1
    assert (again.reason, again.status, again.decided_by) == ("B", "pending", None)


def test_request_excuse_refusals(tree):
    # Arrange
    meeting = make_meeting(tree.cell)

    # Act / Assert: no reason
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.request_excuse(meeting=meeting, member=tree.member, reason=" ")
    assert excinfo.value.message_dict == {"reason": ["A reason is required."]}
    # a member of another cell
    with pytest.raises(PermissionDenied):
        services.request_excuse(meeting=meeting, member=tree.outsider, reason="x")
    # once the meeting is held
    start(meeting)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.request_excuse(meeting=meeting, member=tree.member, reason="x")
    assert messages_of(excinfo) == ["Excuses are asked for before the meeting."]
    assert not ExcuseRequest.objects.exists()


# --- attendance figures (§3.3) --------------------------------------------------------


@pytest.fixture
def eleven(tree):
    """A cell of 11 members: 1 exempted, 9 present (5 of whom spoke), 1 absent."""
    cell = OrganizationFactory(name="Chi bộ Mười Một", parent=tree.ward)
    people = [official(cell, f"Đảng viên {n:02d}") for n in range(1, 11)]
    people.append(exempt(cell, "Đảng viên Miễn"))
    meeting = make_meeting(cell)
    start(meeting)
    overrides = {people[0]: {"status": "absent_unexcused"}}
    overrides |= {p: {"status": "present", "spoke": True} for p in people[1:6]}
    services.record_attendance(
        meeting=meeting, rows=attendance_rows(meeting, overrides), by=None
    )
    return meeting, people


def test_attendance_stats_of_a_crafted_meeting(eleven):
    # Arrange
    meeting, people = eleven

    # Act
    stats = selectors.attendance_stats(selectors.attendance_rows(meeting))

    # Assert
    assert stats["rate"] == Fraction(9, 10)
    assert stats["speaking_share"] == Fraction(5, 9)
    assert {
        key: stats[key]
        for key in ("total", "official", "probationary", "required", "present")
    } == {"total": 11, "official": 11, "probationary": 0, "required": 10, "present": 9}
    assert (stats["spoke"], stats["attendees"], stats["attached_in"]) == (5, 9, 0)
    assert [row.member for row in stats["absent_unexcused"]] == [people[0]]
    assert [row.member for row in stats["exempt"]] == [people[10]]


def test_record_attendance_clears_late_and_spoke_of_absent_members(eleven):
    # Arrange
    meeting, people = eleven

    # Act
    services.record_attendance(
        meeting=meeting,
        rows=attendance_rows(
            meeting,
            {
                people[1]: {
                    "status": "absent_excused",
                    "reason": "Ốm",
                    "late": True,
                    "spoke": True,
                },
                people[2]: {"status": "present", "late": True, "spoke": True},
            },
        ),
        by=None,
    )

    # Assert
    rows = {r.member_id: r for r in Attendance.objects.filter(meeting=meeting)}
    assert (rows[people[1].pk].status, rows[people[1].pk].reason) == (
        "absent_excused",
        "Ốm",
    )
    assert (rows[people[1].pk].late, rows[people[1].pk].spoke) == (False, False)
    assert (rows[people[2].pk].late, rows[people[2].pk].spoke) == (True, True)


def test_record_attendance_requires_reason_for_excused_absence(eleven):
    # Arrange
    meeting, people = eleven

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.record_attendance(
            meeting=meeting,
            rows=attendance_rows(meeting, {people[3]: {"status": "absent_excused"}}),
            by=None,
        )

    # Assert
    assert messages_of(excinfo) == [
        "Give the reason of Đảng viên 04's excused absence."
    ]
    assert Attendance.objects.get(meeting=meeting, member=people[3]).status == (
        "present"
    )


def test_record_attendance_before_start_is_refused(tree):
    # Arrange
    meeting = make_meeting(tree.cell)

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.record_attendance(meeting=meeting, rows={}, by=None)

    # Assert
    assert messages_of(excinfo) == ["Start the meeting before taking attendance."]


# --- votes (§3.4) ---------------------------------------------------------------------


@pytest.fixture
def voting(tree, users):
    """A held meeting whose vote denominator takes every rule into account.

    Official members of the cell: O1-O7 present, R absent with an accepted excuse,
    U absent without reason, E exempted, W transferred out, S suspended (not expected):
    12, so N = 12 - R - E - W - S = 8. Probationary P1, P2 and X (attached here
    from elsewhere) are present but never in N; 7 official members may vote.
    """
    cell = OrganizationFactory(name="Chi bộ Biểu Quyết", parent=tree.ward)
    people = {f"O{n}": official(cell, f"Chính Thức {n}") for n in range(1, 8)}
    people |= {
        "R": official(cell, "Vắng Có Lý Do"),
        "U": official(cell, "Vắng Không Lý Do"),
        "E": exempt(cell, "Miễn Sinh Hoạt"),
        "W": away(cell, "Chuyển Đi"),
        "S": suspended(cell, "Đình Chỉ"),
        "P1": probationary(cell, "Dự Bị Một"),
        "P2": probationary(cell, "Dự Bị Hai"),
        "X": attached_in(cell, "Tạm Thời Đến"),
    }
    meeting = make_meeting(cell)
    excuse = services.request_excuse(
        meeting=meeting, member=people["R"], reason="Nằm viện"
    )
    services.decide_excuse(excuse=excuse, accept=True, by=users.admin)
    minutes = start(meeting)
    services.record_attendance(
        meeting=meeting,
        rows=attendance_rows(
            meeting,
            {people["U"]: {"status": "absent_unexcused"}},
        ),
        by=None,
    )
    return meeting, minutes, people


N_DETAIL = {
    "official_members": 12,
    "transferred_out": 1,
    "exempt_absent": 1,
    "suspended": 1,
    "absent_excused_official": 1,
    "denominator": 8,
}


def vote(minutes, yes, no=0, abstain=0, kind=VoteKind.RESOLUTION, reserved=()):
    return services.record_vote(
        minutes=minutes,
        subject="Biểu quyết",
        kind=kind,
        yes=yes,
        no=no,
        abstain=abstain,
        reserved=reserved,
    )


def test_vote_denominator_follows_charter(voting):
    # Arrange
    meeting, _minutes, _people = voting

    # Act
    stats = selectors.attendance_stats(selectors.attendance_rows(meeting))

    # Assert
    assert stats["vote"] == N_DETAIL
    assert stats["official_present"] == 7


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "passed"),
    [(4, 3, 0, False), (5, 2, 0, True), (4, 0, 3, False), (7, 0, 0, True)],
)
def test_resolution_passes_above_half_of_n(voting, yes, no, abstain, passed):
    # Arrange
    _meeting, minutes, _people = voting

    # Act
    result = vote(minutes, yes, no, abstain)

    # Assert
    saved = Vote.objects.get(pk=result.pk)
    assert (saved.yes, saved.no, saved.abstain) == (yes, no, abstain)
    assert (saved.denominator, saved.passed) == (8, passed)
    assert saved.denominator_detail == N_DETAIL


@pytest.mark.parametrize(("yes", "passed"), [(6, True), (5, False)])
def test_admission_passes_at_two_thirds_of_n(voting, yes, passed):
    # Arrange: R comes after all, so N = 9 and 8 may vote
    meeting, minutes, people = voting
    services.record_attendance(
        meeting=meeting,
        rows=attendance_rows(meeting, {people["R"]: {"status": "present"}}),
        by=None,
    )

    # Act
    result = vote(minutes, yes, no=8 - yes, kind=VoteKind.ADMISSION)

    # Assert
    assert (result.denominator, result.passed) == (9, passed)
    assert result.denominator_detail["absent_excused_official"] == 0


def test_more_votes_than_official_members_present_is_refused(voting):
    # Arrange: 10 are present, but only 7 are official members of the cell
    _meeting, minutes, _people = voting

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        vote(minutes, 5, 2, 1)

    # Assert
    assert messages_of(excinfo) == [
        "8 votes counted but only 7 official members are present."
    ]
    assert not Vote.objects.exists()


def test_reserved_opinion_is_recorded_by_name(voting):
    # Arrange
    _meeting, minutes, people = voting

    # Act
    result = vote(minutes, 6, 1, reserved=[(people["O3"], "Đề nghị lùi thời hạn")])

    # Assert
    assert list(
        ReservedOpinion.objects.filter(vote=result).values_list("member", "opinion")
    ) == [(people["O3"].pk, "Đề nghị lùi thời hạn")]


def test_reserved_opinion_by_an_absent_member_is_refused(voting):
    # Arrange
    _meeting, minutes, people = voting

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        vote(minutes, 6, 1, reserved=[(people["U"], "Không đồng ý")])

    # Assert
    assert messages_of(excinfo) == ["Vắng Không Lý Do was not present."]
    assert not Vote.objects.exists()
    assert not ReservedOpinion.objects.exists()


def test_delete_vote_before_lock(voting):
    # Arrange
    _meeting, minutes, _people = voting
    result = vote(minutes, 6, 1)

    # Act
    services.delete_vote(vote=result)

    # Assert
    assert not Vote.objects.filter(minutes=minutes).exists()


# --- minutes: versions, adoption, signatures, lock ------------------------------------


def test_save_minutes_writes_a_revision_per_save(tree, users):
    # Arrange
    minutes = start(make_meeting(tree.cell))

    # Act
    minutes = services.save_minutes(
        minutes=minutes, version=1, by=users.secretary, conclusion="Bản 2"
    )
    minutes = services.save_minutes(
        minutes=minutes,
        version=2,
        by=users.admin,
        conclusion="Bản 3",
        chair=tree.secretary,
    )

    # Assert
    assert (minutes.version, minutes.conclusion, minutes.chair) == (
        3,
        "Bản 3",
        tree.secretary,
    )
    revisions = list(MinutesRevision.objects.filter(minutes=minutes))
    assert [(r.version, r.by, r.data["conclusion"]) for r in revisions] == [
        (3, users.admin, "Bản 3"),
        (2, users.secretary, "Bản 2"),
    ]
    assert revisions[0].data["chair"] == tree.secretary.pk


def test_save_minutes_with_stale_version_conflicts_and_writes_nothing(tree, users):
    # Arrange: two editors opened version 1; the first one saved
    minutes = start(make_meeting(tree.cell))
    stale = Minutes.objects.get(pk=minutes.pk)
    services.save_minutes(
        minutes=minutes, version=1, by=users.secretary, conclusion="Của người A"
    )
    before = Minutes.objects.filter(pk=minutes.pk).values().get()

    # Act
    with pytest.raises(services.EditConflictError) as excinfo:
        services.save_minutes(
            minutes=stale, version=1, by=users.admin, conclusion="Của người B"
        )

    # Assert
    assert excinfo.value.current_version == 2
    assert Minutes.objects.filter(pk=minutes.pk).values().get() == before
    assert MinutesRevision.objects.filter(minutes=minutes).count() == 1


def test_save_minutes_refuses_end_before_start(tree):
    # Arrange
    minutes = start(make_meeting(tree.cell))

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.save_minutes(
            minutes=minutes,
            version=1,
            by=None,
            started_at=at(2026, 11, 3, 10),
            ended_at=at(2026, 11, 3, 8),
        )

    # Assert
    assert excinfo.value.message_dict == {
        "ended_at": ["The end must be after the start."]
    }
    assert Minutes.objects.get(pk=minutes.pk).version == 1


def test_adopt_requires_chair_taker_start_and_end(tree):
    # Arrange
    minutes = start(make_meeting(tree.cell))
    Minutes.objects.filter(pk=minutes.pk).update(started_at=None)
    minutes.refresh_from_db()
    conclusion = "the conclusion (section III)"
    expected = {
        (): f"the chair, the minute-taker, start and end times, {conclusion}",
        ("chair",): f"the minute-taker, start and end times, {conclusion}",
        ("chair", "minute_taker"): f"start and end times, {conclusion}",
        ("chair", "minute_taker", "started_at"): f"start and end times, {conclusion}",
    }

    for filled, missing in expected.items():
        values = {
            "chair": tree.secretary,
            "minute_taker": tree.member,
            "started_at": at(2026, 11, 3, 19, 30),
        }
        minutes = services.save_minutes(
            minutes=minutes,
            version=minutes.version,
            by=None,
            **{key: values[key] if key in filled else None for key in values},
        )

        # Act
        with translation.override("en"), pytest.raises(ValidationError) as excinfo:
            services.adopt_minutes(minutes=minutes, by=None)

        # Assert
        assert messages_of(excinfo) == [f"Before adopting, fill in: {missing}."]
        assert Minutes.objects.get(pk=minutes.pk).adopted_at is None


def test_adopt_freezes_the_attendance_summary(tree):
    # Arrange
    minutes = fill_minutes(
        start(make_meeting(tree.cell)), chair=tree.secretary, taker=tree.member
    )

    # Act
    services.adopt_minutes(minutes=minutes, by=None)

    # Assert
    adopted = Minutes.objects.get(pk=minutes.pk)
    assert adopted.adopted_at is not None
    assert adopted.attendance_summary == {
        "total": 5,
        "official": 5,
        "probationary": 0,
        "attached_in": 0,
        "required": 5,
        "present": 5,
        "spoke": 0,
        "attendees": 5,
        "rate": "1",
    }
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.save_minutes(minutes=adopted, version=adopted.version, by=None)
    assert messages_of(excinfo) == ["The minutes were adopted: no more edits."]


def test_sign_only_by_chair_and_minute_taker_themselves(tree, users):
    # Arrange
    minutes = fill_minutes(
        start(make_meeting(tree.cell)), chair=tree.secretary, taker=tree.member
    )

    # Act / Assert: before adoption
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.sign_minutes(minutes=minutes, user=users.secretary)
    assert messages_of(excinfo) == ["The minutes must be adopted before signing."]
    services.adopt_minutes(minutes=minutes, by=None)
    # someone else, even an admin or a superior official
    for user in (users.admin, users.committee, users.supervisor):
        with pytest.raises(PermissionDenied):
            services.sign_minutes(minutes=minutes, user=user)
    assert Minutes.objects.filter(
        pk=minutes.pk, chair_signed_at=None, taker_signed_at=None
    ).exists()
    # the chair signs only as chair, the minute-taker only as minute-taker
    services.sign_minutes(minutes=minutes, user=users.secretary)
    signed = Minutes.objects.get(pk=minutes.pk)
    assert signed.chair_signed_at is not None
    assert signed.taker_signed_at is None
    services.sign_minutes(minutes=minutes, user=users.member)
    assert Minutes.objects.get(pk=minutes.pk).taker_signed_at is not None


def test_one_person_as_chair_and_minute_taker_signs_both(tree, users):
    # Arrange
    minutes = fill_minutes(
        start(make_meeting(tree.cell)), chair=tree.secretary, taker=tree.secretary
    )
    services.adopt_minutes(minutes=minutes, by=None)

    # Act
    services.sign_minutes(minutes=minutes, user=users.secretary)

    # Assert
    signed = Minutes.objects.get(pk=minutes.pk)
    assert signed.chair_signed_at is not None
    assert signed.taker_signed_at is not None


def test_lock_requires_both_signatures(tree, users):
    # Arrange
    meeting = make_meeting(tree.cell)
    minutes = fill_minutes(start(meeting), chair=tree.secretary, taker=tree.member)
    services.adopt_minutes(minutes=minutes, by=None)
    services.sign_minutes(minutes=minutes, user=users.secretary)

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.lock_minutes(minutes=minutes, by=users.secretary)

    # Assert
    assert messages_of(excinfo) == [
        "Both the minute-taker and the chair must sign before locking."
    ]
    assert Minutes.objects.get(pk=minutes.pk).locked_at is None
    assert reload(meeting).state == MeetingState.HELD


def test_lock_locks_minutes_and_meeting(tree, users):
    # Arrange
    meeting = make_meeting(tree.cell)
    minutes = fill_minutes(start(meeting), chair=tree.secretary, taker=tree.member)
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)

    # Act
    services.lock_minutes(minutes=minutes, by=users.secretary)

    # Assert
    assert Minutes.objects.get(pk=minutes.pk).locked_at is not None
    assert reload(meeting).state == MeetingState.LOCKED
    change = MeetingChange.objects.filter(meeting=meeting).last()
    assert (change.before, change.after, change.by) == (
        "held",
        "locked",
        users.secretary,
    )


@pytest.fixture
def signed(tree):
    """Minutes read back, adopted and signed by both, not yet locked."""
    meeting = make_meeting(tree.cell)
    minutes = fill_minutes(start(meeting), chair=tree.secretary, taker=tree.member)
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    return meeting, Minutes.objects.get(pk=minutes.pk)


def test_votes_are_frozen_once_the_minutes_are_adopted(signed):
    # Arrange
    _meeting, minutes = signed

    # Act
    with pytest.raises(ValidationError):
        vote(minutes, 5)

    # Assert
    assert not Vote.objects.filter(minutes=minutes).exists()


def test_attendance_is_frozen_once_the_minutes_are_adopted(signed, tree):
    # Arrange
    meeting, minutes = signed
    rows = attendance_rows(meeting, {tree.member: {"status": "absent_unexcused"}})

    # Act
    with pytest.raises(ValidationError):
        services.record_attendance(meeting=meeting, rows=rows, by=None)

    # Assert
    assert minutes.attendance_summary["present"] == 5
    assert Attendance.objects.get(meeting=meeting, member=tree.member).status == (
        "present"
    )


def test_adoption_is_final(signed):
    # Arrange
    _meeting, minutes = signed
    adopted_at = minutes.adopted_at

    # Act
    with pytest.raises(ValidationError):
        services.adopt_minutes(minutes=minutes, by=None)

    # Assert
    assert Minutes.objects.get(pk=minutes.pk).adopted_at == adopted_at


# --- submission and review ------------------------------------------------------------


@pytest.fixture
def locked(tree, users):
    return locked_meeting(
        tree.cell, chair=tree.secretary, taker=tree.member, by=users.secretary
    )


def test_submit_then_acknowledge(locked, users):
    # Arrange
    meeting, _minutes = locked

    # Act
    services.submit_minutes(meeting=meeting, by=users.secretary)
    services.review_minutes(
        meeting=meeting, accept=True, comment="", by=users.committee
    )

    # Assert
    reviewed = reload(meeting)
    assert reviewed.state == MeetingState.ACKNOWLEDGED
    assert reviewed.submitted_at is not None
    assert reviewed.reviewed_at >= reviewed.submitted_at
    assert reviewed.reviewed_by == users.committee
    assert list(
        MeetingChange.objects.filter(meeting=meeting).values_list("before", "after")
    )[-2:] == [("locked", "submitted"), ("submitted", "acknowledged")]


def test_return_needs_a_comment(locked, users):
    # Arrange
    meeting, _minutes = locked
    services.submit_minutes(meeting=meeting, by=users.secretary)

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.review_minutes(
            meeting=meeting, accept=False, comment="  ", by=users.committee
        )

    # Assert
    assert excinfo.value.message_dict == {
        "comment": ["Say why the minutes are returned."]
    }
    assert reload(meeting).state == MeetingState.SUBMITTED


def test_resubmit_after_return_needs_a_newer_addendum(locked, users):
    # Arrange: an addendum written before the review does not answer it
    meeting, minutes = locked
    services.add_addendum(minutes=minutes, text="Bổ sung cũ", by=users.secretary)
    services.submit_minutes(meeting=meeting, by=users.secretary)
    services.review_minutes(
        meeting=meeting,
        accept=False,
        comment="Thiếu tên người vắng",
        by=users.committee,
    )
    returned = reload(meeting)
    assert (returned.state, returned.review_comment) == (
        "returned",
        "Thiếu tên người vắng",
    )

    # Act / Assert
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.submit_minutes(meeting=meeting, by=users.secretary)
    assert messages_of(excinfo) == ["Add an addendum answering the comment first."]
    assert reload(meeting).state == MeetingState.RETURNED

    services.add_addendum(
        minutes=minutes, text="Bổ sung: vắng có lý do: ...", by=users.secretary
    )
    services.submit_minutes(meeting=meeting, by=users.secretary)
    assert reload(meeting).state == MeetingState.SUBMITTED


def test_addenda_need_locked_minutes_and_text(tree, locked, users):
    # Arrange
    _meeting, minutes = locked
    draft = start(make_meeting(tree.cell, starts_at=at(2026, 12, 3)))

    # Act / Assert
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.add_addendum(minutes=draft, text="x", by=None)
    assert messages_of(excinfo) == ["Edit the minutes directly until they are locked."]
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.add_addendum(minutes=minutes, text="   ", by=None)
    assert excinfo.value.message_dict == {"text": ["Write the addendum."]}
    assert not Addendum.objects.exists()


def test_addendum_signed_by_its_own_signers(locked, users):
    # Arrange
    _meeting, minutes = locked
    addendum = services.add_addendum(minutes=minutes, text="Sửa", by=users.secretary)

    # Act / Assert
    with pytest.raises(PermissionDenied):
        services.sign_addendum(addendum=addendum, user=users.committee)
    services.sign_addendum(addendum=addendum, user=users.member)
    services.sign_addendum(addendum=addendum, user=users.secretary)
    addendum.refresh_from_db()
    assert addendum.taker_signed_at is not None
    assert addendum.chair_signed_at is not None


# --- resolutions ----------------------------------------------------------------------


def issue(meeting, title="Nghị quyết tháng"):
    return services.issue_resolution(
        meeting=meeting, title=f"  {title} ", text=" Nội dung ", by=None
    )


def test_resolutions_are_numbered_per_cell_and_term(tree, clock):
    # Arrange
    clock(at(2027, 2, 1, 9))  # every meeting below is in the past
    people = {"chair": tree.secretary, "taker": tree.member}
    november, _ = locked_meeting(tree.cell, starts_at=at(2026, 11, 3), **people)
    december, _ = locked_meeting(tree.cell, starts_at=at(2026, 12, 3), **people)
    set_rule(tree.cell, RuleKey.TERM_START_YEAR, 2027, valid_from=date(2027, 1, 1))
    january, _ = locked_meeting(tree.cell, starts_at=at(2027, 1, 4), **people)
    other, _ = locked_meeting(
        tree.cell2,
        starts_at=at(2026, 11, 3),
        chair=tree.official,
        taker=tree.supervisor,
    )

    # Act
    first, second, third, elsewhere = (
        issue(november),
        issue(december),
        issue(january),
        issue(other),
    )

    # Assert
    assert [(r.number, r.term, r.seq) for r in (first, second, third, elsewhere)] == [
        ("Số 01-NQ/CB", "2025-2030", 1),
        ("Số 02-NQ/CB", "2025-2030", 2),
        ("Số 01-NQ/CB", "2027-2032", 1),
        ("Số 01-NQ/CB", "2025-2030", 1),
    ]
    saved = Resolution.objects.get(pk=first.pk)
    assert (saved.title, saved.text, saved.issued_on, saved.cell) == (
        "Nghị quyết tháng",
        "Nội dung",
        date(2026, 11, 3),
        tree.cell,
    )


def test_issue_resolution_refused_before_lock_and_twice(tree, locked, clock):
    # Arrange
    clock(at(2026, 12, 21, 9))
    meeting, _minutes = locked
    unstarted = make_meeting(tree.cell, starts_at=at(2026, 12, 3))
    held = make_meeting(tree.cell, starts_at=at(2026, 12, 20))
    start(held)

    # Act / Assert
    for early in (unstarted, held):
        with translation.override("en"), pytest.raises(ValidationError) as excinfo:
            issue(early)
        assert messages_of(excinfo) == [
            "Lock the minutes before issuing the resolution."
        ]
    issue(meeting)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        issue(meeting)
    assert messages_of(excinfo) == ["This meeting already has its resolution."]
    assert Resolution.objects.count() == 1


# --- documents ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("du-thao.pdf", pdf_bytes(), "application/pdf"),
        ("so-do.png", png_bytes(), "image/png"),
        (
            "bao-cao.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        # judged by content, not by name
        ("khong-duoi", pdf_bytes(), "application/pdf"),
    ],
)
def test_add_document_accepts_by_content(
    tree, users, media, name, content, content_type
):
    # Arrange
    meeting = make_meeting(tree.cell)

    # Act
    document = services.add_document(
        meeting=meeting,
        upload=upload(name, content, "text/plain"),
        title=" ",
        by=users.secretary,
    )

    # Assert
    saved = MeetingDocument.objects.get(pk=document.pk)
    assert (saved.title, saved.content_type, saved.size) == (
        name,
        content_type,
        len(content),
    )
    assert saved.file.name == f"meetings/{tree.cell.pk}/{meeting.pk}/{name}"
    with saved.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 8),
        ("ghi-chu.docx", "Biên bản dạng văn bản thường".encode()),
        ("nen.docx", b"PK\x03\x04 not really a zip"),
        ("anh.png", b""),
    ],
)
def test_add_document_refuses_other_content(tree, media, name, content):
    # Arrange
    meeting = make_meeting(tree.cell)

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.add_document(
            meeting=meeting, upload=upload(name, content), title="x", by=None
        )

    # Assert
    assert excinfo.value.message_dict == {
        "file": ["Only PDF, Word, Excel, PowerPoint, PNG and JPEG files."]
    }
    assert not MeetingDocument.objects.exists()
    assert list(media.iterdir()) == []


def test_add_document_size_limit_is_20_mb(tree, media):
    # Arrange
    meeting = make_meeting(tree.cell)
    limit = services.MAX_DOCUMENT_BYTES
    assert limit == 20 * 1024 * 1024
    exact = pdf_bytes() + b"0" * (limit - len(pdf_bytes()))

    # Act
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.add_document(
            meeting=meeting, upload=upload("lon.pdf", exact + b"0"), title="", by=None
        )
    accepted = services.add_document(
        meeting=meeting, upload=upload("vua.pdf", exact), title="", by=None
    )

    # Assert
    assert excinfo.value.message_dict == {"file": ["The file is larger than 20 MB."]}
    assert list(MeetingDocument.objects.values_list("title", "size")) == [
        ("vua.pdf", limit)
    ]
    assert accepted.content_type == "application/pdf"


def test_mark_documents_sent_needs_documents(tree, users, media):
    # Arrange
    meeting = make_meeting(tree.cell)

    # Act / Assert
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.mark_documents_sent(meeting=meeting, by=users.secretary)
    assert messages_of(excinfo) == ["Attach the documents before sending them."]
    assert reload(meeting).documents_sent_at is None
    services.add_document(
        meeting=meeting, upload=upload("a.pdf", pdf_bytes()), title="", by=None
    )
    services.mark_documents_sent(meeting=meeting, by=users.secretary)
    assert reload(meeting).documents_sent_at is not None
    assert MeetingChange.objects.get(meeting=meeting).after == "documents_sent"


# --- meetings outside the plan --------------------------------------------------------


def test_create_meeting_takes_the_agenda_of_its_kind(tree, users):
    # Act
    meeting = services.create_meeting(
        cell=tree.cell,
        kind=MeetingKind.EXTRAORDINARY,
        starts_at=at(2026, 6, 15, 14),
        by=users.secretary,
        topic="Xét kết nạp đảng viên",
    )

    # Assert
    saved = reload(meeting)
    assert (saved.planned_date, saved.plan_slot, saved.state) == (
        date(2026, 6, 15),
        "",
        "planned",
    )
    assert [item["title"] for item in saved.agenda][-4:] == [
        "Nội dung cần giải quyết",
        "Thảo luận",
        "Biểu quyết",
        "Thư ký đọc lại biên bản, chi bộ thông qua",
    ]


def test_default_times_give_the_minimum_duration(tree):
    # Arrange
    regular = make_meeting(tree.cell)
    combined = make_meeting(tree.cell, is_combined=True)

    # Act / Assert
    assert services.default_times(regular) == (
        regular.starts_at,
        regular.starts_at + timedelta(minutes=90),
    )
    assert services.default_times(combined)[1] - combined.starts_at == timedelta(
        minutes=120
    )


def test_signers_need_not_be_officers(tree):
    # Arrange: an ordinary member chairs and another takes the minutes
    chair, taker = tree.others[0], tree.others[1]

    # Act
    meeting, minutes = locked_meeting(tree.cell, chair=chair, taker=taker)

    # Assert
    assert user_for(chair).member == chair
    assert Minutes.objects.get(pk=minutes.pk).locked_at is not None
    assert meeting.state == MeetingState.LOCKED


def test_anonymous_change_log_has_no_author(tree):
    # Arrange
    meeting = make_meeting(tree.cell)

    # Act
    services.mark_notified(meeting=meeting, by=AnonymousUser())

    # Assert
    notified = reload(meeting)
    assert notified.state == MeetingState.NOTIFIED
    assert notified.notified_at is not None
    assert MeetingChange.objects.get(meeting=meeting).by is None
