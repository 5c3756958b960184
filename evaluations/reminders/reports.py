"""Supervisor report reminders (issue 5 with the Evaluations issue's
`SupervisionReport`): "due" to each superior member assigned to a cell from
`report_reminder_days` days (a rule, default 3) before the report deadline (rule
first `report_deadline_day` strictly after the meeting, default the 10th, computed by
`evaluations.domain.report_due_date`) until the deadline, "overdue" from the day after
for two weeks, while no report on that meeting by that supervisor was filed.
Registered with the meetings scanner by `EvaluationsConfig.ready()` (NOTIFY_API.md).
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from evaluations.domain import report_due_date
from evaluations.models import SupervisionReport
from meetings.api import (
    REMINDER_LOOKBACK_DAYS,
    ReminderWork,
    in_sending_hours,
    register_reminder_kinds,
    report_reminder_kind,
    rules_for_cells,
    supervisors_of,
)
from meetings.domain import HELD_STATES
from meetings.models import Meeting
from meetings.models import NotificationKind as Kind
from members.models import RuleKey

LOOKBACK = timedelta(days=REMINDER_LOOKBACK_DAYS)  # overdue nags stop after this
# A report is due at the latest by the deadline day of the next month: meetings
# older than this can no longer be due or overdue within LOOKBACK.
WINDOW = timedelta(days=31 + 31 + REMINDER_LOOKBACK_DAYS)
PREFIX = "report:"


def report_subject(meeting_id, supervisor_id):
    return f"{PREFIX}{meeting_id}:{supervisor_id}"


def parse_subject(subject):
    """(meeting id, supervisor member id) from a subject, or None."""
    try:
        prefix, meeting_id, supervisor_id = subject.split(":")
        if f"{prefix}:" != PREFIX:
            return None
        return int(meeting_id), int(supervisor_id)
    except ValueError:
        return None


def report_kind(*, today, deadline, days_before):
    """REPORT_DUE / REPORT_OVERDUE for an unfiled report, capped at LOOKBACK."""
    if today > deadline + LOOKBACK:
        return None
    return report_reminder_kind(
        today=today, deadline=deadline, filed=False, days_before=days_before
    )


def _filed(pairs):
    """The (meeting id, supervisor id) among `pairs` with a filed report."""
    if not pairs:
        return set()
    return set(
        SupervisionReport.objects.filter(
            meeting_id__in={m for m, _s in pairs}, submitted_at__isnull=False
        ).values_list("meeting_id", "supervisor_id")
    ) & set(pairs)


def due_report_work(now):
    """The Work of every supervisor report due or overdue at `now`: four queries."""
    local = timezone.localtime(now)
    if not in_sending_hours(local):
        return []
    today = local.date()
    meetings = list(
        Meeting.objects.filter(
            state__in=HELD_STATES,
            starts_at__gte=now - WINDOW,
            starts_at__lt=now,
        )
        .select_related("cell")
        .only("id", "starts_at", "cell__id", "cell__path")
    )
    if not meetings:
        return []
    rules = rules_for_cells(
        {m.cell for m in meetings},
        on=today,
        keys=(RuleKey.REPORT_DEADLINE_DAY, RuleKey.REPORT_REMINDER_DAYS),
    )
    supervisors = supervisors_of({m.cell_id for m in meetings}, on=today)
    due = []
    for meeting in meetings:
        cell_rules = rules[meeting.cell_id]
        deadline = report_due_date(
            timezone.localtime(meeting.starts_at).date(),
            deadline_day=int(cell_rules[RuleKey.REPORT_DEADLINE_DAY]),
        )
        kind = report_kind(
            today=today,
            deadline=deadline,
            days_before=int(cell_rules[RuleKey.REPORT_REMINDER_DAYS]),
        )
        if kind:
            due += [(meeting.pk, s, kind) for s in supervisors.get(meeting.cell_id, ())]
    filed = _filed({(m, s) for m, s, _k in due})
    return [
        ReminderWork(kind, report_subject(m, s), None, (s,))
        for m, s, kind in due
        if (m, s) not in filed
    ]


def report_contexts(subjects):
    """{subject: template context}: the meeting, its cell and the deadline."""
    parsed = {s: parse_subject(s) for s in subjects}
    meetings = Meeting.objects.select_related("cell").in_bulk(
        [p[0] for p in parsed.values() if p]
    )
    rules = rules_for_cells(
        {m.cell for m in meetings.values()},
        on=timezone.localdate(),
        keys=(RuleKey.REPORT_DEADLINE_DAY,),
    )
    contexts = {}
    for subject, found in parsed.items():
        meeting = meetings.get(found[0]) if found else None
        if meeting is None:
            continue
        when = timezone.localtime(meeting.starts_at)
        contexts[subject] = {
            "meeting": meeting,
            "cell": meeting.cell,
            "when": when,
            "deadline": report_due_date(
                when.date(),
                deadline_day=int(rules[meeting.cell_id][RuleKey.REPORT_DEADLINE_DAY]),
            ),
            "path": reverse("evaluations:report-file", args=[meeting.pk]),
        }
    return contexts


def still_unfiled(subjects):
    """The subjects whose report is still not filed (one query)."""
    parsed = {s: parse_subject(s) for s in subjects}
    filed = _filed({p for p in parsed.values() if p})
    return {s for s, p in parsed.items() if p and p not in filed}


def register():
    """Plug report reminders into the meetings scanner (EvaluationsConfig.ready)."""
    return register_reminder_kinds(
        (Kind.REPORT_DUE, Kind.REPORT_OVERDUE),
        find=due_report_work,
        context=report_contexts,
        still_due=still_unfiled,
    )
