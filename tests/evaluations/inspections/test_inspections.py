"""Inspections of cells' meetings (seed 000): the period rule, the committee's
overview flagging cells without one, and who may record one."""

from datetime import date

import pytest
from django.urls import reverse

from evaluations.inspections import services
from evaluations.inspections.rules import inspection_period
from evaluations.models import Inspection, Recommendation
from members.models import RuleKey, RuleSetting
from tests.factories import OrganizationFactory
from tests.factories.meetings import held
from tests.factories.times import at


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 6, 30), 6, (date(2026, 1, 1), date(2026, 6, 30))),
        (date(2026, 7, 1), 6, (date(2026, 7, 1), date(2026, 12, 31))),
        (date(2026, 2, 28), 3, (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 12, 31), 12, (date(2026, 1, 1), date(2026, 12, 31))),
    ],
)
def test_inspection_period(day, months, expected):
    assert inspection_period(day, months=months) == expected


def test_inspection_period_refuses_months_not_dividing_the_year():
    with pytest.raises(ValueError, match="divide"):
        inspection_period(date(2026, 1, 1), months=5)


def _inspect(tree, cell, day, meeting):
    return services.record_inspection(
        cell=cell,
        inspector=tree.official,
        inspected_on=day,
        meetings=[meeting],
        findings="Sinh hoạt nền nếp",
        recommendations=["Tăng thời lượng thảo luận"],
    )


def test_overview_flags_cells_without_inspection_in_the_half_year(
    client, tree, users, clock
):
    clock(at(2026, 11, 20, 9))
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 10, 3), chair=tree.secretary, taker=tree.member
    )
    _inspect(tree, tree.cell, date(2026, 3, 10), meeting)  # the previous half-year
    _inspect(tree, tree.cell, date(2026, 11, 5), meeting)
    client.force_login(users.committee)

    html = client.get(reverse("evaluations:inspection-overview", args=[tree.ward.pk]))
    html = html.content.decode()

    assert "01/07/2026–31/12/2026" in html
    assert 'id="missing-count">1 ' in html  # Khối phố 2
    rec = Recommendation.objects.get(
        text="Tăng thời lượng thảo luận", raised_on=date(2026, 11, 5)
    )
    assert rec.meeting == meeting
    assert rec.cell == tree.cell


def test_overview_period_is_a_setting(client, tree, users, clock):
    clock(at(2026, 11, 20, 9))
    RuleSetting.objects.create(
        organization=tree.ward,
        key=RuleKey.INSPECTION_MONTHS,
        value=3,
        valid_from=date(2026, 1, 1),
    )
    client.force_login(users.committee)
    html = client.get(reverse("evaluations:inspection-overview", args=[tree.ward.pk]))
    assert "01/10/2026–31/12/2026" in html.content.decode()


@pytest.mark.parametrize("extra_cells", [0, 28])
def test_overview_constant_queries(
    client, tree, users, clock, extra_cells, django_assert_num_queries
):
    clock(at(2026, 11, 20, 9))
    for n in range(extra_cells):
        OrganizationFactory(name=f"Chi bộ thêm {n}", parent=tree.ward)
    client.force_login(users.committee)
    url = reverse("evaluations:inspection-overview", args=[tree.ward.pk])
    client.get(url)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("table-danger") == 2 + extra_cells


def test_cell_inspections_access(client, tree, users, clock):
    clock(at(2026, 11, 20, 9))
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 10, 3), chair=tree.secretary, taker=tree.member
    )
    url = reverse("evaluations:cell-inspections", args=[tree.cell.pk])
    data = {
        "inspector": tree.official.pk,
        "inspected_on": "05/11/2026",
        "meetings": [meeting.pk],
        "findings": "Nền nếp",
        "recommendations": "Một\nHai",
    }
    client.force_login(users.outsider)
    assert client.get(url).status_code == 404
    client.force_login(users.secretary)  # reads its own cell, does not inspect it
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    client.force_login(users.committee)
    assert client.post(url, data).status_code == 302
    inspection = Inspection.objects.get()
    assert list(inspection.meetings.all()) == [meeting]
    assert [r.text for r in inspection.recommendations.order_by("pk")] == ["Một", "Hai"]
    client.force_login(users.secretary)
    html = client.get(url).content.decode()
    assert "Nền nếp" in html
    assert tree.official.full_name in html


@pytest.mark.parametrize("count", [1, 3])
def test_cell_inspections_constant_queries(
    client, tree, users, clock, count, django_assert_num_queries
):
    clock(at(2026, 11, 20, 9))
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 10, 3), chair=tree.secretary, taker=tree.member
    )
    for _n in range(count):
        _inspect(tree, tree.cell, date(2026, 11, 5), meeting)
    client.force_login(users.secretary)
    url = reverse("evaluations:cell-inspections", args=[tree.cell.pk])
    client.get(url)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("Sinh hoạt nền nếp") == count


def test_dashboard_panel_flags_cells_not_inspected(client, tree, users, clock):
    clock(at(2026, 11, 20, 9))
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 10, 3), chair=tree.secretary, taker=tree.member
    )
    _inspect(tree, tree.cell, date(2026, 11, 5), meeting)
    client.force_login(users.committee)

    page = client.get(reverse("evaluations:dashboard", args=[tree.ward.pk]))
    panel = client.get(reverse("evaluations:quality-panel", args=[tree.ward.pk]))

    assert reverse("evaluations:quality-panel", args=[tree.ward.pk]) in (
        page.content.decode()
    )
    html = panel.content.decode()
    assert 'id="inspection-flag"' in html
    assert "1 cell not inspected" in html or "1 chi bộ chưa được kiểm tra" in html
    assert "0/0" in html
    client.force_login(users.outsider)
    assert (
        client.get(
            reverse("evaluations:quality-panel", args=[tree.ward.pk])
        ).status_code
        == 404
    )
