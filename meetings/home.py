"""What the home page shows from meetings (registered with members.hooks from
MeetingsConfig.ready()): what is next for each role the user holds.

- a member: the next meeting of their cell (from today 00:00, so a meeting at 15:30
  today shows all day), its documents and their excuse request (an officer of the
  cell sees it as its preparation checklist instead); the latest locked
  minutes and resolution; unread notices;
- a cell officer: excuse requests waiting, minutes to finish, sign, lock, submit or
  answer (returned), and the next meeting's preparation checklist;
- a committee official: minutes waiting for acknowledgement in the subtree;
- a supervisor: the meetings of the cells they follow this month.

A fixed number of queries whatever the number of rows (tested).
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from members.api import get_scope

from . import domain
from .forms import ExcuseForm
from .models import (
    ExcuseRequest,
    Meeting,
    MeetingKind,
    MeetingState,
    Minutes,
    Notification,
    Resolution,
)

UPCOMING = [MeetingState.PLANNED, MeetingState.NOTIFIED]
LIST_LIMIT = 20
NEXT_WINDOW = timedelta(days=92)  # the "next meeting" is looked for this far ahead


def _today_start():
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def _member_part(user, scope, since):
    cell_ids = list(scope.member_cell_ids)
    if not cell_ids:
        return {}
    upcoming = Meeting.objects.filter(
        cell_id__in=cell_ids, state__in=UPCOMING, starts_at__gte=since
    )
    if not scope.officer_cell_ids:
        upcoming = upcoming.exclude(kind=MeetingKind.COMMITTEE)
    next_meeting = upcoming.select_related("cell").order_by("starts_at", "pk").first()
    if next_meeting is not None and next_meeting.cell_id in scope.officer_cell_ids:
        # An officer sees it once, as its preparation checklist.
        next_meeting = None
    documents, excuse = [], None
    if next_meeting is not None:
        if next_meeting.documents_sent_at:
            documents = list(next_meeting.documents.order_by("pk"))
        excuse = ExcuseRequest.objects.filter(
            meeting=next_meeting, member_id=scope.member_id
        ).first()
    latest_minutes = (
        Minutes.objects.filter(meeting__cell_id__in=cell_ids, locked_at__isnull=False)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-pk")
        .first()
    )
    latest_resolution = (
        Resolution.objects.filter(cell_id__in=cell_ids)
        .order_by("-issued_on", "-pk")
        .first()
    )
    return {
        "next_meeting": next_meeting,
        "next_documents": documents,
        "next_excuse": excuse,
        "excuse_form": ExcuseForm(),
        "latest_minutes": latest_minutes,
        "latest_resolution": latest_resolution,
    }


def _notices(user):
    unread = list(
        Notification.objects.filter(user=user, read_at__isnull=True).order_by(
            "-created_at", "-pk"
        )[:6]
    )
    return {"unread_notices": unread[:5], "more_unread": len(unread) > 5}


def _checklist(meeting):
    """The next meeting's preparation steps: (label key, done) in order."""
    steps = [
        ("notice", meeting.notified_at is not None),
        (
            "documents",
            meeting.n_documents > 0 and meeting.documents_sent_at is not None,
        ),
        ("briefer", meeting.news_briefer_id is not None),
    ]
    if domain.has_topic_presenter(meeting.kind, combined=meeting.is_combined):
        steps.append(("presenter", meeting.presenter_id is not None))
    return steps


def _officer_part(scope, since):
    cell_ids = list(scope.officer_cell_ids)
    if not cell_ids:
        return {}
    excuses = list(
        ExcuseRequest.objects.filter(
            meeting__cell_id__in=cell_ids,
            meeting__state__in=UPCOMING,
            status=ExcuseRequest.Status.PENDING,
        )
        .select_related("meeting", "member")
        .order_by("meeting__starts_at", "pk")[:LIST_LIMIT]
    )
    open_minutes = list(
        Minutes.objects.filter(
            meeting__cell_id__in=cell_ids,
            locked_at__isnull=True,
            meeting__state=MeetingState.HELD,
        )
        .select_related("meeting", "chair", "minute_taker")
        .order_by("meeting__starts_at", "pk")[:LIST_LIMIT]
    )
    to_write, to_sign, to_lock = [], [], []
    for minutes in open_minutes:
        if minutes.adopted_at is None:
            to_write.append(minutes)
        elif domain.is_fully_signed(
            taker_signed=minutes.taker_signed_at is not None,
            chair_signed=minutes.chair_signed_at is not None,
        ):
            to_lock.append(minutes)
        else:
            minutes.missing = [
                person.full_name
                for person, signed in (
                    (minutes.minute_taker, minutes.taker_signed_at),
                    (minutes.chair, minutes.chair_signed_at),
                )
                if person is not None and signed is None
            ]
            to_sign.append(minutes)
    after_lock = list(
        Meeting.objects.filter(
            cell_id__in=cell_ids,
            state__in=[MeetingState.LOCKED, MeetingState.RETURNED],
        )
        .select_related("cell")
        .order_by("starts_at", "pk")[:LIST_LIMIT]
    )
    coming = (
        Meeting.objects.filter(
            cell_id__in=cell_ids,
            state__in=UPCOMING,
            starts_at__gte=since,
            starts_at__lt=since + NEXT_WINDOW,
        )
        .select_related("cell", "news_briefer", "presenter")
        .annotate(n_documents=Count("documents"))
        .order_by("starts_at", "pk")
    )
    next_by_cell = {}
    for meeting in coming:
        next_by_cell.setdefault(meeting.cell_id, meeting)
    prepare = [
        (meeting, _checklist(meeting))
        for meeting in sorted(next_by_cell.values(), key=lambda m: m.starts_at)
    ]
    return {
        "officer_excuses": excuses,
        "officer_to_write": to_write,
        "officer_to_sign": to_sign,
        "officer_to_lock": to_lock,
        "officer_to_submit": [m for m in after_lock if m.state == MeetingState.LOCKED],
        "officer_returned": [m for m in after_lock if m.state == MeetingState.RETURNED],
        "officer_prepare": prepare,
    }


def _committee_part(scope):
    if not scope.committee_paths:
        return {}
    under = Q()
    for path in scope.committee_paths:
        under |= Q(cell__path__startswith=path)
    waiting = list(
        Meeting.objects.filter(under, state=MeetingState.SUBMITTED)
        .select_related("cell")
        .order_by("submitted_at", "pk")[: LIST_LIMIT + 1]
    )
    return {
        "to_acknowledge": waiting[:LIST_LIMIT],
        "to_acknowledge_more": len(waiting) > LIST_LIMIT,
    }


def _supervisor_part(scope):
    if not scope.supervised_cell_ids:
        return {}
    today = timezone.localdate()
    first = today.replace(day=1)
    following = list(
        Meeting.objects.filter(
            cell_id__in=list(scope.supervised_cell_ids),
            planned_date__gte=first,
            planned_date__lt=(first + timedelta(days=32)).replace(day=1),
        )
        .exclude(state=MeetingState.CANCELLED)
        .select_related("cell")
        .order_by("starts_at", "pk")
    )
    return {"following_meetings": following}


def home_panel(user):
    """The meetings part of `user`'s home page (see the module docstring)."""
    scope = get_scope(user)
    if not user.is_authenticated:
        return {}
    since = _today_start()
    context = {
        **_member_part(user, scope, since),
        **_officer_part(scope, since),
        **_committee_part(scope),
        **_supervisor_part(scope),
        **_notices(user),
    }
    context["meetings_home"] = True
    return context
