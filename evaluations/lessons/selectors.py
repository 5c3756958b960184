"""Reads for lesson-drawing: sessions, one session's feedback, the lessons a cell
promised (shown in its meetings) and the committee's figures."""

from collections import Counter

from django.db.models import Count, Q

from evaluations.models import LessonPromise, LessonSession, PeerFeedback, SessionKind
from meetings.domain import HELD_STATES
from meetings.models import (
    InvitationRole,
    MeetingKind,
    ModelMeeting,
    ModelMeetingInvitation,
)
from members.models import CellType


def sessions_for_committee(committee, year):
    """The committee's sessions of `year`, with their model meetings and counts of
    feedback and promised lessons (two queries)."""
    return list(
        LessonSession.objects.filter(committee=committee, held_on__year=year)
        .select_related("chair")
        .prefetch_related("model_meetings__cell")
        .annotate(
            feedback_count=Count("feedback", distinct=True),
            promise_count=Count("feedback__promises", distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def model_meetings_for_sessions(committee, year):
    """Held model meetings of the committee's subtree in `year` (one query)."""
    return (
        ModelMeeting.objects.filter(
            committee__path__startswith=committee.path,
            year=year,
            meeting__state__in=HELD_STATES,
        )
        .select_related("cell")
        .order_by("month", "cell__name")
    )


def session_detail(session):
    """The invitees of the session's model meetings who attended, each with their
    feedback and promised lessons (constant queries)."""
    entries = list(session.model_meetings.select_related("cell", "meeting"))
    invitations = list(
        ModelMeetingInvitation.objects.filter(model_meeting__in=entries, attended=True)
        .select_related("member", "peer_cell", "model_meeting__cell")
        .order_by("model_meeting__cell__name", "role", "member__full_name")
    )
    feedback = {
        f.invitation_id: f
        for f in PeerFeedback.objects.filter(session=session).prefetch_related(
            "promises"
        )
    }
    for invitation in invitations:
        invitation.feedback = feedback.get(invitation.pk)
    return {"entries": entries, "invitations": invitations}


def own_invitation(session, member_id):
    """The user's invitation (attended) to one of the session's model meetings."""
    if not member_id:
        return None
    return (
        ModelMeetingInvitation.objects.filter(
            model_meeting__lesson_sessions=session, member_id=member_id
        )
        .select_related("model_meeting", "peer_cell")
        .first()
    )


def promises_for_meeting(meeting):
    """The lessons the meeting's cell promised at sessions held by the meeting's
    day and not applied yet, and those applied in this meeting (one query).
    Regular meetings show them; other kinds none."""
    if meeting.kind != MeetingKind.REGULAR:
        return []
    return list(
        LessonPromise.objects.filter(
            cell_id=meeting.cell_id,
            feedback__session__held_on__lte=meeting.planned_date,
        )
        .filter(Q(applied_on__isnull=True) | Q(applied_meeting=meeting))
        .select_related(
            "feedback__session", "feedback__invitation__model_meeting__cell"
        )
        .order_by("feedback__session__held_on", "pk")
    )


def lesson_figures(committee, year):
    """The committee's model-meeting figures of `year` across its subtree (five
    queries whatever the size): model meetings planned and held by cell type,
    sessions on-site and extended, peers attending, lessons promised and applied."""
    entries = ModelMeeting.objects.filter(
        committee__path__startswith=committee.path, year=year
    )
    planned = Counter(entries.values_list("cell_type", flat=True))
    held = Counter(
        entries.filter(meeting__state__in=HELD_STATES).values_list(
            "cell_type", flat=True
        )
    )
    sessions = Counter(
        LessonSession.objects.filter(
            committee__path__startswith=committee.path, held_on__year=year
        ).values_list("kind", flat=True)
    )
    peers = ModelMeetingInvitation.objects.filter(
        model_meeting__in=entries, attended=True
    ).aggregate(
        peers=Count("pk", filter=~Q(role=InvitationRole.COMMITTEE)),
        committee=Count("pk", filter=Q(role=InvitationRole.COMMITTEE)),
    )
    promises = LessonPromise.objects.filter(
        feedback__session__committee__path__startswith=committee.path,
        feedback__session__held_on__year=year,
    ).aggregate(
        promised=Count("pk"), applied=Count("pk", filter=Q(applied_on__isnull=False))
    )
    by_type = [
        {
            "cell_type": value,
            "label": label,
            "planned": planned[value],
            "held": held[value],
        }
        for value, label in CellType.choices
        if planned[value]
    ]
    return {
        "by_type": by_type,
        "planned": sum(planned.values()),
        "held": sum(held.values()),
        "types_held": sum(1 for row in by_type if row["held"]),
        "on_site": sessions[SessionKind.ON_SITE],
        "extended": sessions[SessionKind.EXTENDED],
        "peers_attending": peers["peers"],
        "committee_attending": peers["committee"],
        "promised": promises["promised"],
        "applied": promises["applied"],
    }
