"""evaluations.dashboard.periods: pure month and period arithmetic, no database."""

from datetime import date

import pytest

from evaluations.dashboard.periods import (
    PERIODS,
    Period,
    add_months,
    closed_month_count,
    closed_quarters,
    current_month,
    month_start,
    months_to_refresh,
    period_key,
    period_months,
    year_months,
)


def test_month_start_and_add_months_cross_the_year():
    assert month_start(date(2026, 12, 31)) == date(2026, 12, 1)
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 3, 1), -15) == date(2024, 12, 1)


def test_current_month_of_a_given_day():
    assert current_month(date(2026, 2, 28)) == date(2026, 2, 1)


def test_year_months_stop_at_the_current_month():
    assert year_months(2026, today=date(2026, 3, 31)) == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert year_months(2027, today=date(2026, 3, 31)) == []


def test_months_to_refresh_from_the_month_before_to_the_current_month():
    assert months_to_refresh(date(2026, 3, 1), today=date(2026, 5, 10)) == [
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
        date(2026, 5, 1),
    ]
    # A December change reaches January of the next year.
    assert months_to_refresh(date(2026, 12, 1), today=date(2027, 2, 1)) == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026", Period("year", 2026)),
        ("2026-Q3", Period("quarter", 2026, 3)),
        ("2026-11", Period("month", 2026, 11)),
        ("2026-13", Period("year", 2026)),
        ("1999", Period("year", 2026)),
        ("", Period("year", 2026)),
        (None, Period("year", 2026)),
    ],
)
def test_period_parse(value, expected):
    assert Period.parse(value, today=date(2026, 11, 23)) == expected


def test_period_keys_months_and_end():
    q3 = Period("quarter", 2026, 3)
    assert q3.key == "2026-Q3"
    assert q3.months == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    assert (q3.first, q3.end) == (date(2026, 7, 1), date(2026, 10, 1))
    assert Period("month", 2026, 3).key == "2026-03"
    assert Period("year", 2026).end == date(2027, 1, 1)
    assert [q for q, _m in Period("year", 2026).quarters()] == [1, 2, 3, 4]
    assert Period("month", 2026, 3).quarters() == []


def test_period_choices_cover_three_years():
    options = Period("year", 2026).choices(today=date(2026, 5, 1))
    assert len(options) == 3 * (1 + 4 + 12)
    assert options[0] == Period("year", 2026)


def test_stored_periods_and_their_months():
    assert len(PERIODS) == 17
    assert period_months(2026, "q", 2) == [
        date(2026, 4, 1),
        date(2026, 5, 1),
        date(2026, 6, 1),
    ]
    assert period_months(2026, "m", 2) == [date(2026, 2, 1)]
    assert period_key(Period("quarter", 2026, 3)) == ("q", 3)
    assert period_key(Period("year", 2026)) == ("y", 0)
    assert period_key(Period("month", 2026, 5)) == ("m", 5)


def test_closed_months_and_quarters():
    year = Period("year", 2026)
    assert closed_month_count(year, date(2026, 11, 1)) == 10
    assert closed_quarters(year, date(2026, 11, 1)) == [1, 2, 3]
    assert closed_quarters(Period("quarter", 2026, 4), date(2026, 11, 1)) == []
