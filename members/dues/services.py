"""Writing the dues ledger: categories, bases, exemptions and reductions, the
monthly sheet, closing a month, corrections and the cell's decisions.

Every write is one transaction; a closed month refuses changes here with a message
and in the database whatever the code path (members/migrations/0009_dues_lock.py).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import domain
from members.models import (
    DuesAdjustment,
    DuesBase,
    DuesCategoryPeriod,
    DuesChannel,
    DuesDecision,
    DuesMonth,
    DuesPayment,
    DuesRelief,
    ReliefKind,
)

from . import rules


def _closed(cell, month):
    return DuesMonth.objects.filter(
        cell=cell, month=month, closed_at__isnull=False
    ).exists()


def _refuse_closed(cell, month):
    if _closed(cell, month):
        raise ValidationError(
            _(
                "The dues of %(month)s are closed: record a correction as an "
                "adjustment instead."
            )
            % {"month": month.strftime("%m/%Y")}
        )


@transaction.atomic
def set_dues_category(*, member, category, start, note="", by=None):
    """Put `member` in `category` from `start`'s month on; the open category before
    it ends the day before. A category set again for the same month replaces it."""
    start = domain.month_start(start)
    DuesCategoryPeriod.objects.filter(member=member, start=start).delete()
    for period in DuesCategoryPeriod.objects.filter(
        member=member, start__lt=start, end__isnull=True
    ):
        period.end = start - timedelta(days=1)
        period.save(update_fields=["end", "updated_at"])
    if DuesCategoryPeriod.objects.filter(member=member, start__gt=start).exists():
        raise ValidationError(
            _("A later category is already recorded: change that one first.")
        )
    period = DuesCategoryPeriod(
        member=member, category=category, start=start, note=note
    )
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def set_dues_base(*, member, month, amount, declared_amount=None, by=None):
    """The base (and any higher amount the member declares) from `month` on."""
    month = domain.month_start(month)
    if declared_amount is not None and declared_amount <= 0:
        declared_amount = None
    base, _created = DuesBase.objects.update_or_create(
        member=member,
        month=month,
        defaults={
            "amount": amount,
            "declared_amount": declared_amount,
            "entered_by": by,
        },
    )
    return base


@transaction.atomic
def add_dues_relief(
    *,
    member,
    kind,
    first_month,
    last_month=None,
    percent=0,
    decision,
    decision_date=None,
    by=None,
):
    """Record an exemption or a reduction with its decision. A reduction lasts at
    most 12 months per approval and does not overlap another reduction."""
    first_month = domain.month_start(first_month)
    last_month = domain.month_start(last_month) if last_month else None
    if last_month and last_month < first_month:
        raise ValidationError(
            {"last_month": _("The last month cannot be before the first.")}
        )
    if kind == ReliefKind.REDUCTION:
        if last_month is None:
            raise ValidationError(
                {"last_month": _("A reduction needs its last month.")}
            )
        if percent not in (30, 50, 70):
            raise ValidationError({"percent": _("A reduction is 30, 50 or 70%.")})
        if not domain.reduction_within_limit(first_month, last_month):
            raise ValidationError(
                {
                    "last_month": _(
                        "A reduction is approved for at most 12 months at a time: "
                        "%(n)s months were asked. Record the months beyond the 12th "
                        "with a new decision."
                    )
                    % {"n": domain.months_between(first_month, last_month)}
                }
            )
        overlapping = DuesRelief.objects.filter(
            member=member,
            kind=ReliefKind.REDUCTION,
            first_month__lte=last_month,
            last_month__gte=first_month,
        )
        if overlapping.exists():
            raise ValidationError(
                _("Another reduction already covers some of these months.")
            )
    else:
        percent = 0
    relief = DuesRelief(
        member=member,
        kind=kind,
        percent=percent,
        first_month=first_month,
        last_month=last_month,
        decision=decision,
        decision_date=decision_date,
        created_by=by,
    )
    relief.full_clean()
    relief.save()
    return relief


def _payment_for(line, cell, by):
    payment = line.payment or DuesPayment(member=line.member, month=line.month)
    payment.cell = cell
    payment.category = line.category
    payment.base = line.base
    payment.due_amount = line.due
    payment.recorded_by = by
    return payment


@transaction.atomic
def save_sheet(*, cell, month, rows, by=None):
    """Record the sheet of an open month. `rows`: {member id: {paid_amount, paid_on,
    channel, receipt_reference, excuse}}; a row with nothing paid and no reason
    leaves the member unrecorded. Each saved row keeps the due of that moment."""
    month = domain.month_start(month)
    _refuse_closed(cell, month)
    sheet = rules.collection_sheet(cell, month)
    by_member = {line.member.pk: line for line in sheet["lines"]}
    errors = []
    saved = 0
    for member_id, row in rows.items():
        line = by_member.get(member_id)
        if line is None:
            continue
        paid = row.get("paid_amount") or 0
        excuse = (row.get("excuse") or "").strip()
        if not paid and not excuse:
            if line.payment is not None:
                line.payment.delete()
            continue
        channel = row.get("channel") or ""
        reference = (row.get("receipt_reference") or "").strip()
        if paid and not channel:
            errors.append(
                _("%(name)s: say how the dues were paid.") % {"name": line.member}
            )
            continue
        if paid and channel == DuesChannel.PORTAL and not reference:
            errors.append(
                _("%(name)s: a payment on the portal needs its receipt reference.")
                % {"name": line.member}
            )
            continue
        payment = _payment_for(line, cell, by)
        payment.paid_amount = paid
        payment.paid_on = row.get("paid_on") if paid else None
        if paid and payment.paid_on is None:
            payment.paid_on = timezone.localdate()
        payment.channel = channel if paid else ""
        payment.receipt_reference = reference if paid else ""
        payment.excuse = excuse
        payment.full_clean(validate_unique=False)
        payment.save()
        saved += 1
    if errors:
        raise ValidationError(errors)
    return saved


@transaction.atomic
def record_cash_payments(*, cell, month, member_ids, paid_on, by=None):
    """Mark the dues of `member_ids` for `month` paid in cash to the cell on
    `paid_on` (the members present at a meeting): each pays what they owe, or the
    higher amount they declared. Members already paid are left as they are."""
    month = domain.month_start(month)
    _refuse_closed(cell, month)
    sheet = rules.collection_sheet(cell, month)
    wanted = set(member_ids)
    marked = 0
    for line in sheet["lines"]:
        if line.member.pk not in wanted or line.status in {
            rules.LineStatus.PAID,
            rules.LineStatus.EXEMPT,
        }:
            continue
        payment = _payment_for(line, cell, by)
        payment.paid_amount = line.expected
        payment.paid_on = paid_on
        payment.channel = DuesChannel.CASH
        payment.receipt_reference = ""
        payment.excuse = ""
        payment.save()
        marked += 1
    return marked


@transaction.atomic
def close_dues_month(*, cell, month, by=None):
    """Close the cell's month: every member on the sheet gets a row keeping what
    was due and paid; the totals and the remittance (the share the cell keeps by
    the setting in force, the rest to the superior committee) are frozen."""
    month = domain.month_start(month)
    record, _created = DuesMonth.objects.select_for_update().get_or_create(
        cell=cell, month=month
    )
    if record.is_closed:
        raise ValidationError(_("These dues are already closed."))
    sheet = rules.collection_sheet(cell, month)
    for line in sheet["lines"]:
        payment = _payment_for(
            line, cell, line.payment.recorded_by if line.payment else by
        )
        payment.save()
    totals = sheet["totals"]
    record.due_total = totals.due
    record.paid_total = totals.paid
    record.retained_percent = sheet["retained_percent"]
    record.retained_amount, record.remitted_amount = rules.remittance(
        totals.paid, sheet["retained_percent"]
    )
    record.closed_at = timezone.now()
    record.closed_by = by
    record.save()
    return record


@transaction.atomic
def add_dues_adjustment(
    *,
    cell,
    month,
    member,
    amount,
    paid_on,
    channel,
    receipt_reference="",
    reason,
    by=None,
):
    """A dated correction of a closed month (a late payment, or a refund as a
    negative amount)."""
    month = domain.month_start(month)
    if not _closed(cell, month):
        raise ValidationError(_("This month is still open: correct the sheet itself."))
    if not amount:
        raise ValidationError({"amount": _("Enter an amount other than 0.")})
    if channel == DuesChannel.PORTAL and not receipt_reference.strip():
        raise ValidationError(
            {
                "receipt_reference": _(
                    "A payment on the portal needs its receipt reference."
                )
            }
        )
    adjustment = DuesAdjustment(
        cell=cell,
        month=month,
        member=member,
        amount=amount,
        paid_on=paid_on,
        channel=channel,
        receipt_reference=receipt_reference.strip(),
        reason=reason,
        recorded_by=by,
    )
    adjustment.full_clean()
    adjustment.save()
    return adjustment


@transaction.atomic
def record_dues_decision(*, member, year, decision, decided_on, note="", by=None):
    """The cell's decision on a member who left 3 months unpaid in `year`."""
    record, _created = DuesDecision.objects.update_or_create(
        member=member,
        year=year,
        defaults={
            "decision": decision,
            "decided_on": decided_on,
            "note": note,
            "recorded_by": by,
        },
    )
    return record
