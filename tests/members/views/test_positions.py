"""Offices (positions) and supervision assignments: adding and ending them.

Content assertions use data (names, numbers), URLs and element ids; where a label is
checked the client asks for English (`english()`), never Vietnamese.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from members.models import EventKind, Position, PositionRole, SupervisionAssignment
from tests.factories import PositionFactory
from tests.factories.times import today
from tests.members.views.expected import events_of
from tests.support.pages import english, fmt, get_html, section


def test_position_add_records_office_and_event(tree, users, persona_client):
    # Arrange
    url = reverse("members:position-add", args=[tree.cell.pk])
    data = {
        "member": tree.member.pk,
        "role": "deputy_secretary",
        "start": fmt(today()),
        "end": "",
        "note": "NQ bầu",
    }

    # Act
    response = english(persona_client("secretary")).post(url, data, follow=True)

    # Assert
    assert response.redirect_chain == [(tree.cell.get_absolute_url(), 302)]
    position = Position.objects.get(member=tree.member)
    assert (position.organization, position.role, position.start, position.end) == (
        tree.cell,
        PositionRole.DEPUTY_SECRETARY,
        today(),
        None,
    )
    assert [(k, d, by) for k, d, _n, by in events_of(tree.member)] == [
        (EventKind.UPDATED, today(), "secretary")
    ]
    officers = section(response.content.decode(), "officers-heading")
    assert "Trần Thị Đảng Viên</a> — Deputy secretary" in officers


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"role": "group_leader"}, "role", id="group-role-in-cell"),
        pytest.param({"member": "OFFICIAL"}, "member", id="member-of-another-cell"),
        pytest.param({"start": "30/02/2026"}, "start", id="impossible-date"),
    ],
)
def test_position_add_refuses_bad_choice(tree, persona_client, data, field):
    # Arrange
    url = reverse("members:position-add", args=[tree.cell.pk])
    post = {"member": tree.member.pk, "role": "committee_member", "start": fmt(today())}
    post.update(data)
    if post["member"] == "OFFICIAL":
        post["member"] = tree.official.pk

    # Act
    response = persona_client("secretary").post(url, post)

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {field}
    assert Position.objects.filter(member=tree.member).count() == 0


def test_position_add_refuses_overlapping_same_office(tree, persona_client):
    # Arrange
    PositionFactory(
        member=tree.member,
        organization=tree.cell,
        role=PositionRole.COMMITTEE_MEMBER,
        start=date(2025, 1, 1),
    )
    url = reverse("members:position-add", args=[tree.cell.pk])
    data = {"member": tree.member.pk, "role": "committee_member", "start": "01/06/2026"}

    # Act
    response = english(persona_client("secretary")).post(url, data)

    # Assert
    assert response.status_code == 200
    assert "This period overlaps another one already recorded." in (
        response.content.decode()
    )
    assert Position.objects.filter(member=tree.member).count() == 1


@pytest.mark.parametrize(
    ("role", "holder_end", "accepted"),
    [
        ("secretary", None, False),  # the cell already has a secretary
        ("secretary", date(2025, 12, 31), True),  # … whose term has ended
        ("deputy_secretary", None, False),
        ("committee_member", None, True),  # a committee has several members
    ],
)
def test_position_add_one_holder_per_single_office(
    tree, persona_client, role, holder_end, accepted
):
    # Arrange: the current holder of the office is another member of the cell
    PositionFactory(
        member=tree.others[0],
        organization=tree.cell,
        role=role,
        start=date(2025, 1, 1),
        end=holder_end,
    )
    Position.objects.filter(member=tree.secretary).update(end=holder_end)
    url = reverse("members:position-add", args=[tree.cell.pk])
    data = {"member": tree.member.pk, "role": role, "start": "01/01/2026"}

    # Act
    response = persona_client("committee").post(url, data)

    # Assert
    saved = Position.objects.filter(member=tree.member, role=role).exists()
    assert saved is accepted
    if accepted:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"role"}
    assert 'name="start" value="01/01/2026"' in response.content.decode()


def test_position_candidates_on_a_cell_are_its_active_members(world, persona_client):
    # Act
    response = persona_client("secretary").get(
        reverse("members:position-add", args=[world.tree.cell.pk])
    )

    # Assert
    names = sorted(str(m) for m in response.context["form"].fields["member"].queryset)
    tree = world.tree
    assert names == sorted(
        [tree.secretary.full_name, tree.member.full_name]
        + [m.full_name for m in tree.others]
    )


def test_position_candidates_on_ward_are_members_below_it(tree, persona_client):
    # Act
    response = persona_client("committee").get(
        reverse("members:position-add", args=[tree.ward.pk])
    )

    # Assert: the ward's cells only, never another ward's or bloc's members
    names = sorted(str(m) for m in response.context["form"].fields["member"].queryset)
    assert names == sorted(
        [tree.secretary.full_name, tree.member.full_name]
        + [m.full_name for m in tree.others]
        + [tree.official.full_name, tree.supervisor.full_name]
    )
    assert tree.outsider.full_name not in response.content.decode()


def test_position_end_closes_the_office(world, persona_client):
    # Arrange
    position = world.secretary_position
    url = reverse("members:position-end", args=[position.pk])

    # Act
    response = persona_client("secretary").post(url, {"end": fmt(today())})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == world.tree.cell.get_absolute_url()
    position.refresh_from_db()
    assert position.end == today()


def test_position_end_before_start_is_refused(world, persona_client):
    # Arrange
    url = reverse("members:position-end", args=[world.secretary_position.pk])

    # Act
    response = persona_client("secretary").post(url, {"end": "31/12/2023"})

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"end"}
    assert 'name="end" value="31/12/2023"' in response.content.decode()
    world.secretary_position.refresh_from_db()
    assert world.secretary_position.end is None


def test_supervision_add_assigns_and_shows_on_cell_and_home(tree, persona_client):
    # Arrange
    url = reverse("members:supervision-add", args=[tree.cell.pk])
    data = {"supervisor": tree.official.pk, "start": fmt(today()), "end": ""}

    # Act
    response = persona_client("committee").post(url, data)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == tree.cell.get_absolute_url()
    assignment = SupervisionAssignment.objects.get(supervisor=tree.official)
    assert (assignment.cell, assignment.start, assignment.end) == (
        tree.cell,
        today(),
        None,
    )
    cell_html = get_html(persona_client("member"), tree.cell.get_absolute_url())
    supervisors = section(cell_html, "supervisors-heading")
    assert "Phạm Văn Cấp Ủy" in supervisors
    assert "Hoàng Văn Theo Dõi" in supervisors
    home = get_html(persona_client("committee"), reverse("home"))
    assert f'<a href="{tree.cell.get_absolute_url()}">Chi bộ Khối phố 5</a>' in (
        section(home, "supervised")
    )


def test_supervision_add_refuses_overlap_and_outsiders(tree, persona_client):
    # Arrange
    url = reverse("members:supervision-add", args=[tree.cell.pk])
    client = english(persona_client("committee"))

    # Act
    overlap = client.post(
        url, {"supervisor": tree.supervisor.pk, "start": fmt(today())}
    )
    outsider = client.post(url, {"supervisor": tree.outsider.pk, "start": fmt(today())})

    # Assert
    assert overlap.status_code == 200
    assert "This period overlaps another one already recorded." in (
        overlap.content.decode()
    )
    assert outsider.status_code == 200
    assert set(outsider.context["form"].errors) == {"supervisor"}
    assert tree.outsider.full_name not in outsider.content.decode()
    assert SupervisionAssignment.objects.count() == 1


def test_supervision_end_closes_assignment(world, persona_client):
    # Arrange
    url = reverse("members:supervision-end", args=[world.assignment.pk])

    # Act
    yesterday = today() - timedelta(days=1)
    response = persona_client("committee").post(url, {"end": fmt(yesterday)})

    # Assert
    assert response.status_code == 302
    world.assignment.refresh_from_db()
    assert world.assignment.end == yesterday
    html = get_html(persona_client("committee"), world.tree.cell.get_absolute_url())
    assert "Hoàng Văn Theo Dõi" not in section(html, "supervisors-heading")
    # the supervisor no longer reaches the cell
    cell_url = world.tree.cell.get_absolute_url()
    assert persona_client("supervisor").get(cell_url).status_code == 404
