"""Pure rating and meeting-quality scoring rules (DOMAIN.md §5, §6 and §11).

No Django, no ORM, no settings, no I/O. Scores and shares are converted to
``fractions.Fraction`` and every threshold is a Fraction, so a boundary such as 90 or
30% is compared exactly: 89.99 is never rounded up to 90.
"""

import math
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "QUALITY_BANDS",
    "RATINGS",
    "annual_rating",
    "attendance_points",
    "duration_points",
    "excellent_within_quota",
    "quality_band",
    "speaking_points",
    "task_results_points",
]

Number = int | Fraction | Decimal | float

QUALITY_BANDS = ("good", "fair", "average", "poor")
RATINGS = ("excellent", "good", "completed", "not_completed")

# §6 bands on the 100-point meeting score, highest first: (lower bound, band).
_QUALITY_THRESHOLDS = (
    (Fraction(90), "good"),
    (Fraction(70), "fair"),
    (Fraction(50), "average"),
)

# §5 (QĐ 366) annual rating bounds.
_EXCELLENT_SCORE = Fraction(90)
_GOOD_SCORE = Fraction(70)
_COMPLETED_SCORE = Fraction(50)
_EXCELLENT_EXCEEDED_SHARE = Fraction(3, 10)

# §6 Conduct: share of attendees who spoke, highest first: (lower bound, points).
_SPEAKING_MAJORITY = Fraction(1, 2)  # strictly above -> 5 points
_SPEAKING_THRESHOLDS = ((Fraction(2, 5), 4), (Fraction(3, 10), 3))
_SPEAKING_FLOOR = 2

# §6 Results of last month's resolution: share of tasks done, (lower bound, points).
_TASK_THRESHOLDS = (
    (Fraction(9, 10), 30),
    (Fraction(8, 10), 27),
    (Fraction(7, 10), 24),
    (Fraction(6, 10), 20),
    (Fraction(5, 10), 15),
)
_TASK_FLOOR = 10

# §6 Attendance: rate of required members present, (lower bound, points).
_ATTENDANCE_THRESHOLDS = (
    (Fraction(9, 10), 4),
    (Fraction(3, 4), 3),
    (Fraction(65, 100), 2),
)
_ATTENDANCE_FLOOR = 1

# HD 42 minimum durations, equal to meetings.domain's (apps import each other only
# through selectors and services, so the two numbers are repeated here).
_MINIMUM_MINUTES = 90
_COMBINED_MINIMUM_MINUTES = 120
# Shortfall, in minutes below the minimum, still worth 4 and then 3 points.
_SHORT_FOR_4 = 15
_SHORT_FOR_3 = 30


def _exact(value: Number) -> Fraction:
    """Convert a score or share to an exact Fraction.

    int, Fraction and Decimal convert exactly. A float is read through its shortest
    decimal repr (0.3 -> 3/10, 89.99 -> 8999/100), so a value typed as 0.3 meets a 30%
    bound instead of falling short by binary rounding. NaN and infinities raise
    ValueError; other types raise TypeError.
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"score must be finite, got {value!r}")
        return Fraction(repr(value))
    if isinstance(value, int | Fraction | Decimal):
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"score must be finite, got {value!r}")
        return Fraction(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _check_non_negative(**counts: int) -> None:
    """Raise ValueError naming the first negative count."""
    for name, value in counts.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value!r}")


def _points_for_share(
    share: Fraction, thresholds: tuple[tuple[Fraction, int], ...], floor: int
) -> int:
    """Return the points of the first threshold the share reaches (>=), else floor."""
    for bound, points in thresholds:
        if share >= bound:
            return points
    return floor


def quality_band(score: Number) -> str:
    """Return the §6 band of a meeting score: "good", "fair", "average" or "poor".

    Lower bounds are inclusive and exact: >= 90 good; >= 70 fair (so 89.99 is fair);
    >= 50 average (69.99 is average); below 50 poor. Accepts int, Fraction, Decimal or
    float (see ``_exact``). The scale is the rubric's, so no 0-100 range check is made.
    """
    exact = _exact(score)
    for bound, band in _QUALITY_THRESHOLDS:
        if exact >= bound:
            return band
    return "poor"


def annual_rating(
    *, score: Number, all_tasks_on_time: bool, exceeded_share: Number
) -> str:
    """Return the QĐ 366 rating: "excellent", "good", "completed" or "not_completed".

    - excellent: score >= 90 and all tasks on time and exceeded_share >= 3/10;
    - good: score >= 70 and all tasks on time;
    - completed: score >= 50;
    - not_completed: otherwise.

    Bounds are inclusive and exact (90 with exactly 30% exceeded is excellent). A high
    score with late tasks falls to "completed", never "good". ``exceeded_share`` is a
    ratio from 0 to 1 (Fraction(3, 10), not 30); outside that range it raises
    ValueError.
    """
    exact_score = _exact(score)
    share = _exact(exceeded_share)
    if not 0 <= share <= 1:
        raise ValueError(f"exceeded_share must be between 0 and 1, got {share}")
    if (
        exact_score >= _EXCELLENT_SCORE
        and all_tasks_on_time
        and share >= _EXCELLENT_EXCEEDED_SHARE
    ):
        return "excellent"
    if exact_score >= _GOOD_SCORE and all_tasks_on_time:
        return "good"
    if exact_score >= _COMPLETED_SCORE:
        return "completed"
    return "not_completed"


def excellent_within_quota(
    *, excellent: int, good: int, ratio: Number = Fraction(1, 5)
) -> bool:
    """Tell whether the excellent count keeps within ``ratio`` x the good count.

    HD 21 quota, a setting (default 1/5): excellent <= ratio x good, inclusive, compared
    exactly (2 excellent for 10 good is within; 2 for 9 good is not). With no good
    ratings only 0 excellent is within. Use it for a warning; never change a rating.
    Negative counts or ratio raise ValueError.
    """
    _check_non_negative(excellent=excellent, good=good)
    exact_ratio = _exact(ratio)
    if exact_ratio < 0:
        raise ValueError(f"ratio must not be negative, got {exact_ratio}")
    return excellent <= exact_ratio * good


def speaking_points(*, spoke: int, present: int) -> int:
    """Return the §6 Conduct points for the share of attendees who spoke: 5, 4, 3 or 2.

    Share > 1/2 -> 5 (strictly: exactly half is 4); 2/5 <= share <= 1/2 -> 4 (exactly
    40% is 4); 3/10 <= share < 2/5 -> 3 (exactly 30% is 3); below 30% -> 2. Nobody
    present -> 2. ``spoke`` above ``present`` or negative counts raise ValueError.
    """
    _check_non_negative(spoke=spoke, present=present)
    if spoke > present:
        raise ValueError(f"spoke ({spoke}) exceeds present ({present})")
    if present == 0:
        return _SPEAKING_FLOOR
    share = Fraction(spoke, present)
    if share > _SPEAKING_MAJORITY:
        return 5
    return _points_for_share(share, _SPEAKING_THRESHOLDS, _SPEAKING_FLOOR)


def task_results_points(*, done: int, total: int) -> int:
    """Return the §6 points for last month's tasks done: 30, 27, 24, 20, 15 or 10.

    Lower bounds are inclusive: >= 90% -> 30; >= 80% -> 27; >= 70% -> 24; >= 60% -> 20;
    >= 50% -> 15; below 50% -> 10. No tasks (total 0) -> 30. ``done`` above ``total``
    or negative counts raise ValueError.
    """
    _check_non_negative(done=done, total=total)
    if done > total:
        raise ValueError(f"done ({done}) exceeds total ({total})")
    if total == 0:
        return _TASK_THRESHOLDS[0][1]
    return _points_for_share(Fraction(done, total), _TASK_THRESHOLDS, _TASK_FLOOR)


def duration_points(*, minutes: int, combined_with_thematic: bool) -> int:
    """Return the §6 Time and duration points: 5, 4, 3, 2 or 1.

    With M the minimum (90, or 120 when combined with a thematic meeting):
    minutes >= M -> 5; short by 1-15 minutes -> 4 (exactly 15 short is 4); short by
    16-30 minutes -> 3 (exactly 30 short is 3); at least half of M ("about half",
    exactly M/2 included) -> 2; less than half -> 1. For M = 90: 90+ 5, 75-89 4,
    60-74 3, 45-59 2, 0-44 1. For M = 120: 120+ 5, 105-119 4, 90-104 3, 60-89 2,
    0-59 1. Negative minutes raise ValueError.
    """
    _check_non_negative(minutes=minutes)
    minimum = _COMBINED_MINIMUM_MINUTES if combined_with_thematic else _MINIMUM_MINUTES
    shortfall = minimum - minutes
    if shortfall <= 0:
        return 5
    if shortfall <= _SHORT_FOR_4:
        return 4
    if shortfall <= _SHORT_FOR_3:
        return 3
    if 2 * minutes >= minimum:
        return 2
    return 1


def attendance_points(*, present: int, required: int, unexcused: int) -> int:
    """Return the §6 Attendance points, without the streak bonus: 4, 3, 2 or 1.

    Any unexcused absence -> 1, whatever the rate. Otherwise, by present / required
    with inclusive lower bounds: >= 90% -> 4 (9 of 10); >= 75% -> 3; >= 65% -> 2;
    below 65% -> 1. Nobody required (required 0) -> 4. The "+1 if nobody absent more
    than 3 times in a row" item is scored separately. ``present`` above ``required``,
    ``unexcused`` above ``required - present`` or negative counts raise ValueError.
    """
    _check_non_negative(present=present, required=required, unexcused=unexcused)
    if present > required:
        raise ValueError(f"present ({present}) exceeds required ({required})")
    if unexcused > required - present:
        raise ValueError(
            f"unexcused ({unexcused}) exceeds the absent ({required - present})"
        )
    if unexcused:
        return _ATTENDANCE_FLOOR
    if required == 0:
        return _ATTENDANCE_THRESHOLDS[0][1]
    return _points_for_share(
        Fraction(present, required), _ATTENDANCE_THRESHOLDS, _ATTENDANCE_FLOOR
    )
