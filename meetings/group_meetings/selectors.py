"""Reads for party-group meetings."""

from django.db.models import Count
from django.utils.translation import gettext as _

from meetings.models import GroupMeeting
from members.api import current_q
from members.models import OFFICER_ROLES, Member, Organization, OrgKind


def groups_of(cell):
    return Organization.objects.filter(
        parent=cell, kind=OrgKind.PARTY_GROUP, is_active=True
    ).order_by("name")


def cell_group_meetings(cell):
    """The group meetings of every party group of `cell`, newest first, with their
    attendance (two queries whatever the number)."""
    return list(
        GroupMeeting.objects.filter(group__parent=cell)
        .select_related("group", "committee_member")
        .annotate(present_count=Count("attendees"))
        .prefetch_related("attendees")
        .order_by("-held_on", "-pk")
    )


def cell_committee(cell):
    """Current holders of the cell's offices (one query)."""
    return Member.objects.filter(
        current_q("positions__"),
        positions__organization=cell,
        positions__role__in=list(OFFICER_ROLES),
    ).distinct()


def member_history_rows(member):
    """The party-group meetings `member` attended, as history rows (one query)."""
    return [
        {
            "date": meeting.held_on,
            "label": _("Party group meeting, %(group)s")
            % {"group": meeting.group.name},
            "detail": meeting.content[:120],
        }
        for meeting in GroupMeeting.objects.filter(attendees=member).select_related(
            "group"
        )
    ]
