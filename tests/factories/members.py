"""factory_boy factories for the members app (organisations go through the service
so paths are right), and members with a standing: probationary, exempt, suspended,
away or attached from elsewhere."""

from datetime import date, timedelta

import factory

from members import domain, services
from members.models import (
    AttachmentDirection,
    CellType,
    Exemption,
    ExemptionReason,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    PositionRole,
    SupervisionAssignment,
    Suspension,
    TemporaryAttachment,
    User,
)

LONG_AGO = date(2020, 1, 1)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Chi bộ số {n}")
    kind = OrgKind.CELL
    cell_type = CellType.URBAN
    code = "CB"
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("kind") != OrgKind.CELL:
            kwargs["cell_type"] = ""
        return services.create_organization(**kwargs)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    organization = factory.SubFactory(OrganizationFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {chr(65 + n % 26)}{n}")
    birth_date = date(1970, 5, 17)
    status = MemberStatus.OFFICIAL
    admission_date = date(2000, 3, 3)
    official_date = date(2001, 3, 3)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    member = factory.SubFactory(MemberFactory)
    organization = factory.SelfAttribute("member.organization")
    role = PositionRole.SECRETARY
    start = date(2024, 1, 1)


class SupervisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionAssignment

    supervisor = factory.SubFactory(MemberFactory)
    cell = factory.SubFactory(OrganizationFactory)
    start = date(2024, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "chibo-demo")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


def user_for(member):
    """The login of `member`, made on first use."""
    user = getattr(member, "user", None)
    return user if user is not None else UserFactory(member=member)


# --- members with a standing ----------------------------------------------------------


def official(cell, name, **kw):
    return MemberFactory(organization=cell, full_name=name, **kw)


def probationary(cell, name, admission_date=date(2026, 1, 10), **fields):
    return MemberFactory(
        organization=cell,
        full_name=name,
        status=MemberStatus.PROBATIONARY,
        admission_date=admission_date,
        official_date=None,
        **fields,
    )


def due_admission_date(today):
    """An admission 11.5 months before `today`: the probation ends in about two
    weeks."""
    return domain.add_months(today, -12) + timedelta(days=15)


def exempt(cell, name):
    member = official(cell, name)
    Exemption.objects.create(
        member=member, reason=ExemptionReason.HEALTH, start=LONG_AGO
    )
    return member


def suspended(cell, name):
    member = official(cell, name)
    Suspension.objects.create(member=member, reason="Đang xem xét", start=LONG_AGO)
    return member


def _attached(cell, name, direction, other_unit):
    member = official(cell, name)
    TemporaryAttachment.objects.create(
        member=member, direction=direction, other_unit=other_unit, start=LONG_AGO
    )
    return member


def away(cell, name):
    """Attached out to another unit for a while."""
    return _attached(cell, name, AttachmentDirection.OUT, "Chi bộ nơi công tác mới")


def attached_in(cell, name):
    """Attached here from another unit for a while."""
    return _attached(cell, name, AttachmentDirection.IN, "Chi bộ quê nhà")
