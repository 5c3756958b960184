"""Builders for evaluation tests: meetings held through the real meeting services."""

from datetime import date, timedelta

from django.urls import reverse

from evaluations import services
from meetings import services as meeting_services
from tests.meetings.helpers import at, fill_minutes, make_meeting, start


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


def held(cell, *, starts_at, chair, taker, kind="regular", minutes_long=120, **kw):
    """A regular meeting started (attendance prefilled) with its minutes filled."""
    meeting = make_meeting(cell, starts_at=starts_at, kind=kind, **kw)
    minutes = start(meeting)
    minutes = fill_minutes(minutes, chair=chair, taker=taker)
    if minutes_long != 120:
        minutes.ended_at = minutes.started_at + timedelta(minutes=minutes_long)
        minutes.save(update_fields=["ended_at"])
    return meeting, minutes


def october_and_november(tree):
    """October's meeting held with two tasks; November's meeting held (to review)."""
    october, _ = held(
        tree.cell, starts_at=at(2026, 10, 3, 8), chair=tree.secretary, taker=tree.member
    )
    first = services.assign_task(
        meeting=october,
        text="Vận động đóng góp quỹ khuyến học",
        deadline=date(2026, 10, 25),
        assignees=[tree.member],
    )
    second = services.assign_task(
        meeting=october,
        text="Rà soát danh sách hộ nghèo",
        deadline=date(2026, 10, 30),
        assignees=[tree.member, tree.others[0]],
    )
    close(october)
    november, _ = held(
        tree.cell, starts_at=at(2026, 11, 3, 8), chair=tree.secretary, taker=tree.member
    )
    return october, november, first, second


def close(meeting):
    """Adopt the minutes so the meeting leaves the 'held' editing phase."""
    meeting_services.adopt_minutes(minutes=meeting.minutes, by=None)
    meeting.refresh_from_db()
