"""A cell's year of dues, end to end on the real database: who owes what each
month under both regulations, what they paid, the 3-unpaid-months alert, closing
and the remittance."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.dues import rules, services
from members.models import DuesChannel, DuesMonth, DuesPayment, ReliefKind
from tests.factories.times import at

MONTHS = [date(2026, m, 1) for m in range(1, 13)]


def pay(cell, month, member, amount, by=None, *, excuse=""):
    services.save_sheet(
        cell=cell,
        month=month,
        rows={
            member.pk: {
                "paid_amount": amount,
                "paid_on": month.replace(day=5),
                "channel": DuesChannel.CASH if amount else "",
                "excuse": excuse,
            }
        },
        by=by,
    )


@pytest.fixture
def year(tree, users, clock):
    clock(at(2027, 1, 15, 9, 0))
    cell = tree.cell
    secretary, member = tree.secretary, tree.member
    student, other, worker = tree.others
    member.admission_date = date(1975, 5, 1)  # 50 years of party age in 05/2025
    member.save()
    services.set_dues_category(member=secretary, category="insured", start=MONTHS[0])
    services.set_dues_base(member=secretary, month=MONTHS[0], amount=10_000_000)
    services.set_dues_category(member=member, category="pensioner", start=MONTHS[0])
    services.set_dues_base(member=member, month=MONTHS[0], amount=6_000_000)
    services.set_dues_category(member=student, category="student", start=MONTHS[0])
    services.set_dues_category(member=other, category="other", start=MONTHS[0])
    services.add_dues_relief(
        member=other,
        kind=ReliefKind.REDUCTION,
        percent=50,
        first_month=MONTHS[2],
        last_month=MONTHS[7],
        decision="Quyết định 12-QĐ/ĐU",
    )
    services.set_dues_category(member=worker, category="insured", start=MONTHS[0])
    services.set_dues_base(member=worker, month=MONTHS[0], amount=8_000_000)
    services.set_dues_base(
        member=worker, month=MONTHS[6], amount=9_000_000, declared_amount=100_000
    )
    by = users.secretary
    for month in MONTHS:
        pay(cell, month, secretary, 100_000, by)
        if month == MONTHS[0]:
            pay(cell, month, member, 30_000, by)
        if month not in (MONTHS[2], MONTHS[3], MONTHS[6]):
            pay(cell, month, student, 3_000 if month == MONTHS[0] else 5_000, by)
        pay(
            cell, month, other, 5_000 if MONTHS[2] <= month <= MONTHS[7] else 10_000, by
        )
        if month == MONTHS[3]:
            pay(cell, month, worker, 0, by, excuse="Nằm viện, chi bộ chấp thuận")
        elif month not in (MONTHS[2], MONTHS[4]):
            pay(cell, month, worker, 80_000 if month < MONTHS[6] else 100_000, by)
        services.close_dues_month(cell=cell, month=month, by=by)
    return tree


def test_golden_year_who_owes_what_each_month(year):
    ledger = rules.year_ledger(year.cell, 2026, today=date(2027, 1, 15))
    due = {
        row["member"].full_name: [line.due for line in row["lines"]]
        for row in ledger["rows"]
    }
    student, other, worker = year.others
    assert due[year.secretary.full_name] == [100_000] * 12
    # QĐ 342 in January: 0.5% of the pension; from February 50 years exempt.
    assert due[year.member.full_name] == [30_000] + [0] * 11
    # QĐ 342's flat amount (the 3,000 default) in January, 5,000 from February.
    assert due[student.full_name] == [3_000] + [5_000] * 11
    # 10,000 (setting default), halved March to August by the reduction.
    assert due[other.full_name] == [10_000, 10_000] + [5_000] * 6 + [10_000] * 4
    # 1% of 8,000,000, then of 9,000,000 from July (the declared 100,000 is what
    # is collected, not what is due).
    assert due[worker.full_name] == [80_000] * 6 + [90_000] * 6
    assert [t.due for t in ledger["month_totals"]] == [
        223_000,
        195_000,
        190_000,
        190_000,
        190_000,
        190_000,
        200_000,
        200_000,
        205_000,
        205_000,
        205_000,
        205_000,
    ]
    assert [t.paid for t in ledger["month_totals"]] == [
        223_000,
        195_000,
        105_000,
        105_000,
        110_000,
        190_000,
        205_000,
        210_000,
        215_000,
        215_000,
        215_000,
        215_000,
    ]
    assert ledger["year_due"] == 2_398_000
    assert ledger["year_paid"] == 2_203_000


def test_golden_year_three_unpaid_months_raise_the_alert(year):
    student, _other, worker = year.others
    ledger = rules.year_ledger(year.cell, 2026, today=date(2027, 1, 15))
    unpaid = {row["member"].pk: row["unpaid"] for row in ledger["rows"]}
    assert unpaid[student.pk] == [MONTHS[2], MONTHS[3], MONTHS[6]]
    assert unpaid[worker.pk] == [MONTHS[2], MONTHS[4]]  # April excused
    assert [a["member"].pk for a in ledger["alerts"]] == [student.pk]
    assert ledger["alerts"][0]["decision"] is None

    services.record_dues_decision(
        member=student,
        year=2026,
        decision="propose_removal",
        decided_on=date(2027, 1, 10),
        note="Chi bộ họp ngày 10/01/2027",
    )
    ledger = rules.year_ledger(year.cell, 2026, today=date(2027, 1, 15))
    assert (
        ledger["alerts"][0]["decision"].get_decision_display()
        == ("Đề nghị xóa tên khỏi danh sách đảng viên")
        or ledger["alerts"][0]["decision"].decision == "propose_removal"
    )


def test_golden_year_closed_months_freeze_totals_and_remittance(year):
    march = DuesMonth.objects.get(cell=year.cell, month=MONTHS[2])
    assert (march.due_total, march.paid_total) == (190_000, 105_000)
    assert march.retained_percent == 30
    assert (march.retained_amount, march.remitted_amount) == (31_500, 73_500)
    assert DuesPayment.objects.filter(cell=year.cell, month=MONTHS[2]).count() == 5


def test_golden_year_closed_month_is_refused_everywhere(year):
    student = year.others[0]
    with pytest.raises(ValidationError, match="03/2026"):
        pay(year.cell, MONTHS[2], student, 5_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesPayment.objects.filter(cell=year.cell, month=MONTHS[2]).update(
            paid_amount=1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesPayment.objects.filter(cell=year.cell, month=MONTHS[2]).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesMonth.objects.filter(cell=year.cell, month=MONTHS[2]).update(paid_total=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesMonth.objects.filter(cell=year.cell, month=MONTHS[2]).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesPayment.objects.create(
            member=year.secretary,
            cell=year.cell,
            month=MONTHS[2].replace(day=1),
            category="other",
        )
    payment = DuesPayment.objects.get(member=student, month=MONTHS[2])
    assert payment.paid_amount == 0


def test_golden_year_a_correction_is_a_dated_adjustment(year):
    student = year.others[0]
    services.add_dues_adjustment(
        cell=year.cell,
        month=MONTHS[2],
        member=student,
        amount=5_000,
        paid_on=date(2027, 1, 12),
        channel=DuesChannel.PORTAL,
        receipt_reference="DVC-2027-000123",
        reason="Nộp muộn qua Cổng dịch vụ công",
    )
    ledger = rules.year_ledger(year.cell, 2026, today=date(2027, 1, 15))
    unpaid = {row["member"].pk: row["unpaid"] for row in ledger["rows"]}
    assert unpaid[student.pk] == [MONTHS[3], MONTHS[6]]
    assert ledger["alerts"] == []
    assert ledger["month_totals"][2].paid == 110_000
    adjustment = student.dues_adjustments.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(adjustment).objects.filter(pk=adjustment.pk).update(amount=1)


def test_golden_year_dashboard_figure_rolls_up_through_the_tree(year):
    from evaluations import dashboard as dash
    from evaluations.dashboard.periods import Period

    board = dash.build(year.ward, Period("year", 2026), today=date(2027, 1, 15))
    assert (board.total.dues_due, board.total.dues_paid) == (2_398_000, 2_203_000)
    assert board.total.dues_months == 12
    assert board.total.flags["dues_arrears"] == 1
    headline = {h["key"]: h for h in dash.headlines(board)}["dues"]
    assert headline["available"] is True
    assert headline["value"] == "91,9 %"
    assert headline["flag_cells"] == 1
    rows = {org.pk: stats for org, stats in board.rows}
    assert rows[year.cell.pk].dues_paid == 2_203_000
    assert rows[year.cell2.pk].dues_months == 0
    province = dash.build(
        year.province, Period("quarter", 2026, 1), today=date(2027, 1, 15)
    )
    assert (province.total.dues_due, province.total.dues_paid) == (608_000, 523_000)
    # Once the cell records its decision, the flag is down.
    services.record_dues_decision(
        member=year.others[0],
        year=2026,
        decision="propose_removal",
        decided_on=date(2027, 1, 10),
    )
    board = dash.build(year.ward, Period("year", 2026), today=date(2027, 1, 15))
    assert board.total.flags["dues_arrears"] == 0
