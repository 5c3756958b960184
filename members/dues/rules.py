"""Reading the dues ledger: what each member owes for each month, by the rules API
applied to the member's dated records, what was paid, and the month's totals.

A closed month is read from its frozen payment rows; an open month is computed from
the member's category, base and reliefs, and the rule settings of the cell on the
month's first day. Queries are constant in the number of members and months.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import (
    BigIntegerField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members import domain
from members.models import (
    DuesAdjustment,
    DuesBase,
    DuesCategory,
    DuesCategoryPeriod,
    DuesDecision,
    DuesMonth,
    DuesOpeningBalance,
    DuesPayment,
    DuesRelief,
    Member,
    ReliefKind,
    RuleKey,
    RuleSetting,
)
from members.org_settings import default_value
from members.selectors import effective_rules

EXEMPT_KINDS = (ReliefKind.SOCIAL_PENSION, ReliefKind.HARDSHIP)


class LineStatus(models.TextChoices):
    """Where a member's dues of one month stand (a line of the collection sheet)."""

    PAID = "paid", _("Paid")
    UNPAID = "unpaid", _("Unpaid")
    PARTIAL = "partial", _("Partly paid")
    EXCUSED = "excused", _("Excused")
    EXEMPT = "exempt", _("Nothing due")


def month_end(month):
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def year_months(year, *, until=None):
    """The first days of the months of `year` (up to `until`'s month when given)."""
    months = [date(year, m, 1) for m in range(1, 13)]
    if until is not None:
        months = [m for m in months if m <= domain.month_start(until)]
    return months


@dataclass
class DuesLine:
    """One member's dues for one month."""

    member: Member
    month: date
    category: str = DuesCategory.OTHER
    category_missing: bool = False
    base: int = 0
    declared: int | None = None
    reduction_percent: int = 0
    exempt_reason: str = ""  # "party_age", "social_pension", "hardship"
    due: int = 0
    payment: DuesPayment | None = None
    adjusted: int = 0

    @property
    def paid(self):
        return (self.payment.paid_amount if self.payment else 0) + self.adjusted

    @property
    def expected(self):
        """What to collect: the rate, or more when the member declared more."""
        return max(self.due, self.declared or 0)

    @property
    def excused(self):
        return bool(self.payment and self.payment.excuse)

    @property
    def status(self):
        """A LineStatus: paid, unpaid, partial, excused, exempt (nothing due)."""
        if self.due == 0:
            return LineStatus.PAID if self.paid > 0 else LineStatus.EXEMPT
        if self.paid >= self.due:
            return LineStatus.PAID
        if self.excused:
            return LineStatus.EXCUSED
        return LineStatus.PARTIAL if self.paid > 0 else LineStatus.UNPAID

    @property
    def is_unpaid(self):
        return self.status in {LineStatus.UNPAID, LineStatus.PARTIAL}

    def get_category_display(self):
        return DuesCategory(self.category).label


@dataclass
class MonthTotals:
    due: int = 0
    paid: int = 0
    members: int = 0
    paid_members: int = 0
    unpaid_members: int = 0
    lines: list = field(default_factory=list)

    @property
    def collected_percent(self):
        if not self.due:
            return None
        return round(self.paid * 100 / self.due, 1)


def _rule_amounts(cell, months):
    """{month: (other amount, student amount before QĐ 01)} from the cell's settings
    in force on each month's first day, resolved like `effective_rules` (the deepest
    node wins, then the latest date). One query."""
    if not months:
        return {}
    ancestors = cell.ancestor_ids or [cell.pk]
    depth = {pk: index for index, pk in enumerate(ancestors)}
    keys = (RuleKey.DUES_OTHER_AMOUNT, RuleKey.DUES_STUDENT_AMOUNT_QD342)
    rows = list(
        RuleSetting.objects.filter(
            organization_id__in=ancestors, key__in=keys, valid_from__lte=max(months)
        ).values_list("organization_id", "key", "value", "valid_from")
    )
    amounts = {}
    for month in months:
        best = {}
        for org_id, key, value, valid_from in rows:
            if valid_from > month:
                continue
            rank = (depth[org_id], valid_from)
            if key not in best or rank > best[key][0]:
                best[key] = (rank, value)
        values = [
            int(best[key][1]) if key in best else int(default_value(key))
            for key in keys
        ]
        amounts[month] = tuple(values)
    return amounts


def _latest(rows, month, key):
    """The last of `rows` (sorted by `key` ascending) whose key is on or before
    `month`."""
    found = None
    for row in rows:
        if key(row) <= month:
            found = row
        else:
            break
    return found


def compute_lines(cell, members, months, *, closed=None):
    """{(member id, month): DuesLine} for `members` of `cell` over `months` (first
    days, ascending); `closed`, the cell's closed months, when already known. Seven
    queries (six with `closed`)."""
    ids = [m.pk for m in members]
    first, last = months[0], month_end(months[-1])
    categories = defaultdict(list)
    for period in DuesCategoryPeriod.objects.filter(
        Q(end__isnull=True) | Q(end__gte=first), member_id__in=ids, start__lte=last
    ).order_by("start", "pk"):
        categories[period.member_id].append(period)
    bases = defaultdict(list)
    for base in DuesBase.objects.filter(member_id__in=ids, month__lte=last).order_by(
        "month"
    ):
        bases[base.member_id].append(base)
    reliefs = defaultdict(list)
    for relief in DuesRelief.objects.filter(
        Q(last_month__isnull=True) | Q(last_month__gte=first),
        member_id__in=ids,
        first_month__lte=last,
    ).order_by("first_month", "pk"):
        reliefs[relief.member_id].append(relief)
    payments = {
        (p.member_id, p.month): p
        for p in DuesPayment.objects.filter(
            member_id__in=ids, month__gte=first, month__lte=last
        ).select_related("recorded_by__member")
    }
    adjusted = {
        (row["member_id"], row["month"]): row["total"]
        for row in DuesAdjustment.objects.filter(
            member_id__in=ids, month__gte=first, month__lte=last
        )
        .values("member_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    if closed is None:
        closed = set(
            DuesMonth.objects.filter(
                cell=cell, month__gte=first, month__lte=last, closed_at__isnull=False
            ).values_list("month", flat=True)
        )
    open_months = [m for m in months if m not in closed]
    amounts = _rule_amounts(cell, open_months)
    lines = {}
    for member in members:
        for month in months:
            key = (member.pk, month)
            line = DuesLine(
                member=member,
                month=month,
                payment=payments.get(key),
                adjusted=adjusted.get(key, 0),
            )
            if month in closed:
                if line.payment is None:
                    continue  # not on the sheet when it was closed
                line.category = line.payment.category
                line.base = line.payment.base
                line.due = line.payment.due_amount
                lines[key] = line
                continue
            if member.admission_date and member.admission_date > month_end(month):
                continue  # not a member yet
            _apply_rules(
                line, categories[member.pk], bases[member.pk], reliefs[member.pk]
            )
            other, student = amounts[month]
            flat = student if line.category == DuesCategory.STUDENT else other
            line.due = domain.monthly_dues(
                category=line.category,
                month=month,
                base=line.base,
                party_age_years=_party_age(member, month),
                reduction_percent=line.reduction_percent,
                exempt=line.exempt_reason in EXEMPT_KINDS,
                flat_amount=flat,
            )
            if (
                not line.exempt_reason
                and domain.dues_regulation(month) == "qd01"
                and (_party_age(member, month) or 0) >= domain.EXEMPT_PARTY_AGE_YEARS
            ):
                line.exempt_reason = "party_age"
            lines[key] = line
    return lines


def _party_age(member, month):
    return domain.party_age_years(member.admission_date, month_end(month))


def _apply_rules(line, categories, bases, reliefs):
    month, last = line.month, month_end(line.month)
    period = None
    for candidate in categories:
        if candidate.start <= last and (
            candidate.end is None or candidate.end >= month
        ):
            period = candidate  # the latest starting one wins
    if period is None:
        line.category, line.category_missing = DuesCategory.OTHER, True
    else:
        line.category = period.category
    base = _latest(bases, month, key=lambda b: b.month)
    if base is not None:
        line.base, line.declared = base.amount, base.declared_amount
    for relief in reliefs:
        if relief.first_month <= month and (
            relief.last_month is None or relief.last_month >= month
        ):
            if relief.kind == ReliefKind.REDUCTION:
                line.reduction_percent = relief.percent
            else:
                line.exempt_reason = relief.kind


def sheet_members(cell, month):
    """Members on a cell's sheet for `month`: its active members admitted by the
    month's end, and anyone with a payment recorded in the cell that month."""
    end = month_end(month)
    return list(
        Member.objects.filter(
            Q(organization=cell, is_active=True)
            & (Q(admission_date__isnull=True) | Q(admission_date__lte=end))
            | Q(dues_payments__cell=cell, dues_payments__month=month)
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def ledger_members(cell, months):
    """Members on any of the cell's sheets over `months`."""
    end = month_end(months[-1])
    return list(
        Member.objects.filter(
            Q(organization=cell, is_active=True)
            & (Q(admission_date__isnull=True) | Q(admission_date__lte=end))
            | Q(dues_payments__cell=cell, dues_payments__month__in=months)
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def get_dues_month(cell, month):
    """The cell's record of `month` (unsaved and open when none exists yet)."""
    record = (
        DuesMonth.objects.filter(cell=cell, month=month)
        .select_related("closed_by__member")
        .first()
    )
    return record or DuesMonth(cell=cell, month=month)


def collection_sheet(cell, month):
    """The sheet of `cell` for `month`: lines in name order, totals, the month's
    record and, for an open month, the retained share in force. Constant queries."""
    month = domain.month_start(month)
    members = sheet_members(cell, month)
    lines = compute_lines(cell, members, [month]) if members else {}
    ordered = [lines[(m.pk, month)] for m in members if (m.pk, month) in lines]
    totals = totals_of(ordered)
    record = get_dues_month(cell, month)
    if record.is_closed:
        retained_percent = record.retained_percent
    else:
        retained_percent = int(
            effective_rules(cell, on=month)[RuleKey.DUES_RETAINED_PERCENT]["value"]
        )
    retained = remittance(totals.paid, retained_percent)
    return {
        "cell": cell,
        "month": month,
        "record": record,
        "lines": ordered,
        "totals": totals,
        "retained_percent": retained_percent,
        "retained_amount": retained[0],
        "remitted_amount": retained[1],
    }


def remittance(collected, retained_percent):
    """(kept by the cell, remitted upward) for `collected` đồng: the cell's share is
    rounded half up to whole đồng, the rest goes up."""
    kept = (collected * retained_percent * 2 + 100) // 200
    return kept, collected - kept


def totals_of(lines):
    totals = MonthTotals(lines=lines)
    for line in lines:
        totals.due += line.due
        totals.paid += line.paid
        totals.members += 1
        if line.status == LineStatus.PAID:
            totals.paid_members += 1
        elif line.is_unpaid:
            totals.unpaid_members += 1
    return totals


def year_ledger(cell, year, *, today):
    """The cell's year: per member the 12 lines (None where the member was not on
    the sheet), per month the totals, and the members with 3 unpaid months."""
    months = year_months(year)
    members = ledger_members(cell, months)
    closed = set(
        DuesMonth.objects.filter(
            cell=cell, month__year=year, closed_at__isnull=False
        ).values_list("month", flat=True)
    )
    lines = compute_lines(cell, members, months, closed=closed) if members else {}
    start = ledger_start(cell)
    counted = [
        m
        for m in months
        if start is not None and m >= start and (m in closed or month_end(m) < today)
    ]
    rows = []
    for member in members:
        member_lines = [lines.get((member.pk, m)) for m in months]
        unpaid = unpaid_of(member_lines, counted)
        rows.append({"member": member, "lines": member_lines, "unpaid": unpaid})
    month_totals = [
        totals_of(
            [line for line in (lines.get((m.pk, month)) for m in members) if line]
        )
        for month in months
    ]
    openings = dict(
        DuesOpeningBalance.objects.filter(
            member__in=[m.pk for m in members], year=year
        ).values_list("member_id", "amount")
    )
    for row in rows:
        row["opening"] = openings.get(row["member"].pk)
    decisions = {
        d.member_id: d
        for d in DuesDecision.objects.filter(
            member__in=[m.pk for m in members], year=year
        )
    }
    alerts = [
        {
            "member": row["member"],
            "unpaid": row["unpaid"],
            "decision": decisions.get(row["member"].pk),
        }
        for row in rows
        if domain.removal_alert(row["unpaid"])
    ]
    return {
        "cell": cell,
        "year": year,
        "months": months,
        "closed": closed,
        "rows": rows,
        "month_totals": month_totals,
        "year_due": sum(t.due for t in month_totals),
        "year_paid": sum(t.paid for t in month_totals),
        "alerts": alerts,
    }


def ledger_start(cell):
    """The first month the cell kept its dues here (its first sheet record; closing
    a month writes a record for everyone on the sheet): months before it are not
    counted as unpaid, so a cell that starts mid-year is not shown in arrears for
    the months before. One query."""
    return DuesPayment.objects.filter(cell=cell).aggregate(first=Min("month"))["first"]


def unpaid_of(lines, counted_months):
    """The months among `counted_months` (ended or closed) a member left unpaid."""
    return domain.unpaid_months(
        (line.month, line.due, line.paid, line.excused)
        for line in lines
        if line is not None and line.month in counted_months
    )


def member_year(member, year, *, today):
    """A member's own dues for `year` in their current cell."""
    months = year_months(year, until=max(today, date(year, 1, 1)))
    if not months:
        return []
    lines = compute_lines(member.organization, [member], months)
    return [lines[(member.pk, m)] for m in months if (member.pk, m) in lines]


def meeting_dues_status(cell, day):
    """The dues status read out at the opening of a meeting held on `day`: last
    month's sheet (members paid, unpaid, amounts) and the members in arrears this
    year (months that ended unpaid without an approved reason). Constant queries."""
    previous = (domain.month_start(day) - date.resolution).replace(day=1)
    ledger = year_ledger(cell, previous.year, today=day)
    totals = ledger["month_totals"][previous.month - 1]
    return {
        "month": previous,
        "members": totals.members,
        "paid_members": totals.paid_members,
        "due": totals.due,
        "paid": totals.paid,
        "unpaid": [line.member.full_name for line in totals.lines if line.is_unpaid],
        "arrears": [
            (row["member"].full_name, len(row["unpaid"]))
            for row in ledger["rows"]
            if row["unpaid"]
        ],
    }


def meeting_dues_text(status):
    """The status as the sentence the minutes record."""

    def money(value):
        return number_format(value, decimal_pos=0, force_grouping=True)

    text = gettext(
        "Party dues of %(month)s: %(paid)s of %(members)s members paid; "
        "%(collected)s of %(due)s đồng collected."
    ) % {
        "month": status["month"].strftime("%m/%Y"),
        "paid": status["paid_members"],
        "members": status["members"],
        "collected": money(status["paid"]),
        "due": money(status["due"]),
    }
    if status["unpaid"]:
        text += " " + gettext("Not paid: %(names)s.") % {
            "names": ", ".join(status["unpaid"])
        }
    if status["arrears"]:
        parts = [
            ngettext("%(name)s (%(n)s month)", "%(name)s (%(n)s months)", n)
            % {"name": name, "n": n}
            for name, n in status["arrears"]
        ]
        text += " " + gettext("In arrears this year: %(list)s.") % {
            "list": ", ".join(parts)
        }
    else:
        text += " " + gettext("Nobody is in arrears this year.")
    return text


def removal_alert_members(path, first, end):
    """[(cell path, cell id, member id, year)]: the members of the cells under
    `path` who left 3 or more closed months unpaid, without an approved reason
    (corrections counted), in a calendar year of the months from `first` to before
    `end`, and on whom the cell has recorded no decision for that year. Two
    queries."""
    closed_keys = set(
        DuesMonth.objects.filter(
            cell__path__startswith=path,
            month__gte=first,
            month__lt=end,
            closed_at__isnull=False,
        ).values_list("cell_id", "month")
    )
    if not closed_keys:
        return []
    adjusted = (
        DuesAdjustment.objects.filter(
            member_id=OuterRef("member_id"), month=OuterRef("month")
        )
        .values("member_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    decided = DuesDecision.objects.filter(
        member_id=OuterRef("member_id"), year=OuterRef("month__year")
    )
    unpaid = (
        DuesPayment.objects.filter(
            cell__path__startswith=path,
            month__gte=first,
            month__lt=end,
            due_amount__gt=0,
            excuse="",
        )
        .annotate(
            adjusted=Coalesce(
                Subquery(adjusted, output_field=BigIntegerField()),
                Value(0),
                output_field=BigIntegerField(),
            )
        )
        .filter(paid_amount__lt=F("due_amount") - F("adjusted"))
        .exclude(Exists(decided))
        .values_list("cell__path", "cell_id", "member_id", "month")
    )
    counts = defaultdict(int)
    for cell_path, cell_id, member_id, month in unpaid:
        if (cell_id, month) in closed_keys:
            counts[(cell_path, cell_id, member_id, month.year)] += 1
    return sorted(key for key, n in counts.items() if domain.removal_alert([None] * n))


def dues_collected(path, first, end):
    """The "dues collected" figure of the dashboards for the cells under `path`
    over the months from `first` to before `end`: {cell path: {"due", "paid",
    "months", "alerts"}} counted over the months the secretaries have closed (their
    frozen totals, plus later adjustments); "alerts" counts the cell's members with
    3 or more closed months unpaid without an approved reason in a calendar year of
    the period on whom the cell has not recorded a decision. Three queries."""
    closed = DuesMonth.objects.filter(
        cell__path__startswith=path,
        month__gte=first,
        month__lt=end,
        closed_at__isnull=False,
    )
    figures = defaultdict(lambda: {"due": 0, "paid": 0, "months": 0, "alerts": 0})
    for cell_path, due, paid in closed.values_list(
        "cell__path", "due_total", "paid_total"
    ):
        figures[cell_path]["due"] += due
        figures[cell_path]["paid"] += paid
        figures[cell_path]["months"] += 1
    for cell_path, total in (
        DuesAdjustment.objects.filter(
            cell__path__startswith=path, month__gte=first, month__lt=end
        )
        .values("cell__path")
        .annotate(total=Sum("amount"))
        .values_list("cell__path", "total")
        .order_by()
    ):
        if cell_path in figures:
            figures[cell_path]["paid"] += total
    for cell_path, _cell_id, _member_id, _year in removal_alert_members(
        path, first, end
    ):
        figures[cell_path]["alerts"] += 1
    return dict(figures)


def removal_alerts_of_year(year):
    """[(cell id, member id)] of every member with 3 closed months unpaid in
    `year` and no decision of the cell yet (the secretary's reminder)."""
    return [
        (cell_id, member_id)
        for _path, cell_id, member_id, _year in removal_alert_members(
            "", date(year, 1, 1), date(year + 1, 1, 1)
        )
    ]


def decided_members(member_ids, year):
    """The members among `member_ids` on whom the cell recorded a dues decision
    for `year` (one query)."""
    return set(
        DuesDecision.objects.filter(member_id__in=member_ids, year=year).values_list(
            "member_id", flat=True
        )
    )
