"""Reads for meetings: what a user may see, plans, attendance figures, books."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from members import domain as members_domain
from members.api import (
    can_manage_tree,
    can_read_org,
    can_run_meetings,
    effective_rules,
    get_scope,
    member_flags_annotations,
    reach_q,
)
from members.models import Member, RuleKey

from . import domain
from .models import (
    Attendance,
    AttendanceStatus,
    ExcuseRequest,
    Guest,
    Meeting,
    Minutes,
    ReservedOpinion,
    Resolution,
    Vote,
)


def meetings_for_user(user):
    """Meetings of the cells in the user's reach, and meetings the user is invited
    to as a guest on record (e.g. a peer at a model meeting), which they may read."""
    scope = get_scope(user)
    reach = reach_q(scope, prefix="cell__")
    if scope.member_id and not scope.is_admin:
        reach |= Q(
            pk__in=Guest.objects.filter(member_id=scope.member_id).values("meeting_id")
        )
    return Meeting.objects.filter(reach)


def _is_guest(scope, meeting):
    return bool(scope.member_id) and (
        Guest.objects.filter(meeting=meeting, member_id=scope.member_id).exists()
    )


MEETING_ACTIONS = {
    "read": can_read_org,
    "manage": can_run_meetings,
    "review": can_manage_tree,
}


def get_meeting_for_user(user, pk, *, action="read"):
    """The meeting `pk` if in reach (else 404) and the user may do `action` on it
    (else 403): read, manage (cell officers), review (superior committee)."""
    meeting = meetings_for_user(user).select_related("cell").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    scope = get_scope(user)
    if not MEETING_ACTIONS[action](scope, meeting.cell):
        if action == "read" and _is_guest(scope, meeting):
            return meeting
        raise PermissionDenied
    return meeting


def year_plan(cell, year):
    """Every meeting of `cell` in the plan of `year`, in date order (one query).

    Plan slots belong to their year even when the shift rule moved the date into
    the next or previous year; meetings outside the plan go by their date."""
    return list(
        Meeting.objects.filter(cell=cell)
        .filter(
            Q(plan_slot__startswith=f"{year}-")
            | Q(plan_slot="", planned_date__year=year)
        )
        .select_related("preparer", "news_briefer", "presenter")
        .order_by("starts_at", "pk")
    )


def meeting_detail(meeting, *, member_id=None):
    """Everything the meeting page shows besides the meeting (constant queries)."""
    documents = list(meeting.documents.all())
    excuses = list(meeting.excuses.select_related("member").order_by("created_at"))
    own_excuse = next((e for e in excuses if e.member_id == member_id), None)
    return {
        "documents": documents,
        "excuses": excuses,
        "own_excuse": own_excuse,
        "changes": list(meeting.changes.select_related("by__member")),
        "contributors": list(meeting.contributors.all()),
        "minutes": Minutes.objects.filter(meeting=meeting).first(),
        "resolution": Resolution.objects.filter(meeting=meeting).first(),
    }


def cell_roster(cell, *, on=None):
    """Active members of the cell with their standing on day `on` (default today),
    one query."""
    return list(
        Member.objects.filter(organization=cell, is_active=True)
        .annotate(**member_flags_annotations(on))
        .order_by("full_name", "pk")
    )


def meeting_day(meeting):
    """The meeting's local calendar day (the day its rules and roster are taken)."""
    return timezone.localtime(meeting.starts_at).date()


def own_roll(cell_id, day):
    """Counter of the cell's own members by standing ("official", "probationary") on
    `day`, from the roster (§8: never from attendance rows; a member attached in
    from elsewhere counts in the home cell only). One query."""
    rows = (
        Member.objects.filter(organization_id=cell_id)
        .annotate(**member_flags_annotations(day))
        .values_list(
            "status",
            "official_date",
            "admission_date",
            "is_active",
            "deactivated_on",
            "is_attached_in",
        )
    )
    roll = Counter(official=0, probationary=0)
    for status, official, admitted, active, deactivated, attached in rows:
        standing = members_domain.roll_standing(
            status=status,
            official_date=official,
            admission_date=admitted,
            active=active,
            deactivated_on=deactivated,
            attached_in=attached,
            day=day,
        )
        if standing:
            roll[standing] += 1
    return roll


def minimum_duration(meeting, *, rules=None, roll=None):
    """The minimum length in minutes of `meeting` (§3, HD 42): 90, or 120 when a
    thematic session is combined with it or when the cell's own official and
    probationary members on the meeting day reach the long_meeting_members rule in
    force that day. The one place the meeting page, the minutes, the PDF and the
    score take it from. Up to two queries (the rules, the roster); pass `rules`
    (effective_rules of the meeting day) or `roll` (own_roll) already read."""
    day = meeting_day(meeting)
    if rules is None:
        rules = effective_rules(meeting.cell, day)
    threshold = int(rules[RuleKey.LONG_MEETING_MEMBERS]["value"])
    members = 0
    if threshold and not meeting.is_combined:
        if roll is None:
            roll = own_roll(meeting.cell_id, day)
        members = roll["official"] + roll["probationary"]
    return domain.minimum_duration_minutes(
        combined_with_thematic=meeting.is_combined,
        members=members,
        long_meeting_members=threshold,
    )


def attendance_rows(meeting):
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("member")
        .order_by("member__full_name", "member_id")
    )


def attendance_stats(rows, *, guests=()):
    """The §3.3 figures of a meeting from its attendance rows (no query).

    required = official + probationary members of the cell, minus exempted, away and
    suspended (members attached here temporarily are counted apart).
    """
    own = [row for row in rows if not row.was_attached_in]
    counts = Counter(row.status for row in own)
    required = sum(1 for row in own if row.status not in domain.NEUTRAL_STATUSES)
    present = counts[AttendanceStatus.PRESENT]
    attendees = [row for row in rows if row.status == AttendanceStatus.PRESENT]
    spoke = sum(1 for row in attendees if row.spoke)
    denominator = domain.vote_denominator_from_attendance(
        {
            "status": row.status,
            "was_official": row.was_official,
            "was_attached_in": row.was_attached_in,
            "was_suspended": row.was_suspended,
        }
        for row in rows
    )
    return {
        "total": len(own),
        "official": sum(1 for row in own if row.was_official),
        "probationary": sum(1 for row in own if not row.was_official),
        "attached_in": len(rows) - len(own),
        "attached_in_present": sum(
            1
            for row in rows
            if row.was_attached_in and row.status == AttendanceStatus.PRESENT
        ),
        "required": required,
        "present": present,
        "absent_excused": [
            r for r in own if r.status == AttendanceStatus.ABSENT_EXCUSED
        ],
        "absent_unexcused": [
            r for r in own if r.status == AttendanceStatus.ABSENT_UNEXCUSED
        ],
        "exempt": [r for r in own if r.status == AttendanceStatus.EXEMPT],
        "away": [r for r in own if r.status == AttendanceStatus.AWAY],
        "suspended": [r for r in own if r.status == AttendanceStatus.SUSPENDED],
        "late": [r for r in attendees if r.late],
        "spoke": spoke,
        "attendees": len(attendees),
        "rate": domain.attendance_rate(present=present, required=required),
        "speaking_share": domain.speaking_share(spoke=spoke, present=len(attendees)),
        "vote": denominator,
        # Who may vote: the cell's own official members present, not suspended
        # (suspended members are also out of N, DOMAIN.md §2 and §3.4).
        "official_present": sum(
            1
            for row in attendees
            if row.was_official and not row.was_attached_in and not row.was_suspended
        ),
        "guests": list(guests),
    }


def minutes_votes(minutes):
    return list(
        Vote.objects.filter(minutes=minutes).prefetch_related(
            Prefetch(
                "reserved_opinions",
                queryset=ReservedOpinion.objects.select_related("member"),
            )
        )
    )


def reading_list(user, *, search="", upcoming_limit=20):
    """For a member: upcoming meetings of their cells and adopted minutes, newest
    first, searchable by topic, conclusion or resolution text."""
    scope = get_scope(user)
    cells = scope.read_cell_ids
    meetings = Meeting.objects.filter(cell_id__in=cells).select_related("cell")
    upcoming = list(
        meetings.filter(state__in=domain.RESCHEDULABLE_STATES).order_by("starts_at")[
            :upcoming_limit
        ]
    )
    done = meetings.filter(minutes__locked_at__isnull=False).select_related(
        "minutes", "resolution"
    )
    if search:
        done = done.filter(
            Q(topic__icontains=search)
            | Q(minutes__conclusion__icontains=search)
            | Q(resolution__text__icontains=search)
            | Q(resolution__title__icontains=search)
        )
    return {"upcoming": upcoming, "records": list(done.order_by("-starts_at")[:100])}


def minute_book(cell, year=None):
    """Locked minutes of a cell in order (the sổ biên bản)."""
    minutes = Minutes.objects.filter(
        meeting__cell=cell, locked_at__isnull=False
    ).select_related("meeting", "chair", "minute_taker")
    if year:
        minutes = minutes.filter(meeting__starts_at__year=year)
    return list(minutes.order_by("meeting__starts_at", "pk"))


def resolution_book(cell):
    return list(
        Resolution.objects.filter(cell=cell)
        .select_related("meeting")
        .order_by("issued_on", "seq")
    )


def pending_excuses(meeting):
    return list(
        ExcuseRequest.objects.filter(
            meeting=meeting, status=ExcuseRequest.Status.PENDING
        ).select_related("member")
    )


def votes_about_people(candidate_ids, member_ids):
    """The votes naming these candidates (admission) or members (recognition), as
    the dicts members.hooks.votes_about describes (one query)."""
    votes = (
        Vote.objects.filter(
            Q(candidate_id__in=list(candidate_ids))
            | Q(about_member_id__in=list(member_ids))
        )
        .select_related("minutes__meeting")
        .order_by("pk")
    )
    return [
        {
            "id": vote.pk,
            "candidate_id": vote.candidate_id,
            "member_id": vote.about_member_id,
            "date": timezone.localtime(vote.minutes.meeting.starts_at).date(),
            "subject": vote.subject,
            "yes": vote.yes,
            "no": vote.no,
            "abstain": vote.abstain,
            "denominator": vote.denominator,
            "passed": vote.passed,
            "adopted": bool(vote.minutes.adopted_at or vote.minutes.locked_at),
            "meeting": str(vote.minutes.meeting),
            "url": vote.minutes.meeting.get_absolute_url(),
        }
        for vote in votes
    ]
