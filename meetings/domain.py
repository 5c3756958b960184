"""Pure meeting rules (DOMAIN.md §3 and §11).

No Django, no ORM, no settings, no I/O: every function takes plain values and returns
plain values, so services, views, PDFs and dashboards can share them and tests need no
database. Ratios are ``fractions.Fraction`` and every threshold is compared exactly.
"""

import calendar
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import TypeVar

from members.domain import (
    COMMITTEE_THRESHOLD,
    OFFICIAL,
    SHIFT_NEXT_WORKING_DAY,
    SHIFT_NONE,
    SHIFTS,
)

__all__ = [
    "ABSENT_EXCUSED",
    "ABSENT_STATUSES",
    "ABSENT_UNEXCUSED",
    "ACKNOWLEDGED",
    "ANNUAL_REVIEW",
    "ATTENDANCE_STATUSES",
    "AWAY",
    "CANCELLED",
    "COMBINED_MINIMUM_DURATION_MINUTES",
    "COMMITTEE",
    "CONGRESS",
    "EXEMPT",
    "EXTRAORDINARY",
    "HELD",
    "HELD_STATES",
    "LOCKED",
    "MINIMUM_DURATION_MINUTES",
    "NEUTRAL_STATUSES",
    "NOTIFIED",
    "PLANNED",
    "PRESENT",
    "RECORD_OPEN_STATES",
    "REGULAR",
    "RETURNED",
    "SHIFTS",
    "SUBMITTED",
    "SUSPENDED",
    "THEMATIC",
    "admission_passes",
    "attendance_rate",
    "below_minimum_attendance",
    "can_adopt_minutes",
    "can_lock_minutes",
    "can_sign_minutes",
    "can_start_meeting",
    "can_write_minutes",
    "document_number",
    "documents_sent_in_time",
    "duration_minutes",
    "has_topic_presenter",
    "is_fully_signed",
    "is_held",
    "is_record_open",
    "is_thematic",
    "is_thematic_plan_month",
    "is_upcoming",
    "longest_absence_streak",
    "meets_minimum_duration",
    "minimum_duration_minutes",
    "minutes_times_problem",
    "official_on",
    "plan_month",
    "planned_meeting_date",
    "prefilled_status",
    "propose_news_briefer",
    "quarter_of",
    "quarters_without_thematic",
    "resolution_passes",
    "speaking_share",
    "still_to_sign",
    "vote_denominator",
]

# The values of the meetings' TextChoices (meetings.models), defined here once so the
# rules below read no models: MeetingKind, MeetingState and AttendanceStatus use them.
REGULAR = "regular"
THEMATIC = "thematic"
EXTRAORDINARY = "extraordinary"
COMMITTEE = "committee"
ANNUAL_REVIEW = "annual_review"
CONGRESS = "congress"

PLANNED = "planned"
NOTIFIED = "notified"
HELD = "held"
LOCKED = "locked"
SUBMITTED = "submitted"
ACKNOWLEDGED = "acknowledged"
RETURNED = "returned"
CANCELLED = "cancelled"

PRESENT = "present"
ABSENT_EXCUSED = "absent_excused"
ABSENT_UNEXCUSED = "absent_unexcused"
EXEMPT = "exempt"
AWAY = "away"
SUSPENDED = "suspended"

# HD 42: a meeting lasts at least 90 minutes, 120 when combined with a thematic one.
MINIMUM_DURATION_MINUTES = 90
COMBINED_MINIMUM_DURATION_MINUTES = 120


ABSENT_STATUSES = frozenset({ABSENT_EXCUSED, ABSENT_UNEXCUSED})
# Statuses that neither break nor extend a run of absences, and are not expected at
# the meeting (§3.3): exempted, away and suspended members.
NEUTRAL_STATUSES = frozenset({EXEMPT, AWAY, SUSPENDED})
ATTENDANCE_STATUSES = frozenset({PRESENT}) | ABSENT_STATUSES | NEUTRAL_STATUSES

_SATURDAY = 5  # date.weekday(): Monday is 0, Saturday 5, Sunday 6.

IdT = TypeVar("IdT", bound=Hashable)


def _check_non_negative(**counts: int) -> None:
    """Raise ValueError naming the first negative count."""
    for name, value in counts.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value!r}")


def _is_working_day(day: date, holidays: frozenset[date]) -> bool:
    """Tell whether ``day`` is neither a Saturday, a Sunday nor a holiday."""
    return day.weekday() < _SATURDAY and day not in holidays


def planned_meeting_date(
    year: int,
    month: int,
    *,
    day: int = 3,
    shift: str = SHIFT_NONE,
    holidays: Iterable[date] = (),
) -> date:
    """Return the planned date of the monthly meeting of ``year``-``month``.

    ``day`` (the ``meeting_day`` setting, 1-31) is first clipped to the month's last
    day (31 -> 30 in April, -> 28 or 29 in February). Then ``shift`` applies:

    - ``"none"``: the clipped date, even on a weekend or holiday;
    - ``"next_working_day"``: move forward past Saturdays, Sundays and ``holidays``;
      the result may fall in the next month or the next year (day 31 of January 2026
      is a Saturday and becomes Monday 2 February);
    - ``"previous_working_day"``: move backward the same way; the result may fall in
      the previous month or year.

    ``holidays`` is any iterable of ``date`` objects (pass the lunar new year run from
    a maintained calendar); it is read once. Raises ValueError for a ``day`` outside
    1-31, an unknown ``shift`` or an invalid ``month``.
    """
    if shift not in SHIFTS:
        raise ValueError(f"shift must be one of {SHIFTS}, got {shift!r}")
    if not 1 <= day <= 31:
        raise ValueError(f"day must be between 1 and 31, got {day!r}")
    if not 1 <= month <= 12:
        raise ValueError(f"month must be between 1 and 12, got {month!r}")
    last_day = calendar.monthrange(year, month)[1]
    planned = date(year, month, min(day, last_day))
    if shift == SHIFT_NONE:
        return planned
    closed = frozenset(holidays)
    step = timedelta(days=1 if shift == SHIFT_NEXT_WORKING_DAY else -1)
    while not _is_working_day(planned, closed):
        planned += step
    return planned


def prefilled_status(
    *, suspended: bool, away: bool, exempt: bool, excused: bool
) -> str:
    """Return the roll call's first status of a member from their standing on the
    meeting day (§3.3): "suspended" (never prefilled present: a suspended member takes
    no part in party activities), else "away", else "exempt", else "absent_excused"
    (an accepted excuse), else "present".
    """
    if suspended:
        return SUSPENDED
    if away:
        return AWAY
    if exempt:
        return EXEMPT
    if excused:
        return ABSENT_EXCUSED
    return PRESENT


def official_on(*, status: str, official_date: date | None, day: date) -> bool:
    """Tell whether a member was an official member on ``day``: official now and
    recognised on or before ``day`` (a member recognised later was probationary then;
    an official member without a recorded date is taken as official)."""
    if status != OFFICIAL:
        return False
    return official_date is None or official_date <= day


def minimum_duration_minutes(
    *, combined_with_thematic: bool, members: int = 0, long_meeting_members: int = 0
) -> int:
    """Return the minimum meeting length in minutes: 90, or 120 when combined.

    HD 42: a regular meeting lasts at least 90 minutes; when a thematic meeting is held
    in the same session the minimum is 120 minutes. [local] Some wards ask 120
    minutes of every meeting of a large cell: with ``long_meeting_members`` set (a
    setting, 0 = off), a cell of at least that many ``members`` has the 120-minute
    minimum too.
    """
    if combined_with_thematic or (
        long_meeting_members and members >= long_meeting_members
    ):
        return COMBINED_MINIMUM_DURATION_MINUTES
    return MINIMUM_DURATION_MINUTES


def duration_minutes(start: datetime, end: datetime) -> int:
    """Return the whole minutes between ``start`` and ``end``, never negative.

    Partial minutes are dropped (89 min 59 s is 89). An ``end`` before ``start`` (a data
    entry slip) gives 0 rather than a negative length. Both datetimes must be naive or
    both aware; mixing them raises TypeError, as Python does.
    """
    if end <= start:
        return 0
    return (end - start) // timedelta(minutes=1)


def meets_minimum_duration(
    *,
    minutes: int,
    combined_with_thematic: bool,
    members: int = 0,
    long_meeting_members: int = 0,
) -> bool:
    """Tell whether a meeting of ``minutes`` reaches the HD 42 minimum.

    Exactly the minimum (90, or 120 combined or in a large cell, see
    ``minimum_duration_minutes``) passes; one minute less fails.
    """
    return minutes >= minimum_duration_minutes(
        combined_with_thematic=combined_with_thematic,
        members=members,
        long_meeting_members=long_meeting_members,
    )


def documents_sent_in_time(
    *, sent_at: datetime | None, meeting_start: datetime, min_days: int = 1
) -> bool:
    """Tell whether documents were sent at least ``min_days`` days before the start.

    A day is 24 hours counted back from ``meeting_start``: sent exactly 24 hours before
    a ``min_days=1`` meeting is in time, one second later is not. ``sent_at=None``
    (never sent) is False. ``min_days`` below 0 raises ValueError.
    """
    _check_non_negative(min_days=min_days)
    if sent_at is None:
        return False
    return meeting_start - sent_at >= timedelta(days=min_days)


def attendance_rate(*, present: int, required: int) -> Fraction | None:
    """Return present required members / required members, or None when none required.

    *Required* means official and probationary members minus exempted, away and
    suspended members (§3.3); ``present`` counts only required members who attended,
    so it cannot exceed ``required`` (ValueError otherwise, as for negative counts).
    Exempted members who come anyway are not part of this ratio.
    """
    _check_non_negative(present=present, required=required)
    if present > required:
        raise ValueError(f"present ({present}) exceeds required ({required})")
    if required == 0:
        return None
    return Fraction(present, required)


def below_minimum_attendance(
    *, present: int, required: int, minimum_percent: int
) -> bool:
    """Tell whether a meeting's attendance falls short of the minimum a committee
    set (the ``min_attendance_percent`` setting, §3.3: no quorum exists nationally,
    so 0 means off). Compared exactly: with a 75% minimum, 6 of 8 is enough and 5
    of 7 (71.4%) is not. Nobody required is never short. A minimum outside 0-100
    raises ValueError."""
    if not 0 <= minimum_percent <= 100:
        raise ValueError(f"minimum_percent must be 0-100, got {minimum_percent!r}")
    _check_non_negative(present=present, required=required)
    if minimum_percent == 0 or required == 0:
        return False
    return 100 * present < minimum_percent * required


def speaking_share(*, spoke: int, present: int) -> Fraction | None:
    """Return the share of attendees who spoke, or None when nobody was present.

    ``spoke`` cannot exceed ``present`` and neither may be negative (ValueError).
    """
    _check_non_negative(spoke=spoke, present=present)
    if spoke > present:
        raise ValueError(f"spoke ({spoke}) exceeds present ({present})")
    if present == 0:
        return None
    return Fraction(spoke, present)


def vote_denominator(
    *,
    official_members: int,
    transferred_out: int = 0,
    exempt_absent: int = 0,
    suspended: int = 0,
    absent_excused_official: int = 0,
) -> int:
    """Return N, the official members who count for a vote, never below 0.

    N = official members minus those temporarily transferred out, exempted members who
    are absent, suspended (or prosecuted, detained) members and official members absent
    for the whole meeting with an accepted reason (Charter art. 10; QĐ 294 point
    9.3.2). Probationary members are never in N. Overlapping deductions are the
    caller's to avoid; a result below 0 is clamped to 0. Negative inputs raise
    ValueError.
    """
    _check_non_negative(
        official_members=official_members,
        transferred_out=transferred_out,
        exempt_absent=exempt_absent,
        suspended=suspended,
        absent_excused_official=absent_excused_official,
    )
    deducted = transferred_out + exempt_absent + suspended + absent_excused_official
    return max(0, official_members - deducted)


def _check_vote(yes: int, denominator: int) -> None:
    """Validate a yes count against its denominator N."""
    _check_non_negative(yes=yes, denominator=denominator)
    if yes > denominator:
        raise ValueError(f"yes ({yes}) exceeds the denominator ({denominator})")


def resolution_passes(*, yes: int, denominator: int) -> bool:
    """Tell whether a resolution passes: yes > half of N.

    Exactly half fails (5 of 10), half plus one passes (6 of 10); with an odd N the
    smallest majority is (N + 1) / 2 (5 of 9). N = 0 never passes. Compared in
    integers (2 x yes > N), so no rounding. ``yes`` above N or negative counts raise
    ValueError: only members in N can vote.
    """
    _check_vote(yes, denominator)
    if denominator == 0:
        return False
    return 2 * yes > denominator


def admission_passes(*, yes: int, denominator: int) -> bool:
    """Tell whether an admission or official recognition passes: yes >= 2/3 of N.

    Exactly two thirds passes (6 of 9); one vote fewer fails (5 of 9). When N is not a
    multiple of 3 the bound rounds up (7 of 10 passes, 6 of 10 fails). Compared in
    integers (3 x yes >= 2 x N). N = 0 never passes. Invalid counts raise ValueError as
    in ``resolution_passes``.
    """
    _check_vote(yes, denominator)
    if denominator == 0:
        return False
    return 3 * yes >= 2 * denominator


def quarters_without_thematic(held_dates: Iterable[date], *, year: int) -> list[int]:
    """Return the quarters 1-4 of ``year`` in which no thematic meeting was held.

    Quarters are calendar quarters (January-March is 1). Dates in other years are
    ignored; ``datetime`` values are accepted as dates. The result is sorted and empty
    when every quarter had one.
    """
    covered = {quarter_of(held.month) for held in held_dates if held.year == year}
    return [quarter for quarter in range(1, 5) if quarter not in covered]


def document_number(*, seq: int, doc_type: str, org_code: str) -> str:
    """Return a document number such as ``"Số 01-NQ/CB"``.

    ``seq`` is written with at least two digits (1 -> "01", 123 -> "123"), no colon
    after "Số" (HD 36). ``seq`` below 1 or an empty ``doc_type``/``org_code`` raises
    ValueError. The codes are used as given (NQ, BB, BC, KH, TB, QĐ, KL; CB, ĐU).
    """
    if seq < 1:
        raise ValueError(f"seq must be at least 1, got {seq!r}")
    if not doc_type or not org_code:
        raise ValueError("doc_type and org_code must not be empty")
    return f"Số {seq:02d}-{doc_type}/{org_code}"


def propose_news_briefer(
    candidates: Sequence[IdT], last_briefed: Mapping[IdT, date]
) -> IdT | None:
    """Return the candidate who gave the current-affairs briefing longest ago.

    Candidates missing from ``last_briefed`` (never briefed) come first; among equals
    (several never briefed, or the same last date) the earlier one in ``candidates``
    wins. ``candidates`` is already filtered (active, not exempt, not away). Returns
    None when there is no candidate. Entries of ``last_briefed`` for non-candidates are
    ignored.
    """
    best: IdT | None = None
    best_key: tuple[bool, date] | None = None
    for candidate in candidates:
        last = last_briefed.get(candidate)
        key = (last is not None, last if last is not None else date.min)
        if best_key is None or key < best_key:
            best, best_key = candidate, key
    return best


def longest_absence_streak(statuses: Iterable[str]) -> int:
    """Return the longest run of consecutive absences in chronological ``statuses``.

    ``absent_excused`` and ``absent_unexcused`` extend the run; ``present`` ends it;
    ``exempt``, ``away`` and ``suspended`` are skipped (they neither break nor extend
    it). Compare the result with 3 for the "absent more than 3 meetings in a row"
    criterion. An unknown status raises ValueError.
    """
    longest = current = 0
    for status in statuses:
        if status in ABSENT_STATUSES:
            current += 1
            longest = max(longest, current)
        elif status == PRESENT:
            current = 0
        elif status not in NEUTRAL_STATUSES:
            raise ValueError(f"unknown attendance status {status!r}")
    return longest


# --- lifecycle (DOMAIN.md §3.5, ARCHITECTURE.md "the life of a meeting") -------------

TRANSITIONS: Mapping[str, frozenset[str]] = {
    PLANNED: frozenset({NOTIFIED, HELD, CANCELLED}),
    NOTIFIED: frozenset({HELD, CANCELLED}),
    HELD: frozenset({LOCKED}),
    LOCKED: frozenset({SUBMITTED}),
    SUBMITTED: frozenset({ACKNOWLEDGED, RETURNED}),
    RETURNED: frozenset({SUBMITTED}),
    ACKNOWLEDGED: frozenset(),
    CANCELLED: frozenset(),
}
RESCHEDULABLE_STATES = frozenset({PLANNED, NOTIFIED})
# Preparation, guests, documents and excuse decisions change only in these states,
# and only until the cell adopts the minutes (what is printed is then final).
RECORD_OPEN_STATES = frozenset({PLANNED, NOTIFIED, HELD})


def is_record_open(state, *, adopted):
    """Whether a meeting's preparation, guests, documents and excuses may change."""
    return state in RECORD_OPEN_STATES and not adopted


# A meeting in one of these states took place (its minutes may follow it through the
# later states). Supervisor report reminders, among others, count these meetings.
HELD_STATES = (HELD, LOCKED, SUBMITTED, ACKNOWLEDGED, RETURNED)


def is_held(state: str) -> bool:
    """Whether a meeting in ``state`` took place (see ``HELD_STATES``)."""
    return state in HELD_STATES


def is_upcoming(state: str) -> bool:
    """Whether a meeting in ``state`` is still ahead: planned or notified, so it may
    be prepared, started, moved or cancelled, and members may ask to be excused."""
    return state in RESCHEDULABLE_STATES


def can_write_minutes(state: str, *, adopted: bool) -> bool:
    """Whether attendance and minutes may be written: the meeting is held and the
    cell has not adopted its minutes yet."""
    return state == HELD and not adopted


def is_fully_signed(*, taker_signed: bool, chair_signed: bool) -> bool:
    """Whether minutes (or an addendum) carry both the minute-taker's and the chair's
    signature."""
    return taker_signed and chair_signed


def can_sign_minutes(*, adopted: bool, locked: bool) -> bool:
    """Whether adopted minutes still take signatures: until they are locked."""
    return adopted and not locked


def can_start_meeting(*, today: date, scheduled_day: date) -> bool:
    """Whether a meeting may be started (held) on ``today``: on its scheduled day or
    later, never before. A cell that truly meets early moves the meeting first, with
    a reason, so the record never says one day and was written on another."""
    return today >= scheduled_day


def minutes_times_problem(
    *, scheduled_day: date, started_at: datetime | None, ended_at: datetime | None
) -> str | None:
    """What is wrong with the minutes' recorded times, or None: "end_before_start"
    (the end is not after the start) or "start_before_day" (the meeting is recorded
    as starting before its scheduled day). ``started_at`` and ``ended_at`` are local
    (aware or naive alike); either may be missing while the minutes are typed."""
    if started_at is not None and started_at.date() < scheduled_day:
        return "start_before_day"
    if started_at is not None and ended_at is not None and ended_at <= started_at:
        return "end_before_start"
    return None


def can_adopt_minutes(
    *, now: datetime, ended_at: datetime | None, conclusion: str
) -> str | None:
    """Why minutes may not be adopted at ``now``, or None: "no_conclusion" (the
    closing section, III, is empty) or "before_end" (adoption comes after the
    recorded end of the meeting, when the minutes are read back)."""
    if not (conclusion or "").strip():
        return "no_conclusion"
    if ended_at is not None and now < ended_at:
        return "before_end"
    return None


def still_to_sign(
    member_id: int | None,
    *,
    chair_id: int | None,
    taker_id: int | None,
    chair_signed: bool,
    taker_signed: bool,
) -> bool:
    """Whether ``member_id`` holds a role (chair, minute-taker) whose signature is
    still missing: once they have signed, "Sign" is no longer offered to them."""
    if member_id is None:
        return False
    return (member_id == chair_id and not chair_signed) or (
        member_id == taker_id and not taker_signed
    )


def can_lock_minutes(
    *, adopted: bool, taker_signed: bool, chair_signed: bool, locked: bool
) -> bool:
    """Whether minutes may be locked: adopted, signed by both, not locked yet."""
    return (
        adopted
        and is_fully_signed(taker_signed=taker_signed, chair_signed=chair_signed)
        and not locked
    )


def is_thematic(kind: str, *, combined: bool) -> bool:
    """Whether a meeting of ``kind`` holds thematic business: a thematic meeting, or a
    regular one combined with the thematic one (its thematic score items count)."""
    return kind == THEMATIC or combined


def has_topic_presenter(kind: str, *, combined: bool) -> bool:
    """Whether a meeting of ``kind`` has a topic presenter and prepared contributions:
    one that holds thematic business (``is_thematic``)."""
    return is_thematic(kind, combined=combined)


def can_transition(current: str, target: str) -> bool:
    """Whether a meeting may go from state ``current`` to ``target``."""
    return target in TRANSITIONS.get(current, frozenset())


def quarter_of(month: int) -> int:
    """The calendar quarter 1-4 of ``month`` (1-12): January-March is 1."""
    return (month - 1) // 3 + 1


def is_thematic_plan_month(month: int) -> bool:
    """Whether the yearly plan puts a quarter's thematic meeting in ``month`` (1-12):
    the middle month of each quarter (February, May, August, November).

    A month outside 1-12 raises ValueError.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month!r}")
    return month % 3 == 2


def committee_term(year: int, *, start_year: int, length: int = 5) -> str:
    """The committee term containing ``year``, e.g. ``"2025-2030"``.

    Terms run ``length`` years from ``start_year`` (and back before it): with
    start 2025 and length 5, 2029 is in 2025-2030 and 2030 starts 2030-2035.
    """
    if length < 1:
        raise ValueError(f"length must be at least 1, got {length!r}")
    first = start_year + ((year - start_year) // length) * length
    return f"{first}-{first + length}"


def committee_term_of(
    day: date, *, start_year: int, start_month: int = 1, months: int = 60
) -> str:
    """The committee term containing ``day`` when terms last ``months`` months from
    ``start_month``/``start_year`` (and back before it); document numbers restart
    with each term. A term of whole years starting in January keeps the year form
    (``"2025-2030"``, as ``committee_term``); any other is written by months,
    first and last month included: with 30-month terms from 01/2025 (a cell whose
    congress runs twice per 5-year term), 03/2027 is in ``"01/2025-06/2027"`` and
    07/2027 starts ``"07/2027-12/2029"``. ``months`` below 1 or a month outside 1-12
    raises ValueError."""
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months!r}")
    if not 1 <= start_month <= 12:
        raise ValueError(f"start_month must be 1-12, got {start_month!r}")
    if start_month == 1 and months % 12 == 0:
        return committee_term(day.year, start_year=start_year, length=months // 12)
    index = day.year * 12 + day.month - 1
    origin = start_year * 12 + start_month - 1
    first = origin + ((index - origin) // months) * months
    last = first + months - 1
    return f"{first % 12 + 1:02d}/{first // 12}-{last % 12 + 1:02d}/{last // 12}"


def slot_for(kind: str, year: int, month: int) -> str:
    """The yearly-plan slot of a meeting: ``"2026-M11"`` (regular), ``"2026-Q4"``
    (thematic), ``"2026-C11"`` (the cell committee's meeting preparing November's)
    or ``"2026-R"`` (the year-end review); other kinds have no slot."""
    if kind == REGULAR:
        return f"{year}-M{month:02d}"
    if kind == THEMATIC:
        return f"{year}-Q{quarter_of(month)}"
    if kind == COMMITTEE:
        return f"{year}-C{month:02d}"
    if kind == ANNUAL_REVIEW:
        return f"{year}-R"
    return ""


# The yearly plan puts the Hồ Chí Minh topic (Directive 05) in the second quarter's
# thematic meeting: Hồ Chí Minh's birthday is 19 May.
HO_CHI_MINH_QUARTER = 2
YEAR_END_REVIEW_DAY = 20  # of December, before the year's last dues and reports


def has_cell_committee(*, official_members: int) -> bool:
    """Whether a cell of ``official_members`` official members elects a cell
    committee (§1): 9 or more. A smaller cell has a secretary (and maybe a deputy)
    only: no committee meeting is planned for it and §6's "committee meeting held"
    item cannot apply to it."""
    return official_members >= COMMITTEE_THRESHOLD


def thematic_meeting_date(
    year: int,
    month: int,
    *,
    day: int = 3,
    offset_days: int = 7,
    shift: str = SHIFT_NONE,
    holidays: Iterable[date] = (),
) -> date:
    """The planned date of a quarter's thematic meeting in ``month``: ``offset_days``
    (a setting, default 7) after the monthly meeting day, clipped to the month's last
    day, then moved by the cell's own ``shift`` rule, as the monthly meeting is."""
    if offset_days < 0:
        raise ValueError(f"offset_days must not be negative, got {offset_days!r}")
    return planned_meeting_date(
        year, month, day=min(day + offset_days, 31), shift=shift, holidays=holidays
    )


def committee_meeting_date(
    regular_day: date, *, days_before: int = 3, holidays: Iterable[date] = ()
) -> date:
    """The planned date of the cell committee's meeting preparing the regular meeting
    of ``regular_day`` (§3.1 step 2): ``days_before`` days earlier, moved back to a
    working day (it must come before the meeting it prepares)."""
    closed = frozenset(holidays)
    day = regular_day - timedelta(days=days_before)
    while not _is_working_day(day, closed):
        day -= timedelta(days=1)
    return day


def plan_month(plan_slot: str, planned_date: date) -> date:
    """The first day of the month a meeting counts for (§8): its plan slot's month,
    even when the weekend/holiday shift moved its date into the neighbouring month
    (with "previous working day", January 2027's meeting falls on 31/12/2026 and still
    counts for January). A quarter's thematic slot counts in the month of its date,
    kept inside the quarter; a meeting outside the plan counts in its date's month.
    """
    if len(plan_slot) >= 8 and plan_slot[4:6] in ("-M", "-C"):
        return date(int(plan_slot[:4]), int(plan_slot[6:8]), 1)
    if len(plan_slot) >= 7 and plan_slot[4:6] == "-Q":
        year, quarter = int(plan_slot[:4]), int(plan_slot[6])
        first, last = date(year, 3 * quarter - 2, 1), date(year, 3 * quarter, 1)
        month = date(planned_date.year, planned_date.month, 1)
        return min(max(month, first), last)
    return date(planned_date.year, planned_date.month, 1)


def vote_denominator_from_attendance(rows: Iterable[Mapping[str, object]]) -> dict:
    """N of §3.4 from attendance rows (dicts with ``status``, ``was_official``,
    ``was_attached_in``, ``was_suspended``), with the parts that were taken out.

    Only the cell's own official members count (members attached here temporarily
    vote at home); taken out: transferred out (``away``), exempted and absent,
    suspended, and official members absent with an accepted reason.
    """
    official = transferred_out = exempt_absent = suspended = excused = 0
    for row in rows:
        if not row["was_official"] or row["was_attached_in"]:
            continue
        official += 1
        status = row["status"]
        if row["was_suspended"]:
            suspended += 1
        elif status == AWAY:
            transferred_out += 1
        elif status == EXEMPT:
            exempt_absent += 1
        elif status == ABSENT_EXCUSED:
            excused += 1
    detail = {
        "official_members": official,
        "transferred_out": transferred_out,
        "exempt_absent": exempt_absent,
        "suspended": suspended,
        "absent_excused_official": excused,
    }
    detail["denominator"] = vote_denominator(**detail)
    return detail
