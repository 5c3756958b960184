"""The organisation pages: a cell (its members, filters, htmx list, offices and
actions by role), a party group, a ward, and the tree.

Content assertions use data (names, numbers), URLs and element ids; where a label is
checked the client asks for English (`english()`), never Vietnamese.
"""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from members import domain
from members.models import Exemption, LinkedPerson, Suspension
from tests.factories import MemberFactory
from tests.factories.members import probationary
from tests.factories.times import today
from tests.support.pages import between, english, get_html, member_list_names, section


def test_cell_page_lists_active_members_of_the_cell_only(world, persona_client):
    # Arrange
    tree = world.tree
    url = reverse("members:org-detail", args=[tree.cell.pk])

    # Act
    html = get_html(persona_client("member"), url)

    # Assert
    expected = sorted(
        [tree.secretary.full_name, tree.member.full_name]
        + [m.full_name for m in tree.others]
    )
    assert member_list_names(html) == expected
    assert world.inactive.full_name not in html
    assert tree.official.full_name not in html
    assert tree.outsider.full_name not in html


@pytest.fixture
def mixed_cell(tree):
    """The cell with a probationary, an exempted, a suspended and an inactive member."""
    return SimpleNamespace(
        probationary=probationary(
            tree.cell, "Bùi Thị Dự Bị", domain.add_months(today(), -3)
        ),
        exempt=Exemption.objects.create(
            member=MemberFactory(organization=tree.cell, full_name="Cao Văn Miễn"),
            reason="old_age",
            start=date(2025, 1, 1),
        ).member,
        suspended=Suspension.objects.create(
            member=MemberFactory(organization=tree.cell, full_name="Dương Văn Đình"),
            reason="Kỷ luật",
            start=date(2025, 1, 1),
        ).member,
        past_exempt=Exemption.objects.create(
            member=MemberFactory(organization=tree.cell, full_name="Giang Văn Cũ"),
            reason="health",
            start=date(2024, 1, 1),
            end=date(2024, 6, 30),
        ).member,
        inactive=MemberFactory(
            organization=tree.cell, full_name="Đinh Văn Nghỉ", is_active=False
        ),
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            "",
            {
                "all_officials",
                "Bùi Thị Dự Bị",
                "Cao Văn Miễn",
                "Dương Văn Đình",
                "Giang Văn Cũ",
            },
        ),
        (
            "official",
            {"all_officials", "Cao Văn Miễn", "Dương Văn Đình", "Giang Văn Cũ"},
        ),
        ("probationary", {"Bùi Thị Dự Bị"}),
        ("exempt", {"Cao Văn Miễn"}),
        ("suspended", {"Dương Văn Đình"}),
        ("inactive", {"Đinh Văn Nghỉ"}),
    ],
)
def test_cell_page_filters_by_status(
    tree, mixed_cell, persona_client, status, expected
):
    # Arrange
    if "all_officials" in expected:
        expected = (expected - {"all_officials"}) | {
            tree.secretary.full_name,
            tree.member.full_name,
            *(m.full_name for m in tree.others),
        }
    url = reverse("members:org-detail", args=[tree.cell.pk])

    # Act
    html = get_html(persona_client("secretary"), url, data={"status": status})

    # Assert
    assert sorted(member_list_names(html)) == sorted(expected)
    assert f'<option value="{status}" selected>' in html


def test_cell_page_searches_by_name(tree, mixed_cell, persona_client):
    # Arrange
    url = reverse("members:org-detail", args=[tree.cell.pk])

    # Act
    found = get_html(persona_client("secretary"), url, data={"q": "Đảng Viên"})
    inactive = get_html(
        persona_client("secretary"), url, data={"q": "Nghỉ", "status": ""}
    )
    combined = get_html(
        persona_client("secretary"), url, data={"q": "Văn", "status": "exempt"}
    )

    # Assert
    assert member_list_names(found) == ["Trần Thị Đảng Viên"]
    assert 'value="Đảng Viên"' in found
    assert member_list_names(inactive) == []
    assert member_list_names(combined) == ["Cao Văn Miễn"]


def test_cell_page_empty_filter_says_no_match(tree, persona_client):
    # Arrange
    url = reverse("members:org-detail", args=[tree.cell.pk])
    client = english(persona_client("secretary"))

    # Act
    html = get_html(client, url, data={"q": "Không Có Ai"})

    # Assert
    assert member_list_names(html) == []
    assert "No member matches this filter." in html


def test_cell_page_htmx_request_returns_only_the_member_list(
    tree, mixed_cell, persona_client
):
    # Arrange
    url = reverse("members:org-detail", args=[tree.cell.pk])
    headers = {"HX-Request": "true", "HX-Target": "member-list"}

    # Act
    html = get_html(
        persona_client("secretary"),
        url,
        data={"status": "probationary"},
        headers=headers,
    )

    # Assert
    assert html.strip().startswith('<div id="member-list"')
    assert html.strip().endswith("</div>")
    assert "<html" not in html
    assert 'id="member-q"' not in html  # the filter form is not repeated
    assert tree.cell.name not in html  # nor the page header
    assert member_list_names(html) == ["Bùi Thị Dự Bị"]


def test_cell_page_shows_positions_groups_linked_and_supervisor(
    tree, group, persona_client
):
    # Arrange
    tree.member.party_group = group
    tree.member.save()
    LinkedPerson.objects.create(
        residence_cell=tree.cell,
        full_name="Vũ Thị Cư Trú",
        home_unit="Chi bộ Trường THCS",
        start=date(2025, 1, 1),
    )
    client = english(persona_client("member"))

    # Act
    html = get_html(client, reverse("members:org-detail", args=[tree.cell.pk]))

    # Assert
    officers = section(html, "officers-heading")
    assert "Lê Văn Bí Thư</a> — Secretary" in officers
    assert "Hoàng Văn Theo Dõi" in section(html, "supervisors-heading")
    assert f'href="{group.get_absolute_url()}">Tổ đảng số 1<' in section(
        html, "groups-heading"
    )
    linked = section(html, "linked-heading")
    assert "Vũ Thị Cư Trú" in linked
    assert "Chi bộ Trường THCS" in linked
    row = re.search(
        r"<tr>\s*<td[^>]*><a[^>]*>Trần Thị Đảng Viên</a>.*?</tr>", html, re.S
    )
    assert "Tổ đảng số 1" in row.group(0)
    # a plain member sees no management links
    assert reverse("members:member-create", args=[tree.cell.pk]) not in html
    assert reverse("members:position-add", args=[tree.cell.pk]) not in html


@pytest.mark.parametrize(
    ("persona", "links", "absent"),
    [
        (
            "secretary",
            ["member-create", "import-upload", "export-members", "org-edit", "linked"],
            ["supervision-add"],
        ),
        (
            "committee",
            [
                "member-create",
                "import-upload",
                "export-members",
                "org-edit",
                "linked",
                "supervision-add",
            ],
            [],
        ),
        (
            "supervisor",
            [],
            ["member-create", "import-upload", "org-edit", "supervision-add"],
        ),
    ],
)
def test_cell_page_shows_actions_by_role(tree, persona_client, persona, links, absent):
    # Arrange
    pk = tree.cell.pk
    urls = {
        "member-create": reverse("members:member-create", args=[pk]),
        "import-upload": reverse("members:import-upload", args=[pk]),
        "export-members": reverse("members:export-members", args=[pk]),
        "org-edit": reverse("members:org-edit", args=[pk]),
        "linked": reverse("members:linked-add", args=[pk]),
        "supervision-add": reverse("members:supervision-add", args=[pk]),
    }

    # Act
    html = get_html(persona_client(persona), reverse("members:org-detail", args=[pk]))

    # Assert
    assert [name for name in links if urls[name] in html] == links
    assert [name for name in absent if urls[name] in html] == []


def test_party_group_page_lists_its_members(tree, group, persona_client):
    # Arrange
    tree.member.party_group = group
    tree.member.save()

    # Act
    html = get_html(
        persona_client("admin"), reverse("members:org-detail", args=[group.pk])
    )

    # Assert
    assert re.findall(
        r'<li class="list-group-item"><a href="/members/\d+/">([^<]+)</a></li>', html
    ) == ["Trần Thị Đảng Viên"]
    assert tree.cell.get_absolute_url() in html


def test_ward_page_shows_subtree_totals_children_and_officials(tree, persona_client):
    # Arrange
    client = english(persona_client("committee"))

    # Act
    html = get_html(client, reverse("members:org-detail", args=[tree.ward.pk]))

    # Assert
    assert re.findall(r'"stat-value">(\d+)<', html) == ["2", "7", "2"]
    children = section(html, "children-heading")
    assert re.findall(
        r'<a href="/org/(\d+)/">([^<]+)</a></td><td>.*?</td>'
        r'<td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>',
        children,
    ) == [
        (str(tree.cell2.pk), "Chi bộ Khối phố 2", "1", "2"),
        (str(tree.cell.pk), "Chi bộ Khối phố 5", "1", "5"),
    ]
    assert "Phạm Văn Cấp Ủy — Committee member" in section(html, "officials-heading")
    assert reverse("members:org-create", args=[tree.ward.pk]) in children


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        (
            "committee",
            [
                "Đảng bộ phường Thử",
                "Chi bộ Khối phố 5",
                "Tổ đảng số 1",
                "Chi bộ Khối phố 2",
            ],
            ["Đảng bộ tỉnh Thử", "Đảng bộ Khối Thử", "Chi bộ Khoa Nội"],
        ),
        (
            "supervisor",
            ["Chi bộ Khối phố 5", "Tổ đảng số 1", "Chi bộ Khối phố 2"],
            ["Đảng bộ phường Thử", "Chi bộ Khoa Nội"],
        ),
        (
            "member",
            ["Chi bộ Khối phố 5", "Tổ đảng số 1"],
            ["Chi bộ Khối phố 2", "Đảng bộ phường Thử", "Chi bộ Khoa Nội"],
        ),
        ("outsider", ["Chi bộ Khoa Nội"], ["Chi bộ Khối phố 5", "Đảng bộ Khối Thử"]),
        (
            "admin",
            [
                "Đảng bộ tỉnh Thử",
                "Đảng bộ phường Thử",
                "Chi bộ Khối phố 5",
                "Tổ đảng số 1",
                "Chi bộ Khối phố 2",
                "Đảng bộ Khối Thử",
                "Chi bộ Khoa Nội",
            ],
            [],
        ),
    ],
)
def test_tree_page_lists_nodes_in_reach_in_path_order(
    group, persona_client, persona, visible, hidden
):
    # Act
    html = get_html(persona_client(persona), reverse("members:org-tree"))

    # Assert
    names = re.findall(
        r'<a href="/org/\d+/">([^<]+)</a>', between(html, 'id="org-tree"', "</ul>")
    )
    assert names == visible
    assert [name for name in hidden if name in html] == []


def test_tree_page_indents_counts_and_searches(tree, group, persona_client):
    # Arrange
    client = english(persona_client("committee"))

    # Act
    html = get_html(client, reverse("members:org-tree"))
    found = get_html(client, reverse("members:org-tree"), data={"q": "phố 2"})

    # Assert
    nodes = re.findall(
        r'tree-indent-(\d+)">.*?<a href="/org/\d+/">([^<]+)</a>', html, re.S
    )
    assert nodes == [
        ("0", "Đảng bộ phường Thử"),
        ("1", "Chi bộ Khối phố 5"),
        ("2", "Tổ đảng số 1"),
        ("1", "Chi bộ Khối phố 2"),
    ]
    assert "5 members" in html
    assert "2 members" in html
    assert re.findall(
        r'<a href="/org/\d+/">([^<]+)</a>', between(found, 'id="org-tree"', "</ul>")
    ) == ["Chi bộ Khối phố 2"]
    assert 'value="phố 2"' in found
