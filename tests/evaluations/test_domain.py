"""Tests for evaluations.domain: pure rules, no database, no Django."""

from decimal import Decimal
from fractions import Fraction

import pytest

from evaluations.domain import (
    annual_rating,
    attendance_points,
    duration_points,
    excellent_within_quota,
    quality_band,
    speaking_points,
    task_results_points,
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
