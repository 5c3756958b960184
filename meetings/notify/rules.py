"""The rules of what is due (pure: no database, no clock): the timing constants, the
day offsets of a cell, which reminder kinds a meeting owes at a given moment, and
the claim subjects.

Business time (`now`) is always passed in; nothing here reads the clock.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from meetings.models import MANDATORY_KINDS, MeetingKind, MeetingState, NotificationKind
from members.models import RuleKey

Kind = NotificationKind
HORIZON = timedelta(days=31)  # no "days before" rule may exceed 30
LOOKBACK_DAYS = 14  # after-meeting nags stop this many days after they became due
CHANGE_WINDOW = timedelta(days=7)  # moves and cancellations are told within a week
SEND_FROM, SEND_UNTIL = time(7, 0), time(21, 0)  # no scheduled reminder at night
SOON = timedelta(hours=12)  # …unless the meeting starts this soon
UPCOMING = frozenset({MeetingState.PLANNED, MeetingState.NOTIFIED})
# Committee meetings are for the cell committee only.
OFFICERS_ONLY_KINDS = frozenset({MeetingKind.COMMITTEE})
# The kinds the meetings scanner itself finds; other apps register the rest.
MEETING_BOUND_KINDS = frozenset(
    {
        Kind.MEETING_NOTICE,
        Kind.RESCHEDULED,
        Kind.CANCELLED,
        Kind.PREPARATION,
        Kind.DOCUMENTS_MISSING,
        Kind.PRESENTER,
        Kind.MINUTES_NAG,
        Kind.MISSED_MEETING,
        Kind.MINUTES_REVIEWED,
    }
)
# The kinds a member may switch off (a meeting notice, a move or a cancellation
# always goes).
OPTIONAL_KINDS = tuple(k for k in Kind if k not in MANDATORY_KINDS)
OFFSET_KEYS = (
    RuleKey.NOTICE_DAYS,
    RuleKey.DOCUMENT_DAYS,
    RuleKey.PREPARATION_REMINDER_DAYS,
    RuleKey.PRESENTER_REMINDER_DAYS,
    RuleKey.MINUTES_NAG_DAYS,
    RuleKey.REPORT_DEADLINE_DAY,
)


@dataclass(frozen=True)
class Offsets:
    """The day offsets in force for one cell (each a rule inherited down the tree)."""

    notice_days: int = 3
    document_days: int = 1
    preparation_days: int = 7
    presenter_days: int = 7
    minutes_nag_days: int = 2

    @classmethod
    def from_rules(cls, values):
        """From {rule key: value}, as `effective_rules` or `rules_for_cells` give."""
        return cls(
            notice_days=int(values[RuleKey.NOTICE_DAYS]),
            document_days=int(values[RuleKey.DOCUMENT_DAYS]),
            preparation_days=int(values[RuleKey.PREPARATION_REMINDER_DAYS]),
            presenter_days=int(values[RuleKey.PRESENTER_REMINDER_DAYS]),
            minutes_nag_days=int(values[RuleKey.MINUTES_NAG_DAYS]),
        )


@dataclass(frozen=True)
class MeetingFacts:
    state: str
    kind: str
    starts_at: datetime  # aware
    is_combined: bool = False
    has_presenter: bool = False
    documents_sent: bool = False


def in_sending_hours(now):
    """Scheduled reminders go out between 07:00 and 21:00 local time."""
    return SEND_FROM <= now.time() < SEND_UNTIL


def due_meeting_kinds(facts, offsets, *, now):
    """The reminder kinds due for a meeting at `now` (an aware local datetime).

    A kind is due from its day on (never before), so a scan that was missed catches
    up; whether it was already sent is the claim rows' business, not this rule's.
    Days count in local dates: with notice_days=3 a meeting on the 3rd is noticed
    from 07:00 on the 30th/31st. Scheduled reminders wait for sending hours, except
    a notice for a meeting starting within 12 hours.
    """
    day = facts.starts_at.astimezone(now.tzinfo).date()
    today = now.date()
    upcoming = facts.state in UPCOMING and now < facts.starts_at
    daytime = in_sending_hours(now)
    due = []
    if upcoming:
        if today >= day - timedelta(days=offsets.notice_days) and (
            daytime or facts.starts_at - now <= SOON
        ):
            due.append(Kind.MEETING_NOTICE)
        if daytime and today < day:
            if today >= day - timedelta(days=offsets.preparation_days):
                due.append(Kind.PREPARATION)
            if (
                facts.has_presenter
                and (facts.kind == MeetingKind.THEMATIC or facts.is_combined)
                and today >= day - timedelta(days=offsets.presenter_days)
            ):
                due.append(Kind.PRESENTER)
        if (
            daytime
            and not facts.documents_sent
            and today >= day - timedelta(days=offsets.document_days)
        ):
            due.append(Kind.DOCUMENTS_MISSING)
    if (
        daytime
        and facts.state in UPCOMING
        and day < today <= day + timedelta(days=LOOKBACK_DAYS)
    ):
        due.append(Kind.MISSED_MEETING)
    if daytime and facts.state == MeetingState.HELD:
        nag_day = day + timedelta(days=offsets.minutes_nag_days)
        if nag_day <= today <= nag_day + timedelta(days=LOOKBACK_DAYS):
            due.append(Kind.MINUTES_NAG)
    return due


def report_reminder_kind(*, today, deadline, filed, days_before):
    """REPORT_DUE from `days_before` days before the deadline (rule
    report_reminder_days), REPORT_OVERDUE after it, None when filed or not yet due.
    The deadline itself is `evaluations.domain.report_due_date`'s business."""
    if filed or today < deadline - timedelta(days=days_before):
        return None
    return Kind.REPORT_OVERDUE if today > deadline else Kind.REPORT_DUE


def meeting_subject(meeting_id, *, version=None, cancelled=False, review=None):
    """The claim subject: "meeting:42", "meeting:42:v2" (second move),
    "meeting:42:cancel", or "meeting:42:review:7" (the superior's review recorded
    by change 7)."""
    if review:
        return f"meeting:{meeting_id}:review:{review}"
    if cancelled:
        return f"meeting:{meeting_id}:cancel"
    if version:
        return f"meeting:{meeting_id}:v{version}"
    return f"meeting:{meeting_id}"
