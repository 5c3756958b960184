"""Who receives what: the rules in force for many cells at once, the people of a
cell (required members, officers, supervisors, contributors) and how to reach
them — each a query or two whatever the number of cells."""

from collections import defaultdict
from dataclasses import dataclass

from meetings.models import Delivery, Guest, Meeting
from members.api import current_q, member_flags_annotations, rules_for_paths
from members.models import OFFICER_ROLES, Member, Position, SupervisionAssignment

from .rules import OFFICERS_ONLY_KINDS, OFFSET_KEYS, Kind, meeting_subject


def rules_for_cells(cells, *, on, keys=OFFSET_KEYS):
    """{cell id: {key: value}} for `keys`, resolved like
    `members.selectors.effective_rules` for any number of cells in one query."""
    return rules_for_paths(
        {cell.pk: cell.ancestor_ids or [cell.pk] for cell in cells}, keys, on
    )


@dataclass(frozen=True)
class Work:
    """One thing to tell: a kind about a subject, to these members."""

    kind: str
    subject: str
    meeting_id: int | None
    member_ids: tuple = ()


@dataclass(frozen=True)
class Contact:
    email: str
    user_id: int | None


def _contacts(rows):
    return {
        pk: Contact(email=(email or "").strip(), user_id=user_id if active else None)
        for pk, email, user_id, active in rows
    }


def contacts_for(member_ids):
    """{member id: Contact} for these members (one query)."""
    if not member_ids:
        return {}
    return _contacts(
        Member.objects.filter(pk__in=list(member_ids)).values_list(
            "pk", "email", "user__id", "user__is_active"
        )
    )


def required_members(cell_ids, *, on):
    """Active members of the cells minus exempted and away ones on day `on`:
    ({cell id: [member ids]}, {member id: Contact}). One query."""
    flags = member_flags_annotations(on)
    rows = (
        Member.objects.filter(organization_id__in=list(cell_ids), is_active=True)
        .annotate(is_exempt=flags["is_exempt"], is_away=flags["is_away"])
        .filter(is_exempt=False, is_away=False)
        .values_list("pk", "organization_id", "email", "user__id", "user__is_active")
    )
    by_cell, contacts = defaultdict(list), {}
    for pk, cell_id, email, user_id, active in rows:
        by_cell[cell_id].append(pk)
        contacts[pk] = Contact((email or "").strip(), user_id if active else None)
    return by_cell, contacts


def officers_of(cell_ids, *, on, roles=OFFICER_ROLES):
    """{cell id: [member ids]} of the current holders of `roles` (one query)."""
    found = defaultdict(list)
    for cell_id, member_id in Position.objects.filter(
        current_q(on=on),
        organization_id__in=list(cell_ids),
        role__in=list(roles),
        member__is_active=True,
    ).values_list("organization_id", "member_id"):
        found[cell_id].append(member_id)
    return found


def supervisors_of(cell_ids, *, on):
    """{cell id: [member ids]} of the superior members assigned to follow each cell."""
    found = defaultdict(list)
    for cell_id, member_id in SupervisionAssignment.objects.filter(
        current_q(on=on), cell_id__in=list(cell_ids)
    ).values_list("cell_id", "supervisor_id"):
        found[cell_id].append(member_id)
    return found


def contributors_of(meeting_ids):
    """{meeting id: [member ids]} of the meetings' contributors (one query)."""
    found = defaultdict(list)
    if meeting_ids:
        through = Meeting.contributors.through
        for meeting_id, member_id in through.objects.filter(
            meeting_id__in=list(meeting_ids)
        ).values_list("meeting_id", "member_id"):
            found[meeting_id].append(member_id)
    return found


def guests_of(meeting_ids):
    """{meeting id: [member ids]} of the guests who are party members on record
    (e.g. peers invited to a model meeting): they are told like members (one query)."""
    found = defaultdict(list)
    if meeting_ids:
        for meeting_id, member_id in Guest.objects.filter(
            meeting_id__in=list(meeting_ids), member__isnull=False
        ).values_list("meeting_id", "member_id"):
            found[meeting_id].append(member_id)
    return found


def already_told(meeting_ids):
    """{meeting id: {member ids}} of people a notice (or a move) of the meeting was
    sent to, or is being sent to right now."""
    told = defaultdict(set)
    for meeting_id, member_id in (
        Delivery.objects.filter(
            meeting_id__in=list(meeting_ids),
            kind__in=[Kind.MEETING_NOTICE, Kind.RESCHEDULED],
            status__in=[Delivery.Status.SENT, Delivery.Status.SENDING],
        )
        .values_list("meeting_id", "member_id")
        .distinct()
    ):
        told[meeting_id].add(member_id)
    return told


def unique_members(*groups):
    """The member ids of `groups` once each, in order, without empty ones (also for
    kinds registered by other apps)."""
    seen = {}
    for group in groups:
        for member_id in group:
            if member_id:
                seen[member_id] = None
    return tuple(seen)


def notice_work(meeting, *, on):
    """The meeting notice of one meeting with its recipients and their contacts."""
    members, contacts = required_members([meeting.cell_id], on=on)
    people = members[meeting.cell_id]
    if meeting.kind in OFFICERS_ONLY_KINDS:
        officers = set(officers_of([meeting.cell_id], on=on)[meeting.cell_id])
        people = [p for p in people if p in officers]
    supervisors = supervisors_of([meeting.cell_id], on=on)[meeting.cell_id]
    guests = guests_of([meeting.pk])[meeting.pk]
    recipients = unique_members(people, supervisors, guests)
    contacts |= contacts_for(set(recipients) - set(contacts))
    work = Work(
        Kind.MEETING_NOTICE, meeting_subject(meeting.pk), meeting.pk, recipients
    )
    return work, contacts
