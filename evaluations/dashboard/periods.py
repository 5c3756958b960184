"""Calendar arithmetic of the compliance dashboards (DOMAIN.md §8): months, the
periods a user picks (a year, a quarter, a month) and the periods the rollup stores.

Pure: no ORM, no request, no I/O. `today` defaults to the local date.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "PERIODS",
    "PERIOD_RE",
    "Period",
    "add_months",
    "closed_month_count",
    "closed_quarters",
    "current_month",
    "month_start",
    "months_to_refresh",
    "period_key",
    "period_months",
    "year_months",
]


def month_start(day):
    """The first day of the month of `day`."""
    return date(day.year, day.month, 1)


def add_months(month, n):
    """The first day of the month `n` months after (before, if negative) `month`."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def current_month(today=None):
    """The first day of the current (local) month."""
    return month_start(today or timezone.localdate())


def year_months(year, today=None):
    """The months of `year` up to the current month."""
    last = current_month(today)
    return [date(year, m, 1) for m in range(1, 13) if date(year, m, 1) <= last]


def months_to_refresh(month, today=None):
    """The months recomputed for a change filed under `month`: the month before (a
    meeting filed by its planned month may have been moved across the boundary)
    through the end of the year, or January after a December (the absence streak
    of later months and task deadlines depend on it); never beyond the current
    month unless `month` itself is later."""
    first = add_months(month, -1)
    last = max(date(month.year, 12, 1), add_months(month, 1))
    last = min(last, max(month, current_month(today)))
    months, cursor = [], first
    while cursor <= last:
        months.append(cursor)
        cursor = add_months(cursor, 1)
    return months


# --- the periods the rollup stores (CellPeriod.kind "y", "q", "m") --------------------

PERIODS = (
    [("y", 0)] + [("q", q) for q in range(1, 5)] + [("m", m) for m in range(1, 13)]
)


def period_months(year, kind, number):
    """The months of a stored period: kind "y" (number 0), "q" (1-4) or "m" (1-12)."""
    if kind == "y":
        return [date(year, m, 1) for m in range(1, 13)]
    if kind == "q":
        return [date(year, 3 * (number - 1) + m, 1) for m in range(1, 4)]
    return [date(year, number, 1)]


# --- the period a user picks ----------------------------------------------------------

PERIOD_RE = re.compile(r"^(\d{4})(?:-(Q[1-4]|\d{2}))?$")


@dataclass(frozen=True)
class Period:
    kind: str  # "year", "quarter" or "month"
    year: int
    number: int = 0  # quarter 1-4 or month 1-12

    @classmethod
    def parse(cls, value, today=None):
        """`2026`, `2026-Q3` or `2026-11`; the current year when empty or invalid."""
        today = today or timezone.localdate()
        match = PERIOD_RE.match((value or "").strip())
        if match:
            year = int(match.group(1))
            part = match.group(2)
            if 2000 <= year <= today.year + 1:
                if part is None:
                    return cls("year", year)
                if part.startswith("Q"):
                    return cls("quarter", year, int(part[1]))
                if 1 <= int(part) <= 12:
                    return cls("month", year, int(part))
        return cls("year", today.year)

    @property
    def key(self):
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def label(self):
        if self.kind == "year":
            return _("year %(year)s") % {"year": self.year}
        if self.kind == "quarter":
            return _("quarter %(quarter)s/%(year)s") % {
                "quarter": self.number,
                "year": self.year,
            }
        return _("month %(month)s/%(year)s") % {
            "month": f"{self.number:02d}",
            "year": self.year,
        }

    @property
    def months(self):
        if self.kind == "year":
            return [date(self.year, m, 1) for m in range(1, 13)]
        if self.kind == "quarter":
            first = 3 * (self.number - 1) + 1
            return [date(self.year, m, 1) for m in range(first, first + 3)]
        return [date(self.year, self.number, 1)]

    @property
    def first(self):
        return self.months[0]

    @property
    def end(self):
        """The day after the period."""
        return add_months(self.months[-1], 1)

    def quarters(self):
        """[(quarter, its months)] of the quarters that lie inside the period."""
        if self.kind == "month":
            return []
        numbers = range(1, 5) if self.kind == "year" else [self.number]
        return [
            (q, [date(self.year, 3 * (q - 1) + m, 1) for m in range(1, 4)])
            for q in numbers
        ]

    def choices(self, today=None):
        """Years, quarters and months offered in the period picker (this year and
        the previous two)."""
        today = today or timezone.localdate()
        options = []
        for year in range(today.year, today.year - 3, -1):
            options.append(Period("year", year))
            options += [Period("quarter", year, q) for q in range(1, 5)]
            options += [Period("month", year, m) for m in range(1, 13)]
        return options


def period_key(period):
    """The stored (CellPeriod kind, number) of a picked period."""
    return {"year": ("y", 0), "quarter": ("q", period.number)}.get(
        period.kind, ("m", period.number)
    )


def closed_month_count(period, this_month):
    """How many months of `period` have ended before `this_month`."""
    return sum(1 for month in period.months if month < this_month)


def closed_quarters(period, this_month):
    """The quarters of `period` that have ended before `this_month`."""
    return [q for q, months in period.quarters() if months[-1] < this_month]
