"""The inspection period (pure: no database, no clock)."""

import calendar
from datetime import date


def inspection_period(day, *, months=6):
    """(first day, last day) of the period of `months` months, counted from January,
    that holds `day`: with 6, January-June or July-December. ValueError unless
    `months` divides the year (1, 2, 3, 4, 6 or 12)."""
    if months < 1 or 12 % months:
        raise ValueError("months must divide 12")
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    last_day = calendar.monthrange(day.year, last_month)[1]
    return date(day.year, first_month, 1), date(day.year, last_month, last_day)
