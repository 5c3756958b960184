"""Residents linked to a cell (QĐ 213): adding them and listing the current ones.

Content assertions use data (names, numbers), URLs and element ids; where a label is
checked the client asks for English (`english()`), never Vietnamese.
"""

from datetime import date

from django.urls import reverse

from members.models import LinkedPerson
from tests.support.pages import get_html, section


def test_linked_add_records_resident(tree, persona_client):
    # Arrange
    url = reverse("members:linked-add", args=[tree.cell.pk])
    data = {
        "full_name": "Vũ Thị Cư Trú",
        "home_unit": "Chi bộ Trường THCS",
        "address": "Số 3 ngõ 5",
        "phone": "0912 000 111",
        "start": "01/01/2026",
        "end": "",
    }

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    person = LinkedPerson.objects.get()
    assert (
        person.residence_cell,
        person.full_name,
        person.home_unit,
        person.start,
    ) == (
        tree.cell,
        "Vũ Thị Cư Trú",
        "Chi bộ Trường THCS",
        date(2026, 1, 1),
    )
    html = get_html(persona_client("member"), tree.cell.get_absolute_url())
    assert "Vũ Thị Cư Trú" in section(html, "linked-heading")


def test_cell_page_lists_only_current_linked_residents(tree, persona_client):
    # Arrange
    LinkedPerson.objects.create(
        residence_cell=tree.cell,
        full_name="Vũ Thị Cư Trú",
        home_unit="Chi bộ Trường THCS",
        start=date(2025, 1, 1),
    )
    LinkedPerson.objects.create(
        residence_cell=tree.cell,
        full_name="Lý Văn Đã Chuyển",
        home_unit="Chi bộ Bệnh viện",
        start=date(2023, 1, 1),
        end=date(2024, 12, 31),
    )

    # Act
    html = get_html(persona_client("secretary"), tree.cell.get_absolute_url())

    # Assert
    linked = section(html, "linked-heading")
    assert "Vũ Thị Cư Trú" in linked
    assert "Lý Văn Đã Chuyển" not in linked
