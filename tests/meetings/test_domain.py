"""Tests for meetings.domain: pure rules, no database, no Django."""

from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction

import pytest

from meetings import domain
from meetings.domain import (
    admission_passes,
    attendance_rate,
    below_minimum_attendance,
    can_lock_minutes,
    can_sign_minutes,
    can_write_minutes,
    committee_meeting_date,
    committee_term_of,
    document_number,
    documents_sent_in_time,
    duration_minutes,
    has_cell_committee,
    has_topic_presenter,
    is_fully_signed,
    is_held,
    is_thematic_plan_month,
    is_upcoming,
    longest_absence_streak,
    meets_minimum_duration,
    minimum_duration_minutes,
    official_on,
    plan_month,
    planned_meeting_date,
    prefilled_status,
    propose_news_briefer,
    quarters_without_thematic,
    resolution_passes,
    slot_for,
    speaking_share,
    thematic_meeting_date,
    vote_denominator,
)

VN = timezone(timedelta(hours=7))

# Tết Đinh Mùi: the lunar new year falls on Saturday 6 February 2027. The test assumes
# a holiday run from Wednesday 3 to Wednesday 10 February; the real run comes from the
# maintained holiday calendar, so only its shape matters here.
TET_2027 = [date(2027, 2, 3) + timedelta(days=offset) for offset in range(8)]
# Reunification Day and Labour Day 2026: Thursday 30 April and Friday 1 May.
APRIL_MAY_2026 = [date(2026, 4, 30), date(2026, 5, 1)]
# National Day 2025: Monday 1 and Tuesday 2 September.
NATIONAL_DAY_2025 = [date(2025, 9, 1), date(2025, 9, 2)]
NEW_YEAR_2027 = [date(2027, 1, 1)]


# planned_meeting_date ------------------------------------------------------------


def test_planned_meeting_date_defaults_to_the_3rd():
    assert planned_meeting_date(2026, 11) == date(2026, 11, 3)


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2026, 4, 31, date(2026, 4, 30)),
        (2026, 6, 31, date(2026, 6, 30)),
        (2026, 2, 31, date(2026, 2, 28)),
        (2026, 2, 29, date(2026, 2, 28)),
        (2026, 2, 30, date(2026, 2, 28)),
        (2027, 2, 29, date(2027, 2, 28)),
        (2028, 2, 29, date(2028, 2, 29)),
        (2028, 2, 30, date(2028, 2, 29)),
        (2028, 2, 31, date(2028, 2, 29)),
        (2100, 2, 29, date(2100, 2, 28)),
        (2000, 2, 31, date(2000, 2, 29)),
        (2026, 1, 31, date(2026, 1, 31)),
        (2026, 12, 31, date(2026, 12, 31)),
        (2026, 5, 1, date(2026, 5, 1)),
        (2026, 4, 30, date(2026, 4, 30)),
    ],
)
def test_planned_meeting_date_clips_day_to_month_end(year, month, day, expected):
    assert planned_meeting_date(year, month, day=day) == expected


@pytest.mark.parametrize(
    ("year", "month", "day", "holidays", "expected"),
    [
        (2026, 10, 3, [], date(2026, 10, 3)),  # Saturday
        (2027, 2, 31, [], date(2027, 2, 28)),  # clipped to a Sunday
        (2026, 4, 30, APRIL_MAY_2026, date(2026, 4, 30)),  # holiday
        (2027, 2, 3, TET_2027, date(2027, 2, 3)),  # inside the Tết run
    ],
)
def test_planned_meeting_date_without_shift_keeps_weekends_and_holidays(
    year, month, day, holidays, expected
):
    result = planned_meeting_date(year, month, day=day, shift="none", holidays=holidays)

    assert result == expected


@pytest.mark.parametrize(
    ("year", "month", "day", "holidays", "expected"),
    [
        (2026, 11, 3, [], date(2026, 11, 3)),  # Tuesday, already a working day
        (2026, 10, 3, [], date(2026, 10, 5)),  # Saturday -> Monday
        (2026, 5, 3, [], date(2026, 5, 4)),  # Sunday -> Monday
        (2026, 2, 31, [], date(2026, 3, 2)),  # clipped to Sat 28 Feb -> Mon 2 Mar
        (2026, 1, 31, [], date(2026, 2, 2)),  # Sat 31 Jan -> Mon 2 Feb
        (2026, 4, 30, APRIL_MAY_2026, date(2026, 5, 4)),  # Thu, Fri holidays, weekend
        (2026, 4, 31, APRIL_MAY_2026, date(2026, 5, 4)),  # clipped, then shifted
        (2025, 9, 1, NATIONAL_DAY_2025, date(2025, 9, 3)),
        (2027, 2, 3, TET_2027, date(2027, 2, 11)),  # whole Tết run skipped
        (2027, 2, 5, TET_2027, date(2027, 2, 11)),
        (2027, 2, 11, TET_2027, date(2027, 2, 11)),  # day after the run
        (2028, 12, 31, [], date(2029, 1, 1)),  # Sunday -> next year
        (2026, 12, 31, [date(2026, 12, 31), date(2027, 1, 1)], date(2027, 1, 4)),
    ],
)
def test_planned_meeting_date_next_working_day(year, month, day, holidays, expected):
    result = planned_meeting_date(
        year, month, day=day, shift="next_working_day", holidays=holidays
    )

    assert result == expected


@pytest.mark.parametrize(
    ("year", "month", "day", "holidays", "expected"),
    [
        (2026, 11, 3, [], date(2026, 11, 3)),
        (2026, 10, 3, [], date(2026, 10, 2)),  # Saturday -> Friday
        (2026, 5, 3, [], date(2026, 5, 1)),  # Sunday -> Friday (no holidays given)
        (2026, 5, 3, APRIL_MAY_2026, date(2026, 4, 29)),  # back across the month end
        (2026, 8, 1, [], date(2026, 7, 31)),  # Saturday 1 Aug -> Friday 31 Jul
        (2025, 9, 2, NATIONAL_DAY_2025, date(2025, 8, 29)),  # Tue, Mon, Sun, Sat back
        (2027, 2, 3, TET_2027, date(2027, 2, 2)),
        (2027, 2, 10, TET_2027, date(2027, 2, 2)),  # whole Tết run skipped backwards
        (2027, 1, 1, NEW_YEAR_2027, date(2026, 12, 31)),  # back into the previous year
        (2027, 2, 31, [], date(2027, 2, 26)),  # clipped to Sun 28 Feb -> Fri 26 Feb
    ],
)
def test_planned_meeting_date_previous_working_day(
    year, month, day, holidays, expected
):
    result = planned_meeting_date(
        year, month, day=day, shift="previous_working_day", holidays=holidays
    )

    assert result == expected


def test_planned_meeting_date_accepts_any_iterable_of_holidays():
    holidays = (holiday for holiday in TET_2027)

    result = planned_meeting_date(
        2027, 2, day=3, shift="next_working_day", holidays=holidays
    )

    assert result == date(2027, 2, 11)


@pytest.mark.parametrize("day", [0, -1, 32])
def test_planned_meeting_date_rejects_day_out_of_range(day):
    with pytest.raises(ValueError, match="day"):
        planned_meeting_date(2026, 5, day=day)


@pytest.mark.parametrize("shift", ["", "next", "NONE", "nearest_working_day"])
def test_planned_meeting_date_rejects_unknown_shift(shift):
    with pytest.raises(ValueError, match="shift"):
        planned_meeting_date(2026, 5, shift=shift)


@pytest.mark.parametrize("month", [0, 13])
def test_planned_meeting_date_rejects_invalid_month(month):
    with pytest.raises(ValueError, match="month"):
        planned_meeting_date(2026, month)


# duration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("combined", "expected"), [(False, 90), (True, 120)], ids=["regular", "combined"]
)
def test_minimum_duration_minutes_depends_on_thematic_combination(combined, expected):
    assert minimum_duration_minutes(combined_with_thematic=combined) == expected


@pytest.mark.parametrize(
    ("minutes", "combined", "expected"),
    [
        (90, False, True),
        (89, False, False),
        (91, False, True),
        (0, False, False),
        (120, True, True),
        (119, True, False),
        (90, True, False),
    ],
)
def test_meets_minimum_duration_at_boundaries(minutes, combined, expected):
    assert meets_minimum_duration(minutes=minutes, combined_with_thematic=combined) is (
        expected
    )


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(minutes=90), 90),
        (timedelta(minutes=89, seconds=59), 89),
        (timedelta(minutes=120, seconds=1), 120),
        (timedelta(seconds=59), 0),
        (timedelta(0), 0),
        (timedelta(minutes=-30), 0),
        (timedelta(hours=3), 180),
    ],
)
def test_duration_minutes_counts_whole_minutes_never_negative(delta, expected):
    start = datetime(2026, 11, 3, 14, 0, tzinfo=VN)

    assert duration_minutes(start, start + delta) == expected


def test_duration_minutes_across_timezones_uses_real_elapsed_time():
    start = datetime(2026, 11, 3, 14, 0, tzinfo=VN)
    end = datetime(2026, 11, 3, 8, 30, tzinfo=UTC)  # 15:30 in Hà Nội

    assert duration_minutes(start, end) == 90


# documents_sent_in_time ----------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "min_days", "expected"),
    [
        (timedelta(days=1), 1, True),
        (timedelta(days=1) - timedelta(seconds=1), 1, False),
        (timedelta(days=2), 1, True),
        (timedelta(hours=12), 1, False),
        (timedelta(days=3), 3, True),
        (timedelta(days=2, hours=23), 3, False),
        (timedelta(0), 0, True),
        (-timedelta(hours=1), 1, False),  # sent after the start
    ],
)
def test_documents_sent_in_time_needs_full_days(before, min_days, expected):
    start = datetime(2026, 11, 3, 14, 0, tzinfo=VN)

    result = documents_sent_in_time(
        sent_at=start - before, meeting_start=start, min_days=min_days
    )

    assert result is expected


def test_documents_sent_in_time_defaults_to_one_day():
    start = datetime(2026, 11, 3, 14, 0)

    assert documents_sent_in_time(
        sent_at=datetime(2026, 11, 2, 14, 0), meeting_start=start
    )
    assert not documents_sent_in_time(
        sent_at=datetime(2026, 11, 2, 14, 1), meeting_start=start
    )


def test_documents_sent_in_time_is_false_when_never_sent():
    start = datetime(2026, 11, 3, 14, 0, tzinfo=VN)

    assert documents_sent_in_time(sent_at=None, meeting_start=start) is False


def test_documents_sent_in_time_rejects_negative_days():
    start = datetime(2026, 11, 3, 14, 0, tzinfo=VN)

    with pytest.raises(ValueError, match="min_days"):
        documents_sent_in_time(sent_at=start, meeting_start=start, min_days=-1)


# attendance_rate and speaking_share ----------------------------------------------


@pytest.mark.parametrize(
    ("present", "required", "expected"),
    [
        (9, 10, Fraction(9, 10)),
        (10, 10, Fraction(1)),
        (0, 10, Fraction(0)),
        (2, 3, Fraction(2, 3)),
        (0, 0, None),
    ],
)
def test_attendance_rate_is_exact(present, required, expected):
    assert attendance_rate(present=present, required=required) == expected


def test_attendance_rate_is_none_when_nobody_required():
    assert attendance_rate(present=0, required=0) is None


def test_attendance_rate_is_a_fraction_not_a_float():
    rate = attendance_rate(present=9, required=10)

    assert isinstance(rate, Fraction)
    assert rate >= Fraction(9, 10)


@pytest.mark.parametrize(("present", "required"), [(11, 10), (1, 0), (-1, 10), (0, -1)])
def test_attendance_rate_rejects_impossible_counts(present, required):
    with pytest.raises(ValueError, match=r"present|required"):
        attendance_rate(present=present, required=required)


@pytest.mark.parametrize(
    ("spoke", "present", "expected"),
    [
        (5, 9, Fraction(5, 9)),
        (0, 9, Fraction(0)),
        (9, 9, Fraction(1)),
        (0, 0, None),
    ],
)
def test_speaking_share_is_exact(spoke, present, expected):
    assert speaking_share(spoke=spoke, present=present) == expected


@pytest.mark.parametrize(("spoke", "present"), [(10, 9), (1, 0), (-1, 9), (0, -1)])
def test_speaking_share_rejects_impossible_counts(spoke, present):
    with pytest.raises(ValueError, match=r"spoke|present"):
        speaking_share(spoke=spoke, present=present)


def test_issue_example_attendance_and_speaking_share():
    # 11 members, 1 exempt, 9 present, 5 spoke.
    members, exempt, present, spoke = 11, 1, 9, 5

    rate = attendance_rate(present=present, required=members - exempt)
    share = speaking_share(spoke=spoke, present=present)

    assert rate == Fraction(9, 10)
    assert share == Fraction(5, 9)
    assert share > Fraction(1, 2)


# vote_denominator ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"official_members": 10}, 10),
        ({"official_members": 10, "transferred_out": 1}, 9),
        ({"official_members": 10, "exempt_absent": 2}, 8),
        ({"official_members": 10, "suspended": 1}, 9),
        ({"official_members": 10, "absent_excused_official": 3}, 7),
        (
            {
                "official_members": 12,
                "transferred_out": 1,
                "exempt_absent": 1,
                "suspended": 1,
                "absent_excused_official": 1,
            },
            8,
        ),
        ({"official_members": 0}, 0),
        ({"official_members": 3, "absent_excused_official": 3}, 0),
    ],
)
def test_vote_denominator_deducts_each_category(kwargs, expected):
    assert vote_denominator(**kwargs) == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"official_members": 2, "transferred_out": 3},
        {"official_members": 2, "exempt_absent": 2, "suspended": 2},
        {"official_members": 0, "absent_excused_official": 1},
    ],
)
def test_vote_denominator_is_never_negative(kwargs):
    assert vote_denominator(**kwargs) == 0


@pytest.mark.parametrize(
    "field",
    [
        "official_members",
        "transferred_out",
        "exempt_absent",
        "suspended",
        "absent_excused_official",
    ],
)
def test_vote_denominator_rejects_negative_counts(field):
    kwargs = {"official_members": 10, field: -1}

    with pytest.raises(ValueError, match=field):
        vote_denominator(**kwargs)


# resolution_passes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "denominator", "expected"),
    [
        (5, 10, False),  # exactly half fails
        (6, 10, True),  # half + 1 passes
        (4, 9, False),  # odd N: 4.5 is half, 4 below
        (5, 9, True),  # odd N: smallest majority
        (1, 1, True),
        (0, 1, False),
        (1, 2, False),
        (2, 3, True),
        (1, 3, False),
        (10, 10, True),
        (0, 10, False),
        (0, 0, False),  # nobody counts: never passes
    ],
)
def test_resolution_passes_needs_more_than_half(yes, denominator, expected):
    assert resolution_passes(yes=yes, denominator=denominator) is expected


@pytest.mark.parametrize(("yes", "denominator"), [(11, 10), (1, 0), (-1, 10), (0, -1)])
def test_resolution_passes_rejects_impossible_counts(yes, denominator):
    with pytest.raises(ValueError, match=r"yes|denominator"):
        resolution_passes(yes=yes, denominator=denominator)


def test_resolution_passes_with_computed_denominator():
    # 12 official, 1 transferred out, 1 suspended, 2 absent excused -> N = 8.
    denominator = vote_denominator(
        official_members=12, transferred_out=1, suspended=1, absent_excused_official=2
    )

    assert not resolution_passes(yes=4, denominator=denominator)
    assert resolution_passes(yes=5, denominator=denominator)


# admission_passes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "denominator", "expected"),
    [
        (6, 9, True),  # exactly two thirds
        (5, 9, False),  # just below
        (2, 3, True),
        (1, 3, False),
        (7, 10, True),  # 2/3 of 10 is 6.67: 7 needed
        (6, 10, False),
        (8, 12, True),
        (7, 12, False),
        (1, 1, True),
        (0, 1, False),
        (2, 2, True),
        (1, 2, False),
        (4, 5, True),
        (3, 5, False),
        (0, 0, False),
    ],
)
def test_admission_passes_needs_two_thirds(yes, denominator, expected):
    assert admission_passes(yes=yes, denominator=denominator) is expected


@pytest.mark.parametrize(("yes", "denominator"), [(10, 9), (1, 0), (-1, 9), (0, -3)])
def test_admission_passes_rejects_impossible_counts(yes, denominator):
    with pytest.raises(ValueError, match=r"yes|denominator"):
        admission_passes(yes=yes, denominator=denominator)


@pytest.mark.parametrize(("yes", "denominator"), [(5, 9), (6, 10), (6, 11), (7, 12)])
def test_admission_passes_is_stricter_than_a_resolution(yes, denominator):
    assert resolution_passes(yes=yes, denominator=denominator)
    assert not admission_passes(yes=yes, denominator=denominator)


# quarters_without_thematic -------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        ([], [1, 2, 3, 4]),
        ([date(2026, 3, 31)], [2, 3, 4]),
        ([date(2026, 4, 1)], [1, 3, 4]),
        ([date(2026, 6, 30), date(2026, 7, 1)], [1, 4]),
        ([date(2026, 9, 30), date(2026, 10, 1)], [1, 2]),
        ([date(2026, 12, 31)], [1, 2, 3]),
        (
            [date(2026, 1, 1), date(2026, 5, 3), date(2026, 8, 3), date(2026, 11, 3)],
            [],
        ),
        ([date(2026, 2, 3), date(2026, 3, 3)], [2, 3, 4]),  # two in one quarter
        ([date(2025, 12, 31), date(2027, 1, 1)], [1, 2, 3, 4]),  # other years only
        ([date(2025, 4, 3), date(2026, 4, 3), date(2027, 7, 3)], [1, 3, 4]),
    ],
)
def test_quarters_without_thematic(held, expected):
    assert quarters_without_thematic(held, year=2026) == expected


def test_quarters_without_thematic_accepts_datetimes_and_generators():
    held = (
        moment
        for moment in [datetime(2026, 1, 3, 14, tzinfo=VN), datetime(2026, 12, 3, 8)]
    )

    assert quarters_without_thematic(held, year=2026) == [2, 3]


# document_number -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("seq", "doc_type", "org_code", "expected"),
    [
        (1, "NQ", "CB", "Số 01-NQ/CB"),
        (9, "NQ", "CB", "Số 09-NQ/CB"),
        (10, "BB", "CB", "Số 10-BB/CB"),
        (99, "KH", "CB", "Số 99-KH/CB"),
        (123, "NQ", "CB", "Số 123-NQ/CB"),
        (2, "QĐ", "ĐU", "Số 02-QĐ/ĐU"),
        (7, "TB", "ĐU", "Số 07-TB/ĐU"),
    ],
)
def test_document_number_pads_to_two_digits(seq, doc_type, org_code, expected):
    assert document_number(seq=seq, doc_type=doc_type, org_code=org_code) == expected


def test_document_number_has_no_colon():
    assert ":" not in document_number(seq=1, doc_type="NQ", org_code="CB")


@pytest.mark.parametrize("seq", [0, -1])
def test_document_number_rejects_seq_below_one(seq):
    with pytest.raises(ValueError, match="seq"):
        document_number(seq=seq, doc_type="NQ", org_code="CB")


@pytest.mark.parametrize(("doc_type", "org_code"), [("", "CB"), ("NQ", "")])
def test_document_number_rejects_empty_codes(doc_type, org_code):
    with pytest.raises(ValueError, match="must not be empty"):
        document_number(seq=1, doc_type=doc_type, org_code=org_code)


# propose_news_briefer ------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidates", "last_briefed", "expected"),
    [
        ([1, 2, 3], {1: date(2026, 9, 3), 2: date(2026, 7, 3), 3: date(2026, 8, 3)}, 2),
        ([1, 2, 3], {1: date(2026, 9, 3), 3: date(2026, 8, 3)}, 2),  # never briefed
        ([1, 2, 3], {}, 1),  # nobody briefed: first in order
        ([3, 2, 1], {}, 3),
        ([1, 2, 3], {1: date(2026, 9, 3)}, 2),  # two never briefed: order decides
        ([1, 2, 3], {1: date(2026, 9, 3), 2: date(2026, 8, 3), 3: date(2026, 8, 3)}, 2),
        ([1, 3, 2], {1: date(2026, 9, 3), 2: date(2026, 8, 3), 3: date(2026, 8, 3)}, 3),
        ([4], {4: date(2026, 10, 3)}, 4),
        ([1, 2], {1: date(2026, 9, 3), 2: date(2026, 10, 3), 9: date(2020, 1, 3)}, 1),
        (["a", "b"], {"a": date(2026, 10, 3), "b": date(2025, 10, 3)}, "b"),
    ],
)
def test_propose_news_briefer_picks_longest_ago(candidates, last_briefed, expected):
    assert propose_news_briefer(candidates, last_briefed) == expected


def test_propose_news_briefer_returns_none_without_candidates():
    assert propose_news_briefer([], {1: date(2026, 9, 3)}) is None


# longest_absence_streak ----------------------------------------------------------

P, AE, AU, EX, AW = "present", "absent_excused", "absent_unexcused", "exempt", "away"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], 0),
        ([P, P, P], 0),
        ([AE], 1),
        ([AU, AE, AU], 3),
        ([AU, AE, AU, AE], 4),
        ([AE, AE, P, AE, AE, AE, P, AU], 3),
        ([AE, EX, AE, AW, AU], 3),  # exempt/away neither break nor extend
        ([AE, "suspended", AE, AU], 3),  # suspended neither breaks nor extends
        ([AE, EX, EX, AE, P, AE], 2),
        ([EX, AW, EX], 0),
        ([AE, P, AE, P, AE], 1),
        ([P, AU, AU, AU, AU, P], 4),
    ],
)
def test_longest_absence_streak(statuses, expected):
    assert longest_absence_streak(statuses) == expected


def test_longest_absence_streak_accepts_a_generator():
    assert longest_absence_streak(status for status in [AE, AE, AW, AU]) == 3


@pytest.mark.parametrize("status", ["late", "", "Present"])
def test_longest_absence_streak_rejects_unknown_status(status):
    with pytest.raises(ValueError, match="unknown attendance status"):
        longest_absence_streak([P, status])


# --- yearly plan ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "expected"),
    [(1, False), (2, True), (3, False), (5, True), (8, True), (11, True), (12, False)],
)
def test_is_thematic_plan_month_is_the_middle_month_of_each_quarter(month, expected):
    assert is_thematic_plan_month(month) is expected


def test_is_thematic_plan_month_picks_four_months_a_year():
    assert [m for m in range(1, 13) if is_thematic_plan_month(m)] == [2, 5, 8, 11]


@pytest.mark.parametrize("month", [0, 13, -1])
def test_is_thematic_plan_month_rejects_a_month_outside_the_year(month):
    with pytest.raises(ValueError, match="month must be 1-12"):
        is_thematic_plan_month(month)


# --- what the meeting page offers -----------------------------------------------------

STATES = (
    "planned",
    "notified",
    "held",
    "locked",
    "submitted",
    "acknowledged",
    "returned",
    "cancelled",
)


def test_is_held_is_true_from_held_on_except_cancelled():
    assert [s for s in STATES if is_held(s)] == [
        "held",
        "locked",
        "submitted",
        "acknowledged",
        "returned",
    ]


def test_is_upcoming_is_planned_or_notified():
    assert [s for s in STATES if is_upcoming(s)] == ["planned", "notified"]


@pytest.mark.parametrize(
    ("state", "adopted", "expected"),
    [
        ("held", False, True),
        ("held", True, False),
        ("planned", False, False),
        ("notified", False, False),
        ("locked", False, False),
        ("returned", False, False),
    ],
)
def test_can_write_minutes_only_while_held_and_not_adopted(state, adopted, expected):
    assert can_write_minutes(state, adopted=adopted) is expected


@pytest.mark.parametrize(
    ("taker", "chair", "expected"),
    [
        (True, True, True),
        (True, False, False),
        (False, True, False),
        (False, False, False),
    ],
)
def test_is_fully_signed_needs_both_signatures(taker, chair, expected):
    assert is_fully_signed(taker_signed=taker, chair_signed=chair) is expected


@pytest.mark.parametrize(
    ("adopted", "locked", "expected"),
    [(True, False, True), (False, False, False), (True, True, False)],
)
def test_can_sign_minutes_between_adoption_and_lock(adopted, locked, expected):
    assert can_sign_minutes(adopted=adopted, locked=locked) is expected


@pytest.mark.parametrize(
    ("adopted", "taker", "chair", "locked", "expected"),
    [
        (True, True, True, False, True),
        (False, True, True, False, False),
        (True, False, True, False, False),
        (True, True, False, False, False),
        (True, True, True, True, False),
    ],
)
def test_can_lock_minutes_when_adopted_signed_and_not_locked(
    adopted, taker, chair, locked, expected
):
    assert (
        can_lock_minutes(
            adopted=adopted, taker_signed=taker, chair_signed=chair, locked=locked
        )
        is expected
    )


@pytest.mark.parametrize(
    ("kind", "combined", "expected"),
    [
        ("thematic", False, True),
        ("regular", True, True),
        ("regular", False, False),
        ("extraordinary", False, False),
    ],
)
def test_has_topic_presenter_for_thematic_or_combined(kind, combined, expected):
    assert has_topic_presenter(kind, combined=combined) is expected


# prefilled_status and official_on (standing on the meeting day, §3.3) ---------------


@pytest.mark.parametrize(
    ("standing", "expected"),
    [
        ({}, "present"),
        ({"excused": True}, "absent_excused"),
        ({"exempt": True}, "exempt"),
        ({"exempt": True, "excused": True}, "exempt"),
        ({"away": True, "exempt": True}, "away"),
        ({"suspended": True}, "suspended"),
        (
            {"suspended": True, "away": True, "exempt": True, "excused": True},
            "suspended",
        ),
    ],
)
def test_prefilled_status_never_prefills_a_suspended_member_present(standing, expected):
    flags = {"suspended": False, "away": False, "exempt": False, "excused": False}
    assert prefilled_status(**(flags | standing)) == expected


@pytest.mark.parametrize(
    ("status", "official_date", "expected"),
    [
        ("official", date(2026, 11, 3), True),  # recognised that day
        ("official", date(2026, 11, 4), False),  # recognised the day after
        ("official", None, True),
        ("probationary", None, False),
    ],
)
def test_official_on_the_meeting_day(status, official_date, expected):
    day = date(2026, 11, 3)
    assert official_on(status=status, official_date=official_date, day=day) is expected


# plan_month (§8: a planned meeting counts for its plan slot) --------------------------


@pytest.mark.parametrize(
    ("slot", "planned", "expected"),
    [
        ("2027-M05", date(2027, 4, 29), date(2027, 5, 1)),  # shifted back a month
        ("2027-M01", date(2026, 12, 31), date(2027, 1, 1)),  # and a year
        ("2026-M11", date(2026, 11, 3), date(2026, 11, 1)),
        ("2026-M12", date(2027, 1, 4), date(2026, 12, 1)),  # shifted forward
        ("2026-Q4", date(2026, 11, 10), date(2026, 11, 1)),
        ("2027-Q2", date(2027, 3, 31), date(2027, 4, 1)),  # kept in the quarter
        ("2026-Q4", date(2027, 1, 2), date(2026, 12, 1)),
        ("", date(2026, 11, 20), date(2026, 11, 1)),  # outside the plan
    ],
)
def test_plan_month_counts_a_meeting_for_its_slot(slot, planned, expected):
    assert plan_month(slot, planned) == expected


# the yearly plan's other meetings (§3, §3.1) ------------------------------------------


@pytest.mark.parametrize(
    ("kind", "month", "slot"),
    [
        ("regular", 11, "2026-M11"),
        ("thematic", 11, "2026-Q4"),
        ("committee", 1, "2026-C01"),
        ("annual_review", 12, "2026-R"),
        ("extraordinary", 5, ""),
    ],
)
def test_slot_for(kind, month, slot):
    assert slot_for(kind, 2026, month) == slot


@pytest.mark.parametrize(("officials", "expected"), [(8, False), (9, True)])
def test_has_cell_committee(officials, expected):
    assert has_cell_committee(official_members=officials) is expected


def test_thematic_meeting_date_follows_the_cells_shift_and_offset():
    # 3 + 7 = 10 May 2026, a Sunday.
    assert thematic_meeting_date(2026, 5) == date(2026, 5, 10)
    assert thematic_meeting_date(2026, 5, shift="next_working_day") == date(2026, 5, 11)
    assert thematic_meeting_date(2026, 5, shift="previous_working_day") == date(
        2026, 5, 8
    )
    assert thematic_meeting_date(2026, 2, day=25, offset_days=7) == date(2026, 2, 28)
    assert thematic_meeting_date(2026, 11, offset_days=0) == date(2026, 11, 3)
    with pytest.raises(ValueError, match="offset_days"):
        thematic_meeting_date(2026, 11, offset_days=-1)


def test_committee_meeting_date_is_working_days_before():
    assert committee_meeting_date(date(2026, 11, 3)) == date(2026, 10, 30)
    assert committee_meeting_date(date(2026, 11, 6)) == date(2026, 11, 3)
    assert committee_meeting_date(
        date(2026, 11, 6), holidays=[date(2026, 11, 3)]
    ) == date(2026, 11, 2)


@pytest.mark.parametrize(
    ("present", "required", "minimum", "short"),
    [
        (6, 8, 75, False),  # exactly 75%
        (5, 7, 75, True),  # 71.4%
        (0, 9, 0, False),  # off by default
        (0, 0, 100, False),  # nobody required
        (9, 9, 100, False),
    ],
)
def test_below_minimum_attendance(present, required, minimum, short):
    assert (
        below_minimum_attendance(
            present=present, required=required, minimum_percent=minimum
        )
        is short
    )


def test_below_minimum_attendance_rejects_a_bad_minimum():
    with pytest.raises(ValueError, match="minimum_percent"):
        below_minimum_attendance(present=1, required=2, minimum_percent=101)


@pytest.mark.parametrize(
    ("day", "start_month", "months", "term"),
    [
        (date(2029, 12, 31), 1, 60, "2025-2030"),  # whole years: the year form
        (date(2030, 1, 1), 1, 60, "2030-2035"),
        (date(2027, 3, 1), 1, 30, "01/2025-06/2027"),  # congress twice per term
        (date(2027, 7, 1), 1, 30, "07/2027-12/2029"),
        (date(2024, 12, 1), 1, 30, "07/2022-12/2024"),  # before the start
        (date(2026, 5, 1), 6, 60, "06/2025-05/2030"),
        (date(2025, 5, 31), 6, 60, "06/2020-05/2025"),
    ],
)
def test_committee_term_of_months(day, start_month, months, term):
    assert (
        committee_term_of(day, start_year=2025, start_month=start_month, months=months)
        == term
    )


def test_committee_term_of_rejects_bad_lengths():
    with pytest.raises(ValueError, match="months"):
        committee_term_of(date(2026, 1, 1), start_year=2025, months=0)
    with pytest.raises(ValueError, match="start_month"):
        committee_term_of(date(2026, 1, 1), start_year=2025, start_month=13)


@pytest.mark.parametrize(
    ("combined", "members", "threshold", "minimum"),
    [
        (False, 40, 0, 90),  # off by default
        (False, 40, 40, 120),  # a large cell (ward variant)
        (False, 39, 40, 90),
        (True, 5, 40, 120),
    ],
)
def test_minimum_duration_for_large_cells(combined, members, threshold, minimum):
    assert (
        minimum_duration_minutes(
            combined_with_thematic=combined,
            members=members,
            long_meeting_members=threshold,
        )
        == minimum
    )


# --- guarded steps (issue 16 §2) ----------------------------------------------------


@pytest.mark.parametrize(
    ("today", "allowed"),
    [(date(2026, 12, 6), False), (date(2026, 12, 8), True), (date(2026, 12, 9), True)],
)
def test_can_start_meeting_from_its_day_on(today, allowed):
    assert domain.can_start_meeting(today=today, scheduled_day=date(2026, 12, 8)) is (
        allowed
    )


EVENING = datetime(2026, 12, 8, 19, 30)


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (datetime(2026, 12, 8, 19, 30), datetime(2026, 12, 8, 21, 45), None),
        (datetime(2026, 12, 8, 19, 30), None, None),
        (None, None, None),
        (
            datetime(2026, 12, 8, 19, 30),
            datetime(2026, 12, 8, 19, 30),
            "end_before_start",
        ),
        (
            datetime(2026, 12, 8, 19, 30),
            datetime(2026, 12, 8, 18, 0),
            "end_before_start",
        ),
        (datetime(2026, 12, 6, 4, 0), datetime(2026, 12, 6, 5, 0), "start_before_day"),
    ],
)
def test_minutes_times_problem(start, end, problem):
    assert (
        domain.minutes_times_problem(
            scheduled_day=date(2026, 12, 8), started_at=start, ended_at=end
        )
        == problem
    )


@pytest.mark.parametrize(
    ("now", "conclusion", "reason"),
    [
        (datetime(2026, 12, 8, 21, 45), "Thống nhất", None),
        (datetime(2026, 12, 8, 21, 44), "Thống nhất", "before_end"),
        (datetime(2026, 12, 8, 22, 0), "  ", "no_conclusion"),
    ],
)
def test_can_adopt_minutes(now, conclusion, reason):
    assert (
        domain.can_adopt_minutes(
            now=now, ended_at=datetime(2026, 12, 8, 21, 45), conclusion=conclusion
        )
        == reason
    )


@pytest.mark.parametrize(
    ("member_id", "chair_signed", "taker_signed", "expected"),
    [
        (1, False, False, True),  # chair, not signed
        (1, True, False, False),  # chair signed: no more "Sign"
        (2, True, False, True),  # taker still to sign
        (2, True, True, False),
        (3, False, False, False),  # neither role
        (None, False, False, False),
    ],
)
def test_still_to_sign(member_id, chair_signed, taker_signed, expected):
    assert (
        domain.still_to_sign(
            member_id,
            chair_id=1,
            taker_id=2,
            chair_signed=chair_signed,
            taker_signed=taker_signed,
        )
        is expected
    )
