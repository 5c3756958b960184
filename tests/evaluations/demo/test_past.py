"""seed_demo gives the demo a past: every cell's year so far lived through the real
services (evaluations/demo/), seeded at several dates on a frozen clock, checked on
its real figures — locked minutes per cell, months with a regular meeting, the
dashboard's heatmap, PDFs, scores, reports — and seeded again without change."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from evaluations.dashboard import queries
from evaluations.dashboard.periods import Period
from evaluations.models import (
    CellMonth,
    MonthlyRating,
    QualityScore,
    Recommendation,
    SupervisionReport,
    Task,
)
from meetings.models import (
    Meeting,
    MeetingChange,
    MeetingDocument,
    MeetingKind,
    MeetingState,
    Minutes,
    MinutesPdf,
    Resolution,
)
from meetings.pdf import services as pdf_services
from members.models import Organization, OrgKind
from tests.factories.times import at

PERSONA_CELL = "Chi bộ Khối phố 5"
CELLS = [
    "Chi bộ Khối phố 1",
    "Chi bộ Khối phố 2",
    "Chi bộ Khối phố 3",
    "Chi bộ Khối phố 5",
    "Chi bộ Trường Tiểu học Trường Vinh",
    "Chi bộ Văn phòng Sở",
    "Chi bộ Phòng Quản lý ngân sách",
    "Chi bộ Khoa Nội",
    "Chi bộ Khoa Ngoại",
    "Chi bộ Khoa Nhi",
    "Chi bộ Công ty CP Thủy sản Cửa Lò",
    "Chi bộ Công ty TNHH May Hoàng Mai",
]
# The whole of 2026 (seeded on 31/12 or in January 2027): 12 regular meetings a
# cell, the persona cell's 4 thematic meetings apart, the departures of
# evaluations/demo/past.py counted back from December.
LOCKED_2026 = dict.fromkeys(CELLS, 12) | {
    "Chi bộ Khối phố 3": 11,  # September missed
    PERSONA_CELL: 16,
    "Chi bộ Công ty TNHH May Hoàng Mai": 10,  # July and November missed
}
MISSED_2026 = {"Chi bộ Khối phố 3": [9], "Chi bộ Công ty TNHH May Hoàng Mai": [7, 11]}


@pytest.fixture
def seed(db, settings, clock):
    """seed_demo (DEBUG only) as `make run` calls it, at `moment` local time."""
    settings.DEBUG = True

    def run(moment):
        clock(moment)
        out = StringIO()
        call_command("seed_demo", stdout=out)
        return out.getvalue()

    return run


def cell(name):
    return Organization.objects.get(name=name, kind=OrgKind.CELL)


def locked_per_cell():
    counts = Counter(
        Minutes.objects.filter(locked_at__isnull=False).values_list(
            "meeting__cell__name", flat=True
        )
    )
    return {name: counts[name] for name in CELLS}


def held_months(year):
    """{cell name: [months of `year` with a regular meeting held]} (the rollup)."""
    rows = CellMonth.objects.filter(month__year=year, regular_held=1).order_by("month")
    months = {name: [] for name in CELLS}
    for name, month in rows.values_list("cell__name", "month"):
        months[name].append(month.month)
    return months


def heatmap(name, year, today):
    """The levels of a cell's heatmap squares on its dashboard, month by month."""
    board = queries.build(cell(name), Period("year", year), today=today)
    ((_org, squares),) = board.heatmap
    return {square["month"].month: square["level"] for square in squares}


def snapshot():
    """Every row of every table of the three apps (and the logins)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"members", "meetings", "evaluations"}:
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def assert_every_record_on_its_day():
    """The services ran on a travelled clock: each meeting was notified before it,
    held on its planned day (or the day it was moved to), adopted after its recorded
    end and locked after that."""
    for minutes in Minutes.objects.select_related("meeting").filter(
        locked_at__isnull=False
    ):
        meeting = minutes.meeting
        start = timezone.localtime(minutes.started_at)
        moved = meeting.changes.filter(kind=MeetingChange.Kind.RESCHEDULED).exists()
        assert start == timezone.localtime(meeting.starts_at)
        assert (start.date() == meeting.planned_date) != moved, meeting
        assert meeting.notified_at < minutes.started_at - timedelta(hours=12)
        assert minutes.ended_at <= minutes.adopted_at <= minutes.taker_signed_at
        assert minutes.chair_signed_at < minutes.locked_at


def test_seed_demo_mid_year_lives_the_year_so_far_and_a_rerun_changes_nothing(seed):
    # Arrange / Act: 15 July 2026, 10:00 — the meetings of January to July are past
    output = seed(at(2026, 7, 15, 10))

    # Assert: minutes locked per cell (the persona cell's thematic meetings of
    # February and May apart; Khối phố 3 missed April, May Hoàng Mai February and
    # June)
    assert locked_per_cell() == dict.fromkeys(CELLS, 7) | {
        "Chi bộ Khối phố 3": 6,
        PERSONA_CELL: 9,
        "Chi bộ Công ty TNHH May Hoàng Mai": 5,
    }
    assert "83 minutes locked, 9 of their PDFs rendered" in output
    months = held_months(2026)
    assert months == {name: [1, 2, 3, 4, 5, 6, 7] for name in CELLS} | {
        "Chi bộ Khối phố 3": [1, 2, 3, 5, 6, 7],
        "Chi bộ Công ty TNHH May Hoàng Mai": [1, 3, 4, 5, 7],
    }
    # The dashboard: green for every month so far but the missed ones.
    today = date(2026, 7, 15)
    for name in CELLS:
        expected = dict.fromkeys(range(1, 8), "full")
        expected |= {m: "none" for m in range(1, 8) if m not in months[name] and m < 7}
        assert heatmap(name, 2026, today) == expected, name
    assert_every_record_on_its_day()

    # The persona cell lives the full story.
    kp5 = cell(PERSONA_CELL)
    assert (
        Meeting.objects.filter(
            cell=kp5, kind=MeetingKind.THEMATIC, state=MeetingState.ACKNOWLEDGED
        ).count()
        == 2
    )
    assert Resolution.objects.filter(cell=kp5).count() == 7
    assert MeetingDocument.objects.filter(meeting__cell=kp5).count() == 7
    rated = MonthlyRating.objects.filter(cell=kp5)
    assert sorted(set(rated.values_list("month__month", flat=True))) == [
        1,
        2,
        3,
        4,
        5,
        6,
        7,
    ]
    # The other cells hold the quarter's topic in their regular meeting.
    kp1 = cell("Chi bộ Khối phố 1")
    assert list(
        Meeting.objects.filter(cell=kp1, is_combined=True)
        .order_by("planned_date")
        .values_list("planned_date__month", "is_ho_chi_minh_topic")
    ) == [(2, False), (5, True)]
    assert (
        Meeting.objects.filter(
            cell=kp1, kind=MeetingKind.THEMATIC, state=MeetingState.CANCELLED
        ).count()
        == 2
    )

    # Every locked minutes has its PDF: the persona cell's rendered and chained,
    # the others queued for the worker.
    for minutes in Minutes.objects.filter(locked_at__isnull=False):
        assert minutes.pdfs.exists(), minutes.meeting
    rendered = list(MinutesPdf.objects.filter(cell_id=kp5.pk).order_by("position"))
    assert [r.status for r in rendered] == ["done"] * 9
    previous = ""
    for record in rendered:
        assert default_storage.exists(record.file.name)
        assert record.size > 10_000
        assert record.pages >= 2
        assert record.previous_sha256 == previous
        previous = record.sha256
    others = MinutesPdf.objects.exclude(cell_id=kp5.pk)
    assert set(others.values_list("status", flat=True)) == {"pending"}
    assert others.count() == 83 - 9 + 1  # Khối phố 1's May minutes, amended
    # …which the worker's render (the same service) turns into stored files.
    may = cell("Chi bộ Công ty TNHH May Hoàng Mai")
    assert len(pdf_services.render_pending(cell_id=may.pk).rendered) == 5

    # Scores, tasks, the supervisor's reports and recommendations.
    held = Meeting.objects.filter(minutes__locked_at__isnull=False)
    assert QualityScore.objects.filter(role="self").count() == held.count() == 83
    reports = SupervisionReport.objects.order_by("meeting__starts_at")
    assert Counter(reports.values_list("cell__name", flat=True)) == {
        PERSONA_CELL: 7,
        "Chi bộ Khối phố 2": 7,
    }
    late = [r for r in reports if timezone.localdate(r.submitted_at) > r.due_on]
    assert [(r.cell.name, r.meeting.planned_date.month) for r in late] == [
        ("Chi bộ Khối phố 2", 5)
    ]
    assert sorted(Recommendation.objects.values_list("status", flat=True)) == [
        "open",
        "open",
        "resolved",
    ]
    assert (
        Task.objects.filter(outcome="").exclude(meeting__planned_date__month=7).count()
        == 0
    )  # every task of an earlier month was reviewed the month after
    assert Task.objects.filter(meeting__planned_date__month=7, outcome="").count() > 0

    # Act: a second run (make run again, the same day)
    before = snapshot()
    again = seed(at(2026, 7, 15, 10, 5))

    # Assert: nothing added, nothing changed
    assert "already present" in again
    assert snapshot() == before


def test_seed_demo_on_new_years_eve_has_the_whole_year(seed):
    # Act: 31 December 2026, 23:30
    seed(at(2026, 12, 31, 23, 30))

    # Assert
    assert locked_per_cell() == LOCKED_2026
    months = held_months(2026)
    for name in CELLS:
        missed = MISSED_2026.get(name, [])
        assert months[name] == [m for m in range(1, 13) if m not in missed], name
        expected = {m: ("none" if m in missed else "full") for m in range(1, 13)}
        assert heatmap(name, 2026, date(2026, 12, 31)) == expected, name
    assert_every_record_on_its_day()
    # Returned minutes, answered with a signed addendum, then acknowledged.
    kp1 = Meeting.objects.get(
        cell__name="Chi bộ Khối phố 1", planned_date__month=10, kind="regular"
    )
    assert kp1.state == MeetingState.ACKNOWLEDGED
    assert kp1.minutes.addenda.get().chair_signed_at is not None
    assert kp1.minutes.pdfs.count() == 2  # the addendum is a new version
    # The upcoming meeting of `make run`: the next 08:00 at least an hour away.
    upcoming = Meeting.objects.get(kind=MeetingKind.EXTRAORDINARY)
    assert timezone.localtime(upcoming.starts_at) == at(2027, 1, 1, 8)


def test_seed_demo_in_early_january_lives_the_year_before_too(seed):
    # Act: 2 January 2027, 10:00 — this year's first meeting is still ahead
    seed(at(2027, 1, 2, 10))

    # Assert: all of 2026, and January's meetings prepared and notified
    assert locked_per_cell() == LOCKED_2026
    months = held_months(2026)
    for name in CELLS:
        missed = MISSED_2026.get(name, [])
        assert months[name] == [m for m in range(1, 13) if m not in missed], name
    january = Meeting.objects.filter(
        kind=MeetingKind.REGULAR, planned_date__year=2027, planned_date__month=1
    )
    assert Counter(january.values_list("state", flat=True)) == {
        MeetingState.NOTIFIED: 12
    }
    assert heatmap(PERSONA_CELL, 2027, date(2027, 1, 2)) == {1: "open"}
    assert heatmap("Chi bộ Khối phố 3", 2026, date(2027, 1, 2))[9] == "none"
