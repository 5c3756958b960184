"""A member's standing: exemptions and suspensions, deactivation and reactivation.

Content assertions use data (names, numbers), URLs and element ids; where a label is
checked the client asks for English (`english()`), never Vietnamese.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from members.models import (
    EventKind,
    Exemption,
    LinkedPerson,
    MemberEvent,
    Position,
    PositionRole,
    SupervisionAssignment,
    Suspension,
)
from tests.factories import PositionFactory
from tests.factories.times import today
from tests.members.views.expected import events_of
from tests.support.pages import english, fmt, get_html, member_list_names, section

PERIOD_DATA = {
    "exemption": (
        Exemption,
        {"reason": "health", "detail": "Điều trị dài ngày", "resolution_ref": "NQ 05"},
    ),
    "suspension": (
        Suspension,
        {"reason": "Đang xem xét kỷ luật", "decision_ref": "QĐ 12"},
    ),
}


@pytest.mark.parametrize("kind", ["exemption", "suspension"])
def test_member_period_add_records_period_and_event(tree, persona_client, kind):
    # Arrange
    model, fields = PERIOD_DATA[kind]
    url = reverse("members:member-period-add", args=[tree.member.pk, kind])
    data = {**fields, "start": "01/03/2026", "end": ""}

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == tree.member.get_absolute_url()
    period = model.objects.get(member=tree.member)
    assert (period.start, period.end) == (date(2026, 3, 1), None)
    assert [(k, d, by) for k, d, _n, by in events_of(tree.member)] == [
        (EventKind.UPDATED, date(2026, 3, 1), "secretary")
    ]
    listed = get_html(
        persona_client("secretary"),
        reverse("members:org-detail", args=[tree.cell.pk]),
        data={"status": "exempt" if kind == "exemption" else "suspended"},
    )
    assert member_list_names(listed) == [tree.member.full_name]


@pytest.mark.parametrize("kind", ["exemption", "suspension"])
@pytest.mark.parametrize(
    ("start", "end", "accepted"),
    [
        ("01/03/2026", "", False),  # inside the recorded period
        ("01/12/2025", "15/01/2026", False),  # overlaps its start
        ("01/04/2026", "", True),  # after it ended
        ("01/06/2025", "31/12/2025", True),  # before it began
    ],
)
def test_member_period_add_refuses_overlap(
    tree, persona_client, kind, start, end, accepted
):
    # Arrange
    model, fields = PERIOD_DATA[kind]
    model.objects.create(
        member=tree.member,
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        reason=fields["reason"],
    )
    url = reverse("members:member-period-add", args=[tree.member.pk, kind])

    # Act
    response = english(persona_client("secretary")).post(
        url, {**fields, "start": start, "end": end}
    )

    # Assert
    assert model.objects.filter(member=tree.member).count() == (2 if accepted else 1)
    if accepted:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "This period overlaps another one already recorded." in html
    assert f'name="start" value="{start}"' in html
    assert not MemberEvent.objects.filter(member=tree.member).exists()


@pytest.mark.parametrize(
    ("url_name", "args", "data"),
    [
        ("members:member-period-add", ("MEMBER", "exemption"), {"reason": "health"}),
        ("members:member-period-add", ("MEMBER", "suspension"), {"reason": "Kỷ luật"}),
        (
            "members:member-period-add",
            ("MEMBER", "attachment"),
            {"direction": "out", "other_unit": "Chi bộ Quân sự"},
        ),
        (
            "members:linked-add",
            ("CELL",),
            {"full_name": "Vũ Thị Cư Trú", "home_unit": "Chi bộ Trường THCS"},
        ),
        ("members:supervision-add", ("CELL2",), {"supervisor": "OFFICIAL"}),
        ("members:position-add", ("CELL",), {"member": "MEMBER", "role": "secretary"}),
    ],
)
def test_period_end_before_start_is_an_error_on_end(
    tree, persona_client, url_name, args, data
):
    # Arrange
    known = {
        "MEMBER": tree.member.pk,
        "CELL": tree.cell.pk,
        "CELL2": tree.cell2.pk,
        "OFFICIAL": tree.official.pk,
    }
    url = reverse(url_name, args=[known.get(arg, arg) for arg in args])
    post = {key: known.get(value, value) for key, value in data.items()}
    post.update(start="01/03/2026", end="01/02/2026")
    tables = (Exemption, Suspension, LinkedPerson, SupervisionAssignment, Position)
    before = [model.objects.count() for model in tables]

    # Act
    response = persona_client("committee").post(url, post)

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"end"}
    html = response.content.decode()
    assert 'id="id_end_error"' in html
    assert 'name="end" value="01/02/2026"' in html
    assert [model.objects.count() for model in tables] == before


def test_member_period_end_closes_the_period(world, persona_client):
    # Arrange
    url = reverse(
        "members:member-period-end",
        args=[world.tree.member.pk, "exemption", world.exemption.pk],
    )

    # Act
    response = persona_client("secretary").post(url, {"end": "30/06/2026"})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == world.tree.member.get_absolute_url()
    world.exemption.refresh_from_db()
    assert world.exemption.end == date(2026, 6, 30)


def test_member_deactivate_and_reactivate(tree, users, persona_client):
    # Arrange
    member = tree.others[0]
    client = persona_client("secretary")
    cell_url = reverse("members:org-detail", args=[tree.cell.pk])
    reason = "Chuyển sinh hoạt đi nơi khác"

    # Act: deactivate
    response = client.post(
        reverse("members:member-deactivate", args=[member.pk]),
        {"on": fmt(today()), "reason": reason},
    )

    # Assert
    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()
    member.refresh_from_db()
    assert (member.is_active, member.deactivated_on, member.deactivation_reason) == (
        False,
        today(),
        reason,
    )
    assert events_of(member) == [(EventKind.DEACTIVATED, today(), reason, "secretary")]
    assert member.full_name not in member_list_names(get_html(client, cell_url))
    assert member_list_names(
        get_html(client, cell_url, data={"status": "inactive"})
    ) == [member.full_name]
    detail = get_html(english(client), member.get_absolute_url())
    assert '<span class="badge text-bg-secondary">Inactive</span>' in detail
    assert f"{fmt(today())} — {reason}" in detail

    # Act: reactivate
    response = client.post(reverse("members:member-reactivate", args=[member.pk]))

    # Assert
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.is_active, member.deactivated_on, member.deactivation_reason) == (
        True,
        None,
        "",
    )
    assert [kind for kind, *_rest in events_of(member)] == [
        EventKind.DEACTIVATED,
        EventKind.REACTIVATED,
    ]
    assert member.full_name in member_list_names(get_html(client, cell_url))
    assert (
        member_list_names(get_html(client, cell_url, data={"status": "inactive"})) == []
    )


def test_member_deactivate_ends_current_offices(tree, persona_client):
    # Arrange
    url = reverse("members:member-deactivate", args=[tree.secretary.pk])

    # Act
    response = persona_client("committee").post(
        url, {"on": fmt(today()), "reason": "Nghỉ hưu"}
    )

    # Assert
    assert response.status_code == 302
    assert Position.objects.get(member=tree.secretary).end == today()


def test_member_deactivate_twice_is_refused(world, persona_client):
    # Arrange
    url = reverse("members:member-deactivate", args=[world.inactive.pk])

    # Act
    response = english(persona_client("secretary")).post(
        url, {"on": fmt(today()), "reason": "Lần hai"}
    )

    # Assert
    assert response.status_code == 200
    assert "This member is already inactive." in response.content.decode()
    assert world.inactive.events.count() == 0


def test_member_deactivate_requires_date_and_reason(tree, persona_client):
    # Arrange
    url = reverse("members:member-deactivate", args=[tree.member.pk])

    # Act
    response = persona_client("secretary").post(url, {"on": "31/02/2026", "reason": ""})

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"on", "reason"}
    assert 'name="on" value="31/02/2026"' in response.content.decode()
    tree.member.refresh_from_db()
    assert tree.member.is_active


def test_member_deactivate_before_an_office_begins(tree, persona_client):
    # Arrange: an office from June, a deactivation dated January (no 500)
    PositionFactory(
        member=tree.member,
        organization=tree.cell,
        role=PositionRole.COMMITTEE_MEMBER,
        start=date(2026, 6, 1),
    )
    url = reverse("members:member-deactivate", args=[tree.member.pk])

    # Act
    response = persona_client("secretary").post(
        url, {"on": "01/01/2026", "reason": "Chuyển đi"}
    )

    # Assert
    assert response.status_code == 302
    tree.member.refresh_from_db()
    assert (tree.member.is_active, tree.member.deactivated_on) == (
        False,
        date(2026, 1, 1),
    )
    # the office never took effect, so it is gone rather than ending before it began
    assert not Position.objects.filter(member=tree.member).exists()


def test_member_deactivate_ends_supervision_assignments(tree, persona_client):
    # Arrange
    url = reverse("members:member-deactivate", args=[tree.supervisor.pk])
    yesterday = today() - timedelta(days=1)

    # Act
    response = persona_client("committee").post(
        url, {"on": fmt(yesterday), "reason": "Chuyển công tác"}
    )

    # Assert
    assert response.status_code == 302
    assignment = SupervisionAssignment.objects.get(supervisor=tree.supervisor)
    assert assignment.end == yesterday
    cell_html = get_html(persona_client("secretary"), tree.cell.get_absolute_url())
    assert "Hoàng Văn Theo Dõi" not in section(cell_html, "supervisors-heading")
    assert persona_client("supervisor").get(
        tree.cell.get_absolute_url()
    ).status_code == (404)
