"""Rights follow people: a secretary moved to another cell — by the form or by an
import — no longer holds the old cell's office, and the end is audited."""

from datetime import date

import pytest
from django.urls import reverse

from members import imports, services
from members.models import AuditEntry, ImportBatch, Position, PositionRole
from tests.factories import PositionFactory
from tests.factories.times import at

pytestmark = pytest.mark.django_db


def _office(tree):
    return Position.objects.get(member=tree.secretary, role=PositionRole.SECRETARY)


def test_a_transfer_by_the_service_ends_the_old_cells_offices(tree, clock):

    clock(at(2026, 11, 20, 9, 0))
    ward_office = PositionFactory(
        member=tree.secretary,
        organization=tree.ward,
        role=PositionRole.COMMITTEE_MEMBER,
    )

    services.update_member(member=tree.secretary, by=None, organization=tree.cell2)

    assert _office(tree).end == date(2026, 11, 19)  # the move is effective today
    ward_office.refresh_from_db()
    assert ward_office.end is None  # an office above the cell is not the cell's
    assert AuditEntry.objects.filter(
        model="members.position", object_id=_office(tree).pk, action="update"
    ).exists()


def test_a_transfer_by_import_ends_the_office_and_the_old_cells_rights(
    tree, users, persona_client
):
    tree.secretary.party_card_number = "555001"
    tree.secretary.save()
    content = (
        "Họ và tên,Trạng thái,Số thẻ đảng viên,Chi bộ,Ngày kết nạp,"
        "Ngày công nhận chính thức\n"
        f"{tree.secretary.full_name},Chính thức,555001,Chi bộ Khối phố 2,"
        "01/01/2010,01/01/2011\n"
    ).encode()
    batch = ImportBatch.objects.create(
        organization=tree.ward, filename="move.csv", content=content
    )
    assert (
        persona_client("secretary")
        .get(reverse("members:export-members", args=[tree.cell.pk]))
        .status_code
        == 200
    )

    imports.commit_import(batch=batch, by=users.committee)

    tree.secretary.refresh_from_db()
    assert tree.secretary.organization == tree.cell2
    assert _office(tree).end is not None
    assert (
        persona_client("secretary")
        .get(reverse("members:export-members", args=[tree.cell.pk]))
        .status_code
        == 404
    )
