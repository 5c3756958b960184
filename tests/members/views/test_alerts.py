"""Alerts on the cell, ward and home pages: too few official members, no committee,
probation ending.

Content assertions use data (names, numbers), URLs and element ids; where a label is
checked the client asks for English (`english()`), never Vietnamese.
"""

import pytest
from django.urls import reverse

from members import domain
from members.models import Member, PositionRole
from tests.factories import MemberFactory, PositionFactory
from tests.factories.members import due_admission_date, probationary
from tests.factories.times import at, today
from tests.support.pages import english, fmt, get_html

ALERT_PAGES = [
    ("home", lambda tree: reverse("home")),
    ("cell", lambda tree: reverse("members:org-detail", args=[tree.cell.pk])),
]


@pytest.mark.parametrize(("page", "url_of"), ALERT_PAGES)
def test_alert_fewer_than_three_official_members(tree, persona_client, page, url_of):
    # Arrange
    Member.objects.filter(pk__in=[m.pk for m in tree.others]).update(is_active=False)

    # Act
    html = get_html(english(persona_client("secretary")), url_of(tree))

    # Assert
    assert "The cell has only 2 official members; a cell needs at least 3." in html
    assert "no elected cell committee" not in html


@pytest.mark.parametrize(("page", "url_of"), ALERT_PAGES)
@pytest.mark.parametrize(
    ("officers", "alerted"),
    [
        ((), True),
        ((PositionRole.DEPUTY_SECRETARY, PositionRole.COMMITTEE_MEMBER), False),
    ],
)
def test_alert_nine_official_members_without_committee(
    tree, persona_client, page, url_of, officers, alerted
):
    # Arrange: 5 + 4 = 9 official members, the secretary is the only officer
    MemberFactory.create_batch(4, organization=tree.cell)
    for role, holder in zip(officers, tree.others, strict=False):
        PositionFactory(member=holder, organization=tree.cell, role=role)

    # Act
    html = get_html(english(persona_client("secretary")), url_of(tree))

    # Assert
    message = (
        "The cell has 9 official members (9 or more) but no elected cell committee."
    )
    assert (message in html) is alerted
    assert "a cell needs at least 3" not in html
    if page == "home":
        assert ("No alerts for this cell." in html) is not alerted


@pytest.mark.parametrize(("page", "url_of"), ALERT_PAGES)
def test_alert_probationary_member_due_for_recognition(
    tree, persona_client, page, url_of, clock
):
    # Arrange
    clock(at(2026, 11, 5, 9))
    due = probationary(tree.cell, "Bùi Thị Sắp Đủ", due_admission_date(today()))
    probationary(tree.cell, "Cao Thị Mới Vào", domain.add_months(today(), -6))
    ends = fmt(domain.probation_end(due.admission_date))

    # Act
    html = get_html(english(persona_client("secretary")), url_of(tree))

    # Assert
    assert (
        f"Bùi Thị Sắp Đủ: probation ends {ends} — prepare the vote on official "
        "recognition." in html
    )
    # for the cell's officers the alert opens the recognition step itself
    step = reverse("members:probation", args=[due.pk])
    assert f'<a href="{step}">Open</a>' in html
    assert "Cao Thị Mới Vào: probation ends" not in html
