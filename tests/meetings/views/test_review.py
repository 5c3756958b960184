"""The superior's review of submitted minutes, and issuing the resolution."""

from meetings.models import (
    MeetingState,
    Resolution,
)
from tests.meetings.helpers import (
    english,
    reload,
    url,
)
from tests.meetings.views.helpers import (
    body,
    held_meeting,
    submitted,
)


def test_review_return_without_comment_asks_why(committee_client, tree):
    # Arrange
    meeting, _minutes = submitted(tree)
    english(committee_client)

    # Act
    response = committee_client.post(
        url("minutes-review", meeting.pk), {"decision": "return", "comment": " "}
    )

    # Assert
    assert response.status_code == 200
    assert "Say why the minutes are returned." in body(response)
    assert reload(meeting).state == MeetingState.SUBMITTED


def test_resolution_before_lock_shows_the_refusal(secretary_client, tree):
    # Arrange
    meeting, _minutes = held_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("resolution-issue", meeting.pk), {"title": "NQ", "text": "Nội dung NQ"}
    )

    # Assert
    assert response.status_code == 200
    assert "Lock the minutes before issuing the resolution." in body(response)
    assert "Nội dung NQ" in body(response)
    assert not Resolution.objects.exists()
