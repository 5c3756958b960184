"""Pure rating and meeting-quality scoring rules (DOMAIN.md §5, §6 and §11).

No Django, no ORM, no settings, no I/O. Scores and shares are converted to
``fractions.Fraction`` and every threshold is a Fraction, so a boundary such as 90 or
30% is compared exactly: 89.99 is never rounded up to 90.
"""

import calendar
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from meetings import domain as meetings_domain
from members.domain import roll_standing

__all__ = [
    "AUTO_SOURCES",
    "BAND_AVERAGE",
    "BAND_FAIR",
    "BAND_GOOD",
    "BAND_POOR",
    "COMPLETED",
    "DONE_LATE",
    "DONE_ON_TIME",
    "DONE_OUTCOMES",
    "EXCEEDED",
    "EXCELLENT",
    "GOOD",
    "HD12_ATTENDANCE",
    "HELD_STATES",
    "IN_PROGRESS",
    "NOT_COMPLETED",
    "NOT_DONE",
    "OPEN",
    "QUALITY_BANDS",
    "RATINGS",
    "RECOMMENDATION_STATUSES",
    "REJECTED",
    "REPORT_FLAGGED",
    "REPORT_LATE",
    "REPORT_MISSING",
    "REPORT_ON_TIME",
    "REPORT_PENDING",
    "RESOLVED",
    "TASK_OUTCOMES",
    "MeetingFacts",
    "annual_rating",
    "attendance_points",
    "auto_points",
    "can_move_recommendation",
    "committee_meeting_prepares",
    "duration_points",
    "excellent_within_quota",
    "has_cell_committee",
    "is_recommendation_closed",
    "longest_absence_run",
    "minutes_locked_in_time",
    "monthly_rating_proposal",
    "quality_band",
    "quota_warning",
    "recommendation_overdue",
    "report_due_date",
    "report_status",
    "roll_standing",
    "rubric_errors",
    "rubric_score",
    "score_percent",
    "speaker_groups",
    "speaking_points",
    "task_results_points",
    "task_tally",
]

Number = int | Fraction | Decimal | float

# Meeting states in which a meeting counts as held (DOMAIN.md §8): one definition, in
# meetings.domain; every evaluations module reads it from here.
HELD_STATES = meetings_domain.HELD_STATES

# The values of evaluations' TextChoices (evaluations.models), defined here once so
# the rules below read no models: RatingLevel, TaskOutcome and RecommendationStatus
# use them.
EXCELLENT = "excellent"
GOOD = "good"
COMPLETED = "completed"
NOT_COMPLETED = "not_completed"

DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
NOT_DONE = "not_done"
EXCEEDED = "exceeded"

OPEN = "open"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"
REJECTED = "rejected"

# §6 quality bands of a meeting score (the labels: evaluations.models.QualityBand).
BAND_GOOD = "good"
BAND_FAIR = "fair"
BAND_AVERAGE = "average"
BAND_POOR = "poor"
QUALITY_BANDS = (BAND_GOOD, BAND_FAIR, BAND_AVERAGE, BAND_POOR)
RATINGS = (EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED)

# §6 bands on the 100-point meeting score, highest first: (lower bound, band).
_QUALITY_THRESHOLDS = (
    (Fraction(90), BAND_GOOD),
    (Fraction(70), BAND_FAIR),
    (Fraction(50), BAND_AVERAGE),
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
    return BAND_POOR


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
        return EXCELLENT
    if exact_score >= _GOOD_SCORE and all_tasks_on_time:
        return GOOD
    if exact_score >= _COMPLETED_SCORE:
        return COMPLETED
    return NOT_COMPLETED


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


def duration_points(
    *, minutes: int, combined_with_thematic: bool, minimum: int | None = None
) -> int:
    """Return the §6 Time and duration points: 5, 4, 3, 2 or 1.

    With M the minimum (90, or 120 when combined with a thematic meeting):
    minutes >= M -> 5; short by 1-15 minutes -> 4 (exactly 15 short is 4); short by
    16-30 minutes -> 3 (exactly 30 short is 3); at least half of M ("about half",
    exactly M/2 included) -> 2; less than half -> 1. For M = 90: 90+ 5, 75-89 4,
    60-74 3, 45-59 2, 0-44 1. For M = 120: 120+ 5, 105-119 4, 90-104 3, 60-89 2,
    0-59 1. ``minimum`` overrides M (a large cell's 120 minutes, a setting).
    Negative minutes raise ValueError.
    """
    _check_non_negative(minutes=minutes)
    if minimum is None:
        minimum = meetings_domain.minimum_duration_minutes(
            combined_with_thematic=combined_with_thematic
        )
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


# --- monthly member rating [local] (seed 001) -------------------------------------

# Task outcomes recorded at the review (DOMAIN.md §4).
TASK_OUTCOMES = (DONE_ON_TIME, DONE_LATE, NOT_DONE, EXCEEDED)
DONE_OUTCOMES = frozenset({DONE_ON_TIME, DONE_LATE, EXCEEDED})
ON_TIME_OUTCOMES = frozenset({DONE_ON_TIME, EXCEEDED})


def task_tally(outcomes: Iterable[str]) -> dict:
    """Count task outcomes; an empty string is a task not reviewed yet.

    Returns total, on_time (done on time or exceeded), exceeded, late, not_done,
    open (not reviewed), done (on time, late or exceeded), all_on_time and
    exceeded_share (exceeded / total, 0 with no tasks). A task not reviewed is not
    on time: a rating asks for proof. An unknown outcome raises ValueError.
    """
    counts = dict.fromkeys((*TASK_OUTCOMES, ""), 0)
    for outcome in outcomes:
        if outcome not in counts:
            raise ValueError(f"unknown task outcome {outcome!r}")
        counts[outcome] += 1
    total = sum(counts.values())
    on_time = counts[DONE_ON_TIME] + counts[EXCEEDED]
    return {
        "total": total,
        "on_time": on_time,
        "exceeded": counts[EXCEEDED],
        "late": counts[DONE_LATE],
        "not_done": counts[NOT_DONE],
        "open": counts[""],
        "done": on_time + counts[DONE_LATE],
        "all_on_time": on_time == total,
        "exceeded_share": Fraction(counts[EXCEEDED], total) if total else Fraction(0),
    }


def monthly_rating_proposal(
    *, attendance: str, spoke: bool, outcomes: Iterable[str]
) -> str:
    """Propose a member's monthly rating from the month's facts [local default].

    ``attendance`` is the member's status at the month's regular meeting, ``spoke``
    whether they spoke, ``outcomes`` the outcomes of their tasks reviewed at it.

    - not_completed: absent without reason, or a task not done;
    - excellent: present, spoke, every task on time and at least one exceeded;
    - good: present and every task on time (or no task);
    - completed: otherwise (excused absence, a task done late or still open).

    The secretary confirms or adjusts it with a reason.
    """
    tally = task_tally(outcomes)
    if attendance == meetings_domain.ABSENT_UNEXCUSED or tally["not_done"]:
        return NOT_COMPLETED
    if attendance != meetings_domain.PRESENT or not tally["all_on_time"]:
        return COMPLETED
    if spoke and tally["exceeded"]:
        return EXCELLENT
    return GOOD


# --- meeting-quality scoring (§6) -------------------------------------------------


def score_percent(*, total: Number, maximum: Number) -> Fraction:
    """Return ``total`` on a 100-point scale: 100 x total / maximum, exactly.

    A rubric whose applicable maximum is 100 gives the total unchanged; a checklist
    of 12 items, or a month without thematic content (95 points), is brought to 100
    so the §6 bands apply. A maximum of 0 gives 0; a negative one raises ValueError.
    """
    exact_max = _exact(maximum)
    if exact_max < 0:
        raise ValueError(f"maximum must not be negative, got {exact_max}")
    if exact_max == 0:
        return Fraction(0)
    return _exact(total) * 100 / exact_max


@dataclass(frozen=True)
class MeetingFacts:
    """What a meeting's data says, for the items of a rubric that fill themselves.

    ``minutes`` is None when the start or end time is missing; ``longest_absence``
    is the longest run of absences of any member this year, up to this meeting.
    """

    minutes: int | None = None
    combined: bool = False
    # The meeting's minimum length when it differs from 90/120 by `combined` (a
    # large cell under the long_meeting_members setting); None: by `combined`.
    minimum_minutes: int | None = None
    present: int = 0
    required: int = 0
    unexcused: int = 0
    attendees: int = 0
    spoke: int = 0
    longest_absence: int = 0
    committee_meeting_held: bool = False
    # A cell with fewer than 9 official members has no committee (§1): the item
    # "committee meeting held" cannot apply and gets its full points (§6).
    has_committee: bool = True
    notified_in_time: bool = False
    documents_in_time: bool = False
    minutes_complete: bool = False
    documents_posted: bool = False
    tasks_done: int = 0
    tasks_total: int = 0
    minutes_adopted: bool = False
    tasks_assigned: int = 0
    locked_in_time: bool = False


AUTO_SOURCES = (
    "duration",
    "attendance_rate",
    "absence_streak",
    "committee_meeting",
    "notified",
    "documents_in_time",
    "speaking_share",
    "minutes_complete",
    "documents_posted",
    "task_results",
    "adopted_tasks_assigned",
    "locked_in_time",
    "attendance_above_85",
    "speaking_majority",
    "tasks_assigned",
)

# §1: 9 or more official members elect a committee; one rule, in meetings.domain.
has_cell_committee = meetings_domain.has_cell_committee

# A cell committee meeting prepares the cell meeting that follows it within this many
# days (§3.1; the "committee meeting held" item of §6 and the rollup's count).
COMMITTEE_WINDOW_DAYS = 31


def committee_meeting_prepares(
    *, committee_start: datetime, meeting_start: datetime
) -> bool:
    """Tell whether a cell committee meeting starting at ``committee_start``
    prepared the meeting starting at ``meeting_start`` (§3.1): it was held before
    it, at most ``COMMITTEE_WINDOW_DAYS`` days earlier."""
    earliest = meeting_start - timedelta(days=COMMITTEE_WINDOW_DAYS)
    return earliest <= committee_start < meeting_start


_ABSENCE_STREAK_LIMIT = 3  # "no member absent more than 3 meetings in a row"
HD12_ATTENDANCE = Fraction(85, 100)  # HD 12: strictly above 85%


def _all_or_nothing(condition: bool, maximum: Fraction) -> Fraction:
    return maximum if condition else Fraction(0)


# The default rubric's ◆ scales as data (§6: "the auto items' thresholds and points
# are rubric data like the rest"). A rubric item may carry its own "scale" of the
# same shape: a province enters its own sheet without code. Shares: "bands" of
# [comparison ("ge" or "gt"), share as "n/d", points], highest first; "floor" below
# them; "empty" when the denominator is 0. Duration: points when the minimum is met
# ("full"), by shortfall in minutes ("short": [[at most, points], ...]), at least half
# the minimum ("half"), else "floor".
DEFAULT_SCALES = {
    "attendance_rate": {
        "bands": [["ge", "9/10", 4], ["ge", "3/4", 3], ["ge", "13/20", 2]],
        "floor": 1,
        "empty": 4,
        "unexcused": 1,
    },
    "speaking_share": {
        "bands": [["gt", "1/2", 5], ["ge", "2/5", 4], ["ge", "3/10", 3]],
        "floor": 2,
        "empty": 2,
    },
    "task_results": {
        "bands": [
            ["ge", "9/10", 30],
            ["ge", "4/5", 27],
            ["ge", "7/10", 24],
            ["ge", "3/5", 20],
            ["ge", "1/2", 15],
        ],
        "floor": 10,
        "empty": 30,
    },
    "duration": {"full": 5, "short": [[15, 4], [30, 3]], "half": 2, "floor": 1},
}


def scale_points(scale: dict, *, numerator: int, denominator: int) -> Fraction:
    """The points a share scale (see DEFAULT_SCALES) gives ``numerator`` out of
    ``denominator``, compared exactly; "empty" when the denominator is 0."""
    if denominator == 0:
        return _exact(scale["empty"])
    share = Fraction(numerator, denominator)
    for comparison, bound, points in scale["bands"]:
        bound = Fraction(bound)
        if (share > bound) if comparison == "gt" else (share >= bound):
            return _exact(points)
    return _exact(scale["floor"])


def duration_scale_points(scale: dict, *, minutes: int, minimum: int) -> Fraction:
    """The points a duration scale (see DEFAULT_SCALES) gives ``minutes`` against
    ``minimum``."""
    shortfall = minimum - minutes
    if shortfall <= 0:
        return _exact(scale["full"])
    for most, points in scale["short"]:
        if shortfall <= most:
            return _exact(points)
    if 2 * minutes >= minimum:
        return _exact(scale["half"])
    return _exact(scale["floor"])


def _scaled(source: str, facts: MeetingFacts, scale: dict) -> Fraction | None:
    """A ◆ item's points from a rubric's own scale; None for a source without one."""
    if source == "attendance_rate":
        if facts.unexcused:
            return _exact(scale.get("unexcused", scale["floor"]))
        return scale_points(scale, numerator=facts.present, denominator=facts.required)
    if source == "speaking_share":
        return scale_points(scale, numerator=facts.spoke, denominator=facts.attendees)
    if source == "task_results":
        return scale_points(
            scale, numerator=facts.tasks_done, denominator=facts.tasks_total
        )
    if source == "duration":
        if facts.minutes is None:
            return Fraction(0)
        minimum = facts.minimum_minutes or meetings_domain.minimum_duration_minutes(
            combined_with_thematic=facts.combined
        )
        return duration_scale_points(scale, minutes=facts.minutes, minimum=minimum)
    return None


def auto_points(
    source: str, facts: MeetingFacts, *, maximum: Number, scale: dict | None = None
) -> Fraction:
    """Return the points of a ◆ item from the meeting's facts, never above ``maximum``.

    ``scale`` is the rubric item's own scale (rubric data, see DEFAULT_SCALES); without
    one the national scales below apply.

    The scales of §6 (duration 5-1, attendance 4-1, speaking 5-2, tasks 30-10) come
    from the functions above; yes/no items give the item's maximum or 0. "Minutes
    adopted and tasks assigned" gives half for each. A meeting without recorded
    times scores 0 for duration. The +1 for absences holds when nobody was absent
    more than 3 times in a row. "Committee meeting held" gets its full points in a
    cell without a committee (an item that cannot apply). An unknown source raises
    ValueError.
    """
    top = _exact(maximum)
    scaled = _scaled(source, facts, scale) if scale else None
    if scaled is not None:
        return min(scaled, top)
    if source == "duration":
        points = (
            Fraction(0)
            if facts.minutes is None
            else Fraction(
                duration_points(
                    minutes=facts.minutes,
                    combined_with_thematic=facts.combined,
                    minimum=facts.minimum_minutes,
                )
            )
        )
    elif source == "attendance_rate":
        points = Fraction(
            attendance_points(
                present=facts.present,
                required=facts.required,
                unexcused=facts.unexcused,
            )
        )
    elif source == "speaking_share":
        points = Fraction(speaking_points(spoke=facts.spoke, present=facts.attendees))
    elif source == "task_results":
        points = Fraction(
            task_results_points(done=facts.tasks_done, total=facts.tasks_total)
        )
    elif source == "adopted_tasks_assigned":
        points = top / 2 * facts.minutes_adopted + top / 2 * (facts.tasks_assigned > 0)
    elif source == "attendance_above_85":
        points = _all_or_nothing(
            facts.required == 0
            or Fraction(facts.present, facts.required) > HD12_ATTENDANCE,
            top,
        )
    elif source == "speaking_majority":
        points = _all_or_nothing(
            facts.attendees > 0 and 2 * facts.spoke > facts.attendees, top
        )
    elif source in _YES_NO_SOURCES:
        points = _all_or_nothing(_YES_NO_SOURCES[source](facts), top)
    else:
        raise ValueError(f"unknown auto source {source!r}")
    return min(points, top)


_YES_NO_SOURCES = {
    "absence_streak": lambda f: f.longest_absence <= _ABSENCE_STREAK_LIMIT,
    "committee_meeting": lambda f: f.committee_meeting_held or not f.has_committee,
    "notified": lambda f: f.notified_in_time,
    "documents_in_time": lambda f: f.documents_in_time,
    "minutes_complete": lambda f: f.minutes_complete,
    "documents_posted": lambda f: f.documents_posted,
    "locked_in_time": lambda f: f.locked_in_time,
    "tasks_assigned": lambda f: f.tasks_assigned > 0,
}


def rubric_score(
    groups: list, *, facts: MeetingFacts, manual: dict, thematic_month: bool
) -> dict:
    """Score a meeting on a rubric's data (groups of items with "key", "max", "auto"
    and "thematic"). ◆ items (with an "auto" source) come from ``facts``, whatever
    ``manual`` says; the others from ``manual`` (item key -> points, missing = 0).
    Thematic-only items are left out of a non-thematic month, and out of the maximum.

    Returns {"items": {key: Fraction}, "total", "maximum", "percent" (exact, on 100)
    and "band"}. Manual points outside 0..max raise ValueError naming the item.
    """
    items, total, maximum = {}, Fraction(0), Fraction(0)
    for group in groups:
        for item in group["items"]:
            if item.get("thematic") and not thematic_month:
                continue
            top = _exact(item["max"])
            if item.get("auto"):
                points = auto_points(
                    item["auto"], facts, maximum=top, scale=item.get("scale")
                )
            else:
                points = _exact(manual.get(item["key"], 0))
                if not 0 <= points <= top:
                    raise ValueError(
                        f"{item['key']}: points must be between 0 and {top}"
                    )
            items[item["key"]] = points
            total += points
            maximum += top
    percent = score_percent(total=total, maximum=maximum)
    return {
        "items": items,
        "total": total,
        "maximum": maximum,
        "percent": percent,
        "band": quality_band(percent),
    }


RUBRIC_TOTAL = 100  # a points rubric is scored on 100 (§6)


def _share_scale_errors(scale: dict, top: Fraction) -> list[str]:
    errors = []
    bounds = [Fraction(bound) for _comparison, bound, _points in scale["bands"]]
    points = [_exact(p) for _comparison, _bound, p in scale["bands"]]
    others = [
        _exact(scale[name]) for name in ("floor", "empty", "unexcused") if name in scale
    ]
    if any(p < 0 for p in points + others):
        errors.append("negative")
    if any(p > top for p in points + others):
        errors.append("scale_above_max")
    if any(not 0 <= bound <= 1 for bound in bounds):
        errors.append("share_range")
    descending = all(a > b for a, b in pairwise(bounds))
    ladder = [*points, _exact(scale["floor"])]
    if not descending or any(a < b for a, b in pairwise(ladder)):
        errors.append("bands_order")
    return errors


def _duration_scale_errors(scale: dict, top: Fraction) -> list[str]:
    errors = []
    minutes = [most for most, _points in scale["short"]]
    ladder = [
        _exact(scale["full"]),
        *(_exact(points) for _most, points in scale["short"]),
        _exact(scale["half"]),
        _exact(scale["floor"]),
    ]
    if any(p < 0 for p in ladder) or any(m < 0 for m in minutes):
        errors.append("negative")
    if any(p > top for p in ladder):
        errors.append("scale_above_max")
    ascending = all(a < b for a, b in pairwise(minutes))
    if not ascending or any(a < b for a, b in pairwise(ladder)):
        errors.append("bands_order")
    return errors


def rubric_errors(groups: list, *, kind: str = "points") -> list[tuple[str, str]]:
    """Check a rubric's data before it is saved (§6); return (item key, problem)
    pairs, empty when the rubric is sound. The item key is "" for the whole rubric.

    Problems: "negative" (points below 0), "total" (a points rubric's items,
    the thematic one included, do not add up to 100), "scale_above_max" (a ◆
    scale gives more than the item's maximum), "share_range" (a share bound
    outside 0-100%), "bands_order" (a ◆ scale whose bands are not monotone:
    shares strictly falling with points never rising, down to the floor; duration
    shortfalls strictly rising with points never rising, down to the floor).
    """
    errors = []
    total = Fraction(0)
    for group in groups:
        for item in group["items"]:
            top = _exact(item["max"])
            total += top
            found = ["negative"] if top < 0 else []
            scale = item.get("scale")
            if scale and item.get("auto") == "duration":
                found += _duration_scale_errors(scale, top)
            elif scale:
                found += _share_scale_errors(scale, top)
            errors += [(item["key"], problem) for problem in dict.fromkeys(found)]
    if kind == "points" and total != RUBRIC_TOTAL:
        errors.append(("", "total"))
    return errors


def longest_absence_run(statuses_by_member: dict) -> int:
    """The longest run of consecutive absences of any member, given each member's
    statuses in meeting order. Absent (with or without reason) extends a run;
    present ends it; exempt, away and suspended neither extend nor end it
    (``meetings.domain.longest_absence_streak`` per member)."""
    return max(
        map(meetings_domain.longest_absence_streak, statuses_by_member.values()),
        default=0,
    )


def minutes_locked_in_time(
    *, ended_at: datetime, locked_at: datetime | None, days: int = 2
) -> bool:
    """Tell whether the minutes were locked within ``days`` x 24 hours of the end.

    Not locked yet (None) is False. Exactly 48 hours after the end is in time.
    """
    if locked_at is None:
        return False
    return locked_at - ended_at <= timedelta(days=days)


# --- supervisors' reports and recommendations (§7) --------------------------------


def report_due_date(meeting_day: date, *, deadline_day: int = 10) -> date:
    """Return the day a supervisor's report on a meeting is due: the first day
    numbered ``deadline_day`` (clipped to its month's last day) strictly after the
    meeting day ("trước ngày 10 hàng tháng", seed 004).

    A meeting on 3 November is reported by 10 November; one on 10 or 20 November by
    10 December; one on 20 December by 10 January of the next year. With
    ``deadline_day`` 31, a meeting on 30 April is due on 31 May (30 April is April's
    clipped day and is not after the meeting). ``deadline_day`` outside 1-31 raises
    ValueError.
    """
    if not 1 <= deadline_day <= 31:
        raise ValueError(f"deadline_day must be between 1 and 31, got {deadline_day}")

    def clipped(year: int, month: int) -> date:
        return date(year, month, min(deadline_day, calendar.monthrange(year, month)[1]))

    due = clipped(meeting_day.year, meeting_day.month)
    if due > meeting_day:
        return due
    if meeting_day.month == 12:
        return clipped(meeting_day.year + 1, 1)
    return clipped(meeting_day.year, meeting_day.month + 1)


# Where a supervisor's report stands against its due date (`report_status`).
REPORT_ON_TIME = "on_time"
REPORT_LATE = "late"
REPORT_MISSING = "missing"  # not filed and past due
REPORT_PENDING = "pending"  # not filed, not due yet
REPORT_FLAGGED = frozenset({REPORT_LATE, REPORT_MISSING})  # shown as a problem


def report_status(*, due_on: date, submitted_on: date | None, today: date) -> str:
    """Return REPORT_ON_TIME, REPORT_LATE, REPORT_MISSING (not filed and past due) or
    REPORT_PENDING.

    Filed on the due day is on time; the day after is late.
    """
    if submitted_on is not None:
        return REPORT_ON_TIME if submitted_on <= due_on else REPORT_LATE
    return REPORT_MISSING if today > due_on else REPORT_PENDING


RECOMMENDATION_STATUSES = (OPEN, IN_PROGRESS, RESOLVED, REJECTED)
RECOMMENDATION_CLOSED = frozenset({RESOLVED, REJECTED})
RECOMMENDATION_TRANSITIONS = {
    OPEN: frozenset({IN_PROGRESS, RESOLVED, REJECTED}),
    IN_PROGRESS: frozenset({RESOLVED, REJECTED}),
    RESOLVED: frozenset(),
    REJECTED: frozenset(),
}


def can_move_recommendation(current: str, target: str) -> bool:
    """Whether a recommendation may go from ``current`` to ``target`` status.

    Open goes to in progress, resolved or rejected; in progress to resolved or
    rejected; resolved and rejected are final.
    """
    return target in RECOMMENDATION_TRANSITIONS.get(current, frozenset())


def is_recommendation_closed(status: str) -> bool:
    """Whether a recommendation is closed (resolved or rejected): nothing more is
    recorded on it."""
    return status in RECOMMENDATION_CLOSED


def recommendation_overdue(
    *, status: str, raised_on: date, today: date, days: int
) -> bool:
    """Tell whether a recommendation is overdue: still open or in progress more than
    ``days`` days after it was raised (on day ``raised_on + days`` it is not yet).

    Negative ``days`` raises ValueError.
    """
    _check_non_negative(days=days)
    if is_recommendation_closed(status):
        return False
    return today > raised_on + timedelta(days=days)


# --- annual rating (§5) -----------------------------------------------------------


def quota_warning(
    *, levels: Iterable[str], ratio: Number = Fraction(1, 5)
) -> dict | None:
    """Count excellent and good ratings; return the counts when excellent exceeds the
    quota (a warning to show), None when within it. Never changes a rating."""
    counted = [level for level in levels if level]
    excellent = counted.count(EXCELLENT)
    good = counted.count(GOOD)
    if excellent_within_quota(excellent=excellent, good=good, ratio=ratio):
        return None
    return {
        "excellent": excellent,
        "good": good,
        "allowed": math.floor(_exact(ratio) * good),
    }


# --- compliance counts (§8) -----------------------------------------------------------


SPEAKER_GROUPS = ("young", "new", "no_office")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year - years, day=28)


def speaker_groups(
    *,
    birth_date: date | None,
    admission_date: date | None,
    has_office: bool,
    day: date,
    young_age: int = 35,
    recent_years: int = 3,
) -> frozenset[str]:
    """Return the groups whose speaking share an attendee counts in on ``day``
    (seeds 000 and 004: "young, newly admitted and non-office members rarely speak"):
    "young" when younger than ``young_age`` (a setting, default 35) that day;
    "new" when admitted (ceremony date) within the last ``recent_years`` years, on or
    after the same day ``recent_years`` years earlier; "no_office" when holding no
    position (secretary, deputy, committee member, group leader or deputy) that day.
    An unknown birth or admission date puts the member in neither of those groups.
    """
    groups = set()
    if birth_date is not None and birth_date > _years_before(day, young_age):
        groups.add("young")
    if admission_date is not None and (
        _years_before(day, recent_years) <= admission_date <= day
    ):
        groups.add("new")
    if not has_office:
        groups.add("no_office")
    return frozenset(groups)
