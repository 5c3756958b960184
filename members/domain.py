"""Pure rules about organisations and members (DOMAIN.md §1–2). No ORM, no I/O."""

import calendar
from datetime import date
from fractions import Fraction

MIN_OFFICIAL_MEMBERS = 3
COMMITTEE_THRESHOLD = 9  # §1: 9 or more official members elect a cell committee
MIN_COMMITTEE_OFFICERS = 3
PROBATION_MONTHS = 12

# How a meeting day that falls on a weekend or holiday moves (the meeting_shift rule;
# meetings.domain.planned_meeting_date applies it).
SHIFT_NONE = "none"
SHIFT_NEXT_WORKING_DAY = "next_working_day"
SHIFT_PREVIOUS_WORKING_DAY = "previous_working_day"
SHIFTS = (SHIFT_NONE, SHIFT_NEXT_WORKING_DAY, SHIFT_PREVIOUS_WORKING_DAY)

# The values of members.models.MemberStatus and of the cell-level OrgKinds, for the
# rules and predicates that read no models.
PROBATIONARY = "probationary"
OFFICIAL = "official"
CELL = "cell"
PARTY_GROUP = "party_group"
CELL_LEVEL_KINDS = frozenset({CELL, PARTY_GROUP})  # a cell and its party groups


def add_months(day, months):
    """`day` moved by whole months, clipped to the last day of the target month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def probation_end(admission_date):
    """The day the 12-month probation ends (recognition may be voted from then)."""
    return add_months(admission_date, PROBATION_MONTHS)


def recognition_due(*, is_probationary, admission_date, today, warn_days=30):
    """True when a probationary member's recognition should be prepared: the probation
    ends within `warn_days` days or has already ended."""
    if not is_probationary or admission_date is None:
        return False
    return (probation_end(admission_date) - today).days <= warn_days


def party_age_years(admission_date, today):
    """Whole years since admission; None when the admission date is unknown."""
    if admission_date is None:
        return None
    years = today.year - admission_date.year
    if (today.month, today.day) < (admission_date.month, admission_date.day):
        years -= 1
    return max(years, 0)


def cell_alerts(*, official_count, officer_count):
    """Alert codes for a cell's size and committee (DOMAIN.md §1).

    - "too_few_official": fewer than 3 official members;
    - "needs_committee": 9 or more official members but fewer than 3 current
      officers (secretary, deputy, committee members), i.e. no elected committee.
    """
    alerts = []
    if official_count < MIN_OFFICIAL_MEMBERS:
        alerts.append("too_few_official")
    if official_count >= COMMITTEE_THRESHOLD and officer_count < MIN_COMMITTEE_OFFICERS:
        alerts.append("needs_committee")
    return alerts


def periods_overlap(start_a, end_a, start_b, end_b):
    """Whether two date periods overlap; an end of None is open-ended."""
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


# --- party dues (DOMAIN.md §9) ------------------------------------------------------

# The values of members.models.DuesCategory, for the rules here (they read no models).
INSURED = "insured"
PENSIONER = "pensioner"
STUDENT = "student"
OTHER_CATEGORY = "other"
DUES_CATEGORIES = (INSURED, PENSIONER, STUDENT, OTHER_CATEGORY)
DUES_REDUCTIONS = (0, 30, 50, 70)
# QĐ 01-QĐ/TW applies to the dues of February 2026 on; QĐ 342-QĐ/TW before.
QD01_FIRST_MONTH = date(2026, 2, 1)
QD01_STUDENT_AMOUNT = 5000
EXEMPT_PARTY_AGE_YEARS = 50
MAX_REDUCTION_MONTHS = 12
UNPAID_MONTHS_ALERT = 3


def dues_regulation(month):
    """ "qd01" for the dues of a month from February 2026 on, "qd342" before."""
    return "qd01" if (month.year, month.month) >= (2026, 2) else "qd342"


def _round_half_up(value):
    """A non-negative Fraction rounded to whole đồng, halves up."""
    return int(value + Fraction(1, 2))


def monthly_dues(
    *,
    category,
    month,
    base=0,
    party_age_years=0,
    reduction_percent=0,
    exempt=False,
    flat_amount=0,
):
    """The dues a member owes for `month` (any date in it), in whole đồng, half up.

    insured 1% of `base`, pensioner 0.5% of `base`, student 5,000 from 2026-02
    (`flat_amount` before), other `flat_amount`. 0 when `exempt` (an approved
    exemption: social pension allowance, hardship) and, from 2026-02, when the party
    age is 50 years or more. `reduction_percent` (0, 30, 50, 70) applies last; the
    amount is computed exactly and rounded once. ValueError on an unknown category,
    reduction or a negative amount.
    """
    if category not in DUES_CATEGORIES:
        raise ValueError(f"unknown dues category {category!r}")
    if reduction_percent not in DUES_REDUCTIONS:
        raise ValueError(f"reduction must be one of {DUES_REDUCTIONS}")
    base = Fraction(str(base)) if not isinstance(base, int) else Fraction(base)
    flat = Fraction(str(flat_amount)) if flat_amount else Fraction(0)
    if base < 0 or flat < 0:
        raise ValueError("dues amounts cannot be negative")
    qd01 = dues_regulation(month) == "qd01"
    if exempt or (qd01 and (party_age_years or 0) >= EXEMPT_PARTY_AGE_YEARS):
        return 0
    if category == INSURED:
        amount = base / 100
    elif category == PENSIONER:
        amount = base / 200
    elif category == STUDENT:
        amount = Fraction(QD01_STUDENT_AMOUNT) if qd01 else flat
    else:
        amount = flat
    amount = amount * (100 - reduction_percent) / 100
    return _round_half_up(amount)


def month_start(day):
    """The first day of `day`'s month."""
    return day.replace(day=1)


def months_between(first, last):
    """The number of months from `first`'s month to `last`'s month, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def reduction_within_limit(first_month, last_month):
    """Whether a reduction from `first_month` to `last_month` (both included) lasts
    at most 12 months (QĐ 01-QĐ/TW: each approval at most 12 months)."""
    return 1 <= months_between(first_month, last_month) <= MAX_REDUCTION_MONTHS


def unpaid_months(rows):
    """The months of `rows` ((month, due, paid, excused) tuples) that count as unpaid:
    something was due, less was paid, and no approved reason excuses it."""
    return sorted(
        month
        for month, due, paid, excused in rows
        if due > 0 and paid < due and not excused
    )


def removal_alert(unpaid):
    """Whether the unpaid months of one calendar year reach the 3 that make the cell
    consider proposing removal from the rolls (QĐ 01-QĐ/TW)."""
    return len(unpaid) >= UNPAID_MONTHS_ALERT


def roll_standing(
    *,
    status: str,
    official_date: date | None,
    admission_date: date | None,
    active: bool,
    deactivated_on: date | None,
    attached_in: bool,
    day: date,
) -> str | None:
    """Return a member record's standing on the cell's roll on ``day`` (§8: member
    counts come from the roster, never from attendance rows): "official",
    "probationary", or None when the record is not one of the cell's own members
    that day — not admitted yet, deactivated on or before ``day``, or attached in from
    elsewhere (the home cell counts them). A recorded admission date later than
    ``day`` leaves the member out; an official member recognised after ``day`` was
    probationary then."""
    if attached_in:
        return None
    if admission_date is not None and admission_date > day:
        return None
    if not active and (deactivated_on is None or deactivated_on <= day):
        return None
    if status == "official" and (official_date is None or official_date <= day):
        return "official"
    return "probationary"
