"""Writes for model meetings: plan one, invite the peers and committee members
(notified like members, with the calendar file), record who of them attended."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import domain, notify
from meetings import services as meeting_services
from meetings.models import (
    Guest,
    InvitationRole,
    Meeting,
    MeetingKind,
    ModelMeeting,
    ModelMeetingInvitation,
)
from members.api import effective_rules, public_holidays
from members.models import COMMITTEE_KINDS, OrgKind

from . import selectors as model_selectors


def _regular_meeting(cell, year, month, *, topic, by):
    """The cell's regular meeting of the month (made a model meeting), created on
    the cell's meeting day when the yearly plan has none yet."""
    slot = domain.slot_for(MeetingKind.REGULAR, year, month)
    meeting = Meeting.objects.filter(cell=cell, plan_slot=slot).first()
    if meeting is None:
        rules = effective_rules(cell, on=date(year, month, 1))
        holidays = public_holidays(year, year + 1)
        day = domain.planned_meeting_date(
            year,
            month,
            day=int(rules["meeting_day"]["value"]),
            shift=rules["meeting_shift"]["value"],
            holidays=holidays,
        )
        starts_at = meeting_services._aware(day, meeting_services._start_time(rules))
        return meeting_services.create_meeting(
            cell=cell,
            kind=MeetingKind.REGULAR,
            starts_at=starts_at,
            by=by,
            plan_slot=slot,
            is_model=True,
            topic=topic,
        )
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting of that month was cancelled."))
    if ModelMeeting.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("That meeting is already planned as a model meeting."))
    return meeting_services.update_meeting(
        meeting=meeting, by=by, is_model=True, topic=topic
    )


@transaction.atomic
def plan_model_meeting(*, committee, year, cell, month, topic, by):
    """Plan `cell`'s regular meeting of (`year`, `month`) as a model meeting of its
    cell type for `committee`'s subtree. The meeting is created on the cell's
    meeting day when not planned yet, and flagged as a model meeting."""
    if committee.kind not in COMMITTEE_KINDS:
        raise ValidationError(_("Model meetings are planned by a committee."))
    if cell.kind != OrgKind.CELL or not cell.path.startswith(committee.path):
        raise ValidationError(_("Choose a cell of the committee's subtree."))
    if not 1 <= month <= 12:
        raise ValidationError(_("Choose a month between 1 and 12."))
    topic = " ".join(topic.split())
    meeting = _regular_meeting(cell, year, month, topic=topic, by=by)
    entry = ModelMeeting(
        committee=committee,
        year=year,
        cell_type=cell.cell_type,
        cell=cell,
        month=month,
        topic=topic,
        meeting=meeting,
        created_by=by,
    )
    entry.full_clean()
    entry.save()
    return entry


def _title(role, cell=None):
    if cell is None:
        return str(InvitationRole(role).label)
    return _("%(role)s, %(cell)s") % {
        "role": InvitationRole(role).label,
        "cell": cell.name,
    }


def _guest_role(role):
    return Guest.Role.SUPERIOR if role == InvitationRole.COMMITTEE else Guest.Role.PEER


@transaction.atomic
def generate_invitations(*, model_meeting, committee_member_ids=(), by=None):
    """Invite the secretaries and deputy secretaries of the other cells of the same
    type in the committee's subtree, and the chosen committee officials: each is
    listed as a guest of the meeting and sent its notice with the calendar file.
    Running it again invites only people not invited yet. Returns the new
    invitations."""
    meeting = model_meeting.meeting
    meeting_services.check_record_open(meeting)
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting was cancelled."))
    today = timezone.localdate()
    wanted = [
        (p.member, role, p.organization)
        for p, role in model_selectors.peer_officers(model_meeting, on=today)
    ]
    officials = {
        p.member_id: p.member
        for p in model_selectors.committee_officials(model_meeting.committee, on=today)
    }
    for member_id in committee_member_ids:
        if int(member_id) not in officials:
            raise ValidationError(_("Choose officials of the committee."))
        wanted.append((officials[int(member_id)], InvitationRole.COMMITTEE, None))
    already = set(model_meeting.invitations.values_list("member_id", flat=True))
    already |= set(
        meeting.attendance.values_list("member_id", flat=True)
    )  # the cell's own members are not guests
    created = []
    for member, role, cell in wanted:
        if member.pk in already or member.organization_id == meeting.cell_id:
            continue
        already.add(member.pk)
        guest = Guest(
            meeting=meeting,
            name=member.full_name,
            role=_guest_role(role),
            title=_title(role, cell)[:255],
            member=member,
        )
        guest.full_clean()
        guest.save()
        created.append(
            ModelMeetingInvitation.objects.create(
                model_meeting=model_meeting,
                member=member,
                role=role,
                peer_cell=cell,
                guest=guest,
            )
        )
    model_meeting.invitations_sent_at = timezone.now()
    model_meeting.save(update_fields=["invitations_sent_at", "updated_at"])
    notify.notify_invitees(meeting=meeting, member_ids=[i.member_id for i in created])
    return created


@transaction.atomic
def record_invitee_attendance(*, model_meeting, present_ids, by=None):
    """Record which invitees attended the held model meeting: the absent ones leave
    the meeting's guest list, the present ones stay on it (like any guest)."""
    meeting = model_meeting.meeting
    if not domain.is_held(meeting.state):
        raise ValidationError(
            _("Record the invitees' attendance once the meeting is held.")
        )
    meeting_services.check_record_open(meeting)
    present_ids = {int(pk) for pk in present_ids}
    for invitation in model_meeting.invitations.select_related("member", "peer_cell"):
        attended = invitation.pk in present_ids
        if attended and invitation.guest_id is None:
            invitation.guest = Guest.objects.create(
                meeting=meeting,
                name=invitation.member.full_name,
                role=_guest_role(invitation.role),
                title=_title(invitation.role, invitation.peer_cell)[:255],
                member=invitation.member,
            )
        elif not attended and invitation.guest_id is not None:
            guest = invitation.guest
            invitation.guest = None
            invitation.attended = attended
            invitation.save(update_fields=["guest", "attended"])
            guest.delete()
            continue
        invitation.attended = attended
        invitation.save(update_fields=["guest", "attended"])
    return model_meeting
