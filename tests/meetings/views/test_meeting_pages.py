"""The meeting page, and moving a meeting."""

from django.utils.html import escape

from tests.meetings.helpers import (
    at,
    english,
    reload,
    url,
)
from tests.meetings.views.helpers import (
    body,
    held_meeting,
    topic_meeting,
)


def test_meeting_page_shows_the_agenda(member_client, tree):
    # Arrange
    meeting = topic_meeting(tree)

    # Act
    response = member_client.get(meeting.get_absolute_url())

    # Assert
    html = body(response)
    assert len(meeting.agenda) == 16
    for item in meeting.agenda:
        assert f"<li>{escape(item['title'])}</li>" in html
    assert "Nhà văn hóa khu phố 5" in html
    assert url("excuse-request", meeting.pk) in html  # a member may ask to be excused
    assert 'id="meeting-actions"' not in html  # but not run the meeting


def test_reschedule_without_reason_keeps_typed_values(secretary_client, tree):
    # Arrange
    meeting = topic_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("meeting-reschedule", meeting.pk),
        {"starts_at": "05/11/2026 18:00", "place": "Hội trường UBND", "reason": ""},
    )

    # Assert
    html = body(response)
    assert response.status_code == 200
    assert "This field is required." in html
    assert 'value="05/11/2026 18:00"' in html
    assert 'value="Hội trường UBND"' in html
    assert reload(meeting).starts_at == at(2026, 11, 3, 19, 30)


def test_reschedule_held_meeting_shows_the_refusal(secretary_client, tree):
    # Arrange
    meeting, _minutes = held_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("meeting-reschedule", meeting.pk),
        {"starts_at": "05/11/2026 18:00", "place": "", "reason": "Trùng lịch"},
    )

    # Assert
    assert response.status_code == 200
    assert "Only a planned or notified meeting can be moved." in body(response)
    assert 'value="Trùng lịch"' in body(response)
