"""The dashboard's admission-pipeline section: counts for the subtree and the period,
overdue steps today, names only within reach, constant queries."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from members.admission import services
from tests.factories import OrganizationFactory
from tests.factories.admission import admit, candidate

pytestmark = pytest.mark.usefixtures("admission_clock")


def _pipeline(tree):
    """In the cell: one open candidate (proposed 2025), one admitted on 02/06/2026
    (ceremony not yet due), one admitted 10/03/2025 without ceremony (overdue), one
    whose ceremony 20/03/2025 makes the recognition overdue."""
    candidate(tree.cell, tree, "Còn Chờ")
    for name, decided, ceremony in (
        ("Mới Kết Nạp", date(2026, 6, 2), None),
        ("Chưa Lễ", date(2025, 3, 10), None),
        ("Quá Hạn Công Nhận", date(2025, 3, 10), date(2025, 3, 20)),
    ):
        member = admit(tree, candidate(tree.cell, tree, name), decided_on=decided)
        if ceremony:
            services.record_ceremony(member=member, on=ceremony, by=None)


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_ward_dashboard_counts_the_pipeline(tree, persona_client):
    _pipeline(tree)

    response = _english(persona_client("committee")).get(
        reverse("evaluations:dashboard", args=[tree.ward.pk]), {"period": "2026"}
    )
    html = response.content.decode()

    section = html[html.index('id="pipeline"') :]
    section = section[: section.index("</section>")]
    assert 'data-figure="proposed">0<' in section  # all proposed in 2025
    assert 'data-figure="open">1<' in section
    assert 'data-figure="admitted">1<' in section  # only 02/06/2026 is in 2026
    assert 'data-figure="recognised">0<' in section
    assert (
        'data-figure="ceremonies-overdue"><span class="badge text-bg-danger">1<'
        in section
    )
    assert (
        'data-figure="recognitions-overdue"><span class="badge text-bg-danger">1<'
        in section
    )
    assert "Chưa Lễ</a> — Chi bộ Khối phố 5: ceremony overdue" in section
    assert "Quá Hạn Công Nhận</a> — Chi bộ Khối phố 5: recognition overdue" in section
    assert "Mới Kết Nạp" not in section


def test_year_2025_counts_the_older_admissions(tree, persona_client):
    _pipeline(tree)

    html = (
        _english(persona_client("committee"))
        .get(reverse("evaluations:dashboard", args=[tree.ward.pk]), {"period": "2025"})
        .content.decode()
    )

    assert 'data-figure="proposed">4<' in html
    assert 'data-figure="admitted">2<' in html


def test_pipeline_queries_do_not_grow(tree, persona_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = persona_client("committee")
    url = reverse("evaluations:dashboard", args=[tree.ward.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"period": "2026"}).status_code == 200
        return len(ctx.captured_queries)

    candidate(tree.cell, tree, "Một")
    small = count()
    _pipeline(tree)
    OrganizationFactory(name="Chi bộ Thêm", parent=tree.ward)
    large = count()

    assert small == large
