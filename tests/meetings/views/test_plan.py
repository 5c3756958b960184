"""The yearly plan page and creating a meeting."""

from meetings.models import (
    Meeting,
)
from tests.factories.meetings import make_meeting
from tests.factories.times import at
from tests.support.pages import body, english, meeting_url


def test_plan_of_a_committee_is_404(committee_client, tree):
    # Act
    response = committee_client.get(meeting_url("plan", tree.ward.pk))

    # Assert
    assert response.status_code == 404


def test_plan_page_lists_the_generated_meetings(secretary_client, tree):
    # Arrange
    english(secretary_client)
    secretary_client.post(meeting_url("plan", tree.cell.pk) + "?year=2026")

    # Act
    response = secretary_client.get(meeting_url("plan", tree.cell.pk) + "?year=2026")

    # Assert
    html = body(response)
    meetings = Meeting.objects.filter(cell=tree.cell).order_by("starts_at", "pk")
    assert meetings.count() == 17  # with the year-end review
    positions = [html.index(f'href="{m.get_absolute_url()}"') for m in meetings]
    assert positions == sorted(positions)  # in date order
    assert "Regular meeting of 11/2026" in html
    assert "Thematic meeting, quarter 4/2026" in html
    assert "Quarters without a thematic meeting" not in html
    assert html.count("<tr") == 18  # header + 17 meetings


def test_plan_page_warns_about_quarters_without_thematic(member_client, tree):
    # Arrange
    make_meeting(tree.cell, starts_at=at(2026, 5, 10), kind="thematic")
    make_meeting(tree.cell, starts_at=at(2026, 1, 3))
    english(member_client)

    # Act
    response = member_client.get(meeting_url("plan", tree.cell.pk) + "?year=2026")

    # Assert
    assert "Quarters without a thematic meeting: 1, 3, 4" in body(response)
    assert 'id="generate-plan"' not in body(response)


def test_plan_page_bad_year_falls_back_to_this_year(member_client, tree):
    # Act
    response = member_client.get(meeting_url("plan", tree.cell.pk) + "?year=abc")

    # Assert
    assert response.status_code == 200
    assert response.context["year"] == response.context["years"][1]
    assert 2000 <= response.context["year"] <= 2100


def test_meeting_create_with_a_bad_date_keeps_typed_values(secretary_client, tree):
    # Arrange
    english(secretary_client)

    # Act
    response = secretary_client.post(
        meeting_url("meeting-create", tree.cell.pk),
        {"kind": "extraordinary", "starts_at": "31/02/2026 25:00", "topic": "Kết nạp"},
    )

    # Assert
    assert response.status_code == 200
    assert "Enter a valid date/time." in body(response)
    assert 'value="Kết nạp"' in body(response)
    assert not Meeting.objects.exists()
