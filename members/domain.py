"""Pure rules about organisations and members (DOMAIN.md §1–2). No ORM, no I/O."""

import calendar
from datetime import date

MIN_OFFICIAL_MEMBERS = 3
COMMITTEE_THRESHOLD = 9
MIN_COMMITTEE_OFFICERS = 3
PROBATION_MONTHS = 12


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
