"""evaluations.dashboard.presenters: figures as the pages show them, no database."""

from datetime import date
from fractions import Fraction
from types import SimpleNamespace

from django.utils import translation

from evaluations.dashboard.figures import Stats
from evaluations.dashboard.presenters import (
    TABLE_COLUMNS,
    chart_series,
    meetings_by_month,
    of,
    pct,
    raised_flags,
    table_values,
    trend_rows,
)
from meetings.models import MeetingKind, MeetingState


def test_pct_in_vietnamese_and_of():
    with translation.override("vi"):
        assert pct(Fraction(12, 13)) == "92,3 %"
    assert pct(None) == "—"
    assert of(5, 6) == "5 / 6"


def test_table_values_cover_every_column_but_the_flags():
    stats = Stats(cells=2, members=7, regular_due=6)
    stats.sums["regular_held"] = 5
    values = table_values(stats)
    assert set(values) == {key for key, _label in TABLE_COLUMNS} - {"flags"}
    assert (values["cells"], values["regular"], values["tasks"]) == ("2", "5 / 6", "—")


def test_raised_flags_only_the_raised_ones():
    stats = Stats()
    stats.flags["minutes_late"] = 3
    assert [(flag.key, n) for flag, n in raised_flags(stats)] == [("minutes_late", 3)]


def test_trend_series_and_rows():
    trends = {
        "labels": ["10/2026", "11/2026"],
        "held": [50.0, None],
        "attendance": [90.0, None],
        "speaking": [30.0, None],
        "supervised": [100.0, None],
    }
    assert chart_series(trends)["held"] == "50.0,"
    assert trend_rows(trends)[0] == ("10/2026", 50.0, 90.0, 30.0, 100.0)


def test_meetings_by_month_marks_ended_months_without_a_held_regular_meeting():
    def meeting(day, kind=MeetingKind.REGULAR, state=MeetingState.LOCKED):
        return SimpleNamespace(
            planned_date=day, plan_month=day.replace(day=1), kind=kind, state=state
        )

    held = meeting(date(2026, 9, 3))
    cancelled = meeting(date(2026, 10, 3), state=MeetingState.CANCELLED)
    thematic = meeting(date(2026, 8, 3), kind=MeetingKind.THEMATIC)
    months = [date(2026, m, 1) for m in (8, 9, 10, 11)]
    blocks = meetings_by_month(
        [thematic, held, cancelled], months, this_month=date(2026, 11, 1)
    )
    assert [(b["missed"], b["closed"]) for b in blocks] == [
        (True, True),
        (False, True),
        (True, True),
        (False, False),
    ]
    assert blocks[1]["meetings"] == [held]


def test_meetings_by_month_counts_a_shifted_meeting_in_its_plan_month():
    """May's meeting moved to 29/04 by the shift rule belongs to May (§8)."""
    may = SimpleNamespace(
        planned_date=date(2027, 4, 29),
        plan_month=date(2027, 5, 1),
        kind=MeetingKind.REGULAR,
        state=MeetingState.LOCKED,
    )
    months = [date(2027, 4, 1), date(2027, 5, 1)]
    blocks = meetings_by_month([may], months, this_month=date(2027, 6, 1))
    assert [(b["missed"], b["meetings"]) for b in blocks] == [
        (True, []),
        (False, [may]),
    ]
