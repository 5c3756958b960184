"""Excuse requests and the attendance sheet (with its htmx fragment)."""

from meetings.models import (
    Attendance,
    ExcuseRequest,
)
from tests.factories.meetings import tree_held, tree_meeting
from tests.meetings.views.forms import attendance_post
from tests.support.pages import body, english, meeting_url


def test_attendance_htmx_returns_only_the_counts(secretary_client, tree):
    # Arrange
    meeting, _minutes = tree_held(tree)
    data = attendance_post(
        meeting,
        {
            tree.member: {"status": "absent_unexcused"},
            tree.others[0]: {"spoke": "on"},
            tree.others[1]: {"spoke": "on"},
        },
    )

    # Act
    response = secretary_client.post(
        meeting_url("attendance", meeting.pk), data, HTTP_HX_REQUEST="true"
    )

    # Assert
    html = body(response).strip()
    assert response.status_code == 200
    assert html.startswith('<div id="attendance-counts" aria-live="polite">')
    assert "<form" not in html
    assert "<html" not in html
    values = [
        part.split("</span>")[0] for part in html.split('class="stat-value">')[1:]
    ]
    assert values == ["4/5", "80%", "0", "1", "50%"]
    assert Attendance.objects.get(meeting=meeting, member=tree.member).status == (
        "absent_unexcused"
    )


def test_attendance_htmx_invalid_keeps_data_and_says_not_saved(secretary_client, tree):
    # Arrange
    meeting, _minutes = tree_held(tree)
    english(secretary_client)
    data = attendance_post(meeting, {tree.member: {"status": "absent_excused"}})

    # Act
    htmx = secretary_client.post(
        meeting_url("attendance", meeting.pk), data, HTTP_HX_REQUEST="true"
    )
    full = secretary_client.post(meeting_url("attendance", meeting.pk), data)

    # Assert
    assert htmx.status_code == 200
    assert "Not saved yet: give the reason of each excused absence." in body(htmx)
    assert full.status_code == 200
    assert "Give the reason." in body(full)
    assert (
        '<option value="absent_excused" selected>Absent with reason</option>'
        in body(full)
    )
    assert Attendance.objects.get(meeting=meeting, member=tree.member).status == (
        "present"
    )


def test_excuse_without_reason_is_refused(member_client, tree):
    # Arrange
    meeting = tree_meeting(tree)
    english(member_client)

    # Act
    response = member_client.post(
        meeting_url("excuse-request", meeting.pk), {"reason": ""}, follow=True
    )

    # Assert
    assert response.status_code == 200
    assert "Give the reason for your absence." in body(response)
    assert not ExcuseRequest.objects.exists()


def test_attendance_before_start_redirects_to_the_meeting(secretary_client, tree):
    # Arrange
    meeting = tree_meeting(tree)

    # Act
    response = secretary_client.get(meeting_url("attendance", meeting.pk))

    # Assert
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
