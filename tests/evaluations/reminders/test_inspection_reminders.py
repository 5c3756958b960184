"""The inspector's reminder: in the last month of the period the superior member
following a cell is reminded once, until the cell is inspected."""

from datetime import date

from evaluations.inspections import services
from evaluations.reminders.inspections import (
    due_inspection_work,
    inspection_contexts,
    still_uninspected,
)
from meetings import notify
from meetings.models import Delivery, NotificationKind
from tests.factories.meetings import held
from tests.factories.times import at


def test_no_reminder_before_the_last_month(tree, clock):
    now = clock(at(2026, 11, 30, 9))
    assert due_inspection_work(now) == []


def test_no_reminder_for_a_cell_that_held_no_meeting(tree, clock):
    now = clock(at(2026, 12, 1, 9))
    assert due_inspection_work(now) == []


def test_supervisor_reminded_in_the_last_month_until_inspected(tree, users, clock):
    clock(at(2026, 11, 3, 10))
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 11, 3), chair=tree.secretary, taker=tree.member
    )
    now = clock(at(2026, 12, 1, 9))

    works = due_inspection_work(now)

    assert [(w.kind, w.subject, w.member_ids) for w in works] == [
        (
            NotificationKind.INSPECTION_DUE,
            f"inspection:{tree.cell.pk}:2026-07-01",
            (tree.supervisor.pk,),
        )
    ]
    context = inspection_contexts([works[0].subject])[works[0].subject]
    assert context["cell"] == tree.cell
    assert context["period_end"] == date(2026, 12, 31)
    assert context["path"] == f"/evaluations/cells/{tree.cell.pk}/inspections/"

    notify.scan_notifications(now=now)
    rows = Delivery.objects.filter(kind=NotificationKind.INSPECTION_DUE)
    assert set(rows.values_list("member_id", flat=True)) == {tree.supervisor.pk}
    result = notify.send_deliveries(
        delivery_ids=list(rows.values_list("pk", flat=True))
    )
    assert result.sent == rows.count()

    services.record_inspection(
        cell=tree.cell,
        inspector=tree.supervisor,
        inspected_on=date(2026, 12, 1),
        meetings=[meeting],
        findings="Tốt",
    )
    assert still_uninspected([works[0].subject]) == set()
    assert due_inspection_work(now) == []
