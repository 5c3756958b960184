"""The secretary is reminded once when a member has left 3 closed months of dues
unpaid in a year without an approved reason, until the cell records a decision."""

from datetime import date

from meetings import notify
from meetings.models import Notification
from members.dues import services as dues
from tests.factories.times import on
from tests.support.notify import Kind, rows

MONTHS = [date(2026, m, 1) for m in (1, 2, 3, 4)]


def _three_unpaid(tree):
    student = tree.others[0]
    dues.set_dues_category(member=student, category="student", start=MONTHS[0])
    for month in MONTHS:
        if month == MONTHS[3]:
            dues.record_cash_payments(
                cell=tree.cell, month=month, member_ids=[student.pk], paid_on=month
            )
        dues.close_dues_month(cell=tree.cell, month=month)
    return student


def test_dues_arrears_reminds_the_secretary_once(tree, people, clock, mailoutbox):
    clock(on(date(2026, 5, 6), 9))
    student = _three_unpaid(tree)
    now = on(date(2026, 5, 6), 9)
    notify.scan_notifications(now=now)
    sent = rows(kind=Kind.DUES_ARREARS)
    # Everyone without a category owes the "other" amount too: all 5 members left
    # January to March unpaid; the secretary is told about each, and only him.
    assert set(sent.values_list("member_id", flat=True)) == {tree.secretary.pk}
    assert f"dues:{tree.cell.pk}:{student.pk}:2026" in set(
        sent.values_list("subject", flat=True)
    )
    assert notify.scan_notifications(now=now).created == 0
    notify.send_deliveries(delivery_ids=list(sent.values_list("pk", flat=True)))
    note = Notification.objects.filter(
        kind=Kind.DUES_ARREARS, url__endswith="/dues/2026/"
    ).first()
    assert note.title.startswith("[Chi bộ Khối phố 5] Đảng viên không đóng đảng phí")
    assert note.url == f"/org/{tree.cell.pk}/dues/2026/"


def test_dues_arrears_reminder_stops_once_the_cell_decides(tree, people, clock):
    clock(on(date(2026, 5, 6), 9))
    student = _three_unpaid(tree)
    for member in tree.cell.members.all():
        dues.record_dues_decision(
            member=member, year=2026, decision="keep", decided_on=date(2026, 5, 5)
        )
    notify.scan_notifications(now=on(date(2026, 5, 6), 9))
    assert not rows(kind=Kind.DUES_ARREARS).exists()
    assert student.dues_decisions.get().decision == "keep"
