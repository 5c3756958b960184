"""Writes for the members app. Keyword-only, atomic, validated with full_clean."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, domain
from .models import (
    PATH_STEP,
    EventKind,
    Member,
    MemberEvent,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    PositionRole,
    RuleSetting,
    SupervisionAssignment,
)

ALLOWED_CHILDREN = {
    None: {
        OrgKind.PROVINCE_COMMITTEE,
        OrgKind.COMMUNE_COMMITTEE,
        OrgKind.BLOC_COMMITTEE,
        OrgKind.GRASSROOTS_COMMITTEE,
        OrgKind.CELL,
    },
    OrgKind.PROVINCE_COMMITTEE: {
        OrgKind.COMMUNE_COMMITTEE,
        OrgKind.BLOC_COMMITTEE,
        OrgKind.GRASSROOTS_COMMITTEE,
        OrgKind.CELL,
    },
    OrgKind.COMMUNE_COMMITTEE: {OrgKind.GRASSROOTS_COMMITTEE, OrgKind.CELL},
    OrgKind.BLOC_COMMITTEE: {OrgKind.GRASSROOTS_COMMITTEE, OrgKind.CELL},
    OrgKind.GRASSROOTS_COMMITTEE: {OrgKind.PARTIAL_COMMITTEE, OrgKind.CELL},
    OrgKind.PARTIAL_COMMITTEE: {OrgKind.CELL},
    OrgKind.CELL: {OrgKind.PARTY_GROUP},
    OrgKind.PARTY_GROUP: set(),
}


def _validate_placement(*, kind, parent):
    allowed = ALLOWED_CHILDREN[parent.kind if parent else None]
    if kind not in allowed:
        raise ValidationError(
            {
                "kind": _(
                    "This kind of organisation cannot be placed under %(parent)s."
                )
                % {"parent": parent or _("the root")}
            }
        )


def _path_for(org):
    prefix = org.parent.path if org.parent_id else ""
    return f"{prefix}{org.pk:0{PATH_STEP}d}/"


@transaction.atomic
def create_organization(
    *, parent, name, kind, cell_type="", code="", place="", is_grassroots=False
):
    """Create a node under `parent` (None for a root) and set its materialized path."""
    _validate_placement(kind=kind, parent=parent)
    org = Organization(
        parent=parent,
        name=name.strip(),
        kind=kind,
        cell_type=cell_type,
        code=code,
        place=place,
        is_grassroots=is_grassroots,
        depth=(parent.depth + 1) if parent else 0,
    )
    org.full_clean(exclude=["path"])
    org.save()
    org.path = _path_for(org)
    audit.update(Organization.objects.filter(pk=org.pk), path=org.path)
    return org


@transaction.atomic
def update_organization(*, org, **fields):
    """Change a node's own fields (its place in the tree does not move)."""
    for name, value in fields.items():
        setattr(org, name, value)
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def set_rule(*, org, key, value, valid_from, source=""):
    """Set (or replace) the value of a rule on `org` from `valid_from` on."""
    setting, _created = RuleSetting.objects.update_or_create(
        organization=org,
        key=key,
        valid_from=valid_from,
        defaults={"value": value, "source": source},
    )
    return setting


@transaction.atomic
def clear_rule(*, org, key):
    """Remove every value of `key` set on `org`, so the inherited one applies."""
    RuleSetting.objects.filter(organization=org, key=key).delete()


def record_event(*, member, kind, by, note="", date=None):
    """Append one dated line to a member's history."""
    MemberEvent.objects.create(
        member=member,
        kind=kind,
        date=date or timezone.localdate(),
        note=note,
        created_by=by if by and by.is_authenticated else None,
    )


def check_member(member):
    """Validate a member record (cross-field rules, then the model's own checks)."""
    if member.status == MemberStatus.OFFICIAL and member.official_date is None:
        raise ValidationError(
            {"official_date": _("An official member needs the recognition date.")}
        )
    if (
        member.admission_decision_date
        and member.admission_date
        and member.admission_date < member.admission_decision_date
    ):
        raise ValidationError(
            {"admission_date": _("The ceremony cannot precede the admission decision.")}
        )
    if (
        member.official_date
        and member.admission_date
        and member.official_date < member.admission_date
    ):
        raise ValidationError(
            {"official_date": _("Recognition cannot precede admission.")}
        )
    ends = member.admission_date and domain.probation_end(member.admission_date)
    if member.official_date and ends and member.official_date < ends:
        raise ValidationError(
            {
                "official_date": _(
                    "Recognition comes after the 12-month probation, on or after "
                    "%(day)s."
                )
                % {"day": ends.strftime("%d/%m/%Y")}
            }
        )
    if member.party_group_id and member.party_group.parent_id != member.organization_id:
        raise ValidationError(
            {"party_group": _("The party group must belong to the member's cell.")}
        )
    member.full_clean()


@transaction.atomic
def create_member(*, cell, by, **fields):
    """Add a member to a cell and start their history."""
    if cell.kind != OrgKind.CELL:
        raise ValidationError(_("Members belong to a cell."))
    member = Member(organization=cell, **fields)
    check_member(member)
    member.save()
    if member.admission_date:
        record_event(
            member=member, kind=EventKind.ADMITTED, by=by, date=member.admission_date
        )
    if member.official_date:
        record_event(
            member=member, kind=EventKind.RECOGNISED, by=by, date=member.official_date
        )
    record_event(member=member, kind=EventKind.JOINED_CELL, by=by, note=cell.name)
    return member


TRACKED_FIELDS = ("status", "official_date", "admission_date", "organization_id")


@transaction.atomic
def update_member(*, member, by, **fields):
    """Change a member's record; status and cell changes enter the history."""
    before = {name: getattr(member, name) for name in TRACKED_FIELDS}
    old_values = {name: getattr(member, name) for name in fields}
    for name, value in fields.items():
        setattr(member, name, value)
    check_member(member)
    member.save()
    changed = [
        name
        for name in fields
        if name not in TRACKED_FIELDS
        and name != "organization"
        and getattr(member, name) != old_values[name]
    ]
    if before["status"] != member.status and member.is_official:
        record_event(
            member=member, kind=EventKind.RECOGNISED, by=by, date=member.official_date
        )
    if before["organization_id"] != member.organization_id:
        # The offices held in the cell left end with the move (by form or import):
        # rights follow people, not the other way round.
        # The move takes effect today: the old offices ended yesterday.
        _end_periods(
            timezone.localdate() - timedelta(days=1),
            Position.objects.filter(
                member=member, organization_id=before["organization_id"]
            ),
        )
        record_event(
            member=member,
            kind=EventKind.LEFT_CELL,
            by=by,
            note=str(member.organization),
        )
    elif changed:
        record_event(
            member=member,
            kind=EventKind.UPDATED,
            by=by,
            note=", ".join(sorted(changed)),
        )
    return member


def _end_periods(on, *periods_querysets):
    """An office or follow-up that had not begun by `on` never took effect (deleted);
    one still running ends on `on`. Both audited."""
    for periods in periods_querysets:
        periods.filter(start__gt=on).delete()
        audit.update(periods.filter(Q(end__isnull=True) | Q(end__gt=on)), end=on)


@transaction.atomic
def deactivate_member(*, member, by, on, reason):
    """Deactivate a member (they stay in the records); end their current offices."""
    if not member.is_active:
        raise ValidationError(_("This member is already inactive."))
    member.is_active = False
    member.deactivated_on = on
    member.deactivation_reason = reason
    member.save(
        update_fields=[
            "is_active",
            "deactivated_on",
            "deactivation_reason",
            "updated_at",
        ]
    )
    _end_periods(
        on,
        Position.objects.filter(member=member),
        SupervisionAssignment.objects.filter(supervisor=member),
    )
    record_event(member=member, kind=EventKind.DEACTIVATED, by=by, note=reason, date=on)
    return member


@transaction.atomic
def reactivate_member(*, member, by):
    if member.is_active:
        raise ValidationError(_("This member is already active."))
    member.is_active = True
    member.deactivated_on = None
    member.deactivation_reason = ""
    member.save(
        update_fields=[
            "is_active",
            "deactivated_on",
            "deactivation_reason",
            "updated_at",
        ]
    )
    record_event(member=member, kind=EventKind.REACTIVATED, by=by)
    return member


def _check_no_overlap(model, instance, *, member_field="member", extra=None):
    others = model.objects.filter(**{member_field: getattr(instance, member_field)})
    if extra:
        others = others.filter(**extra)
    if instance.pk:
        others = others.exclude(pk=instance.pk)
    others = others.filter(Q(end__isnull=True) | Q(end__gte=instance.start))
    if instance.end is not None:
        others = others.filter(start__lte=instance.end)
    if others.exists():
        raise ValidationError(_("This period overlaps another one already recorded."))


@transaction.atomic
def save_period(*, instance, by, overlap_extra=None):
    """Save an exemption, suspension, attachment, position or supervision, refusing
    overlapping periods of the same kind for the same person."""
    instance.full_clean()
    if instance.end and instance.end < instance.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    member_field = "supervisor" if hasattr(instance, "supervisor_id") else "member"
    _check_no_overlap(
        type(instance), instance, member_field=member_field, extra=overlap_extra
    )
    instance.save()
    member = getattr(instance, "member", None)
    if member is not None:
        record_event(
            member=member,
            kind=EventKind.UPDATED,
            by=by,
            note=f"{instance._meta.verbose_name}: {instance}",
            date=instance.start,
        )
    return instance


SINGLE_HOLDER_ROLES = frozenset(
    {PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY, PositionRole.GROUP_LEADER}
)


@transaction.atomic
def save_position(*, position, by):
    """Record an office. A person holds one office of a kind at a time in a node, and
    a node has one secretary, one deputy and one group leader at a time (DOMAIN §1)."""
    if position.role in SINGLE_HOLDER_ROLES:
        holders = (
            Position.objects.filter(
                organization_id=position.organization_id, role=position.role
            )
            .exclude(pk=position.pk)
            .filter(Q(end__isnull=True) | Q(end__gte=position.start))
        )
        if position.end is not None:
            holders = holders.filter(start__lte=position.end)
        if holders.exists():
            raise ValidationError(
                {"role": _("Someone already holds this office in that period.")}
            )
    return save_period(
        instance=position,
        by=by,
        overlap_extra={
            "organization_id": position.organization_id,
            "role": position.role,
        },
    )


@transaction.atomic
def end_period(*, instance, on, by):
    """Close an open period on day `on`."""
    if instance.end is not None and instance.end <= on:
        raise ValidationError(_("This period has already ended."))
    if on < instance.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    instance.end = on
    instance.save(update_fields=["end", "updated_at"])
    return instance
