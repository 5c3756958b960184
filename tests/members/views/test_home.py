"""The home page per persona: managed cells, own cell, subtree counts, followed cells.

Content assertions use data (names, numbers), URLs and element ids; where a label is
checked the client asks for English (`english()`), never Vietnamese.
"""

import re

from django.urls import reverse

from members import domain
from tests.factories import UserFactory
from tests.factories.members import probationary
from tests.factories.times import today
from tests.support.pages import english, get_html, section, stat_values


def test_home_secretary_sees_managed_cell_with_counts(tree, persona_client):
    # Arrange
    probationary(tree.cell, "Bùi Thị Dự Bị", domain.add_months(today(), -3))
    client = english(persona_client("secretary"))

    # Act
    html = get_html(client, reverse("home"))

    # Assert
    managed = section(html, f"managed-{tree.cell.pk}")
    assert "The cell I manage: Chi bộ Khối phố 5" in managed
    # total, official, probationary, exempted, suspended, transferred out
    assert stat_values(html, f"managed-{tree.cell.pk}") == [6, 5, 1, 0, 0, 0]
    assert reverse("members:member-create", args=[tree.cell.pk]) in managed
    assert "No alerts for this cell." in managed
    assert 'id="my-cell"' not in html
    assert 'id="committee-' not in html
    assert 'id="supervised"' not in html
    assert 'id="roots"' not in html


def test_home_member_sees_my_cell_and_its_officers(tree, persona_client):
    # Arrange
    client = english(persona_client("member"))

    # Act
    html = get_html(client, reverse("home"))

    # Assert
    mine = section(html, "my-cell")
    assert "My cell: Chi bộ Khối phố 5" in mine
    assert stat_values(html, "my-cell") == [5, 5, 0, 0, 0, 0]
    assert "Cell officers" in mine
    assert "Lê Văn Bí Thư (secretary)" in mine
    assert 'id="managed-' not in html
    assert reverse("members:member-create", args=[tree.cell.pk]) not in html
    assert 'id="committee-' not in html


def test_home_committee_sees_subtree_counts(tree, persona_client):
    # Arrange
    client = english(persona_client("committee"))

    # Act
    html = get_html(client, reverse("home"))

    # Assert
    committee = section(html, f"committee-{tree.ward.pk}")
    assert "Đảng bộ phường Thử" in committee
    assert "2 cells, 7 active members in the subtree." in committee
    assert re.findall(
        r'>([^<]+)</a></td>.*?<td class="text-end">(\d+)</td>'
        r'<td class="text-end">(\d+)</td>',
        committee,
    ) == [("Chi bộ Khối phố 2", "1", "2"), ("Chi bộ Khối phố 5", "1", "5")]
    assert "My cell: Chi bộ Khối phố 2" in section(html, "my-cell")
    assert 'id="managed-' not in html


def test_home_supervisor_sees_followed_cells(tree, persona_client):
    # Arrange
    client = english(persona_client("supervisor"))

    # Act
    html = get_html(client, reverse("home"))

    # Assert
    followed = section(html, "supervised")
    assert "Cells I am assigned to follow" in followed
    assert f'<a href="{tree.cell.get_absolute_url()}">Chi bộ Khối phố 5</a>' in followed
    assert "My cell: Chi bộ Khối phố 2" in section(html, "my-cell")
    assert 'id="managed-' not in html


def test_home_outsider_sees_only_own_cell(tree, persona_client):
    # Act
    html = get_html(english(persona_client("outsider")), reverse("home"))

    # Assert
    assert "My cell: Chi bộ Khoa Nội" in section(html, "my-cell")
    for name in ("Chi bộ Khối phố 5", "Chi bộ Khối phố 2", "Đảng bộ phường Thử"):
        assert name not in html
    assert 'id="supervised"' not in html
    assert 'id="roots"' not in html


def test_home_admin_sees_top_level_organisations(tree, persona_client):
    # Act
    html = get_html(english(persona_client("admin")), reverse("home"))

    # Assert
    roots = section(html, "roots")
    assert re.findall(r'<a href="/org/\d+/">([^<]+)</a>', roots) == ["Đảng bộ tỉnh Thử"]
    assert reverse("members:org-create-root") in roots
    assert 'id="my-cell"' not in html


def test_home_unlinked_account_is_told_to_ask_the_administrator(tree, client):
    # Arrange
    client.force_login(UserFactory(username="unlinked"))

    # Act
    html = get_html(english(client), reverse("home"))

    # Assert
    assert "Your account is not linked to a party member record yet." in html
    assert tree.cell.name not in html
