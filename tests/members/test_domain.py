"""Tests for members.domain: pure rules, no database, no Django."""

from datetime import date

import pytest

from members.domain import (
    add_months,
    cell_alerts,
    party_age_years,
    periods_overlap,
    probation_end,
    recognition_due,
)

# add_months -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2100, 1, 31), 1, date(2100, 2, 28)),  # century, not a leap year
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # divisible by 400
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 1, 15), 1, date(2025, 2, 15)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),  # year rollover
        (date(2025, 11, 30), 14, date(2027, 1, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 5, 20), 0, date(2025, 5, 20)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2025, 1, 31), -13, date(2023, 12, 31)),
    ],
)
def test_add_months_clips_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


# probation_end ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admission", "expected"),
    [
        (date(2025, 3, 3), date(2026, 3, 3)),
        (date(2025, 12, 31), date(2026, 12, 31)),
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2023, 2, 28), date(2024, 2, 28)),
    ],
)
def test_probation_end_is_twelve_months_after_admission(admission, expected):
    assert probation_end(admission) == expected


# recognition_due --------------------------------------------------------------------

ADMITTED = date(2025, 3, 10)  # probation ends 10/03/2026


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 3, 10), False),  # the day of admission
        (date(2026, 2, 7), False),  # 31 days before the end
        (date(2026, 2, 8), True),  # exactly 30 days before the end
        (date(2026, 2, 9), True),
        (date(2026, 3, 10), True),  # the end itself
        (date(2026, 9, 1), True),  # long overdue stays due
    ],
)
def test_recognition_due_warns_from_warn_days_before_the_end(today, expected):
    assert (
        recognition_due(is_probationary=True, admission_date=ADMITTED, today=today)
        is expected
    )


@pytest.mark.parametrize(
    ("warn_days", "today", "expected"),
    [
        (0, date(2026, 3, 9), False),
        (0, date(2026, 3, 10), True),
        (60, date(2026, 1, 8), False),  # 61 days before
        (60, date(2026, 1, 9), True),  # exactly 60 days before
    ],
)
def test_recognition_due_uses_the_given_warn_days(warn_days, today, expected):
    due = recognition_due(
        is_probationary=True, admission_date=ADMITTED, today=today, warn_days=warn_days
    )

    assert due is expected


@pytest.mark.parametrize(
    ("is_probationary", "admission_date"),
    [(False, ADMITTED), (True, None), (False, None)],
)
def test_recognition_due_false_without_probation_or_admission_date(
    is_probationary, admission_date
):
    due = recognition_due(
        is_probationary=is_probationary,
        admission_date=admission_date,
        today=date(2026, 3, 10),
    )

    assert due is False


# party_age_years --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admission", "today", "expected"),
    [
        (date(2000, 3, 3), date(2026, 3, 2), 25),  # the day before the anniversary
        (date(2000, 3, 3), date(2026, 3, 3), 26),  # the anniversary
        (date(2000, 3, 3), date(2026, 12, 31), 26),
        (date(2025, 6, 1), date(2026, 5, 31), 0),
        (date(2025, 6, 1), date(2026, 6, 1), 1),
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2026, 6, 1), date(2026, 6, 1), 0),
        (date(2026, 6, 1), date(2020, 1, 1), 0),  # admission after today: never < 0
    ],
)
def test_party_age_years_counts_whole_years(admission, today, expected):
    assert party_age_years(admission, today) == expected


def test_party_age_years_none_without_admission_date():
    assert party_age_years(None, date(2026, 1, 1)) is None


# cell_alerts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("official_count", "officer_count", "expected"),
    [
        (0, 0, ["too_few_official"]),
        (2, 0, ["too_few_official"]),
        (2, 3, ["too_few_official"]),
        (3, 0, []),
        (8, 0, []),  # below the committee threshold a committee is optional
        (8, 2, []),
        (9, 0, ["needs_committee"]),
        (9, 2, ["needs_committee"]),
        (9, 3, []),
        (30, 7, []),
    ],
)
def test_cell_alerts_size_and_committee(official_count, officer_count, expected):
    alerts = cell_alerts(official_count=official_count, officer_count=officer_count)

    assert alerts == expected


# periods_overlap --------------------------------------------------------------------

JAN_1, JAN_31 = date(2026, 1, 1), date(2026, 1, 31)
FEB_1, FEB_28 = date(2026, 2, 1), date(2026, 2, 28)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((JAN_1, JAN_31), (FEB_1, FEB_28), False),  # consecutive
        ((JAN_1, JAN_31), (JAN_31, FEB_28), True),  # share one day (inclusive)
        ((JAN_1, FEB_28), (FEB_1, FEB_1), True),  # b inside a
        ((JAN_1, None), (FEB_1, FEB_28), True),  # a open-ended
        ((FEB_1, None), (JAN_1, JAN_31), False),  # open-ended but starts later
        ((JAN_1, JAN_31), (FEB_1, None), False),
        ((JAN_1, None), (FEB_1, None), True),  # both open-ended
        ((JAN_1, JAN_1), (JAN_1, JAN_1), True),  # one-day periods on the same day
    ],
)
def test_periods_overlap(a, b, expected):
    assert periods_overlap(*a, *b) is expected
    assert periods_overlap(*b, *a) is expected  # symmetric
