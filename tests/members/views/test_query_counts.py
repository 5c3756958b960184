"""Query counts of the members pages stay constant with the data size."""

from datetime import date

import pytest
from django.urls import reverse

from members import services
from members.models import (
    Exemption,
    LinkedPerson,
    OrgKind,
    Position,
    PositionRole,
    Suspension,
)
from tests.factories import (
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    SupervisionFactory,
)
from tests.factories.members import due_admission_date, probationary
from tests.support.pages import count_queries, member_list_names

# Probations due about two weeks after this day, whatever day the test runs: the
# alerts are the same rows, and their count is what is measured.
DAY = date(2026, 11, 5)


def grow_cell(cell, n, group=None):
    """n more members in `cell`, each with an office, an exemption and due probation."""
    for index in range(n):
        member = probationary(
            cell,
            f"Thành Viên {index:02d}",
            due_admission_date(DAY),
            party_group=group,
        )
        PositionFactory(
            member=member,
            organization=cell,
            role=PositionRole.COMMITTEE_MEMBER,
            start=date(2025, 1, 1),
        )
        Exemption.objects.create(member=member, reason="health", start=date(2025, 1, 1))
        LinkedPerson.objects.create(
            residence_cell=cell,
            full_name=f"Cư Trú {index:02d}",
            home_unit="Chi bộ khác",
            start=date(2025, 1, 1),
        )


def grow_ward(tree, n, supervisor=None):
    """n more cells under the ward, each with two members and an official."""
    for index in range(n):
        cell = OrganizationFactory(name=f"Chi bộ Thêm {index:02d}", parent=tree.ward)
        first, _second = MemberFactory.create_batch(2, organization=cell)
        PositionFactory(
            member=first, organization=tree.ward, role=PositionRole.DEPUTY_SECRETARY
        )
        OrganizationFactory(
            name=f"Tổ Thêm {index:02d}", kind=OrgKind.PARTY_GROUP, parent=cell
        )
        if supervisor is not None:
            SupervisionFactory(supervisor=supervisor, cell=cell)


def grow_roots(n):
    for index in range(n):
        OrganizationFactory(
            name=f"Đảng bộ Tỉnh Thêm {index}", kind=OrgKind.PROVINCE_COMMITTEE
        )


HOME_GROWTH = {
    "secretary": lambda tree, n: grow_cell(tree.cell, n),
    "member": lambda tree, n: grow_cell(tree.cell, n),
    "committee": lambda tree, n: grow_ward(tree, n),
    "supervisor": lambda tree, n: grow_ward(tree, n, supervisor=tree.supervisor),
    "outsider": lambda tree, n: grow_cell(tree.other_cell, n),
    "admin": lambda tree, n: grow_roots(n),
}
# + 3 for every persona with a member record: evaluations' "my tasks" (assigned to
# me, open in my cell) and "my monthly rating" panel. What is next (issue 16 §1):
# + 4 for a member (next meeting, latest minutes, latest resolution, unread
# notices; 2 more when there is a next meeting: its documents and my excuse),
# + 6 for a cell officer (excuses, open minutes, locked/returned, next meetings;
# recommendations and reports about the cell), + 12 for a committee (minutes to
# acknowledge; per committee: red flags, late reports of two months, overdue
# recommendations), + 2 for a supervisor (meetings followed, reports due: 3 more
# when a meeting was held). tests/meetings/views/test_home_panels.py grows the
# meetings themselves.
HOME_QUERIES = {
    "secretary": 26,
    "member": 17,
    "committee": 28,
    "supervisor": 19,
    "outsider": 17,
    "admin": 4,
}
SIZES = {"small": (1, 1), "large": (30, 5)}  # (members, nodes or periods)


def _grow_home(persona, tree, size):
    members, nodes = SIZES[size]
    by_members = persona in {"secretary", "member", "outsider"}
    HOME_GROWTH[persona](tree, members if by_members else nodes)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("persona", HOME_QUERIES)
def test_home_queries_constant(
    tree, persona_client, django_assert_num_queries, persona, size
):
    # Arrange
    _grow_home(persona, tree, size)
    client = persona_client(persona)

    # Act / Assert
    with django_assert_num_queries(HOME_QUERIES[persona]):
        response = client.get(reverse("home"))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["secretary", "committee"])
def test_home_queries_equal_between_sizes(tree, persona_client, persona):
    # Arrange
    client = persona_client(persona)
    _grow_home(persona, tree, "small")
    small = count_queries(client, reverse("home"))

    # Act
    _grow_home(persona, tree, "large")
    large = count_queries(client, reverse("home"))

    # Assert
    assert small == large == HOME_QUERIES[persona]


TREE_QUERIES = {"committee": 7, "admin": 3}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("persona", TREE_QUERIES)
def test_tree_page_queries_constant(
    tree, persona_client, django_assert_num_queries, persona, size
):
    # Arrange
    grow_ward(tree, SIZES[size][1])
    client = persona_client(persona)

    # Act / Assert
    with django_assert_num_queries(TREE_QUERIES[persona]):
        response = client.get(reverse("members:org-tree"))
    assert response.status_code == 200


# + 11 without htmx: the dues ledger's 3-unpaid-months alert (members.dues.rules).
CELL_QUERIES = {False: 27, True: 15}  # htmx: no page chrome


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("htmx", [False, True])
def test_cell_page_queries_constant(
    tree, group, persona_client, django_assert_num_queries, size, htmx
):
    # Arrange
    grow_cell(tree.cell, SIZES[size][0], group=group)
    for index in range(SIZES[size][1]):
        SupervisionFactory(supervisor=tree.others[index % 3], cell=tree.cell)
    client = persona_client("secretary")
    headers = {"HX-Request": "true", "HX-Target": "member-list"} if htmx else {}

    # Act / Assert
    with django_assert_num_queries(CELL_QUERIES[htmx]):
        response = client.get(
            reverse("members:org-detail", args=[tree.cell.pk]), headers=headers
        )
    assert response.status_code == 200
    assert len(member_list_names(response.content.decode())) == 5 + SIZES[size][0]


WARD_QUERIES = 11


@pytest.mark.parametrize("size", SIZES)
def test_ward_page_queries_constant(
    tree, persona_client, django_assert_num_queries, size
):
    # Arrange
    grow_ward(tree, SIZES[size][1])
    client = persona_client("committee")

    # Act / Assert
    with django_assert_num_queries(WARD_QUERIES):
        response = client.get(reverse("members:org-detail", args=[tree.ward.pk]))
    assert response.status_code == 200


# + the admission path: candidate, probation, votes; + party-group meetings attended
MEMBER_DETAIL_QUERIES = 18


def grow_history(member, cell, n, by):
    """n closed periods of each kind and an office, each recorded by `by`."""
    for index in range(n):
        start = date(2010 + index, 1, 1)
        end = date(2010 + index, 6, 30)
        services.save_period(
            instance=Exemption(member=member, reason="health", start=start, end=end),
            by=by,
        )
        services.save_period(
            instance=Suspension(member=member, reason="Kỷ luật", start=start, end=end),
            by=by,
        )
        services.save_period(
            instance=Position(
                member=member,
                organization=cell,
                role=PositionRole.COMMITTEE_MEMBER,
                start=start,
                end=end,
            ),
            by=by,
            overlap_extra={"organization": cell, "role": "committee_member"},
        )
        SupervisionFactory(supervisor=member, cell=cell, start=start, end=end)


@pytest.mark.parametrize("size", SIZES)
def test_member_detail_queries_constant(
    tree, users, persona_client, django_assert_num_queries, size
):
    # Arrange: every event names its recorder (a user linked to a member)
    grow_history(tree.member, tree.cell, SIZES[size][1], users.secretary)
    client = persona_client("secretary")

    # Act / Assert
    with django_assert_num_queries(MEMBER_DETAIL_QUERIES):
        response = client.get(reverse("members:member-detail", args=[tree.member.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_member_detail_queries_constant_without_recorders(
    tree, persona_client, django_assert_num_queries, size
):
    # Arrange: the same history recorded by nobody (e.g. an import by a script)
    grow_history(tree.member, tree.cell, SIZES[size][1], None)
    client = persona_client("secretary")

    # Act / Assert
    with django_assert_num_queries(MEMBER_DETAIL_QUERIES):
        response = client.get(reverse("members:member-detail", args=[tree.member.pk]))
    assert response.status_code == 200


RULES_QUERIES = 9


@pytest.mark.parametrize("size", SIZES)
def test_rules_page_queries_constant(
    tree, persona_client, django_assert_num_queries, size
):
    # Arrange: values on every level of the path, several dates each
    keys = ["meeting_day", "notice_days", "document_days", "report_deadline_day"]
    for index in range(SIZES[size][1]):
        for org in (tree.province, tree.ward, tree.cell):
            services.set_rule(
                org=org,
                key=keys[index % len(keys)],
                value=2 + index % 5,
                valid_from=date(2020 + index, 1, 1),
            )
    client = persona_client("secretary")

    # Act / Assert
    with django_assert_num_queries(RULES_QUERIES):
        response = client.get(reverse("members:org-rules", args=[tree.cell.pk]))
    assert response.status_code == 200
