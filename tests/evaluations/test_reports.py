"""Supervisors' reports (deadline, late/missing flags) and recommendations worked by
the committee."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from evaluations import selectors, services
from evaluations.models import Recommendation, SupervisionReport
from members import services as member_services
from members.models import RuleKey
from tests.factories import MemberFactory, OrganizationFactory, SupervisionFactory
from tests.factories.evaluations import close
from tests.factories.meetings import held
from tests.factories.times import at, freeze
from tests.support.pages import evaluation_url

pytestmark = pytest.mark.django_db

REC = {
    "text": "Tăng cường sinh hoạt chuyên đề",
    "addressee": "Đảng ủy phường",
    "responsible": "Chi ủy chi bộ",
}


def november(tree):
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 11, 3), chair=tree.secretary, taker=tree.member
    )
    close(meeting)
    return meeting


def test_file_report_due_on_the_first_tenth_after_the_meeting(tree, monkeypatch):
    meeting = november(tree)  # 3/11: due 10/11, not 10/12 (seed 004)
    freeze(monkeypatch, date(2026, 11, 10))
    report = services.file_report(
        meeting=meeting,
        supervisor=tree.supervisor,
        attended=True,
        observations="Sinh hoạt nghiêm túc",
        recommendations=[REC],
    )
    assert report.due_on == date(2026, 11, 10)
    rec = Recommendation.objects.get()
    assert (rec.cell, rec.meeting, rec.report, rec.status) == (
        tree.cell,
        meeting,
        report,
        "open",
    )
    assert rec.raised_on == date(2026, 11, 10)
    overview = selectors.reports_overview(tree.ward, year=2026, month=11)
    assert [row["status"] for row in overview["rows"]] == ["on_time"]


def test_late_and_missing_reports_flagged(tree, monkeypatch):
    meeting = november(tree)
    second = MemberFactory(organization=tree.cell2, full_name="Đỗ Văn Giám Sát")
    SupervisionFactory(supervisor=second, cell=tree.cell)
    freeze(monkeypatch, date(2026, 11, 12))  # due 10/11: filed two days late
    services.file_report(
        meeting=meeting, supervisor=tree.supervisor, attended=True, observations="Muộn"
    )
    overview = selectors.reports_overview(tree.ward, year=2026, month=11)
    statuses = {row["supervisor"].full_name: row["status"] for row in overview["rows"]}
    assert statuses == {"Hoàng Văn Theo Dõi": "late", "Đỗ Văn Giám Sát": "missing"}
    assert overview["flagged"] == 2


def test_report_deadline_day_is_a_setting(tree, monkeypatch):
    from members.models import RuleSetting

    RuleSetting.objects.create(
        organization=tree.ward,
        key="report_deadline_day",
        value=5,
        valid_from=date(2020, 1, 1),
    )
    meeting = november(tree)
    report = services.file_report(
        meeting=meeting, supervisor=tree.supervisor, attended=False, observations="x"
    )
    assert report.due_on == date(2026, 11, 5)


def test_overview_of_a_ward_uses_each_cells_own_deadline(tree, monkeypatch):
    """The ward keeps the 10th; the cell below sets the 5th: a missing report of the
    cell is missing from 6 November, judged by the cell's rule, not the ward's."""
    from members.models import RuleSetting

    RuleSetting.objects.create(
        organization=tree.cell,
        key="report_deadline_day",
        value=5,
        valid_from=date(2020, 1, 1),
    )
    november(tree)
    freeze(monkeypatch, date(2026, 11, 5))
    overview = selectors.reports_overview(tree.ward, year=2026, month=11)
    assert [row["status"] for row in overview["rows"]] == ["pending"]
    freeze(monkeypatch, date(2026, 11, 6))
    overview = selectors.reports_overview(tree.ward, year=2026, month=11)
    assert [row["status"] for row in overview["rows"]] == ["missing"]


def test_only_assigned_supervisor_files(tree):
    meeting = november(tree)
    with pytest.raises(ValidationError):
        services.file_report(
            meeting=meeting, supervisor=tree.official, attended=True, observations="x"
        )
    with pytest.raises(ValidationError) as error:
        services.file_report(
            meeting=meeting,
            supervisor=tree.supervisor,
            attended=True,
            observations="x",
            recommendations=[
                {"text": "Thiếu người phụ trách", "addressee": "", "responsible": ""}
            ],
        )
    assert "recommendations" in error.value.error_dict
    assert not SupervisionReport.objects.exists()
    assert not Recommendation.objects.exists()


def test_recommendation_lifecycle(tree):
    meeting = november(tree)
    services.file_report(
        meeting=meeting,
        supervisor=tree.supervisor,
        attended=True,
        observations="x",
        recommendations=[REC],
    )
    rec = Recommendation.objects.get()
    with pytest.raises(ValidationError):
        services.respond_recommendation(
            recommendation=rec, status="resolved", response=""
        )
    rec = services.respond_recommendation(
        recommendation=rec, status="in_progress", response="Đang triển khai"
    )
    assert rec.responded_on is not None
    assert rec.closed_on is None
    rec = services.respond_recommendation(
        recommendation=rec, status="resolved", response="Đã tổ chức chuyên đề"
    )
    assert rec.closed_on is not None
    with pytest.raises(ValidationError):
        services.respond_recommendation(recommendation=rec, status="open", response="x")


def test_overdue_recommendations_flagged(tree, monkeypatch):
    meeting = november(tree)
    services.file_report(
        meeting=meeting,
        supervisor=tree.supervisor,
        attended=True,
        observations="x",
        recommendations=[REC],
    )
    rec = Recommendation.objects.get()
    Recommendation.objects.filter(pk=rec.pk).update(raised_on=date(2026, 10, 1))
    freeze(monkeypatch, date(2026, 10, 31))
    assert selectors.recommendations_for_org(tree.ward)["overdue"] == 0  # day 30
    freeze(monkeypatch, date(2026, 11, 1))
    assert selectors.recommendations_for_org(tree.ward)["overdue"] == 1


@pytest.mark.parametrize(
    ("days", "overdue_on"),
    [(10, date(2026, 10, 12)), (45, date(2026, 11, 16))],
)
def test_recommendation_days_is_a_setting_inherited_from_above(
    tree, monkeypatch, days, overdue_on
):
    """recommendation_days set on the province applies to its cells (list flag and
    detail page alike); a value set lower down wins."""
    meeting = november(tree)
    services.file_report(
        meeting=meeting,
        supervisor=tree.supervisor,
        attended=True,
        observations="x",
        recommendations=[REC],
    )
    rec = Recommendation.objects.get()
    Recommendation.objects.filter(pk=rec.pk).update(raised_on=date(2026, 10, 1))
    member_services.set_rule(
        org=tree.province,
        key=RuleKey.RECOMMENDATION_DAYS,
        value=days,
        valid_from=date(2026, 1, 1),
    )
    assert selectors.recommendation_days(tree.cell) == days
    freeze(monkeypatch, overdue_on - timedelta(days=1))  # day `days`: not yet
    listed = selectors.recommendations_for_org(tree.ward)
    assert (listed["overdue"], listed["days"]) == (0, days)
    assert listed["recommendations"][0].is_overdue is False
    freeze(monkeypatch, overdue_on)
    listed = selectors.recommendations_for_org(tree.ward)
    assert listed["overdue"] == 1
    assert listed["recommendations"][0].is_overdue is True
    # The cell's own value overrides the province's.
    member_services.set_rule(
        org=tree.cell,
        key=RuleKey.RECOMMENDATION_DAYS,
        value=days + 1,
        valid_from=date(2026, 1, 1),
    )
    assert selectors.recommendations_for_org(tree.ward)["overdue"] == 0
    assert selectors.recommendation_days(tree.cell) == days + 1
    assert selectors.recommendation_days(tree.cell2) == days


def test_report_and_recommendation_pages(
    tree, supervisor_client, committee_client, secretary_client
):
    meeting = november(tree)
    page = supervisor_client.get(evaluation_url("report-file", meeting.pk))
    assert page.status_code == 200
    bad = supervisor_client.post(
        evaluation_url("report-file", meeting.pk), {"summary": "Đã gõ"}
    )
    assert bad.status_code == 422
    assert "Đã gõ" in bad.content.decode()
    response = supervisor_client.post(
        evaluation_url("report-file", meeting.pk),
        {
            "attended": "on",
            "observations": "Tốt",
            "rec-0-text": REC["text"],
            "rec-0-addressee": REC["addressee"],
            "rec-0-responsible": REC["responsible"],
        },
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    listing = committee_client.get(
        evaluation_url("recommendation-list", tree.ward.pk)
    ).content.decode()
    assert REC["text"] in listing
    response = committee_client.post(
        evaluation_url("recommendation-detail", rec.pk),
        {"status": "resolved", "response": "Đã xử lý"},
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.status, rec.response) == ("resolved", "Đã xử lý")
    assert (
        secretary_client.post(
            evaluation_url("recommendation-detail", rec.pk),
            {"status": "open", "response": ""},
        ).status_code
        == 403
    )


@pytest.mark.parametrize("cells", [1, 4])
def test_report_pages_query_count_constant(
    tree, committee_client, django_assert_num_queries, cells
):
    meetings = [november(tree)]
    for index in range(cells - 1):
        cell = OrganizationFactory(name=f"Chi bộ {index}", parent=tree.ward)
        secretary = MemberFactory(organization=cell)
        MemberFactory.create_batch(3, organization=cell)
        SupervisionFactory(supervisor=tree.supervisor, cell=cell)
        m, _ = held(cell, starts_at=at(2026, 11, 3), chair=secretary, taker=secretary)
        close(m)
        meetings.append(m)
    for m in meetings:
        services.file_report(
            meeting=m,
            supervisor=tree.supervisor,
            attended=True,
            observations="x",
            recommendations=[REC],
        )
    committee_client.get(
        evaluation_url("reports-overview", tree.ward.pk) + "?month=2026-11"
    )
    with django_assert_num_queries(11):
        page = committee_client.get(
            evaluation_url("reports-overview", tree.ward.pk) + "?month=2026-11"
        )
    assert page.content.decode().count("table-danger") == 0
    with django_assert_num_queries(9):
        committee_client.get(evaluation_url("recommendation-list", tree.ward.pk))
    report = SupervisionReport.objects.first()
    with django_assert_num_queries(9):
        committee_client.get(evaluation_url("report-detail", report.pk))


def test_reports_overview_month_is_typed_as_on_the_picker(tree, persona_client):
    # The month field is a text field for the Vietnamese picker: mm/yyyy (and the
    # old yyyy-mm) both choose the month; the page shows mm/yyyy back.
    client = persona_client("committee")
    overview = evaluation_url("reports-overview", tree.ward.pk)

    picked = client.get(overview, {"month": "03/2026"})
    typed = client.get(overview, {"month": "2026-03"})

    for response in (picked, typed):
        html = response.content.decode()
        assert response.context["month"].isoformat() == "2026-03-01"
        assert 'value="03/2026"' in html
        assert 'type="month"' not in html
        assert "js-month" in html
