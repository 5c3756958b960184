"""Builders of the evaluation tests, through the real services: tasks assigned in
held meetings, meetings closed for review, the manual items of a score."""

from datetime import date

from evaluations import services
from meetings import services as meeting_services

from .meetings import held
from .times import at

# Every manual (non-◆) item of the default rubric at its maximum: 40 points.
FULL_MANUAL_POINTS = {
    "content": 3,
    "draft": 2,
    "steps": 5,
    "regular_content": 10,
    "praise": 2,
    "ideology": 1,
    "flexible": 2,
    "orientation": 4,
    "democratic": 3,
    "synthesis": 1,
    "centralism": 1,
    "self_criticism": 2,
    "fighting": 1,
    "concerns": 1,
    "conclusion_adopted": 2,
}


def close(meeting):
    """Adopt the minutes so the meeting leaves the 'held' editing phase."""
    meeting_services.adopt_minutes(minutes=meeting.minutes, by=None)
    meeting.refresh_from_db()


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
