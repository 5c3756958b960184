"""The dashboards' shared data: quarter 3 of 2026 on a ward of two cells."""

from datetime import date

import pytest

from evaluations.dashboard import rollup
from evaluations.models import (
    QualityScore,
    Recommendation,
    Rubric,
    SupervisionReport,
)
from meetings.models import MeetingKind
from tests.factories.facts import TODAY, held_on
from tests.factories.times import at, freeze


def _score(meeting, role, band):
    return QualityScore.objects.create(
        meeting=meeting,
        rubric=Rubric.objects.first(),
        role=role,
        total=0,
        maximum=100,
        percent={"good": 95, "fair": 80, "average": 60, "poor": 40}[band],
        band=band,
    )


@pytest.fixture
def facts(tree, monkeypatch):
    """Quarter 3 of 2026, seen on 23/11/2026:

    cell (5 official): July regular (all present, 3 spoke, locked in 24 h, submitted
    in 30 h); August regular combined with a thematic session, 100 minutes, member
    absent without reason, one other excused, 1 spoke, minutes never locked;
    September: nothing.
    cell2 (2 official): July, August, September regular (all present, minutes locked
    after 72 h) and a thematic meeting on Hồ Chí Minh's example on 10/09 (locked in
    24 h).
    """
    freeze(monkeypatch, TODAY)
    s, m, o = tree.secretary, tree.member, tree.others
    july = held_on(
        tree.cell,
        date(2026, 7, 3),
        spoke={s, m, o[0]},
        submitted_after_hours=30,
        tasks=(
            (date(2026, 8, 31), "done_on_time"),
            (date(2026, 9, 30), "not_done"),
            (date(2026, 9, 15), ""),
        ),
    )
    held_on(
        tree.cell,
        date(2026, 8, 3),
        is_combined=True,
        minutes=100,
        statuses={m: "absent_unexcused", o[0]: "absent_excused"},
        spoke={s},
        locked_after_hours=None,
    )
    august = tree.cell.meetings.get(planned_date=date(2026, 8, 3))
    c2_july = None
    for month in (7, 8, 9):
        meeting = held_on(tree.cell2, date(2026, month, 3), locked_after_hours=72)
        c2_july = c2_july or meeting
    held_on(
        tree.cell2,
        date(2026, 9, 10),
        kind=MeetingKind.THEMATIC,
        is_ho_chi_minh_topic=True,
    )
    _score(july, "self", "good")
    _score(july, "supervisor", "fair")
    _score(c2_july, "self", "poor")
    SupervisionReport.objects.create(
        meeting=july,
        cell=tree.cell,
        supervisor=tree.supervisor,
        observations="Nghiêm túc",
        due_on=date(2026, 8, 10),
        submitted_at=at(2026, 8, 9, 10),
    )
    SupervisionReport.objects.create(
        meeting=august,
        cell=tree.cell,
        supervisor=tree.supervisor,
        observations="",
        due_on=date(2026, 9, 10),
    )
    for raised, status in ((date(2026, 8, 9), "open"), (date(2026, 9, 20), "resolved")):
        Recommendation.objects.create(
            cell=tree.cell,
            meeting=july,
            text="Tăng cường sinh hoạt chuyên đề",
            addressee="Chi bộ",
            responsible="Bí thư",
            status=status,
            raised_on=raised,
        )
    assert rollup.rebuild(years=[2026]) > 0
    return tree
