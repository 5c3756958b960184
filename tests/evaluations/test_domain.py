"""Tests for evaluations.domain: pure rules, no database, no Django."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from evaluations.domain import (
    AUTO_SOURCES,
    MeetingFacts,
    annual_rating,
    attendance_points,
    auto_points,
    can_move_recommendation,
    duration_points,
    excellent_within_quota,
    has_cell_committee,
    is_recommendation_closed,
    longest_absence_run,
    minutes_locked_in_time,
    monthly_rating_proposal,
    quality_band,
    quota_warning,
    recommendation_overdue,
    report_due_date,
    report_status,
    roll_standing,
    rubric_score,
    score_percent,
    speaker_groups,
    speaking_points,
    task_results_points,
    task_tally,
)

# quality_band --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100, "good"),
        (90, "good"),
        (Fraction(90), "good"),
        (Decimal("90.00"), "good"),
        (90.0, "good"),
        (Fraction(8999, 100), "fair"),
        (Decimal("89.99"), "fair"),
        (89.99, "fair"),
        (Fraction(179_999_999, 2_000_000), "fair"),  # 89.9999995
        (89, "fair"),
        (70, "fair"),
        (Decimal("70"), "fair"),
        (Fraction(6999, 100), "average"),
        (Decimal("69.99"), "average"),
        (69.99, "average"),
        (50, "average"),
        (Fraction(50), "average"),
        (Fraction(4999, 100), "poor"),
        (Decimal("49.99"), "poor"),
        (49, "poor"),
        (0, "poor"),
    ],
)
def test_quality_band_boundaries(score, expected):
    assert quality_band(score) == expected


@pytest.mark.parametrize("score", [float("nan"), float("inf"), Decimal("NaN")])
def test_quality_band_rejects_non_finite_scores(score):
    with pytest.raises(ValueError, match="finite"):
        quality_band(score)


@pytest.mark.parametrize("score", ["90", None])
def test_quality_band_rejects_non_numbers(score):
    with pytest.raises(TypeError, match="expected a number"):
        quality_band(score)


# annual_rating -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "on_time", "exceeded", "expected"),
    [
        # excellent: >= 90, all on time, >= 30% exceeded
        (90, True, Fraction(3, 10), "excellent"),
        (100, True, Fraction(1), "excellent"),
        (Decimal("90.0"), True, Decimal("0.3"), "excellent"),
        (90, True, 0.3, "excellent"),  # float read as its decimal repr
        # just below one excellent condition falls to good
        (90, True, Fraction(29, 100), "good"),
        (90, True, Fraction(299, 1000), "good"),
        (Fraction(8999, 100), True, Fraction(1, 2), "good"),
        (Decimal("89.99"), True, Fraction(1), "good"),
        # good: >= 70 and all on time
        (70, True, Fraction(0), "good"),
        (Decimal("70.00"), True, Fraction(0), "good"),
        # late tasks: never good or excellent
        (100, False, Fraction(1), "completed"),
        (90, False, Fraction(3, 10), "completed"),
        (70, False, Fraction(0), "completed"),
        # completed: >= 50
        (Fraction(6999, 100), True, Fraction(1), "completed"),
        (50, True, Fraction(0), "completed"),
        (50, False, Fraction(0), "completed"),
        # not completed: below 50 whatever else
        (Fraction(4999, 100), True, Fraction(1), "not_completed"),
        (Decimal("49.99"), False, Fraction(0), "not_completed"),
        (0, True, Fraction(0), "not_completed"),
    ],
)
def test_annual_rating_levels_and_conditions(score, on_time, exceeded, expected):
    result = annual_rating(
        score=score, all_tasks_on_time=on_time, exceeded_share=exceeded
    )

    assert result == expected


@pytest.mark.parametrize("exceeded", [30, Fraction(-1, 10), Decimal("1.01")])
def test_annual_rating_rejects_share_outside_zero_to_one(exceeded):
    with pytest.raises(ValueError, match="exceeded_share"):
        annual_rating(score=95, all_tasks_on_time=True, exceeded_share=exceeded)


# excellent_within_quota ----------------------------------------------------------


@pytest.mark.parametrize(
    ("excellent", "good", "expected"),
    [
        (2, 10, True),  # exactly 20%
        (3, 10, False),
        (1, 5, True),
        (2, 9, False),  # 2 > 1.8
        (1, 9, True),
        (1, 4, False),
        (0, 0, True),
        (1, 0, False),
        (0, 7, True),
        (20, 100, True),
        (21, 100, False),
    ],
)
def test_excellent_within_quota_default_one_fifth(excellent, good, expected):
    assert excellent_within_quota(excellent=excellent, good=good) is expected


@pytest.mark.parametrize(
    ("excellent", "good", "ratio", "expected"),
    [
        (1, 3, Fraction(1, 3), True),
        (2, 3, Fraction(1, 3), False),
        (3, 10, Decimal("0.3"), True),
        (3, 10, 0.3, True),  # float read as its decimal repr, not 0.29999…
        (4, 10, Fraction(3, 10), False),
        (5, 5, 1, True),
        (1, 10, 0, False),
    ],
)
def test_excellent_within_quota_custom_ratio(excellent, good, ratio, expected):
    result = excellent_within_quota(excellent=excellent, good=good, ratio=ratio)

    assert result is expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"excellent": -1, "good": 5},
        {"excellent": 1, "good": -5},
        {"excellent": 1, "good": 5, "ratio": Fraction(-1, 5)},
    ],
)
def test_excellent_within_quota_rejects_negative_values(kwargs):
    with pytest.raises(ValueError, match="must not be negative"):
        excellent_within_quota(**kwargs)


# speaking_points -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("spoke", "present", "expected"),
    [
        (10, 10, 5),
        (6, 10, 5),
        (51, 100, 5),
        (5, 9, 5),  # issue example: 5 of 9
        (3, 5, 5),
        (5, 10, 4),  # exactly 50% is 4, not 5
        (1, 2, 4),
        (4, 9, 4),  # 44%
        (4, 10, 4),  # exactly 40% is 4
        (2, 5, 4),
        (39, 100, 3),
        (3, 10, 3),  # exactly 30% is 3
        (1, 3, 3),
        (29, 100, 2),
        (2, 9, 2),
        (0, 10, 2),
        (0, 0, 2),  # nobody present
    ],
)
def test_speaking_points_bands(spoke, present, expected):
    assert speaking_points(spoke=spoke, present=present) == expected


@pytest.mark.parametrize(("spoke", "present"), [(10, 9), (1, 0), (-1, 9), (0, -1)])
def test_speaking_points_rejects_impossible_counts(spoke, present):
    with pytest.raises(ValueError, match=r"spoke|present"):
        speaking_points(spoke=spoke, present=present)


def test_issue_example_scores_attendance_and_speaking():
    # 11 members, 1 exempt, 9 present, 5 spoke, nobody absent without reason.
    members, exempt, present, spoke = 11, 1, 9, 5

    assert (
        attendance_points(present=present, required=members - exempt, unexcused=0) == 4
    )
    assert speaking_points(spoke=spoke, present=present) == 5


# task_results_points -------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "total", "expected"),
    [
        (10, 10, 30),
        (9, 10, 30),  # exactly 90%
        (899, 1000, 27),
        (8, 10, 27),  # exactly 80%
        (799, 1000, 24),
        (7, 10, 24),  # exactly 70%
        (699, 1000, 20),
        (6, 10, 20),  # exactly 60%
        (599, 1000, 15),
        (5, 10, 15),  # exactly 50%
        (1, 2, 15),
        (499, 1000, 10),
        (4, 9, 10),
        (0, 10, 10),
        (2, 3, 20),  # 66.7%
        (0, 0, 30),  # no tasks
    ],
)
def test_task_results_points_bands(done, total, expected):
    assert task_results_points(done=done, total=total) == expected


@pytest.mark.parametrize(("done", "total"), [(11, 10), (1, 0), (-1, 10), (0, -1)])
def test_task_results_points_rejects_impossible_counts(done, total):
    with pytest.raises(ValueError, match=r"done|total"):
        task_results_points(done=done, total=total)


# duration_points -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (180, 5),
        (90, 5),
        (89, 4),
        (75, 4),  # exactly 15 short
        (74, 3),
        (60, 3),  # exactly 30 short
        (59, 2),
        (45, 2),  # exactly half
        (44, 1),
        (0, 1),
    ],
)
def test_duration_points_regular_meeting(minutes, expected):
    assert duration_points(minutes=minutes, combined_with_thematic=False) == expected


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (150, 5),
        (120, 5),
        (119, 4),
        (105, 4),  # exactly 15 short
        (104, 3),
        (90, 3),  # exactly 30 short: a regular length is not enough when combined
        (89, 2),
        (60, 2),  # exactly half
        (59, 1),
        (0, 1),
    ],
)
def test_duration_points_combined_meeting(minutes, expected):
    assert duration_points(minutes=minutes, combined_with_thematic=True) == expected


def test_duration_points_rejects_negative_minutes():
    with pytest.raises(ValueError, match="minutes"):
        duration_points(minutes=-1, combined_with_thematic=False)


# attendance_points ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "required", "expected"),
    [
        (10, 10, 4),
        (9, 10, 4),  # exactly 90%
        (89, 100, 3),
        (8, 10, 3),
        (3, 4, 3),  # exactly 75%
        (74, 100, 2),
        (7, 10, 2),
        (65, 100, 2),  # exactly 65%
        (13, 20, 2),  # exactly 65%
        (64, 100, 1),
        (6, 10, 1),
        (0, 10, 1),
        (0, 0, 4),  # nobody required
    ],
)
def test_attendance_points_bands_without_unexcused(present, required, expected):
    result = attendance_points(present=present, required=required, unexcused=0)

    assert result == expected


@pytest.mark.parametrize(
    ("present", "required", "unexcused"),
    [(9, 10, 1), (19, 20, 1), (7, 10, 3), (0, 10, 10)],
)
def test_attendance_points_any_unexcused_absence_gives_one(
    present, required, unexcused
):
    result = attendance_points(present=present, required=required, unexcused=unexcused)

    assert result == 1


@pytest.mark.parametrize(
    ("present", "required", "unexcused"),
    [(11, 10, 0), (1, 0, 0), (9, 10, 2), (0, 0, 1), (-1, 10, 0), (5, 10, -1)],
)
def test_attendance_points_rejects_impossible_counts(present, required, unexcused):
    with pytest.raises(ValueError, match=r"present|required|unexcused"):
        attendance_points(present=present, required=required, unexcused=unexcused)


# task_tally ------------------------------------------------------------------------


def test_task_tally_counts_and_exact_share():
    tally = task_tally(
        ["done_on_time", "exceeded", "done_late", "not_done", "", "exceeded"]
    )
    assert tally == {
        "total": 6,
        "on_time": 3,
        "exceeded": 2,
        "late": 1,
        "not_done": 1,
        "open": 1,
        "done": 4,
        "all_on_time": False,
        "exceeded_share": Fraction(1, 3),
    }


def test_task_tally_empty_is_all_on_time_with_zero_share():
    tally = task_tally([])
    assert tally["all_on_time"] is True
    assert tally["exceeded_share"] == 0


def test_task_tally_rejects_unknown_outcome():
    with pytest.raises(ValueError, match="unknown task outcome"):
        task_tally(["done"])


# monthly_rating_proposal ----------------------------------------------------------


@pytest.mark.parametrize(
    ("attendance", "spoke", "outcomes", "expected"),
    [
        ("present", True, ["exceeded"], "excellent"),
        ("present", False, ["exceeded"], "good"),  # did not speak
        ("present", True, [], "good"),  # no task: nothing exceeded
        ("present", True, ["done_on_time", "exceeded"], "excellent"),
        ("present", True, ["exceeded", "done_late"], "completed"),
        ("present", True, ["exceeded", ""], "completed"),  # one still open
        ("absent_excused", True, ["exceeded"], "completed"),
        ("absent_unexcused", False, [], "not_completed"),
        ("present", True, ["exceeded", "not_done"], "not_completed"),
    ],
)
def test_monthly_rating_proposal(attendance, spoke, outcomes, expected):
    assert (
        monthly_rating_proposal(attendance=attendance, spoke=spoke, outcomes=outcomes)
        == expected
    )


# score_percent -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "maximum", "expected"),
    [
        (90, 100, Fraction(90)),
        (Fraction(171, 2), 95, Fraction(90)),  # 85.5 of 95 is exactly 90
        (Decimal("85.49"), 95, Fraction(8549, 95)),
        (9, 12, Fraction(75)),
        (5, 0, Fraction(0)),
    ],
)
def test_score_percent_exact(total, maximum, expected):
    assert score_percent(total=total, maximum=maximum) == expected


def test_score_percent_boundary_band_is_exact():
    assert quality_band(score_percent(total=Fraction(171, 2), maximum=95)) == "good"
    assert quality_band(score_percent(total=Decimal("85.49"), maximum=95)) == "fair"


def test_score_percent_rejects_negative_maximum():
    with pytest.raises(ValueError, match="negative"):
        score_percent(total=1, maximum=-1)


# auto_points -------------------------------------------------------------------------

ISSUE = MeetingFacts(minutes=95, present=9, required=10, attendees=9, spoke=5)


@pytest.mark.parametrize(
    ("source", "facts", "maximum", "expected"),
    [
        ("duration", ISSUE, 5, 5),
        ("duration", MeetingFacts(minutes=75), 5, 4),
        ("duration", MeetingFacts(minutes=None), 5, 0),
        ("duration", MeetingFacts(minutes=100, combined=True), 5, 3),
        ("attendance_rate", ISSUE, 4, 4),
        ("attendance_rate", MeetingFacts(present=9, required=10, unexcused=1), 4, 1),
        ("absence_streak", MeetingFacts(longest_absence=3), 1, 1),
        ("absence_streak", MeetingFacts(longest_absence=4), 1, 0),
        ("speaking_share", ISSUE, 5, 5),
        ("speaking_share", MeetingFacts(attendees=0), 5, 2),
        ("task_results", MeetingFacts(tasks_done=8, tasks_total=10), 30, 27),
        ("task_results", MeetingFacts(), 30, 30),
        (
            "adopted_tasks_assigned",
            MeetingFacts(minutes_adopted=True, tasks_assigned=2),
            2,
            2,
        ),
        ("adopted_tasks_assigned", MeetingFacts(minutes_adopted=True), 2, 1),
        ("adopted_tasks_assigned", MeetingFacts(), 2, 0),
        ("committee_meeting", MeetingFacts(committee_meeting_held=True), 2, 2),
        ("notified", MeetingFacts(notified_in_time=False), 1, 0),
        ("documents_in_time", MeetingFacts(documents_in_time=True), 2, 2),
        ("minutes_complete", MeetingFacts(minutes_complete=True), 1, 1),
        ("documents_posted", MeetingFacts(documents_posted=True), 1, 1),
        ("locked_in_time", MeetingFacts(locked_in_time=True), 1, 1),
        ("attendance_above_85", MeetingFacts(present=17, required=20), 1, 0),  # 85%
        ("attendance_above_85", MeetingFacts(present=9, required=10), 1, 1),
        ("attendance_above_85", MeetingFacts(), 1, 1),
        (
            "speaking_majority",
            MeetingFacts(attendees=10, spoke=5),
            1,
            0,
        ),  # exactly half
        ("speaking_majority", MeetingFacts(attendees=9, spoke=5), 1, 1),
        ("tasks_assigned", MeetingFacts(tasks_assigned=1), 1, 1),
        ("attendance_rate", ISSUE, 3, 3),  # never above the item's maximum
    ],
)
def test_auto_points_each_source(source, facts, maximum, expected):
    assert auto_points(source, facts, maximum=maximum) == expected


def test_auto_points_covers_every_source_and_rejects_unknown():
    for source in AUTO_SOURCES:
        assert auto_points(source, ISSUE, maximum=30) >= 0
    with pytest.raises(ValueError, match="unknown auto source"):
        auto_points("weather", ISSUE, maximum=1)


# rubric_score ----------------------------------------------------------------------

GROUPS = [
    {
        "key": "a",
        "max": 10,
        "items": [
            {"key": "dur", "max": 5, "auto": "duration"},
            {"key": "hand", "max": 5, "auto": ""},
        ],
    },
    {
        "key": "b",
        "max": 5,
        "items": [
            {"key": "them", "max": 5, "auto": "", "thematic": True},
        ],
    },
]


def test_rubric_score_auto_overrides_manual_and_thematic_excluded():
    result = rubric_score(
        GROUPS,
        facts=MeetingFacts(minutes=90),
        manual={"dur": 0, "hand": 4, "them": 5},
        thematic_month=False,
    )
    assert result["items"] == {"dur": 5, "hand": 4}
    assert (result["total"], result["maximum"]) == (9, 10)
    assert result["percent"] == 90
    assert result["band"] == "good"


def test_rubric_score_thematic_month_counts_thematic_item():
    result = rubric_score(
        GROUPS,
        facts=MeetingFacts(minutes=90),
        manual={"hand": Decimal("4.5"), "them": 3},
        thematic_month=True,
    )
    assert result["maximum"] == 15
    assert result["total"] == Fraction(25, 2)


def test_rubric_score_rejects_points_above_maximum():
    with pytest.raises(ValueError, match="hand"):
        rubric_score(
            GROUPS, facts=MeetingFacts(), manual={"hand": 6}, thematic_month=False
        )
    with pytest.raises(ValueError, match="hand"):
        rubric_score(
            GROUPS, facts=MeetingFacts(), manual={"hand": -1}, thematic_month=False
        )


# longest_absence_run ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ({}, 0),
        ({1: ["present"] * 5}, 0),
        ({1: ["absent_excused", "absent_unexcused", "absent_excused"]}, 3),
        (
            {
                1: [
                    "absent_excused",
                    "exempt",
                    "absent_excused",
                    "present",
                    "absent_excused",
                ]
            },
            2,
        ),
        ({1: ["absent_excused"] * 2, 2: ["absent_unexcused"] * 4}, 4),
        ({1: ["away", "absent_excused", "away"]}, 1),
    ],
)
def test_longest_absence_run(statuses, expected):
    assert longest_absence_run(statuses) == expected


# minutes_locked_in_time ---------------------------------------------------------------

END = datetime(2026, 11, 3, 10, 0)


@pytest.mark.parametrize(
    ("locked", "expected"),
    [
        (None, False),
        (END + timedelta(days=2), True),  # exactly 48 h
        (END + timedelta(days=2, seconds=1), False),
        (END + timedelta(hours=1), True),
    ],
)
def test_minutes_locked_in_time(locked, expected):
    assert minutes_locked_in_time(ended_at=END, locked_at=locked) is expected


# report_due_date and report_status ----------------------------------------------------


@pytest.mark.parametrize(
    ("held", "day", "expected"),
    [
        (date(2026, 11, 3), 10, date(2026, 11, 10)),  # same month (seed 004)
        (date(2026, 11, 9), 10, date(2026, 11, 10)),
        (date(2026, 11, 10), 10, date(2026, 12, 10)),  # strictly after
        (date(2026, 11, 20), 10, date(2026, 12, 10)),
        (date(2026, 12, 20), 10, date(2027, 1, 10)),  # next year
        (date(2027, 1, 3), 31, date(2027, 1, 31)),
        (date(2027, 1, 31), 31, date(2027, 2, 28)),  # clipped
        (date(2027, 2, 28), 31, date(2027, 3, 31)),  # 28/02 is February's 31st
        (date(2028, 2, 3), 30, date(2028, 2, 29)),
        (date(2026, 4, 30), 31, date(2026, 5, 31)),
    ],
)
def test_report_due_date(held, day, expected):
    assert report_due_date(held, deadline_day=day) == expected


@pytest.mark.parametrize("day", [0, 32])
def test_report_due_date_rejects_bad_day(day):
    with pytest.raises(ValueError):
        report_due_date(date(2026, 11, 3), deadline_day=day)


DUE = date(2026, 12, 10)


@pytest.mark.parametrize(
    ("submitted", "today", "expected"),
    [
        (DUE, DUE, "on_time"),
        (DUE + timedelta(days=1), DUE + timedelta(days=1), "late"),
        (None, DUE, "pending"),
        (None, DUE + timedelta(days=1), "missing"),
    ],
)
def test_report_status(submitted, today, expected):
    assert report_status(due_on=DUE, submitted_on=submitted, today=today) == expected


# recommendations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        ("open", "in_progress", True),
        ("open", "resolved", True),
        ("open", "rejected", True),
        ("in_progress", "resolved", True),
        ("in_progress", "open", False),
        ("resolved", "open", False),
        ("rejected", "in_progress", False),
        ("unknown", "open", False),
    ],
)
def test_can_move_recommendation(current, target, expected):
    assert can_move_recommendation(current, target) is expected


RAISED = date(2026, 10, 1)


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        ("open", RAISED + timedelta(days=30), False),  # on day 30 not yet
        ("open", RAISED + timedelta(days=31), True),
        ("in_progress", RAISED + timedelta(days=31), True),
        ("resolved", RAISED + timedelta(days=300), False),
        ("rejected", RAISED + timedelta(days=300), False),
    ],
)
def test_recommendation_overdue(status, today, expected):
    assert (
        recommendation_overdue(status=status, raised_on=RAISED, today=today, days=30)
        is expected
    )


def test_recommendation_overdue_rejects_negative_days():
    with pytest.raises(ValueError):
        recommendation_overdue(status="open", raised_on=RAISED, today=RAISED, days=-1)


# quota_warning ------------------------------------------------------------------------


def test_quota_warning_within_and_over():
    assert quota_warning(levels=["excellent", *["good"] * 5, "completed", ""]) is None
    assert quota_warning(levels=["excellent"] * 2 + ["good"] * 9) == {
        "excellent": 2,
        "good": 9,
        "allowed": 1,
    }
    assert quota_warning(levels=["excellent"] * 2 + ["good"] * 10) is None
    assert quota_warning(levels=["excellent"], ratio=Fraction(1, 2)) == {
        "excellent": 1,
        "good": 0,
        "allowed": 0,
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [("open", False), ("in_progress", False), ("resolved", True), ("rejected", True)],
)
def test_is_recommendation_closed(status, expected):
    assert is_recommendation_closed(status) is expected


# has_cell_committee and the committee item (§1, §6) ---------------------------------


@pytest.mark.parametrize(("officials", "expected"), [(8, False), (9, True), (0, False)])
def test_has_cell_committee_from_nine_official_members(officials, expected):
    assert has_cell_committee(official_members=officials) is expected


@pytest.mark.parametrize(
    ("held", "has_committee", "expected"),
    [(False, False, 2), (True, False, 2), (False, True, 0), (True, True, 2)],
)
def test_committee_item_cannot_apply_without_a_committee(held, has_committee, expected):
    facts = MeetingFacts(committee_meeting_held=held, has_committee=has_committee)
    assert auto_points("committee_meeting", facts, maximum=2) == expected


# roll_standing (§8: counts from the roster) ------------------------------------------

DAY = date(2026, 11, 30)


def _standing(**changes):
    values = {
        "status": "official",
        "official_date": date(2020, 1, 1),
        "admission_date": date(2019, 1, 1),
        "active": True,
        "deactivated_on": None,
        "attached_in": False,
        "day": DAY,
    }
    return roll_standing(**(values | changes))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "official"),
        ({"status": "probationary", "official_date": None}, "probationary"),
        ({"official_date": date(2026, 12, 1)}, "probationary"),  # recognised later
        ({"official_date": DAY}, "official"),
        ({"attached_in": True}, None),  # the home cell counts them
        ({"admission_date": date(2026, 12, 1)}, None),  # not admitted yet
        ({"admission_date": None}, "official"),
        ({"active": False, "deactivated_on": DAY}, None),
        ({"active": False, "deactivated_on": date(2026, 12, 5)}, "official"),
        ({"active": False, "deactivated_on": None}, None),
    ],
)
def test_roll_standing_on_the_last_day(changes, expected):
    assert _standing(**changes) == expected


# speaker_groups (seeds 000, 004) -----------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "admitted", "office", "expected"),
    [
        (date(1991, 11, 4), date(2010, 1, 1), True, {"young"}),  # 35 tomorrow
        (date(1991, 11, 3), date(2010, 1, 1), True, set()),  # 35 today
        (date(1980, 11, 4), date(2010, 1, 1), False, {"no_office"}),
        (date(1960, 1, 1), date(2023, 11, 3), True, {"new"}),  # exactly 3 years
        (date(1960, 1, 1), date(2023, 11, 2), True, set()),
        (date(2000, 1, 1), date(2025, 1, 1), False, {"young", "new", "no_office"}),
        (None, None, True, set()),
    ],
)
def test_speaker_groups(birth, admitted, office, expected):
    groups = speaker_groups(
        birth_date=birth,
        admission_date=admitted,
        has_office=office,
        day=date(2026, 11, 3),
    )
    assert groups == expected


def test_speaker_groups_young_age_is_a_setting():
    kwargs = {"birth_date": date(1990, 1, 1), "admission_date": None}
    day = date(2026, 11, 3)
    assert "young" not in speaker_groups(**kwargs, has_office=True, day=day)
    assert "young" in speaker_groups(**kwargs, has_office=True, day=day, young_age=40)


def test_duration_points_with_a_large_cells_minimum():
    assert duration_points(minutes=95, combined_with_thematic=False) == 5
    assert duration_points(minutes=95, combined_with_thematic=False, minimum=120) == 3
    facts = MeetingFacts(minutes=95, minimum_minutes=120)
    assert auto_points("duration", facts, maximum=5) == 3


# the ◆ scales as rubric data (§6) ----------------------------------------------------


def test_default_scales_equal_the_national_functions():
    from evaluations.domain import DEFAULT_SCALES

    for required in range(0, 13):
        for present in range(0, required + 1):
            for unexcused in (0, 1) if present < required else (0,):
                facts = MeetingFacts(
                    present=present, required=required, unexcused=unexcused
                )
                assert auto_points(
                    "attendance_rate",
                    facts,
                    maximum=4,
                    scale=DEFAULT_SCALES["attendance_rate"],
                ) == auto_points("attendance_rate", facts, maximum=4)
            facts = MeetingFacts(spoke=present, attendees=required)
            assert auto_points(
                "speaking_share",
                facts,
                maximum=5,
                scale=DEFAULT_SCALES["speaking_share"],
            ) == speaking_points(spoke=present, present=required)
            facts = MeetingFacts(tasks_done=present, tasks_total=required)
            assert auto_points(
                "task_results", facts, maximum=30, scale=DEFAULT_SCALES["task_results"]
            ) == task_results_points(done=present, total=required)
    for minutes in range(0, 140):
        for combined in (False, True):
            facts = MeetingFacts(minutes=minutes, combined=combined)
            assert auto_points(
                "duration", facts, maximum=5, scale=DEFAULT_SCALES["duration"]
            ) == duration_points(minutes=minutes, combined_with_thematic=combined)


def test_a_provinces_own_scale_is_data():
    """A province whose sheet asks 95% for the top attendance band."""
    scale = {
        "bands": [["ge", "19/20", 4], ["ge", "4/5", 3]],
        "floor": 1,
        "empty": 4,
        "unexcused": 0,
    }
    facts = MeetingFacts(present=9, required=10)
    assert auto_points("attendance_rate", facts, maximum=4) == 4
    assert auto_points("attendance_rate", facts, maximum=4, scale=scale) == 3
    facts = MeetingFacts(present=8, required=10, unexcused=1)
    assert auto_points("attendance_rate", facts, maximum=4, scale=scale) == 0
    groups = [
        {
            "key": "attendance",
            "items": [
                {"key": "a", "max": 4, "auto": "attendance_rate", "scale": scale}
            ],
        }
    ]
    result = rubric_score(
        groups,
        facts=MeetingFacts(present=19, required=20),
        manual={},
        thematic_month=False,
    )
    assert result["items"] == {"a": 4}


# rubric_errors (§6: a committee's own rubric version is checked before it is saved) ---


def _rubric(**scales):
    import copy

    from evaluations.rubrics import DEFAULT_RUBRIC

    groups = copy.deepcopy(DEFAULT_RUBRIC["groups"])
    for group in groups:
        for item in group["items"]:
            if item["key"] in scales:
                item["scale"] |= scales[item["key"]]
    return groups


def test_rubric_errors_accepts_the_shipped_rubrics():
    from evaluations.domain import rubric_errors
    from evaluations.rubrics import CHECKLIST_RUBRIC

    assert rubric_errors(_rubric()) == []
    assert rubric_errors(CHECKLIST_RUBRIC["groups"], kind="checklist") == []


@pytest.mark.parametrize(
    ("scales", "expected"),
    [
        (
            {"speaking_share": {"empty": 6}},
            [("speaking_share", "scale_above_max")],
        ),
        (
            {"speaking_share": {"floor": 5}},  # above the last band (3)
            [("speaking_share", "bands_order")],
        ),
        ({"speaking_share": {"floor": -1}}, [("speaking_share", "negative")]),
        (
            {"attendance_rate": {"bands": [["ge", "3/4", 4], ["ge", "9/10", 3]]}},
            [("attendance_rate", "bands_order")],
        ),
        (
            {"task_results": {"bands": [["ge", "9/10", 20], ["ge", "4/5", 27]]}},
            [("task_results", "bands_order")],
        ),
        ({"task_results": {"floor": 15}}, []),  # as much as the last band: allowed
        (
            {"task_results": {"bands": [["ge", "11/10", 30]]}},
            [("task_results", "share_range")],
        ),
        ({"duration": {"short": [[30, 4], [15, 3]]}}, [("duration", "bands_order")]),
        ({"duration": {"half": 4}}, [("duration", "bands_order")]),
        ({"duration": {"full": 6}}, [("duration", "scale_above_max")]),
    ],
)
def test_rubric_errors_name_the_item_and_the_problem(scales, expected):
    from evaluations.domain import rubric_errors

    assert rubric_errors(_rubric(**scales)) == expected


def test_rubric_errors_totals_must_reach_100_on_a_points_rubric():
    from evaluations.domain import rubric_errors

    groups = _rubric()
    groups[2]["items"][0]["max"] = 2  # content correct and focused: 3 -> 2
    assert rubric_errors(groups) == [("", "total")]
    assert rubric_errors(groups, kind="checklist") == []
