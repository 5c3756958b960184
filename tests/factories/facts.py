"""Facts for the dashboard and rollup tests: meetings written straight to the
tables with exactly the facts a test states (dates, attendance, minutes), skipping
the services on purpose. Other tests build through tests/factories/meetings.py."""

from datetime import date, timedelta

from evaluations.models import Task
from meetings.models import Attendance, Meeting, MeetingKind, Minutes

from .members import MemberFactory, OrganizationFactory
from .times import on

# The day the dashboards are seen on (freeze(monkeypatch, TODAY)).
TODAY = date(2026, 11, 23)


def held_on(
    cell,
    day,
    *,
    kind=MeetingKind.REGULAR,
    statuses=None,
    spoke=(),
    minutes=120,
    locked_after_hours=24,
    submitted_after_hours=None,
    state="locked",
    tasks=(),
    **flags,
):
    """A held meeting of `cell` on `day` (planned that day). `statuses` maps member →
    status (default present for every active member of the cell); `spoke` the
    members who spoke; minutes locked `locked_after_hours` after the end (None: not
    locked)."""
    start = on(day, 19, 30)
    end = start + timedelta(minutes=minutes)
    submitted = (
        end + timedelta(hours=submitted_after_hours)
        if submitted_after_hours is not None
        else None
    )
    if locked_after_hours is None and state == "locked":
        state = "held"
    meeting = Meeting.objects.create(
        cell=cell,
        kind=kind,
        state="submitted" if submitted else state,
        planned_date=day,
        starts_at=start,
        submitted_at=submitted,
        **flags,
    )
    members = list(cell.members.filter(is_active=True))
    statuses = statuses or {}
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member=member,
            status=statuses.get(member, "present"),
            spoke=member in spoke and statuses.get(member, "present") == "present",
            was_official=member.status == "official",
        )
        for member in members
    )
    for deadline, outcome in tasks:  # assigned in the meeting, before its lock
        Task.objects.create(
            meeting=meeting,
            cell=cell,
            text="Việc",
            deadline=deadline,
            outcome=outcome,
        )
    Minutes.objects.create(
        meeting=meeting,
        started_at=start,
        ended_at=end,
        locked_at=(
            end + timedelta(hours=locked_after_hours)
            if locked_after_hours is not None
            else None
        ),
    )
    return meeting


def planned(cell, day, *, kind=MeetingKind.REGULAR, state="planned"):
    return Meeting.objects.create(
        cell=cell, kind=kind, state=state, planned_date=day, starts_at=on(day, 19, 30)
    )


def grow(parent, n_cells, *, members=4):
    """`n_cells` more cells under `parent`, each with `members` official members and a
    regular meeting held in September and October 2026."""
    cells = []
    for i in range(n_cells):
        cell = OrganizationFactory(name=f"Chi bộ thêm {i}", parent=parent)
        MemberFactory.create_batch(members, organization=cell)
        held_on(cell, date(2026, 9, 3))
        held_on(cell, date(2026, 10, 3), kind=MeetingKind.THEMATIC)
        cells.append(cell)
    return cells
