"""Reads for the pages: the unread count of the navbar badge and the secretary's
"who was notified" page of a meeting."""

from collections import defaultdict

from django.utils import timezone

from meetings.models import Delivery, Notification
from members.models import Member

from .recipients import notice_work
from .rules import UPCOMING


def unread_count(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def meeting_deliveries(meeting):
    """Who was told what about `meeting`, by which channel and with what result,
    the counts by status, and (before the meeting) the people who should be told
    but have neither an email address nor a login — the secretary tells them in
    person. A constant number of queries."""
    rows = list(
        Delivery.objects.filter(meeting=meeting)
        .select_related("member")
        .order_by("kind", "member__full_name", "member_id", "channel")
    )
    counts = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    unreachable = []
    if meeting.state in UPCOMING:
        work, contacts = notice_work(meeting, on=timezone.localdate())
        unreachable = list(
            Member.objects.filter(
                pk__in=[
                    pk
                    for pk in work.member_ids
                    if not contacts[pk].email and contacts[pk].user_id is None
                ]
            ).order_by("full_name", "pk")
        )
    return {"deliveries": rows, "counts": dict(counts), "unreachable": unreachable}
