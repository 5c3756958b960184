"""A member's record: the detail page, creating and editing a member.

Content assertions use data (names, numbers), URLs and element ids; where a label is
checked the client asks for English (`english()`), never Vietnamese.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from members import services
from members.models import (
    EventKind,
    Exemption,
    Member,
    MemberEvent,
    MemberStatus,
    Suspension,
)
from tests.factories import MemberFactory
from tests.factories.members import probationary
from tests.factories.times import today
from tests.members.views.expected import events_of
from tests.support.pages import english, fmt, get_html, member_list_names, section


def test_member_detail_shows_record_standing_and_history(tree, users, persona_client):
    # Arrange
    member = tree.member
    member.party_card_number = "093.001234"
    member.save()
    services.save_period(
        instance=Exemption(
            member=member,
            reason="health",
            start=date(2026, 1, 1),
            resolution_ref="NQ 5",
        ),
        by=users.secretary,
    )
    services.save_period(
        instance=Suspension(
            member=member,
            reason="Kỷ luật",
            start=date(2025, 1, 1),
            end=date(2025, 3, 1),
        ),
        by=users.secretary,
    )
    client = english(persona_client("member"))

    # Act
    html = get_html(client, reverse("members:member-detail", args=[member.pk]))

    # Assert
    assert '<span class="badge text-bg-info">Exempted</span>' in html
    assert "Suspended</span>" not in html  # the suspension has ended
    assert "093.001234" in html
    assert "17/05/1970" in html
    party_age = today().year - 2000 - ((today().month, today().day) < (3, 3))
    assert f"{party_age} years" in html
    periods = section(html, "periods-heading")
    assert "Exemption: Weak health (NQ 5)" in periods
    assert "Suspension: Kỷ luật" in periods
    history = section(html, "history-heading")
    assert history.count("<li>") == 2
    assert "(Lê Văn Bí Thư)" in history  # who recorded it
    # a member reads but does not edit their own record
    assert reverse("members:member-edit", args=[member.pk]) not in html


def member_post_data(**overrides):
    data = {
        "full_name": "Đỗ Văn Mới",
        "gender": "male",
        "birth_date": "17/05/1990",
        "party_card_number": "093.004567",
        "status": "probationary",
        "admission_decision_date": fmt(today() - timedelta(days=40)),
        "admission_date": fmt(today() - timedelta(days=20)),
        "official_date": "",
        "party_group": "",
        "phone": "0912 345 678",
        "email": "domoi@example.vn",
        "residence": "Khối phố 5, phường Thử",
        "workplace": "Trường THCS Thử",
    }
    data.update(overrides)
    return data


def test_member_create_saves_member_and_history(tree, users, persona_client):
    # Arrange
    url = reverse("members:member-create", args=[tree.cell.pk])
    data = member_post_data(full_name="  Đỗ   Văn  Mới ")

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == tree.cell.get_absolute_url()
    member = Member.objects.get(full_name="Đỗ Văn Mới")
    assert (
        member.organization,
        member.gender,
        member.birth_date,
        member.party_card_number,
        member.status,
        member.admission_decision_date,
        member.admission_date,
        member.official_date,
        member.phone,
        member.email,
        member.residence,
        member.workplace,
        member.is_active,
    ) == (
        tree.cell,
        "male",
        date(1990, 5, 17),
        "093.004567",
        MemberStatus.PROBATIONARY,
        today() - timedelta(days=40),
        today() - timedelta(days=20),
        None,
        "0912 345 678",
        "domoi@example.vn",
        "Khối phố 5, phường Thử",
        "Trường THCS Thử",
        True,
    )
    assert events_of(member) == [
        (EventKind.ADMITTED, today() - timedelta(days=20), "", "secretary"),
        (EventKind.JOINED_CELL, today(), "Chi bộ Khối phố 5", "secretary"),
    ]


def test_member_create_official_records_recognition(tree, group, persona_client):
    # Arrange
    url = reverse("members:member-create", args=[tree.cell.pk])
    data = member_post_data(
        status="official",
        admission_decision_date="01/02/2010",
        admission_date="15/02/2010",
        official_date="15/02/2011",
        party_group=str(group.pk),
    )

    # Act
    response = english(persona_client("committee")).post(url, data, follow=True)

    # Assert
    assert response.redirect_chain == [(tree.cell.get_absolute_url(), 302)]
    assert "Đỗ Văn Mới was added to the cell." in response.content.decode()
    member = Member.objects.get(full_name="Đỗ Văn Mới")
    assert member.party_group == group
    assert member.is_official
    assert [(kind, day) for kind, day, _note, _by in events_of(member)] == [
        (EventKind.ADMITTED, date(2010, 2, 15)),
        (EventKind.RECOGNISED, date(2011, 2, 15)),
        (EventKind.JOINED_CELL, today()),
    ]
    assert "Đỗ Văn Mới" in member_list_names(response.content.decode())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"full_name": ""}, "full_name", id="missing-name"),
        pytest.param({"full_name": "   "}, "full_name", id="blank-name"),
        pytest.param(
            {"birth_date": "FUTURE"},
            "birth_date",
            id="future-birth-date",
        ),
        pytest.param(
            {"party_card_number": "010203"}, "party_card_number", id="dup-card"
        ),
        pytest.param({"birth_date": "31/02/2020"}, "birth_date", id="impossible-date"),
        pytest.param({"email": "not-an-email"}, "email", id="bad-email"),
        pytest.param(
            {"admission_decision_date": "20/02/2020", "admission_date": "10/02/2020"},
            "admission_date",
            id="ceremony-before-decision",
        ),
        pytest.param(
            {"status": "official", "official_date": ""},
            "official_date",
            id="official-without-recognition-date",
        ),
    ],
)
def test_member_create_bad_data_rerenders_with_typed_values(
    tree, persona_client, overrides, field
):
    # Arrange
    MemberFactory(organization=tree.other_cell, party_card_number="010203")
    url = reverse("members:member-create", args=[tree.cell.pk])
    if overrides.get("birth_date") == "FUTURE":
        overrides = {"birth_date": fmt(today() + timedelta(days=1))}
    data = member_post_data(**overrides)
    before = (Member.objects.count(), MemberEvent.objects.count())

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {field}
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    for name, value in data.items():
        if name in {"gender", "status"}:
            assert f'<option value="{value}" selected>' in html
        elif value.strip():
            assert f'name="{name}" value="{value}"' in html, name
    assert (Member.objects.count(), MemberEvent.objects.count()) == before


def test_member_create_refuses_recognition_before_probation_ends(tree, persona_client):
    # Arrange
    url = reverse("members:member-create", args=[tree.cell.pk])
    data = member_post_data(
        status="official",
        admission_decision_date="01/12/2024",
        admission_date="15/01/2025",
        official_date="15/02/2025",  # one month into a 12-month probation
    )

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"official_date"}
    assert "15/01/2026" in response.context["form"].errors["official_date"][0]
    assert not Member.objects.filter(full_name="Đỗ Văn Mới").exists()


def test_member_edit_saves_changes_and_recognition(tree, persona_client):
    # Arrange
    member = probationary(tree.cell, "Bùi Thị Dự Bị", date(2025, 10, 1))
    url = reverse("members:member-edit", args=[member.pk])
    data = member_post_data(
        full_name="Bùi Thị Dự Bị",
        party_card_number="",
        birth_date="17/05/1970",
        admission_decision_date="",
        admission_date="01/10/2025",
        status="official",
        official_date="02/10/2026",
    )

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()
    member.refresh_from_db()
    assert (member.status, member.official_date, member.phone) == (
        MemberStatus.OFFICIAL,
        date(2026, 10, 2),
        "0912 345 678",
    )
    kinds = [kind for kind, *_rest in events_of(member)]
    assert kinds[0] == EventKind.RECOGNISED


def test_member_edit_history_names_only_the_changed_field(tree, persona_client):
    # Arrange
    member = tree.member
    url = reverse("members:member-edit", args=[member.pk])
    data = {
        "full_name": member.full_name,
        "gender": "",
        "birth_date": fmt(member.birth_date),
        "party_card_number": "",
        "status": "official",
        "admission_decision_date": "",
        "admission_date": fmt(member.admission_date),
        "official_date": fmt(member.official_date),
        "party_group": "",
        "phone": "0987 000 111",
        "email": "",
        "residence": "",
        "workplace": "",
    }

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    assert [(kind, note) for kind, _day, note, _by in events_of(member)] == [
        (EventKind.UPDATED, "phone")
    ]
