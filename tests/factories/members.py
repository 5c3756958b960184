"""factory_boy factories for the members app. Organisations go through the service
so paths are right."""

from datetime import date

import factory

from members import services
from members.models import (
    CellType,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    PositionRole,
    SupervisionAssignment,
    User,
)


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
