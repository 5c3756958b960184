"""Reads for model meetings: the committee's plan, its coverage of the cell types in
the subtree, and who a model meeting invites."""

from collections import Counter

from django.db.models import Prefetch

from meetings.domain import HELD_STATES
from meetings.models import InvitationRole, ModelMeeting, ModelMeetingInvitation
from members.api import current_q
from members.models import (
    OFFICER_ROLES,
    CellType,
    Organization,
    OrgKind,
    Position,
    PositionRole,
)

PEER_ROLES = {
    PositionRole.SECRETARY: InvitationRole.PEER_SECRETARY,
    PositionRole.DEPUTY_SECRETARY: InvitationRole.PEER_DEPUTY,
}


def subtree_cells(committee):
    """Active cells below `committee` (one query)."""
    return Organization.objects.filter(
        path__startswith=committee.path, kind=OrgKind.CELL, is_active=True
    ).exclude(pk=committee.pk)


def plan_for_committee(committee, year):
    """The committee's model meetings of `year` with their cell, meeting and
    invitation counts, and the coverage of the subtree's cell types (three queries).

    Coverage rows: cell type label, cells of that type in the subtree, model
    meetings planned and held, covered (at least one planned)."""
    entries = list(
        ModelMeeting.objects.filter(committee=committee, year=year)
        .select_related("cell", "meeting")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=ModelMeetingInvitation.objects.only(
                    "pk", "model_meeting_id", "attended", "role"
                ),
            )
        )
        .order_by("month", "cell_type", "pk")
    )
    for entry in entries:
        invitations = list(entry.invitations.all())
        entry.invited_count = len(invitations)
        entry.attended_count = sum(1 for i in invitations if i.attended)
        entry.is_held = entry.meeting.state in HELD_STATES
    cells_by_type = Counter(
        subtree_cells(committee).values_list("cell_type", flat=True)
    )
    planned = Counter(e.cell_type for e in entries)
    held = Counter(e.cell_type for e in entries if e.is_held)
    coverage = [
        {
            "cell_type": value,
            "label": label,
            "cells": cells_by_type[value],
            "planned": planned[value],
            "held": held[value],
            "covered": planned[value] > 0,
        }
        for value, label in CellType.choices
        if cells_by_type[value] or planned[value]
    ]
    return {
        "entries": entries,
        "coverage": coverage,
        "types_present": sum(1 for row in coverage if row["cells"]),
        "types_covered": sum(1 for row in coverage if row["cells"] and row["covered"]),
    }


def peer_officers(model_meeting, *, on):
    """[(Position, invitation role)] of the current secretaries and deputies of the
    other active cells of the model meeting's cell type in the committee's subtree
    (one query)."""
    positions = (
        Position.objects.filter(
            current_q(on=on),
            role__in=list(PEER_ROLES),
            member__is_active=True,
            organization__kind=OrgKind.CELL,
            organization__is_active=True,
            organization__cell_type=model_meeting.cell_type,
            organization__path__startswith=model_meeting.committee.path,
        )
        .exclude(organization_id=model_meeting.cell_id)
        .select_related("member", "organization")
        .order_by("organization__name", "role", "member__full_name")
    )
    return [(p, PEER_ROLES[p.role]) for p in positions]


def committee_officials(committee, *, on):
    """Current officials of the committee node (one query), each member once."""
    seen, found = set(), []
    for position in (
        Position.objects.filter(
            current_q(on=on),
            organization=committee,
            role__in=list(OFFICER_ROLES),
            member__is_active=True,
        )
        .select_related("member")
        .order_by("member__full_name")
    ):
        if position.member_id not in seen:
            seen.add(position.member_id)
            found.append(position)
    return found


def model_meeting_detail(model_meeting):
    """The invitations of a model meeting with their people and cells (one query)."""
    return list(
        model_meeting.invitations.select_related("member", "peer_cell").order_by(
            "role", "peer_cell__name", "member__full_name"
        )
    )
