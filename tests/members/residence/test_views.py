"""Residence comments (QĐ 213): the residence cell comments once a year on each
linked resident; the workplace cell reads it in its annual rating sheet."""

from datetime import date

import pytest
from django.urls import reverse

from members.models import LinkedPerson, PositionRole, ResidenceComment
from members.residence import services
from tests.factories import MemberFactory, PositionFactory
from tests.factories.members import user_for
from tests.factories.times import at


@pytest.fixture
def linked(tree):
    return LinkedPerson.objects.create(
        residence_cell=tree.cell2,
        member=tree.outsider,
        full_name=tree.outsider.full_name,
        home_unit="Chi bộ Khoa Nội",
        start=date(2025, 1, 1),
    )


@pytest.fixture
def cell2_secretary(tree):
    secretary = MemberFactory(organization=tree.cell2, full_name="Vũ Văn Nơi Ở")
    PositionFactory(
        member=secretary, organization=tree.cell2, role=PositionRole.SECRETARY
    )
    return user_for(secretary)


def test_residence_comments_access_and_saving(
    client, tree, users, linked, cell2_secretary, clock
):
    clock(at(2026, 12, 5, 9))
    url = reverse("members:residence-comments", args=[tree.cell2.pk]) + "?year=2026"
    data = {
        "link": linked.pk,
        "exemplary_role": "Gương mẫu, gia đình văn hóa",
        "participation": "Tham gia đầy đủ sinh hoạt khu dân cư",
    }
    client.force_login(users.outsider)
    assert client.get(url).status_code == 404
    client.force_login(users.member)
    assert client.post(url, data).status_code == 404
    client.force_login(users.supervisor)  # a plain member of the residence cell
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    client.force_login(cell2_secretary)
    assert client.post(url, data).status_code == 302
    data["participation"] = "Tham gia đầy đủ"
    assert client.post(url, data).status_code == 302  # corrects, one a year

    comment = ResidenceComment.objects.get()
    assert (comment.year, comment.participation) == (2026, "Tham gia đầy đủ")
    assert comment.commented_on == date(2026, 12, 5)
    client.force_login(users.supervisor)
    html = client.get(url).content.decode()
    assert "Gương mẫu, gia đình văn hóa" in html


@pytest.mark.parametrize("count", [1, 3])
def test_residence_comments_page_constant_queries(
    client, tree, cell2_secretary, count, django_assert_num_queries
):
    for n in range(count):
        link = LinkedPerson.objects.create(
            residence_cell=tree.cell2,
            full_name=f"Người {n}",
            home_unit="Nơi khác",
            start=date(2025, 1, 1),
        )
        services.save_residence_comment(
            link=link, year=2026, exemplary_role="Tốt", participation="Đủ"
        )
    client.force_login(cell2_secretary)
    url = reverse("members:residence-comments", args=[tree.cell2.pk]) + "?year=2026"
    client.get(url)
    with django_assert_num_queries(9):
        response = client.get(url)
    html = response.content.decode()
    assert html.count("data-link=") == count
    assert html.count("Đủ</textarea>") == count


def test_workplace_cell_reads_the_comment_in_the_annual_sheet(
    client, tree, linked, clock
):
    clock(at(2026, 12, 5, 9))
    services.save_residence_comment(
        link=linked, year=2026, exemplary_role="Gương mẫu", participation="Đầy đủ"
    )
    services.save_residence_comment(
        link=linked, year=2025, exemplary_role="Năm trước", participation="—"
    )
    secretary = MemberFactory(organization=tree.other_cell)
    PositionFactory(
        member=secretary, organization=tree.other_cell, role=PositionRole.SECRETARY
    )
    client.force_login(user_for(secretary))

    response = client.get(
        reverse("evaluations:annual-ratings", args=[tree.other_cell.pk, 2026])
    )

    section = response.content.decode().split('id="residence-comments"')[1]
    assert "Gương mẫu" in section
    assert tree.cell2.name in section
    assert "Năm trước" not in section
