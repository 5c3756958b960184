"""Creating and editing organisations and their local rule settings.

Content assertions use data (names, numbers), URLs and element ids; where a label is
checked the client asks for English (`english()`), never Vietnamese.
"""

import re

import pytest
from django.urls import reverse

from members import services
from members.models import Organization, OrgKind, RuleKey, RuleSetting
from tests.factories.times import today
from tests.support.pages import english, fmt


def test_org_create_cell_under_ward(tree, persona_client):
    # Arrange
    url = reverse("members:org-create", args=[tree.ward.pk])
    data = {
        "name": "Chi bộ Khối phố 9",
        "kind": "cell",
        "cell_type": "urban",
        "code": "CB",
        "place": "Nghệ An",
    }

    # Act
    response = persona_client("committee").post(url, data)

    # Assert
    org = Organization.objects.get(name="Chi bộ Khối phố 9")
    assert response.status_code == 302
    assert response["Location"] == org.get_absolute_url()
    assert (org.parent, org.kind, org.cell_type, org.code, org.place) == (
        tree.ward,
        OrgKind.CELL,
        "urban",
        "CB",
        "Nghệ An",
    )
    assert org.path == f"{tree.ward.path}{org.pk:08d}/"
    assert org.depth == tree.ward.depth + 1


def test_org_create_party_group_under_cell_by_admin(tree, persona_client):
    # Arrange
    url = reverse("members:org-create", args=[tree.cell.pk])

    # Act
    response = persona_client("admin").post(
        url, {"name": "Tổ đảng số 2", "kind": "party_group"}
    )

    # Assert
    assert response.status_code == 302
    group = Organization.objects.get(name="Tổ đảng số 2")
    assert (group.parent, group.kind, group.cell_type) == (
        tree.cell,
        OrgKind.PARTY_GROUP,
        "",
    )


def test_org_create_party_group_under_cell_by_secretary(tree, persona_client):
    # Arrange
    client = persona_client("secretary")
    url = reverse("members:org-create", args=[tree.cell.pk])

    # Act
    form = client.get(url)
    response = client.post(url, {"name": "Tổ đảng số 2", "kind": "party_group"})

    # Assert
    kinds = [value for value, _label in form.context["form"].fields["kind"].choices]
    assert kinds == ["party_group"]
    assert response.status_code == 302
    group = Organization.objects.get(name="Tổ đảng số 2")
    assert response["Location"] == group.get_absolute_url()
    assert (group.parent, group.kind) == (tree.cell, OrgKind.PARTY_GROUP)


@pytest.mark.parametrize(
    ("parent", "data", "field"),
    [
        pytest.param(
            "ward",
            {"name": "Chi bộ Không Loại", "kind": "cell", "cell_type": ""},
            "cell_type",
            id="cell-needs-type",
        ),
        pytest.param(
            "group",
            {"name": "Chi bộ Trong Tổ", "kind": "cell", "cell_type": "urban"},
            "kind",
            id="cell-under-party-group",
        ),
        pytest.param(
            "ward",
            {"name": "Đảng bộ Sai Chỗ", "kind": "province_committee"},
            "kind",
            id="province-under-ward",
        ),
        pytest.param(
            "cell",
            {"name": "Chi bộ Trong Chi Bộ", "kind": "cell", "cell_type": "urban"},
            "kind",
            id="cell-under-cell",
        ),
        pytest.param("ward", {"name": "", "kind": "cell"}, "name", id="no-name"),
    ],
)
def test_org_create_refuses_bad_data(tree, group, persona_client, parent, data, field):
    # Arrange
    parents = {"ward": tree.ward, "group": group, "cell": tree.cell}
    url = reverse("members:org-create", args=[parents[parent].pk])
    before = Organization.objects.count()

    # Act
    response = persona_client("committee").post(url, data)

    # Assert
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    if data["name"]:
        assert f'value="{data["name"]}"' in html
    assert Organization.objects.count() == before


def test_org_create_offers_only_kinds_allowed_under_the_parent(tree, persona_client):
    # Act
    response = persona_client("committee").get(
        reverse("members:org-create", args=[tree.ward.pk])
    )

    # Assert
    choices = [
        value for value, _label in response.context["form"].fields["kind"].choices
    ]
    assert choices == ["grassroots_committee", "cell"]


def test_org_edit_renames_and_keeps_kind(tree, persona_client):
    # Arrange
    url = reverse("members:org-edit", args=[tree.cell.pk])
    data = {
        "name": "Chi bộ Khối phố 5A",
        "kind": "province_committee",  # disabled field: ignored
        "cell_type": "rural",
        "code": "CB5",
        "place": "Vinh",
    }

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    tree.cell.refresh_from_db()
    assert (tree.cell.name, tree.cell.kind, tree.cell.cell_type, tree.cell.code) == (
        "Chi bộ Khối phố 5A",
        OrgKind.CELL,
        "rural",
        "CB5",
    )


def _rule_row(response, key):
    return next(row for row in response.context["rows"] if row["key"] == key)


def test_org_rules_set_on_ward_is_inherited_by_cell_and_cleared(tree, persona_client):
    # Arrange
    committee = english(persona_client("committee"))
    ward_rules = reverse("members:org-rules", args=[tree.ward.pk])
    cell_rules = reverse("members:org-rules", args=[tree.cell.pk])
    data = {
        "key": "meeting_day",
        "value": "5",
        "valid_from": fmt(today()),
        "source": "NQ 01-NQ/ĐU",
    }

    # Act: set
    response = committee.post(ward_rules, data)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == ward_rules
    setting = RuleSetting.objects.get(organization=tree.ward, key="meeting_day")
    assert (setting.value, setting.valid_from, setting.source) == (
        5,
        today(),
        "NQ 01-NQ/ĐU",
    )
    inherited = english(persona_client("secretary")).get(cell_rules)
    row = _rule_row(inherited, "meeting_day")
    assert (row["value"], row["set_on"], row["own"], row["source"]) == (
        5,
        tree.ward,
        False,
        "NQ 01-NQ/ĐU",
    )
    html = inherited.content.decode()
    assert re.search(
        r"<strong>5</strong></td>\s*<td>Đảng bộ phường Thử "
        rf'<span class="text-muted small">from {fmt(today())}</span>',
        html,
    )
    # the secretary cannot clear a value set above the cell
    assert reverse(
        "members:org-rule-clear", args=[tree.cell.pk, "meeting_day"]
    ) not in (html)

    # Act: clear on the ward
    cleared = committee.post(
        reverse("members:org-rule-clear", args=[tree.ward.pk, "meeting_day"])
    )

    # Assert
    assert cleared.status_code == 302
    assert not RuleSetting.objects.filter(key="meeting_day").exists()
    row = _rule_row(persona_client("secretary").get(cell_rules), "meeting_day")
    assert (row["value"], row["set_on"], row["valid_from"]) == (3, None, None)


def test_org_rules_cell_override_beats_ward(tree, persona_client):
    # Arrange
    services.set_rule(org=tree.ward, key="meeting_day", value=5, valid_from=today())
    url = reverse("members:org-rules", args=[tree.cell.pk])

    # Act
    response = persona_client("secretary").post(
        url, {"key": "meeting_day", "value": "7", "valid_from": fmt(today())}
    )

    # Assert
    assert response.status_code == 302
    cell_row = _rule_row(persona_client("secretary").get(url), "meeting_day")
    assert (cell_row["value"], cell_row["set_on"], cell_row["own"]) == (
        7,
        tree.cell,
        True,
    )
    cell2_row = _rule_row(
        persona_client("committee").get(
            reverse("members:org-rules", args=[tree.cell2.pk])
        ),
        "meeting_day",
    )
    assert (cell2_row["value"], cell2_row["set_on"]) == (5, tree.ward)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("meeting_day", "40", "Enter a number from 1 to 31."),
        ("meeting_day", "ba", "Enter a whole number."),
        ("meeting_time", "25:00", "Enter a time as HH:MM, e.g. 08:00."),
        ("monthly_rating", "maybe", "Enter yes or no."),
        ("meeting_shift", "weekend", "Choose one of: keep the day, next working day"),
    ],
)
def test_org_rules_invalid_value_is_refused(tree, persona_client, key, value, message):
    # Arrange
    url = reverse("members:org-rules", args=[tree.ward.pk])
    data = {"key": key, "value": value, "valid_from": fmt(today()), "source": "NQ 9"}

    # Act
    response = english(persona_client("committee")).post(url, data)

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"value"}
    html = response.content.decode()
    assert 'id="id_value_error"' in html
    assert message in html
    assert f'name="value" value="{value}"' in html
    assert 'name="source" value="NQ 9"' in html
    assert not RuleSetting.objects.exists()


def test_org_rules_member_sees_values_without_the_form(tree, persona_client):
    # Arrange
    services.set_rule(org=tree.cell, key="notice_days", value=5, valid_from=today())

    # Act
    response = persona_client("member").get(
        reverse("members:org-rules", args=[tree.cell.pk])
    )

    # Assert
    assert response.status_code == 200
    assert _rule_row(response, "notice_days")["value"] == 5
    html = response.content.decode()
    assert 'name="value"' not in html
    assert "/clear/" not in html


def test_org_rules_name_each_source_and_value_in_words(tree, persona_client):
    services.set_rule(
        org=tree.ward, key="meeting_shift", value="next_working_day", valid_from=today()
    )

    response = persona_client("secretary").get(
        reverse("members:org-rules", args=[tree.cell.pk])
    )

    html = response.content.decode()
    shift = _rule_row(response, "meeting_shift")
    assert (shift["value"], shift["value_label"]) == (
        "next_working_day",
        "Ngày làm việc kế tiếp",
    )
    assert "<strong>Ngày làm việc kế tiếp</strong>" in html
    quota = _rule_row(response, RuleKey.EXCELLENT_QUOTA)
    assert str(quota["source"]) == "Hướng dẫn 21-HD/BTCTW (2019), chưa xác nhận"
    assert str(_rule_row(response, "document_days")["source"]) == (
        "Hướng dẫn 42-HD/BTCTW (28/10/2025)"
    )
    for code in ("next_working_day", "[local]", "[unconfirmed]", "Seed", "DOMAIN"):
        assert f">{code}" not in html
        assert f"{code}<" not in html
    assert "Quy định địa phương (do từng tỉnh, cấp ủy quy định)" in html


def test_org_rules_shift_is_typed_in_words(tree, persona_client):
    url = reverse("members:org-rules", args=[tree.ward.pk])
    data = {
        "key": "meeting_shift",
        "value": "Ngày làm việc kế tiếp",
        "valid_from": fmt(today()),
    }

    response = persona_client("committee").post(url, data)

    assert response.status_code == 302
    assert RuleSetting.objects.get(key="meeting_shift").value == "next_working_day"
