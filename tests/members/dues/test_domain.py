"""members.domain's dues rules (DOMAIN.md §9, §11): pure, no database."""

from datetime import date
from decimal import Decimal

import pytest

from members.domain import (
    dues_regulation,
    monthly_dues,
    months_between,
    reduction_within_limit,
    removal_alert,
    unpaid_months,
)

QD01 = date(2026, 3, 15)  # any day of a month under QĐ 01-QĐ/TW
QD342 = date(2025, 11, 30)  # any day of a month under QĐ 342-QĐ/TW


# categories under both regulations ---------------------------------------------------


@pytest.mark.parametrize("month", [QD01, QD342])
def test_monthly_dues_insured_pay_one_percent_of_the_base(month):
    assert monthly_dues(category="insured", month=month, base=8_500_000) == 85_000


@pytest.mark.parametrize("month", [QD01, QD342])
def test_monthly_dues_pensioners_pay_half_a_percent(month):
    assert monthly_dues(category="pensioner", month=month, base=7_300_000) == 36_500


def test_monthly_dues_students_pay_5000_from_february_2026_whatever_the_flat():
    assert monthly_dues(category="student", month=QD01) == 5000
    assert monthly_dues(category="student", month=QD01, flat_amount=3000) == 5000


def test_monthly_dues_students_pay_the_flat_amount_before_february_2026():
    assert monthly_dues(category="student", month=QD342, flat_amount=3000) == 3000
    assert monthly_dues(category="student", month=date(2026, 1, 31)) == 0


@pytest.mark.parametrize("month", [QD01, QD342])
def test_monthly_dues_other_members_pay_the_flat_amount(month):
    assert monthly_dues(category="other", month=month, flat_amount=10_000) == 10_000
    assert monthly_dues(category="other", month=month, base=9_000_000) == 0


def test_monthly_dues_regulation_changes_on_the_first_of_february_2026():
    assert dues_regulation(date(2026, 1, 31)) == "qd342"
    assert dues_regulation(date(2026, 2, 1)) == "qd01"
    assert dues_regulation(date(2027, 1, 1)) == "qd01"
    assert dues_regulation(date(2010, 3, 1)) == "qd342"


def test_monthly_dues_accepts_decimal_bases():
    assert (
        monthly_dues(category="insured", month=QD01, base=Decimal("4680000")) == 46_800
    )


# exemptions -------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["insured", "pensioner", "student", "other"])
def test_monthly_dues_fifty_years_of_party_age_exempt_from_february_2026(category):
    kwargs = {"category": category, "base": 6_000_000, "flat_amount": 10_000}
    assert monthly_dues(month=QD01, party_age_years=50, **kwargs) == 0
    assert monthly_dues(month=QD01, party_age_years=63, **kwargs) == 0
    assert monthly_dues(month=QD01, party_age_years=49, **kwargs) > 0


def test_monthly_dues_no_fifty_year_exemption_before_february_2026():
    assert (
        monthly_dues(
            category="pensioner", month=QD342, base=6_000_000, party_age_years=55
        )
        == 30_000
    )
    assert (
        monthly_dues(
            category="pensioner",
            month=date(2026, 2, 1),
            base=6_000_000,
            party_age_years=55,
        )
        == 0
    )


@pytest.mark.parametrize("month", [QD01, QD342])
def test_monthly_dues_an_approved_exemption_is_nothing_due(month):
    assert monthly_dues(category="insured", month=month, base=9e6, exempt=True) == 0
    assert (
        monthly_dues(category="other", month=month, flat_amount=10_000, exempt=True)
        == 0
    )


def test_monthly_dues_unknown_party_age_is_not_an_exemption():
    assert (
        monthly_dues(category="insured", month=QD01, base=5e6, party_age_years=None)
        == 50_000
    )


# reductions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "expected"), [(0, 85_000), (30, 59_500), (50, 42_500), (70, 25_500)]
)
def test_monthly_dues_reduction_applies_last(percent, expected):
    amount = monthly_dues(
        category="insured", month=QD01, base=8_500_000, reduction_percent=percent
    )
    assert amount == expected


def test_monthly_dues_reduction_of_a_flat_amount():
    assert monthly_dues(category="student", month=QD01, reduction_percent=50) == 2500
    assert (
        monthly_dues(
            category="other", month=QD342, flat_amount=2000, reduction_percent=70
        )
        == 600
    )


@pytest.mark.parametrize("percent", [10, 20, 100, -30, 35])
def test_monthly_dues_refuses_other_reductions(percent):
    with pytest.raises(ValueError, match="reduction"):
        monthly_dues(
            category="insured", month=QD01, base=1_000_000, reduction_percent=percent
        )


def test_monthly_dues_refuses_an_unknown_category_and_negative_amounts():
    with pytest.raises(ValueError, match="category"):
        monthly_dues(category="retired", month=QD01, base=1_000_000)
    with pytest.raises(ValueError, match="negative"):
        monthly_dues(category="insured", month=QD01, base=-1)
    with pytest.raises(ValueError, match="negative"):
        monthly_dues(category="other", month=QD01, flat_amount=-5)


@pytest.mark.parametrize(
    ("first", "last", "allowed"),
    [
        (date(2026, 2, 1), date(2026, 2, 1), True),  # one month
        (date(2026, 2, 1), date(2027, 1, 1), True),  # 12 months
        (date(2026, 2, 1), date(2027, 2, 1), False),  # 13 months
        (date(2026, 12, 1), date(2027, 11, 30), True),  # across a year end
        (date(2026, 5, 1), date(2026, 4, 1), False),  # backwards
    ],
)
def test_reduction_within_limit_is_at_most_twelve_months(first, last, allowed):
    assert reduction_within_limit(first, last) is allowed


def test_months_between_counts_both_ends():
    assert months_between(date(2026, 1, 31), date(2026, 1, 1)) == 1
    assert months_between(date(2025, 11, 1), date(2026, 2, 1)) == 4


# rounding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "base", "expected"),
    [
        ("insured", 150_050, 1501),  # 1500.5 → half up
        ("insured", 150_049, 1500),  # 1500.49
        ("insured", 150_051, 1501),  # 1500.51
        ("pensioner", 3_000_100, 15_001),  # 15000.5 → half up
        ("pensioner", 3_000_099, 15_000),  # 15000.495
        ("insured", 49, 0),  # 0.49
        ("insured", 50, 1),  # 0.5
    ],
)
def test_monthly_dues_rounds_to_whole_dong_half_up(category, base, expected):
    assert monthly_dues(category=category, month=QD01, base=base) == expected


def test_monthly_dues_rounds_once_after_the_reduction():
    # 1% of 150,150 is 1501.5; 70% off leaves exactly 450.45 → 450 (not 1502×30%).
    assert (
        monthly_dues(category="insured", month=QD01, base=150_150, reduction_percent=70)
        == 450
    )
    # 50% of 1% of 100,100 is 500.5 → 501.
    assert (
        monthly_dues(category="insured", month=QD01, base=100_100, reduction_percent=50)
        == 501
    )


# unpaid months and the removal alert ------------------------------------------------


def test_unpaid_months_counts_owed_months_without_an_approved_reason():
    rows = [
        (date(2026, 2, 1), 50_000, 50_000, False),  # paid
        (date(2026, 3, 1), 50_000, 0, False),  # unpaid
        (date(2026, 4, 1), 50_000, 20_000, False),  # partly paid: unpaid
        (date(2026, 5, 1), 50_000, 0, True),  # excused
        (date(2026, 6, 1), 0, 0, False),  # nothing due (exempt)
        (date(2026, 7, 1), 50_000, 60_000, False),  # paid above the rate
    ]
    assert unpaid_months(rows) == [date(2026, 3, 1), date(2026, 4, 1)]


def test_removal_alert_from_three_unpaid_months():
    months = [date(2026, m, 1) for m in (3, 4, 9)]
    assert removal_alert(months) is True
    assert removal_alert(months[:2]) is False
