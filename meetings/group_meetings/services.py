"""Writes for party-group meetings."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetings.models import GroupMeeting
from members.models import OrgKind


@transaction.atomic
def record_group_meeting(
    *, group, held_on, content, attendees=(), committee_member=None, by=None
):
    """Record a party group's meeting briefly: date, who was present, content and
    the cell committee member who attended."""
    if group.kind != OrgKind.PARTY_GROUP:
        raise ValidationError({"group": _("Choose a party group of the cell.")})
    attendees = list(attendees)
    if any(m.organization_id != group.parent_id for m in attendees):
        raise ValidationError({"attendees": _("Choose members of the cell.")})
    if committee_member is not None and committee_member.organization_id != (
        group.parent_id
    ):
        raise ValidationError(
            {"committee_member": _("Choose a member of the cell committee.")}
        )
    meeting = GroupMeeting(
        group=group,
        held_on=held_on,
        content=content.strip(),
        committee_member=committee_member,
        created_by=by,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting
