"""Monthly member ratings: proposal from the month's facts, confirm or adjust with a
reason, members see their own; the annual rating with exclusions and the quota."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from evaluations import selectors, services
from evaluations.models import MonthlyRating
from meetings import services as meeting_services
from members.models import RuleSetting
from tests.factories import MemberFactory
from tests.factories.evaluations import october_and_november
from tests.factories.meetings import attendance_rows
from tests.factories.members import exempt, suspended
from tests.support.pages import evaluation_url

pytestmark = pytest.mark.django_db


def reviewed_november(tree):
    _october, november, first, second = october_and_november(tree)
    overrides = {
        tree.member: {"status": "present", "spoke": True},
        tree.others[0]: {"status": "absent_unexcused"},
        tree.others[1]: {"status": "absent_excused", "reason": "Công tác"},
    }
    meeting_services.record_attendance(
        meeting=november, rows=attendance_rows(november, overrides), by=None
    )
    services.review_tasks(
        meeting=november,
        outcomes={first.pk: ("exceeded", ""), second.pk: ("done_on_time", "")},
    )
    return november


def test_sheet_prefills_from_attendance_speaking_and_tasks(tree):
    november = reviewed_november(tree)
    sheet = {
        row["member"].pk: row for row in selectors.monthly_sheet(november)["sheet"]
    }
    assert sheet[tree.member.pk]["proposed"] == "excellent"  # present, spoke, exceeded
    assert sheet[tree.others[0].pk]["proposed"] == "not_completed"  # unexcused
    assert sheet[tree.others[1].pk]["proposed"] == "completed"  # excused
    assert sheet[tree.secretary.pk]["proposed"] == "good"  # present, no task
    assert sheet[tree.member.pk]["tally"]["exceeded"] == 1


def test_confirm_and_adjust_with_reason(tree):
    november = reviewed_november(tree)
    with pytest.raises(ValidationError) as error:
        services.confirm_monthly_ratings(
            meeting=november, levels={tree.member.pk: ("good", "")}
        )
    assert f"reason-{tree.member.pk}" in error.value.error_dict
    assert not MonthlyRating.objects.exists()
    services.confirm_monthly_ratings(
        meeting=november,
        levels={
            tree.member.pk: ("good", "Cần chủ động hơn"),
            tree.secretary.pk: ("good", ""),
        },
    )
    rating = MonthlyRating.objects.get(member=tree.member)
    assert (rating.proposed, rating.level, rating.reason) == (
        "excellent",
        "good",
        "Cần chủ động hơn",
    )
    assert rating.month == date(2026, 11, 1)
    assert rating.facts["spoke"] is True
    assert len(rating.facts["tasks"]) == 2


def test_monthly_rating_setting_off(tree):
    RuleSetting.objects.create(
        organization=tree.cell,
        key="monthly_rating",
        value=False,
        valid_from=date(2020, 1, 1),
    )
    november = reviewed_november(tree)
    with pytest.raises(ValidationError):
        services.confirm_monthly_ratings(
            meeting=november, levels={tree.secretary.pk: ("good", "")}
        )


def test_pages_secretary_confirms_member_sees_own(
    tree, secretary_client, member_client
):
    november = reviewed_november(tree)
    page = secretary_client.get(
        evaluation_url("monthly-ratings", november.pk)
    ).content.decode()
    assert tree.member.full_name in page
    data = {
        f"level-{m.pk}": "good" for m in [tree.secretary, tree.member, *tree.others]
    }
    data[f"level-{tree.others[0].pk}"] = "not_completed"
    data[f"level-{tree.others[1].pk}"] = "completed"
    bad = secretary_client.post(evaluation_url("monthly-ratings", november.pk), data)
    assert bad.status_code == 422  # member's proposal was excellent: reason needed
    data[f"reason-{tree.member.pk}"] = "Chưa chủ động"
    assert (
        secretary_client.post(
            evaluation_url("monthly-ratings", november.pk), data
        ).status_code
        == 302
    )
    assert MonthlyRating.objects.count() == 5
    home = member_client.get("/").content.decode()
    assert "11/2026" in home
    mine = member_client.get(evaluation_url("my-ratings")).content.decode()
    assert "Chưa chủ động" in mine
    assert tree.others[0].full_name not in mine


@pytest.mark.parametrize("extra", [0, 5])
def test_rating_pages_query_count_constant(
    tree, secretary_client, member_client, django_assert_num_queries, extra
):
    MemberFactory.create_batch(extra, organization=tree.cell)
    november = reviewed_november(tree)
    services.confirm_monthly_ratings(
        meeting=november, levels={tree.member.pk: ("excellent", "")}
    )
    secretary_client.get(evaluation_url("monthly-ratings", november.pk))
    with django_assert_num_queries(12):
        secretary_client.get(evaluation_url("monthly-ratings", november.pk))
    with django_assert_num_queries(8):
        member_client.get(evaluation_url("my-ratings"))


# --- annual rating -------------------------------------------------------------------


def test_annual_sheet_excludes_exempt_and_suspended(tree):

    gone = exempt(tree.cell, "Cụ Miễn")
    paused = suspended(tree.cell, "Ông Đình Chỉ")
    sheet = selectors.annual_sheet(tree.cell, 2026)
    rated = {row["member"].pk for row in sheet["rows"]}
    assert gone.pk not in rated
    assert paused.pk not in rated
    assert {m.pk for m in sheet["excluded"]} == {gone.pk, paused.pk}
    with pytest.raises(ValidationError):
        services.save_annual_ratings(
            cell=tree.cell,
            year=2026,
            rows={gone.pk: {"self_score": "95"}},
            can_decide=False,
        )


def test_annual_rating_from_score_and_year_tasks(tree):
    reviewed_november(tree)  # member: 2 tasks, on time, 1 exceeded (50%)
    services.save_annual_ratings(
        cell=tree.cell,
        year=2026,
        can_decide=False,
        rows={
            tree.member.pk: {"self_score": "92", "proposed_level": "excellent"},
            tree.others[0].pk: {"self_score": "95"},
            None: {"self_score": "88"},
        },
    )
    sheet = selectors.annual_sheet(tree.cell, 2026)
    rows = {row["member"].pk: row for row in sheet["rows"]}
    assert rows[tree.member.pk]["suggested"] == "excellent"
    assert rows[tree.member.pk]["tally"]["exceeded"] == 1
    # others[0] shares the second task, done on time, none exceeded -> good
    assert rows[tree.others[0].pk]["suggested"] == "good"
    assert sheet["cell_rating"].self_score == 88


def test_quota_warning_per_grassroots_organisation(tree):
    for member in [tree.member, tree.secretary]:
        services.save_annual_ratings(
            cell=tree.cell,
            year=2026,
            can_decide=True,
            rows={
                member.pk: {
                    "self_score": "95",
                    "proposed_level": "excellent",
                    "decided_level": "excellent",
                }
            },
        )
    services.save_annual_ratings(
        cell=tree.cell,
        year=2026,
        can_decide=True,
        rows={m.pk: {"self_score": "80", "decided_level": "good"} for m in tree.others},
    )
    sheet = selectors.annual_sheet(tree.cell, 2026)
    assert sheet["quota_warning"] == {"excellent": 2, "good": 3, "allowed": 0}


def test_annual_page(tree, secretary_client, committee_client):
    response = secretary_client.get(
        evaluation_url("annual-ratings", tree.cell.pk, 2026)
    )
    assert response.status_code == 200
    bad = secretary_client.post(
        evaluation_url("annual-ratings", tree.cell.pk, 2026),
        {f"score-{tree.member.pk}": "120"},
    )
    assert bad.status_code == 422
    assert 'value="120"' in bad.content.decode()
    ok = committee_client.post(
        evaluation_url("annual-ratings", tree.cell.pk, 2026),
        {f"score-{tree.member.pk}": "75", f"decided-{tree.member.pk}": "good"},
    )
    assert ok.status_code == 302
    from evaluations.models import AnnualRating

    rating = AnnualRating.objects.get(member=tree.member)
    assert (rating.self_score, rating.decided_level) == (75, "good")


@pytest.mark.parametrize("extra", [0, 5])
def test_annual_page_query_count_constant(
    tree, committee_client, django_assert_num_queries, extra
):
    MemberFactory.create_batch(extra, organization=tree.cell)
    reviewed_november(tree)
    committee_client.get(evaluation_url("annual-ratings", tree.cell.pk, 2026))
    with django_assert_num_queries(16):  # + the residence cells' comments
        committee_client.get(evaluation_url("annual-ratings", tree.cell.pk, 2026))
