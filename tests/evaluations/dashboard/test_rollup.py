"""The dashboards' rollup: refreshed on commit by a real Celery worker, caught up by
the sweep when the broker is down, always equal to a from-scratch recompute."""

import time
from datetime import date, timedelta

from django.db import transaction

from evaluations import services as eval_services
from evaluations.dashboard import rollup
from evaluations.dashboard.periods import add_months, current_month
from evaluations.models import CellMonth, RollupDirty
from meetings import services
from meetings.models import AttendanceStatus, MeetingKind
from tests.factories.facts import held_on
from tests.factories.meetings import adopt_and_sign, fill_minutes, make_meeting, start
from tests.factories.times import at
from tests.support.workers import broker_at, celery_worker


def rollup_worker():
    """A real worker (solo pool, in a thread) on the test Redis, "default" queue."""
    return celery_worker("default")


def wait_clean(timeout=20):
    """Until the worker has recomputed every cell-month marked dirty."""
    deadline = time.monotonic() + timeout
    while RollupDirty.objects.exists():
        assert time.monotonic() < deadline, list(RollupDirty.objects.values())
        time.sleep(0.1)


def last_month():
    return add_months(current_month(), -1)


def _row(cell, month):
    return CellMonth.objects.get(cell=cell, month=month)


def test_rollups_equal_a_recompute_after_a_series_of_edits(transactional_db, tree):
    month = last_month()
    secretary, member = tree.secretary, tree.member
    with rollup_worker():
        meeting = make_meeting(
            tree.cell, starts_at=at(month.year, month.month, 3, 19, 30)
        )
        minutes = start(meeting)
        wait_clean()
        assert _row(tree.cell, month).regular_held == 1
        services.record_attendance(
            meeting=meeting,
            rows={
                member.pk: {"status": AttendanceStatus.ABSENT_UNEXCUSED},
                secretary.pk: {"status": AttendanceStatus.PRESENT, "spoke": True},
            },
            by=None,
        )
        wait_clean()
        row = _row(tree.cell, month)
        assert (
            row.att_required,
            row.att_present,
            row.att_unexcused,
            row.att_spoke,
        ) == (
            5,
            4,
            1,
            1,
        )
        eval_services.assign_task(
            meeting=meeting,
            text="Vận động đóng góp quỹ",
            deadline=month + timedelta(days=20),
            assignees=[secretary],
        )
        minutes = fill_minutes(minutes, chair=secretary, taker=member)
        adopt_and_sign(minutes, chair=secretary, taker=member)
        services.lock_minutes(minutes=minutes, by=None)
        services.submit_minutes(meeting=meeting, by=None)
        wait_clean()
        row = _row(tree.cell, month)
        assert (row.duration_recorded, row.duration_ok, row.minutes_due) == (1, 1, 1)
        assert row.tasks_total == 1
        assert row.tasks_done == 0
        # A thematic meeting, then moved and cancelled: nothing counts for it.
        thematic = make_meeting(
            tree.cell2,
            kind=MeetingKind.THEMATIC,
            starts_at=at(month.year, month.month, 15, 19, 30),
        )
        services.reschedule_meeting(
            meeting=thematic,
            starts_at=at(month.year, month.month, 16, 19, 30),
            reason="Trùng lịch họp khối",
            by=None,
        )
        services.cancel_meeting(meeting=thematic, reason="Bão lũ", by=None)
        wait_clean()
        assert _row(tree.cell2, month).thematic_held == 0
    assert RollupDirty.objects.count() == 0
    assert rollup.rebuild(dry_run=True) == 0


def test_a_broker_outage_never_fails_the_write(transactional_db, tree):
    month = last_month()
    with broker_at("redis://127.0.0.1:1/0"):
        meeting = make_meeting(
            tree.cell, starts_at=at(month.year, month.month, 3, 19, 30)
        )
        start(meeting)  # the service call succeeds without a broker
    assert meeting.cell.meetings.get().state == "held"
    assert RollupDirty.objects.filter(cell=tree.cell, month=month).exists()
    assert not CellMonth.objects.filter(cell=tree.cell, month=month).exists()
    handled = rollup.sweep_dirty()  # what the periodic task does
    assert handled >= 1
    assert _row(tree.cell, month).regular_held == 1
    assert RollupDirty.objects.count() == 0
    assert rollup.rebuild(dry_run=True) == 0


def test_schedule_refresh_marks_in_the_same_transaction(
    db, tree, django_capture_on_commit_callbacks
):
    month = last_month()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        rollup.schedule_refresh(tree.cell.pk, month + timedelta(days=9))
        # the month before: a second month, whatever day the suite runs
        rollup.schedule_refresh(tree.cell.pk, month - timedelta(days=20))
    assert RollupDirty.objects.filter(cell=tree.cell, month=month).exists()
    assert len(callbacks) == 2  # one per month, published only after commit
    with transaction.atomic():
        rollup.schedule_refresh(tree.cell2.pk, month)
        transaction.set_rollback(True)
    assert not RollupDirty.objects.filter(cell=tree.cell2).exists()


def test_refresh_is_idempotent_and_matches_rebuild(db, tree):
    held_on(tree.cell, date(2026, 3, 3), statuses={tree.member: "absent_unexcused"})
    rollup.refresh_cell_month(tree.cell.pk, date(2026, 3, 1))
    first = list(CellMonth.objects.filter(cell=tree.cell).values())
    rollup.refresh_cell_month(tree.cell.pk, date(2026, 3, 1))
    again = list(CellMonth.objects.filter(cell=tree.cell).values())

    def strip(rows):
        return [{k: v for k, v in r.items() if k != "computed_at"} for r in rows]

    assert strip(first) == strip(again)
    assert rollup.recompute([tree.cell.pk], [date(2026, 3, 1)], dry_run=True) == 0
    march = _row(tree.cell, date(2026, 3, 1))
    assert (march.regular_held, march.att_unexcused, march.path) == (
        1,
        1,
        tree.cell.path,
    )


def test_rebuild_command_prints_the_difference_count(db, tree, capsys):
    from django.core.management import call_command

    held_on(tree.cell, date(2026, 2, 3))
    call_command("rebuild_rollups", "--year", "2026", "--check")
    assert "differences: " in capsys.readouterr().out
    call_command("rebuild_rollups", "--year", "2026", "--org", str(tree.ward.pk))
    call_command("rebuild_rollups", "--year", "2026", "--check")
    assert "differences: 0 " in capsys.readouterr().out.splitlines()[-1] + " "
    CellMonth.objects.filter(cell=tree.cell, month=date(2026, 2, 1)).update(
        regular_held=0
    )
    call_command("rebuild_rollups", "--year", "2026", "--check")
    assert capsys.readouterr().out.startswith("differences: 1 ")


def test_recommendation_days_applies_at_once_without_a_rebuild(db, tree):
    """Open/overdue recommendations are read live with each cell's inherited
    recommendation_days: changing the setting on the ward changes the dashboard at
    once, nothing is left to recompute, and cells keep their own value."""
    from evaluations import dashboard as dash
    from evaluations.models import Recommendation
    from members import services as member_services
    from members.models import RuleKey

    meeting = held_on(tree.cell, date(2026, 3, 3))
    for cell in (tree.cell, tree.cell2):
        Recommendation.objects.create(
            cell=cell,
            meeting=meeting,
            text="Kiện toàn chi ủy",
            addressee="Chi bộ",
            responsible="Bí thư",
            raised_on=date(2026, 3, 10),
        )
    rollup.rebuild(years=[2026])
    today = date(2026, 4, 30)  # 51 days after they were raised
    period = dash.Period("year", 2026, 0)

    def overdue():
        board = dash.build(tree.ward, period, today=today)
        by_child = {child.pk: stats.recs_overdue for child, stats in board.rows}
        return board.total.recs_overdue, by_child[tree.cell.pk], by_child[tree.cell2.pk]

    assert overdue() == (2, 1, 1)  # the default: 30 days
    for days, expected in ((60, (0, 0, 0)), (50, (2, 1, 1))):
        member_services.set_rule(
            org=tree.ward,
            key=RuleKey.RECOMMENDATION_DAYS,
            value=days,
            valid_from=date(2026, 1, 1),
        )
        assert not RollupDirty.objects.exists()
        assert overdue() == expected
    member_services.set_rule(
        org=tree.cell2,
        key=RuleKey.RECOMMENDATION_DAYS,
        value=90,
        valid_from=date(2026, 1, 1),
    )
    assert overdue() == (1, 1, 0)
    # A value valid only from later does not apply yet.
    member_services.set_rule(
        org=tree.cell,
        key=RuleKey.RECOMMENDATION_DAYS,
        value=90,
        valid_from=date(2026, 5, 1),
    )
    assert overdue() == (1, 1, 0)
