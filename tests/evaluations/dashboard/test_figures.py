"""evaluations.dashboard.figures: the flag rules and figure arithmetic on plain
values, no database."""

from datetime import date
from fractions import Fraction

from evaluations.dashboard.figures import (
    FLAG_BY_KEY,
    PERIOD_SUMS,
    Stats,
    cell_stats,
    flagged_cells,
    heat_level,
    percent,
    period_figures,
    ratio,
    sort_rows,
)
from evaluations.dashboard.periods import Period

Q3 = Period("quarter", 2026, 3)
NOVEMBER = date(2026, 11, 1)


def _row(**values):
    return dict.fromkeys(PERIOD_SUMS, 0) | values


def test_ratio_is_exact_and_none_without_a_denominator():
    assert ratio(2, 3) == Fraction(2, 3)
    assert ratio(1, 0) is None


def test_a_cell_without_a_row_misses_every_ended_month_and_quarter():
    stats = cell_stats(None, Q3, NOVEMBER, closed_months=3)
    assert stats.flags["missed_regular"] == 3
    assert stats.flags["no_thematic"] == 1
    assert stats.regular_due == 3
    assert stats.flags["few_officials"] == 0  # unknown roll: no flag


def test_cell_flags_from_its_period_row():
    row = _row(
        members=4,
        official_members=2,
        closed_months=3,
        held_closed=2,
        regular_held=2,
        att_required=20,
        att_present=17,  # exactly 85%: not above
        att_unexcused=1,
        minutes_late=1,
        reports_filed_late=1,
        reports_overdue=1,
        absent_streak=1,
        att_below_minimum=2,
        committee_missed=2,
        q3=1,
    )
    stats = cell_stats(row, Q3, NOVEMBER, closed_months=3)
    assert stats.flags == {
        "missed_regular": 1,
        "committee_missed": 2,
        "no_thematic": 0,
        "no_hcm": 0,  # a quarter's view
        "unexcused": 1,
        "low_attendance": 1,
        "below_minimum": 2,
        "absent_streak": 1,
        "minutes_late": 1,
        "report_late": 2,
        "dues_arrears": 0,
        "few_officials": 1,
    }
    assert stats.thematic_cells == {3: 1}
    assert stats.thematic_closed == {3: True}
    assert flagged_cells(stats) == dict.fromkeys(FLAG_BY_KEY, 1) | {
        "no_thematic": 0,
        "dues_arrears": 0,
        "no_hcm": 0,
    }


def test_attendance_above_85_percent_raises_no_flag():
    row = _row(official_members=5, att_required=100, att_present=86)
    assert cell_stats(row, Q3, NOVEMBER, closed_months=0).flags["low_attendance"] == 0


def test_stats_add_sums_every_part():
    a = Stats(cells=1, members=3)
    a.sums["regular_held"] = 1
    a.flags["unexcused"] = 1
    b = Stats(cells=2, members=5, regular_due=2)
    b.sums["regular_held"] = 2
    b.thematic_cells = {3: 1}
    total = Stats()
    total.add(a)
    total.add(b)
    assert (total.cells, total.members, total.regular_held) == (3, 8, 3)
    assert total.thematic_cells == {3: 1}
    assert total.flag_total == 1


def test_heat_levels():
    this = date(2026, 11, 1)
    past = date(2026, 10, 1)
    assert heat_level(None, past, this) == "empty"
    assert heat_level(Fraction(1), this, this) == "full"
    assert heat_level(Fraction(1, 2), this, this) == "open"
    assert heat_level(Fraction(9, 10), past, this) == "most"
    assert heat_level(Fraction(1, 10), past, this) == "some"
    assert heat_level(Fraction(0), past, this) == "none"


def test_percent_rounds_to_one_decimal():
    assert percent(Fraction(2, 3)) == 66.7
    assert percent(None) is None


def test_sort_rows_puts_missing_values_last():
    class Org:
        def __init__(self, name):
            self.name = name

    empty = Stats()
    full = Stats()
    full.sums["att_required"], full.sums["att_present"] = 10, 9
    low = Stats()
    low.sums["att_required"], low.sums["att_present"] = 10, 5
    rows = [(Org("b"), empty), (Org("a"), full), (Org("c"), low)]
    ordered = sort_rows(rows, "attendance", descending=True)
    assert [org.name for org, _s in ordered] == ["a", "c", "b"]
    by_name = sort_rows(rows, "name", descending=False)
    assert [org.name for org, _s in by_name] == ["a", "b", "c"]


def _month(month, **values):
    return {
        "month": month,
        "path": "/1/",
        "members": 4,
        "official_members": 3,
        "absent_streak": 0,
        "reports_pending": 0,
        "reports_pending_due": None,
    } | _row(**values)


def test_period_figures_of_a_quarter_from_its_months():
    by_month = {
        date(2026, 7, 1): _month(date(2026, 7, 1), regular_held=1, thematic_held=1),
        date(2026, 8, 1): _month(
            date(2026, 8, 1),
            absent_streak=2,
            reports_pending=1,
            reports_pending_due=date(2026, 9, 10),
        ),
    }
    values = period_figures(
        by_month, 2026, "q", 3, this_month=NOVEMBER, today=date(2026, 11, 23)
    )
    assert values["regular_held"] == 1
    assert (values["closed_months"], values["held_closed"]) == (3, 1)
    assert values["absent_streak"] == 2
    assert values["reports_overdue"] == 1
    assert (values["q3"], values["no_thematic"]) == (1, 0)
    assert values["held_months"] == 1 << 6  # July
    assert (
        period_figures(
            by_month, 2026, "m", 12, this_month=NOVEMBER, today=date(2026, 11, 23)
        )
        is None
    )
