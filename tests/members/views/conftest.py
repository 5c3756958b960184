"""Fixtures of the members view tests: a party group and one of each object the
views act on."""

from datetime import date
from types import SimpleNamespace

import pytest

from members.models import Exemption, Position, SupervisionAssignment
from tests.factories import MemberFactory


@pytest.fixture
def world(tree, users, group):
    """The persona tree plus one of each object the views act on."""
    return SimpleNamespace(
        tree=tree,
        users=users,
        group=group,
        secretary_position=Position.objects.get(member=tree.secretary),
        ward_position=Position.objects.get(member=tree.official),
        assignment=SupervisionAssignment.objects.get(supervisor=tree.supervisor),
        exemption=Exemption.objects.create(
            member=tree.member, reason="health", start=date(2026, 1, 1)
        ),
        inactive=MemberFactory(
            organization=tree.cell,
            full_name="Đinh Văn Nghỉ",
            is_active=False,
            deactivated_on=date(2025, 6, 1),
        ),
    )
