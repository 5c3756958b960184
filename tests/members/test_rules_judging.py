"""The audited unit does not relax its own criteria: rules that judge a cell and its
rubric are set by a committee above it; the cell's officers see them read-only."""

import pytest
from django.urls import reverse
from django.utils import translation

from members.models import RuleKey, RuleSetting

pytestmark = pytest.mark.django_db


def post_rule(client, org, key, value):
    return client.post(
        reverse("members:org-rules", args=[org.pk]),
        {"key": key, "value": value, "valid_from": "01/01/2026", "source": ""},
    )


@pytest.mark.parametrize(
    "key",
    [
        RuleKey.EXCELLENT_QUOTA,
        RuleKey.MIN_ATTENDANCE,
        RuleKey.REPORT_DEADLINE_DAY,
        RuleKey.NOTICE_DAYS,
    ],
)
def test_a_cell_secretary_cannot_set_a_judging_rule(tree, persona_client, key):
    with translation.override("vi"):
        response = post_rule(persona_client("secretary"), tree.cell, key, "5")

    assert response.status_code == 200  # the form again, with the key refused
    assert "key" in response.context["form"].errors
    assert not RuleSetting.objects.filter(organization=tree.cell, key=key).exists()


def test_a_cell_secretary_still_sets_the_meeting_time(tree, persona_client):
    response = post_rule(
        persona_client("secretary"), tree.cell, RuleKey.MEETING_TIME, "19:30"
    )

    assert response.status_code == 302
    assert (
        RuleSetting.objects.get(organization=tree.cell, key=RuleKey.MEETING_TIME).value
        == "19:30"
    )


def test_the_committee_above_sets_the_cells_judging_rule(tree, persona_client):
    response = post_rule(
        persona_client("committee"), tree.cell, RuleKey.EXCELLENT_QUOTA, "15"
    )

    assert response.status_code == 302
    assert (
        RuleSetting.objects.get(
            organization=tree.cell, key=RuleKey.EXCELLENT_QUOTA
        ).value
        == 15
    )


def test_the_secretary_sees_judging_rules_read_only(tree, persona_client):
    with translation.override("vi"):
        page = persona_client("secretary").get(
            reverse("members:org-rules", args=[tree.cell.pk])
        )

    keys = [key for key, _label in page.context["form"].fields["key"].choices]
    assert RuleKey.MEETING_TIME in keys
    assert RuleKey.EXCELLENT_QUOTA not in keys
    assert RuleKey.MIN_ATTENDANCE not in keys


def test_clearing_a_judging_rule_is_refused_to_the_cell(tree, persona_client):
    RuleSetting.objects.create(
        organization=tree.cell,
        key=RuleKey.MIN_ATTENDANCE,
        value=50,
        valid_from="2026-01-01",
    )

    response = persona_client("secretary").post(
        reverse("members:org-rule-clear", args=[tree.cell.pk, RuleKey.MIN_ATTENDANCE])
    )

    assert response.status_code == 403
    assert RuleSetting.objects.filter(
        organization=tree.cell, key=RuleKey.MIN_ATTENDANCE
    ).exists()


def test_the_rubric_is_read_only_for_the_cell(tree, persona_client):
    url = reverse("evaluations:rubric-settings", args=[tree.cell.pk])

    page = persona_client("secretary").get(url)
    refused = persona_client("secretary").post(url, {})
    committee = persona_client("committee").get(url)

    assert page.status_code == 200
    assert 'id="rubric-read-only"' in page.text
    assert 'id="rubric-form"' not in page.text
    assert refused.status_code == 403
    assert 'id="rubric-form"' in committee.text
