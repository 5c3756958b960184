"""Vietnam's public holidays: the one source for working-day rules."""

from datetime import date

from members.holidays import holidays_around, public_holidays


def test_public_holidays_include_tet_and_are_cached():
    # Act
    holidays = public_holidays(2027)

    # Assert
    assert {date(2027, 2, day) for day in range(4, 11)} <= holidays
    assert date(2027, 9, 2) in holidays
    assert date(2027, 2, 3) not in holidays
    assert public_holidays(2027) is holidays


# --- rosters, attendance rows and votes -----------------------------------------------


def test_holidays_of_several_years_are_one_set():
    both = public_holidays(2026, 2027)
    assert date(2026, 9, 2) in both
    assert date(2027, 9, 2) in both
    assert both == public_holidays(2026) | public_holidays(2027)
    around = holidays_around(date(2026, 12, 6))
    assert {date(2025, 1, 1), date(2028, 9, 2)} <= around
    assert date(2029, 1, 1) not in around
