"""Tests for members.services: writes, their validation and the history they leave."""

from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone

from members import services
from members.models import (
    CellType,
    EventKind,
    Exemption,
    ExemptionReason,
    Member,
    MemberEvent,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    PositionRole,
    SupervisionAssignment,
    Suspension,
)
from tests.factories import MemberFactory, OrganizationFactory, PositionFactory

# create_organization ----------------------------------------------------------------


def test_create_organization_sets_path_and_depth(db):
    province = services.create_organization(
        parent=None, name="  Đảng bộ tỉnh  ", kind=OrgKind.PROVINCE_COMMITTEE
    )
    ward = services.create_organization(
        parent=province, name="Đảng bộ phường", kind=OrgKind.COMMUNE_COMMITTEE
    )
    cell = services.create_organization(
        parent=ward, name="Chi bộ 1", kind=OrgKind.CELL, cell_type=CellType.URBAN
    )
    group = services.create_organization(
        parent=cell, name="Tổ 1", kind=OrgKind.PARTY_GROUP
    )

    stored = {org.pk: org for org in Organization.objects.all()}
    assert stored[province.pk].name == "Đảng bộ tỉnh"
    assert [(stored[o.pk].path, stored[o.pk].depth) for o in (province, ward)] == [
        (f"{province.pk:08d}/", 0),
        (f"{province.pk:08d}/{ward.pk:08d}/", 1),
    ]
    assert stored[cell.pk].path == f"{ward.path}{cell.pk:08d}/"
    assert stored[group.pk].path == f"{cell.path}{group.pk:08d}/"
    assert (stored[cell.pk].depth, stored[group.pk].depth) == (2, 3)
    assert stored[group.pk].ancestor_ids == [province.pk, ward.pk, cell.pk, group.pk]


@pytest.mark.parametrize(
    ("parent_kind", "kind"),
    [
        (None, OrgKind.PARTY_GROUP),
        (None, OrgKind.PARTIAL_COMMITTEE),
        (OrgKind.PROVINCE_COMMITTEE, OrgKind.PROVINCE_COMMITTEE),
        (OrgKind.PROVINCE_COMMITTEE, OrgKind.PARTY_GROUP),
        (OrgKind.COMMUNE_COMMITTEE, OrgKind.COMMUNE_COMMITTEE),
        (OrgKind.COMMUNE_COMMITTEE, OrgKind.PARTY_GROUP),
        (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_COMMITTEE),
        (OrgKind.PARTIAL_COMMITTEE, OrgKind.PARTIAL_COMMITTEE),
        (OrgKind.CELL, OrgKind.CELL),
        (OrgKind.PARTY_GROUP, OrgKind.PARTY_GROUP),
    ],
)
def test_create_organization_refuses_a_kind_not_allowed_under_the_parent(
    db, parent_kind, kind
):
    parents = {
        None: None,
        OrgKind.PROVINCE_COMMITTEE: OrganizationFactory(
            kind=OrgKind.PROVINCE_COMMITTEE
        ),
    }
    parents[OrgKind.COMMUNE_COMMITTEE] = OrganizationFactory(
        kind=OrgKind.COMMUNE_COMMITTEE, parent=parents[OrgKind.PROVINCE_COMMITTEE]
    )
    parents[OrgKind.GRASSROOTS_COMMITTEE] = OrganizationFactory(
        kind=OrgKind.GRASSROOTS_COMMITTEE, parent=parents[OrgKind.COMMUNE_COMMITTEE]
    )
    parents[OrgKind.PARTIAL_COMMITTEE] = OrganizationFactory(
        kind=OrgKind.PARTIAL_COMMITTEE, parent=parents[OrgKind.GRASSROOTS_COMMITTEE]
    )
    parents[OrgKind.CELL] = OrganizationFactory(
        parent=parents[OrgKind.PARTIAL_COMMITTEE]
    )
    parents[OrgKind.PARTY_GROUP] = OrganizationFactory(
        kind=OrgKind.PARTY_GROUP, parent=parents[OrgKind.CELL]
    )
    before = Organization.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.create_organization(
            parent=parents[parent_kind],
            name="Sai chỗ",
            kind=kind,
            cell_type=CellType.URBAN if kind == OrgKind.CELL else "",
        )

    assert set(caught.value.message_dict) == {"kind"}
    assert Organization.objects.count() == before


def test_create_organization_cell_needs_a_cell_type(db):
    with pytest.raises(ValidationError):
        services.create_organization(parent=None, name="Chi bộ", kind=OrgKind.CELL)

    assert Organization.objects.count() == 0


# create_member ----------------------------------------------------------------------


def events_of(member):
    return list(
        MemberEvent.objects.filter(member=member)
        .order_by("pk")
        .values_list("kind", "date", "note", "created_by_id")
    )


def test_create_member_official_writes_admitted_recognised_joined(tree, users):
    member = services.create_member(
        cell=tree.cell,
        by=users.secretary,
        full_name="Đỗ Thị Mới",
        birth_date=date(1990, 2, 1),
        status=MemberStatus.OFFICIAL,
        admission_date=date(2020, 5, 19),
        official_date=date(2021, 5, 19),
        party_card_number="123456",
    )

    stored = Member.objects.get(pk=member.pk)
    assert (stored.organization, stored.full_name, stored.party_card_number) == (
        tree.cell,
        "Đỗ Thị Mới",
        "123456",
    )
    assert stored.is_active is True
    assert events_of(member) == [
        (EventKind.ADMITTED, date(2020, 5, 19), "", users.secretary.pk),
        (EventKind.RECOGNISED, date(2021, 5, 19), "", users.secretary.pk),
        (
            EventKind.JOINED_CELL,
            timezone.localdate(),
            "Chi bộ Khối phố 5",
            users.secretary.pk,
        ),
    ]


def test_create_member_probationary_without_dates_only_joins(tree):
    member = services.create_member(
        cell=tree.cell, by=None, full_name="Vũ Văn Dự Bị", status="probationary"
    )

    assert events_of(member) == [
        (EventKind.JOINED_CELL, timezone.localdate(), "Chi bộ Khối phố 5", None)
    ]


def test_create_member_refuses_a_committee(tree):
    before = Member.objects.count()

    with pytest.raises(ValidationError):
        services.create_member(
            cell=tree.ward, by=None, full_name="Sai", status="probationary"
        )

    assert Member.objects.count() == before


def test_create_member_refuses_a_duplicate_party_card(tree):
    services.create_member(
        cell=tree.cell,
        by=None,
        full_name="A",
        status="probationary",
        party_card_number="777",
    )

    with pytest.raises(ValidationError) as caught:
        services.create_member(
            cell=tree.cell2,
            by=None,
            full_name="B",
            status="probationary",
            party_card_number="777",
        )

    # A conditional unique constraint is reported for the whole record.
    assert set(caught.value.message_dict) == {NON_FIELD_ERRORS}
    assert Member.objects.filter(party_card_number="777").count() == 1


# update_member ----------------------------------------------------------------------


@pytest.fixture
def probationary(tree):
    return services.create_member(
        cell=tree.cell,
        by=None,
        full_name="Lý Thị Dự Bị",
        status=MemberStatus.PROBATIONARY,
        admission_date=date(2025, 3, 1),
    )


def test_update_member_status_change_writes_recognised(probationary, users):
    MemberEvent.objects.filter(member=probationary).delete()

    services.update_member(
        member=probationary,
        by=users.secretary,
        status=MemberStatus.OFFICIAL,
        official_date=date(2026, 3, 5),
    )

    stored = Member.objects.get(pk=probationary.pk)
    assert (stored.status, stored.official_date) == (
        MemberStatus.OFFICIAL,
        date(2026, 3, 5),
    )
    assert events_of(probationary) == [
        (EventKind.RECOGNISED, date(2026, 3, 5), "", users.secretary.pk)
    ]


def test_update_member_official_without_date_is_refused(probationary):
    with pytest.raises(ValidationError) as caught:
        services.update_member(
            member=probationary, by=None, status=MemberStatus.OFFICIAL
        )

    assert set(caught.value.message_dict) == {"official_date"}
    stored = Member.objects.get(pk=probationary.pk)
    assert stored.status == MemberStatus.PROBATIONARY


def test_update_member_other_fields_write_updated_with_their_names(probationary):
    MemberEvent.objects.filter(member=probationary).delete()

    services.update_member(
        member=probationary, by=None, phone="0912345678", workplace="Trường THCS"
    )

    assert events_of(probationary) == [
        (EventKind.UPDATED, timezone.localdate(), "phone, workplace", None)
    ]


def test_update_member_logs_only_fields_that_changed(probationary):
    MemberEvent.objects.filter(member=probationary).delete()

    services.update_member(
        member=probationary, by=None, phone="0912345678", full_name="Lý Thị Dự Bị"
    )
    services.update_member(member=probationary, by=None, phone="0912345678")

    assert events_of(probationary) == [
        (EventKind.UPDATED, timezone.localdate(), "phone", None)
    ]


def test_update_member_moving_cell_writes_left_cell(probationary, tree):
    MemberEvent.objects.filter(member=probationary).delete()

    services.update_member(member=probationary, by=None, organization=tree.cell2)

    assert Member.objects.get(pk=probationary.pk).organization == tree.cell2
    assert [(kind, note) for kind, _d, note, _b in events_of(probationary)] == [
        (EventKind.LEFT_CELL, "Chi bộ Khối phố 2")
    ]


# deactivate_member ------------------------------------------------------------------


def test_deactivate_member_ends_open_positions_and_records_it(tree, users):
    secretary = tree.secretary
    old = PositionFactory(
        member=secretary,
        organization=tree.cell,
        role=PositionRole.DEPUTY_SECRETARY,
        start=date(2020, 1, 1),
        end=date(2023, 12, 31),
    )

    services.deactivate_member(
        member=secretary, by=users.secretary, on=date(2026, 7, 1), reason="Chuyển đi"
    )

    stored = Member.objects.get(pk=secretary.pk)
    assert (stored.is_active, stored.deactivated_on, stored.deactivation_reason) == (
        False,
        date(2026, 7, 1),
        "Chuyển đi",
    )
    ends = dict(Position.objects.filter(member=secretary).values_list("pk", "end"))
    current = secretary.positions.exclude(pk=old.pk).get()
    assert ends == {old.pk: date(2023, 12, 31), current.pk: date(2026, 7, 1)}
    assert events_of(secretary)[-1] == (
        EventKind.DEACTIVATED,
        date(2026, 7, 1),
        "Chuyển đi",
        users.secretary.pk,
    )


def test_deactivate_member_refuses_twice(tree):
    services.deactivate_member(
        member=tree.member, by=None, on=date(2026, 7, 1), reason="Chuyển đi"
    )
    events_before = MemberEvent.objects.filter(member=tree.member).count()

    with pytest.raises(ValidationError):
        services.deactivate_member(
            member=tree.member, by=None, on=date(2026, 8, 1), reason="Lần hai"
        )

    stored = Member.objects.get(pk=tree.member.pk)
    assert (stored.deactivated_on, stored.deactivation_reason) == (
        date(2026, 7, 1),
        "Chuyển đi",
    )
    assert MemberEvent.objects.filter(member=tree.member).count() == events_before


def test_deactivate_member_ends_offices_with_a_future_term_end(tree):
    position = tree.secretary.positions.get()
    position.end = date(2030, 12, 31)
    position.save()

    services.deactivate_member(
        member=tree.secretary, by=None, on=date(2026, 7, 1), reason="Chuyển đi"
    )

    position.refresh_from_db()
    assert position.end == date(2026, 7, 1)


def test_deactivate_member_with_an_office_starting_later(tree):
    PositionFactory(
        member=tree.member,
        organization=tree.cell,
        role=PositionRole.COMMITTEE_MEMBER,
        start=date(2026, 9, 1),
    )

    services.deactivate_member(
        member=tree.member, by=None, on=date(2026, 7, 1), reason="Chuyển đi"
    )

    assert Member.objects.get(pk=tree.member.pk).is_active is False
    still_holding = Position.objects.filter(member=tree.member).filter(
        Q(end__isnull=True) | Q(end__gt=date(2026, 7, 1))
    )
    assert not still_holding.exists()


def test_reactivate_member_clears_deactivation(tree):
    services.deactivate_member(
        member=tree.member, by=None, on=date(2026, 7, 1), reason="Chuyển đi"
    )

    services.reactivate_member(member=tree.member, by=None)

    stored = Member.objects.get(pk=tree.member.pk)
    assert (stored.is_active, stored.deactivated_on, stored.deactivation_reason) == (
        True,
        None,
        "",
    )
    assert events_of(tree.member)[-1][0] == EventKind.REACTIVATED
    with pytest.raises(ValidationError):
        services.reactivate_member(member=tree.member, by=None)


# save_period / end_period -----------------------------------------------------------


def exemption(member, start, end=None):
    return Exemption(member=member, reason=ExemptionReason.HEALTH, start=start, end=end)


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ((date(2025, 1, 1), None), (date(2025, 6, 1), date(2025, 7, 1))),
        ((date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 3, 31), None)),
        ((date(2025, 5, 1), date(2025, 5, 31)), (date(2025, 1, 1), None)),
        ((date(2025, 5, 1), None), (date(2025, 1, 1), date(2025, 5, 1))),
        ((date(2025, 1, 1), date(2025, 12, 31)), (date(2025, 2, 1), date(2025, 2, 2))),
    ],
)
def test_save_period_refuses_overlapping_exemptions(tree, existing, new):
    services.save_period(instance=exemption(tree.member, *existing), by=None)

    with pytest.raises(ValidationError):
        services.save_period(instance=exemption(tree.member, *new), by=None)

    assert Exemption.objects.filter(member=tree.member).count() == 1


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ((date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 4, 1), None)),
        ((date(2025, 5, 1), None), (date(2025, 1, 1), date(2025, 4, 30))),
    ],
)
def test_save_period_accepts_adjacent_exemptions(tree, existing, new):
    services.save_period(instance=exemption(tree.member, *existing), by=None)

    services.save_period(instance=exemption(tree.member, *new), by=None)

    assert Exemption.objects.filter(member=tree.member).count() == 2


def test_save_period_overlap_is_per_member_and_per_kind(tree):
    services.save_period(instance=exemption(tree.member, date(2025, 1, 1)), by=None)

    services.save_period(instance=exemption(tree.secretary, date(2025, 1, 1)), by=None)
    services.save_period(
        instance=Suspension(
            member=tree.member, reason="Kỷ luật", start=date(2025, 2, 1)
        ),
        by=None,
    )

    assert Exemption.objects.count() == 2
    assert Suspension.objects.count() == 1


def test_save_period_editing_does_not_overlap_itself(tree):
    period = services.save_period(
        instance=exemption(tree.member, date(2025, 1, 1)), by=None
    )
    period.end = date(2025, 6, 30)

    services.save_period(instance=period, by=None)

    assert Exemption.objects.get().end == date(2025, 6, 30)


def test_save_period_records_an_updated_event_on_the_start_day(tree):
    services.save_period(instance=exemption(tree.member, date(2025, 9, 1)), by=None)

    kind, day, note, _by = events_of(tree.member)[-1]
    assert (kind, day) == (EventKind.UPDATED, date(2025, 9, 1))
    assert note.endswith(f": {tree.member.full_name}: {ExemptionReason.HEALTH.label}")


def test_save_period_refuses_an_end_before_the_start(tree):
    with pytest.raises(ValidationError) as caught:
        services.save_period(
            instance=exemption(tree.member, date(2025, 6, 1), date(2025, 5, 31)),
            by=None,
        )

    # The model's check constraint answers first (a form shows it above the fields).
    assert set(caught.value.message_dict) == {NON_FIELD_ERRORS}
    assert Exemption.objects.count() == 0


def test_save_period_end_before_start_without_constraint_names_end(tree):
    supervision = SupervisionAssignment(
        supervisor=tree.official,
        cell=tree.cell2,
        start=date(2026, 6, 1),
        end=date(2026, 5, 1),
    )

    with pytest.raises(ValidationError) as caught:
        services.save_period(instance=supervision, by=None)

    assert set(caught.value.message_dict) == {"end"}
    assert not SupervisionAssignment.objects.filter(cell=tree.cell2).exists()


def test_end_period_closes_an_open_period(tree):
    period = services.save_period(
        instance=exemption(tree.member, date(2025, 1, 1)), by=None
    )

    services.end_period(instance=period, on=date(2025, 12, 31), by=None)

    assert Exemption.objects.get(pk=period.pk).end == date(2025, 12, 31)


def test_end_period_may_shorten_a_future_end(tree):
    period = services.save_period(
        instance=exemption(tree.member, date(2025, 1, 1), date(2027, 1, 1)), by=None
    )

    services.end_period(instance=period, on=date(2026, 1, 1), by=None)

    assert Exemption.objects.get(pk=period.pk).end == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("end", "on"),
    [
        (date(2025, 6, 30), date(2025, 6, 30)),  # already ended that day
        (date(2025, 6, 30), date(2025, 7, 15)),  # already ended earlier
        (None, date(2024, 12, 31)),  # before the start
    ],
)
def test_end_period_refuses(tree, end, on):
    period = services.save_period(
        instance=exemption(tree.member, date(2025, 1, 1), end), by=None
    )

    with pytest.raises(ValidationError):
        services.end_period(instance=period, on=on, by=None)

    assert Exemption.objects.get(pk=period.pk).end == end


# check_member -----------------------------------------------------------------------


def valid_member(cell, **overrides):
    fields = {
        "organization": cell,
        "full_name": "Kiểm Tra",
        "status": MemberStatus.OFFICIAL,
        "admission_decision_date": date(2019, 12, 1),
        "admission_date": date(2020, 1, 1),
        "official_date": date(2021, 1, 1),
    }
    return Member(**(fields | overrides))


def test_check_member_accepts_a_consistent_record(tree):
    services.check_member(valid_member(tree.cell))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"official_date": None}, "official_date"),
        ({"admission_date": date(2019, 11, 30)}, "admission_date"),
        ({"official_date": date(2019, 12, 31)}, "official_date"),
        ({"full_name": ""}, "full_name"),
        ({"email": "không-phải-email"}, "email"),
        ({"status": "expelled"}, "status"),
    ],
)
def test_check_member_cross_field_errors(tree, overrides, field):
    with pytest.raises(ValidationError) as caught:
        services.check_member(valid_member(tree.cell, **overrides))

    assert set(caught.value.message_dict) == {field}


def test_check_member_party_group_must_belong_to_the_cell(tree):
    group_elsewhere = OrganizationFactory(kind=OrgKind.PARTY_GROUP, parent=tree.cell2)
    group_here = OrganizationFactory(kind=OrgKind.PARTY_GROUP, parent=tree.cell)

    services.check_member(valid_member(tree.cell, party_group=group_here))
    with pytest.raises(ValidationError) as caught:
        services.check_member(valid_member(tree.cell, party_group=group_elsewhere))

    assert set(caught.value.message_dict) == {"party_group"}


def test_check_member_probationary_needs_no_official_date(tree):
    services.check_member(
        valid_member(tree.cell, status=MemberStatus.PROBATIONARY, official_date=None)
    )


# rules ------------------------------------------------------------------------------


def test_set_rule_replaces_the_value_of_the_same_day_and_clear_rule_removes_all(tree):
    services.set_rule(
        org=tree.ward, key="meeting_day", value=4, valid_from=date(2026, 1, 1)
    )
    services.set_rule(
        org=tree.ward,
        key="meeting_day",
        value=5,
        valid_from=date(2026, 1, 1),
        source="NQ 01",
    )
    services.set_rule(
        org=tree.ward, key="meeting_day", value=6, valid_from=date(2027, 1, 1)
    )

    assert list(
        tree.ward.rule_settings.order_by("valid_from").values_list(
            "value", "valid_from", "source"
        )
    ) == [(5, date(2026, 1, 1), "NQ 01"), (6, date(2027, 1, 1), "")]

    services.clear_rule(org=tree.ward, key="meeting_day")

    assert not tree.ward.rule_settings.exists()


def test_factory_members_are_valid(tree):
    # The shared factory must build records the services would accept.
    services.check_member(MemberFactory.build(organization=tree.cell))
