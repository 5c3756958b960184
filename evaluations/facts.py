"""What a meeting's data says, for the rubric items that fill themselves (◆) and for
the evidence shown next to every score. Constant queries per meeting."""

from dataclasses import asdict
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from meetings.api import attendance_rows, attendance_stats, minimum_duration, own_roll
from meetings.models import (
    Attendance,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingState,
    Minutes,
)
from members.api import effective_rules
from members.models import RuleKey

from . import domain
from .models import Task
from .selectors import last_month_tasks_q

NOT_HELD = (MeetingState.PLANNED, MeetingState.NOTIFIED, MeetingState.CANCELLED)


def _local_day(moment):
    return timezone.localtime(moment).date() if moment else None


def _shown(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def meeting_facts(meeting):
    """(MeetingFacts, evidence) for `meeting`. `evidence` holds the figures behind
    each fact (counts, the committee meeting's id, the longest absence and whose)
    for display with links. Nine queries whatever the size of the cell or year."""
    rows = attendance_rows(meeting)
    stats = attendance_stats(rows)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    day = _local_day(meeting.starts_at)
    rules = effective_rules(meeting.cell, day)

    # Absences in a row this year, over the cell's regular meetings up to this one.
    history = (
        Attendance.objects.filter(
            meeting__cell_id=meeting.cell_id,
            meeting__starts_at__year=meeting.starts_at.year,
            meeting__starts_at__lte=meeting.starts_at,
        )
        .filter(Q(meeting__kind=MeetingKind.REGULAR) | Q(meeting=meeting))
        .exclude(meeting__state__in=NOT_HELD)
        .order_by("meeting__starts_at", "meeting_id")
        .values_list("member_id", "member__full_name", "status")
    )
    per_member, names = {}, {}
    for member_id, name, status in history:
        per_member.setdefault(member_id, []).append(status)
        names[member_id] = name
    longest = domain.longest_absence_run(per_member)
    worst = [
        names[pk]
        for pk, statuses in per_member.items()
        if domain.longest_absence_run({pk: statuses}) == longest and longest
    ]

    committee = (
        Meeting.objects.filter(
            cell_id=meeting.cell_id,
            kind=MeetingKind.COMMITTEE,
            starts_at__lt=meeting.starts_at,
            starts_at__gte=meeting.starts_at
            - timedelta(days=domain.COMMITTEE_WINDOW_DAYS),
            minutes__isnull=False,
        )
        .exclude(state__in=NOT_HELD)
        .order_by("-starts_at")
        .values_list("pk", flat=True)
        .first()
    )
    roll = own_roll(meeting.cell_id, day)
    official_members = roll["official"]
    minimum = minimum_duration(meeting, rules=rules, roll=roll)
    documents = MeetingDocument.objects.filter(meeting=meeting).count()
    reviewed = Task.objects.filter(last_month_tasks_q(meeting)).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(outcome__in=sorted(domain.DONE_OUTCOMES))),
    )
    assigned = Task.objects.filter(meeting=meeting).count()

    notice_days = rules[RuleKey.NOTICE_DAYS]["value"]
    document_days = rules[RuleKey.DOCUMENT_DAYS]["value"]
    lock_days = rules[RuleKey.MINUTES_FINAL_DAYS]["value"]
    notified_on = _local_day(meeting.notified_at)
    sent_on = _local_day(meeting.documents_sent_at)
    duration = None
    if minutes and minutes.started_at and minutes.ended_at:
        duration = max(
            0, int((minutes.ended_at - minutes.started_at).total_seconds() // 60)
        )
    complete = bool(
        minutes
        and minutes.chair_id
        and minutes.minute_taker_id
        and duration is not None
        and minutes.conclusion.strip()
        and rows
    )
    facts = domain.MeetingFacts(
        minutes=duration,
        combined=meeting.is_combined,
        minimum_minutes=minimum,
        present=stats["present"],
        required=stats["required"],
        unexcused=len(stats["absent_unexcused"]),
        attendees=stats["attendees"],
        spoke=stats["spoke"],
        longest_absence=longest,
        committee_meeting_held=committee is not None,
        has_committee=domain.has_cell_committee(official_members=official_members),
        notified_in_time=bool(
            notified_on and notified_on <= day - timedelta(days=notice_days)
        ),
        documents_in_time=bool(
            sent_on and sent_on <= day - timedelta(days=document_days)
        ),
        minutes_complete=complete,
        documents_posted=bool(documents and meeting.documents_sent_at),
        tasks_done=reviewed["done"],
        tasks_total=reviewed["total"],
        minutes_adopted=bool(minutes and minutes.adopted_at),
        tasks_assigned=assigned,
        locked_in_time=bool(
            minutes
            and minutes.ended_at
            and domain.minutes_locked_in_time(
                ended_at=minutes.ended_at, locked_at=minutes.locked_at, days=lock_days
            )
        ),
    )
    evidence = {
        "committee_meeting_id": committee,
        "official_members": official_members,
        "absence_names": worst,
        "documents": documents,
        "notice_days": notice_days,
        "document_days": document_days,
        "lock_days": lock_days,
        "notified_at": _shown(meeting.notified_at),
        "documents_sent_at": _shown(meeting.documents_sent_at),
        "locked_at": _shown(minutes.locked_at if minutes else None),
        "minimum": minimum,
    }
    return facts, evidence


def facts_json(facts, evidence):
    return {"facts": asdict(facts), "evidence": evidence}
