"""Tests for members.selectors: scopes, reach, inherited rules and counts."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from members import selectors, services
from members.models import (
    AttachmentDirection,
    Exemption,
    ExemptionReason,
    MemberStatus,
    OrgKind,
    PositionRole,
    RuleKey,
    Suspension,
    TemporaryAttachment,
)
from members.org_settings import HD_42, LOCAL, RULES
from members.permissions import Scope
from tests.factories import (
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    UserFactory,
)

# get_scope --------------------------------------------------------------------------


def expected_scope(tree, persona):
    cell, cell2, other = tree.cell.pk, tree.cell2.pk, tree.other_cell.pk
    return {
        "secretary": Scope(
            member_id=tree.secretary.pk,
            member_cell_ids=frozenset({cell}),
            officer_cell_ids=frozenset({cell}),
        ),
        "member": Scope(member_id=tree.member.pk, member_cell_ids=frozenset({cell})),
        "committee": Scope(
            member_id=tree.official.pk,
            member_cell_ids=frozenset({cell2}),
            committee_paths=(tree.ward.path,),
        ),
        "supervisor": Scope(
            member_id=tree.supervisor.pk,
            member_cell_ids=frozenset({cell2}),
            supervised_cell_ids=frozenset({cell}),
        ),
        "outsider": Scope(
            member_id=tree.outsider.pk, member_cell_ids=frozenset({other})
        ),
        "admin": Scope(is_admin=True),
    }[persona]


@pytest.mark.parametrize(
    "persona", ["secretary", "member", "committee", "supervisor", "outsider", "admin"]
)
def test_get_scope_per_persona(tree, users, persona):
    user = getattr(users, persona)

    scope = selectors.get_scope(user)

    assert scope == expected_scope(tree, persona)


def test_get_scope_is_cached_on_the_user_object(users, django_assert_num_queries):
    user = users.secretary
    with django_assert_num_queries(3):  # member, positions, supervisions
        first = selectors.get_scope(user)

    with django_assert_num_queries(0):
        second = selectors.get_scope(user)

    assert second is first


def test_get_scope_empty_for_anonymous_and_users_without_member(db):
    plain = UserFactory(username="plain")

    assert selectors.get_scope(AnonymousUser()) == Scope()
    assert selectors.get_scope(plain) == Scope()


def test_get_scope_ignores_ended_offices_and_supervisions(tree, users):
    position = tree.secretary.positions.get()
    services.end_period(instance=position, on=date(2025, 1, 1), by=None)
    supervision = tree.supervisor.supervisions.get()
    services.end_period(instance=supervision, on=date(2025, 1, 1), by=None)

    assert selectors.get_scope(users.secretary) == Scope(
        member_id=tree.secretary.pk, member_cell_ids=frozenset({tree.cell.pk})
    )
    assert selectors.get_scope(users.supervisor) == Scope(
        member_id=tree.supervisor.pk, member_cell_ids=frozenset({tree.cell2.pk})
    )


def test_get_scope_of_an_inactive_member_has_no_member_cell(tree, users):
    services.deactivate_member(
        member=tree.member, by=None, on=date(2026, 1, 1), reason="Chuyển đi"
    )

    scope = selectors.get_scope(users.member)

    assert scope == Scope(member_id=tree.member.pk)
    assert scope.is_anyone is False


# organizations_for_user / get_organization_for_user ---------------------------------


@pytest.mark.parametrize(
    ("persona", "reach"),
    [
        ("secretary", {"cell"}),
        ("member", {"cell"}),
        ("committee", {"ward", "cell", "cell2"}),
        ("supervisor", {"cell", "cell2"}),
        ("outsider", {"other_cell"}),
        ("admin", {"province", "ward", "bloc", "cell", "cell2", "other_cell"}),
    ],
)
def test_organizations_for_user_reach(tree, users, persona, reach):
    orgs = selectors.organizations_for_user(getattr(users, persona))

    assert {org.pk for org in orgs} == {getattr(tree, name).pk for name in reach}


def test_organizations_for_user_includes_party_groups_of_read_cells(tree, users):
    group = OrganizationFactory(
        name="Tổ đảng 1", kind=OrgKind.PARTY_GROUP, parent=tree.cell
    )

    member_reach = set(selectors.organizations_for_user(users.member))
    outsider_reach = set(selectors.organizations_for_user(users.outsider))

    assert member_reach == {tree.cell, group}
    assert outsider_reach == {tree.other_cell}


@pytest.mark.parametrize(
    ("persona", "org", "action", "outcome"),
    [
        ("secretary", "cell", "read", "ok"),
        ("secretary", "cell", "manage", "ok"),
        ("secretary", "cell", "edit", "ok"),
        ("secretary", "cell", "tree", 403),
        ("secretary", "cell2", "read", 404),
        ("secretary", "ward", "read", 404),
        ("member", "cell", "read", "ok"),
        ("member", "cell", "manage", 403),
        ("member", "cell", "edit", 403),
        ("member", "other_cell", "read", 404),
        ("supervisor", "cell", "read", "ok"),
        ("supervisor", "cell", "manage", 403),
        ("supervisor", "ward", "read", 404),
        ("committee", "ward", "tree", "ok"),
        ("committee", "ward", "edit", "ok"),
        ("committee", "cell", "manage", "ok"),
        ("committee", "cell2", "edit", "ok"),
        ("committee", "province", "read", 404),
        ("committee", "other_cell", "manage", 404),
        ("outsider", "cell", "read", 404),
        ("outsider", "cell", "manage", 404),
        ("outsider", "other_cell", "manage", 403),
        ("admin", "province", "tree", "ok"),
        ("admin", "other_cell", "manage", "ok"),
    ],
)
def test_get_organization_for_user(tree, users, persona, org, action, outcome):
    user, target = getattr(users, persona), getattr(tree, org)
    call = lambda: selectors.get_organization_for_user(  # noqa: E731
        user, target.pk, action=action
    )

    if outcome == "ok":
        assert call() == target
    else:
        with pytest.raises(Http404 if outcome == 404 else PermissionDenied):
            call()


def test_get_organization_for_user_unknown_pk_is_404(users):
    with pytest.raises(Http404):
        selectors.get_organization_for_user(users.admin, 10**9)


# effective_rules --------------------------------------------------------------------


def test_effective_rules_defaults_when_nothing_is_set(tree):
    rules = selectors.effective_rules(tree.cell, on=date(2026, 6, 1))

    assert set(rules) == set(RULES)
    assert rules[RuleKey.MEETING_DAY] == {
        "value": 3,
        "source": str(LOCAL),
        "set_on": None,
        "valid_from": None,
    }
    assert rules[RuleKey.DOCUMENT_DAYS] == {
        "value": 1,
        "source": str(HD_42),
        "set_on": None,
        "valid_from": None,
    }
    assert {key: rule["value"] for key, rule in rules.items()} == {
        key: rule.default for key, rule in RULES.items()
    }


def test_effective_rules_default_comes_from_settings(tree, settings):
    settings.CHIBO_RULE_DEFAULTS = {RuleKey.MEETING_DAY: 4}

    rules = selectors.effective_rules(tree.cell, on=date(2026, 6, 1))

    assert rules[RuleKey.MEETING_DAY]["value"] == 4
    assert rules[RuleKey.NOTICE_DAYS]["value"] == 3


@pytest.fixture
def meeting_day_rules(tree):
    """Province: the 3rd from 2020; ward: the 5th from 1 January 2026."""
    services.set_rule(
        org=tree.province,
        key=RuleKey.MEETING_DAY,
        value=3,
        valid_from=date(2020, 1, 1),
        source="Hướng dẫn của Tỉnh ủy",
    )
    services.set_rule(
        org=tree.ward,
        key=RuleKey.MEETING_DAY,
        value=5,
        valid_from=date(2026, 1, 1),
    )


@pytest.mark.parametrize(
    ("on", "expected_on_cell"),
    [
        (date(2019, 12, 31), (3, None, None, str(LOCAL))),
        (date(2020, 1, 1), (3, "province", date(2020, 1, 1), "Hướng dẫn của Tỉnh ủy")),
        (
            date(2025, 12, 31),
            (3, "province", date(2020, 1, 1), "Hướng dẫn của Tỉnh ủy"),
        ),
        (date(2026, 1, 1), (5, "ward", date(2026, 1, 1), str(LOCAL))),
        (date(2030, 1, 1), (5, "ward", date(2026, 1, 1), str(LOCAL))),
    ],
)
def test_effective_rules_deepest_node_valid_on_the_day_wins(
    tree, meeting_day_rules, on, expected_on_cell
):
    value, set_on, valid_from, source = expected_on_cell

    rule = selectors.effective_rules(tree.cell, on=on)[RuleKey.MEETING_DAY]

    assert rule == {
        "value": value,
        "source": source,
        "set_on": getattr(tree, set_on).pk if set_on else None,
        "valid_from": valid_from,
    }


def test_effective_rules_sibling_subtree_keeps_the_province_value(
    tree, meeting_day_rules
):
    rules = selectors.effective_rules(tree.other_cell, on=date(2026, 6, 1))

    assert rules[RuleKey.MEETING_DAY]["value"] == 3
    assert rules[RuleKey.MEETING_DAY]["set_on"] == tree.province.pk


def test_effective_rules_deeper_node_wins_over_a_newer_higher_value(tree):
    services.set_rule(
        org=tree.ward, key=RuleKey.NOTICE_DAYS, value=5, valid_from=date(2021, 1, 1)
    )
    services.set_rule(
        org=tree.province, key=RuleKey.NOTICE_DAYS, value=7, valid_from=date(2026, 1, 1)
    )

    rule = selectors.effective_rules(tree.cell, on=date(2026, 6, 1))[
        RuleKey.NOTICE_DAYS
    ]

    assert (rule["value"], rule["set_on"]) == (5, tree.ward.pk)


def test_effective_rules_latest_value_on_the_same_node_wins(tree):
    for valid_from, value in [(date(2020, 1, 1), 2), (date(2024, 1, 1), 4)]:
        services.set_rule(
            org=tree.cell, key=RuleKey.NOTICE_DAYS, value=value, valid_from=valid_from
        )

    rules_2023 = selectors.effective_rules(tree.cell, on=date(2023, 12, 31))
    rules_2024 = selectors.effective_rules(tree.cell, on=date(2024, 1, 1))

    assert rules_2023[RuleKey.NOTICE_DAYS]["value"] == 2
    assert rules_2024[RuleKey.NOTICE_DAYS]["value"] == 4


def test_effective_rules_is_one_query(
    tree, meeting_day_rules, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rules = selectors.effective_rules(tree.cell, on=date(2026, 6, 1))

    assert rules[RuleKey.MEETING_DAY]["value"] == 5


def test_rule_value_reads_one_key(tree, meeting_day_rules):
    assert selectors.rule_value(tree.cell, RuleKey.MEETING_DAY, date(2025, 1, 1)) == 3
    assert selectors.rule_value(tree.cell, RuleKey.MEETING_DAY, date(2026, 1, 1)) == 5


# cell_summary -----------------------------------------------------------------------

ON = date(2026, 6, 1)


@pytest.fixture
def busy_cell(db):
    """A cell with 2 official, 3 probationary, and members exempt, suspended, away,
    attached in; plus an inactive official member."""
    cell = OrganizationFactory(name="Chi bộ Bận rộn")
    official = MemberFactory(organization=cell, full_name="An")
    away = MemberFactory(organization=cell, full_name="Bình")
    probation = {"status": MemberStatus.PROBATIONARY, "official_date": None}
    due = MemberFactory(
        organization=cell,
        full_name="Cúc",
        admission_date=date(2025, 6, 20),
        **probation,
    )
    not_due = MemberFactory(
        organization=cell,
        full_name="Dung",
        admission_date=date(2025, 8, 1),
        **probation,
    )
    attached = MemberFactory(
        organization=cell, full_name="Em", admission_date=None, **probation
    )
    inactive = MemberFactory(organization=cell, full_name="Giang")
    services.deactivate_member(
        member=inactive, by=None, on=date(2026, 1, 1), reason="Chuyển sinh hoạt"
    )
    Exemption.objects.create(
        member=official, reason=ExemptionReason.HEALTH, start=date(2026, 1, 1)
    )
    Exemption.objects.create(  # ended: does not count
        member=not_due,
        reason=ExemptionReason.MATERNITY,
        start=date(2025, 9, 1),
        end=date(2026, 3, 1),
    )
    Suspension.objects.create(
        member=due, reason="Kỷ luật", start=date(2026, 5, 1), end=date(2026, 6, 1)
    )
    Exemption.objects.create(  # inactive members are left out of every count
        member=inactive, reason=ExemptionReason.OLD_AGE, start=date(2025, 1, 1)
    )
    TemporaryAttachment.objects.create(
        member=away,
        direction=AttachmentDirection.OUT,
        other_unit="Chi bộ Trường",
        start=date(2026, 2, 1),
    )
    TemporaryAttachment.objects.create(
        member=attached,
        direction=AttachmentDirection.IN,
        other_unit="Chi bộ Quân sự",
        start=date(2026, 6, 1),
    )
    PositionFactory(member=official, organization=cell, role=PositionRole.SECRETARY)
    return cell


def test_cell_summary_counts(busy_cell):
    summary = selectors.cell_summary(busy_cell, on=ON)

    assert summary["counts"] == {  # Em, attached in, is counted apart
        "total": 4,
        "official": 2,
        "probationary": 2,
        "exempt": 1,
        "suspended": 1,
        "away": 1,
        "attached_in": 1,
    }


def test_cell_summary_officers_alerts_and_due_recognitions(busy_cell):
    summary = selectors.cell_summary(busy_cell, on=ON)

    assert [(p.member.full_name, p.role) for p in summary["officers"]] == [
        ("An", PositionRole.SECRETARY)
    ]
    assert summary["alerts"] == ["too_few_official"]
    assert [(m.full_name, m.probation_end) for m in summary["recognition_due"]] == [
        ("Cúc", date(2026, 6, 20))
    ]


def test_cell_summary_counts_change_with_the_day(busy_cell):
    summary = selectors.cell_summary(busy_cell, on=date(2026, 6, 2))

    assert summary["counts"]["suspended"] == 0  # the suspension ended on 1 June
    assert summary["counts"]["exempt"] == 1


@pytest.mark.parametrize(
    ("official", "officers", "alerts"),
    [
        (2, 0, ["too_few_official"]),
        (3, 0, []),
        (8, 0, []),
        (9, 2, ["needs_committee"]),
        (9, 3, []),
    ],
)
def test_cell_summary_alerts(db, official, officers, alerts):
    cell = OrganizationFactory()
    members = MemberFactory.create_batch(official, organization=cell)
    roles = [
        PositionRole.SECRETARY,
        PositionRole.DEPUTY_SECRETARY,
        PositionRole.COMMITTEE_MEMBER,
    ]
    for member, role in zip(members, roles[:officers], strict=False):
        PositionFactory(member=member, organization=cell, role=role)
    if officers:  # a group leader is not an officer of the cell committee
        PositionFactory(
            member=members[-1], organization=cell, role=PositionRole.GROUP_LEADER
        )

    summary = selectors.cell_summary(cell, on=ON)

    assert summary["alerts"] == alerts


def test_cell_summary_constant_queries(db, django_assert_num_queries):
    small, large = OrganizationFactory(), OrganizationFactory()
    MemberFactory(organization=small)
    for member in MemberFactory.create_batch(12, organization=large):
        PositionFactory(
            member=member, organization=large, role=PositionRole.COMMITTEE_MEMBER
        )

    with django_assert_num_queries(3):
        selectors.cell_summary(small, on=ON)
    with django_assert_num_queries(3):
        selectors.cell_summary(large, on=ON)


# subtree_counts ---------------------------------------------------------------------


def build_subtree(cells_in_ward):
    """province ─┬─ ward (n cells, 2 active + 1 inactive members each)
    ├─ bloc ── cell (1 active member), inactive cell (1 member)
    └─ direct cell (3 active members)"""
    province = OrganizationFactory(name="Tỉnh", kind=OrgKind.PROVINCE_COMMITTEE)
    ward = OrganizationFactory(
        name="Phường", kind=OrgKind.COMMUNE_COMMITTEE, parent=province
    )
    bloc = OrganizationFactory(
        name="Khối", kind=OrgKind.BLOC_COMMITTEE, parent=province
    )
    direct = OrganizationFactory(name="Chi bộ trực thuộc", parent=province)
    MemberFactory.create_batch(3, organization=direct)
    for index in range(cells_in_ward):
        cell = OrganizationFactory(name=f"Chi bộ {index}", parent=ward)
        MemberFactory.create_batch(2, organization=cell)
        gone = MemberFactory(organization=cell)
        services.deactivate_member(member=gone, by=None, on=ON, reason="Từ trần")
    bloc_cell = OrganizationFactory(parent=bloc)
    MemberFactory(organization=bloc_cell)
    closed = OrganizationFactory(parent=bloc)
    MemberFactory(organization=closed)
    services.update_organization(org=closed, is_active=False)
    return province


@pytest.mark.parametrize("cells_in_ward", [1, 5])
def test_subtree_counts_rolls_up_per_child(
    db, django_assert_num_queries, cells_in_ward
):
    province = build_subtree(cells_in_ward)

    with django_assert_num_queries(2):
        result = selectors.subtree_counts(province)

    assert [(child.name, child.stats) for child in result["children"]] == [
        ("Chi bộ trực thuộc", {"cells": 1, "members": 3}),
        ("Khối", {"cells": 1, "members": 1}),
        ("Phường", {"cells": cells_in_ward, "members": 2 * cells_in_ward}),
    ]
    assert result["totals"] == {
        "cells": cells_in_ward + 2,
        "members": 2 * cells_in_ward + 4,
    }


def test_subtree_counts_of_a_ward_leaves_out_siblings(db):
    province = build_subtree(2)
    ward = province.children.get(name="Phường")

    result = selectors.subtree_counts(ward)

    assert [(child.name, child.stats) for child in result["children"]] == [
        ("Chi bộ 0", {"cells": 1, "members": 2}),
        ("Chi bộ 1", {"cells": 1, "members": 2}),
    ]
    assert result["totals"] == {"cells": 2, "members": 4}


def _attach_in(cell, name, *, start, end=None):
    member = MemberFactory(organization=cell, full_name=name)
    TemporaryAttachment.objects.create(
        member=member,
        direction=AttachmentDirection.IN,
        other_unit="Chi bộ Quân sự",
        start=start,
        end=end,
    )
    return member


@pytest.mark.parametrize("attached", [1, 3])
def test_subtree_counts_leave_attached_in_members_to_their_home_cell(
    db, django_assert_num_queries, attached
):
    """§8: a member attached in from elsewhere counts in the home cell only, so the
    committee's totals count nobody twice; an attachment that has ended no longer
    keeps the member out."""
    province = build_subtree(2)
    ward = province.children.get(name="Phường")
    host = ward.children.get(name="Chi bộ 0")
    for index in range(attached):
        _attach_in(host, f"Tạm thời {index}", start=date(2020, 1, 1))
    _attach_in(host, "Đã về", start=date(2020, 1, 1), end=date(2021, 1, 1))

    with django_assert_num_queries(2):
        result = selectors.subtree_counts(ward)

    assert [(child.name, child.stats) for child in result["children"]] == [
        ("Chi bộ 0", {"cells": 1, "members": 3}),
        ("Chi bộ 1", {"cells": 1, "members": 2}),
    ]
    assert result["totals"] == {"cells": 2, "members": 5}
    rows, _truncated = selectors.tree_for_user(UserFactory(is_superuser=True))
    counts = {node.name: node.active_members for node in rows if node.is_cell}
    assert (counts["Chi bộ 0"], counts["Chi bộ 1"]) == (3, 2)
