"""Recording a vote: bad input never 500s and keeps what was typed."""

from meetings.models import (
    Vote,
)
from tests.factories.meetings import tree_held
from tests.support.pages import body, english, meeting_url


def test_vote_with_letters_is_refused_without_error(secretary_client, tree):
    # Arrange
    meeting, _minutes = tree_held(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        meeting_url("vote-add", meeting.pk),
        {"subject": "Nghị quyết", "kind": "resolution", "yes": "bốn", "no": "x"},
        follow=True,
    )

    # Assert: the editor again (today through a redirect), with the error
    assert response.status_code in {200, 422}
    assert 'id="minutes-form"' in body(response)
    assert "Enter a whole number." in body(response)
    assert not Vote.objects.exists()


def test_vote_with_letters_keeps_typed_values(secretary_client, tree):
    # Arrange
    meeting, _minutes = tree_held(tree)

    # Act
    response = secretary_client.post(
        meeting_url("vote-add", meeting.pk),
        {"subject": "Nghị quyết về đường", "kind": "admission", "yes": "bốn"},
    )

    # Assert
    html = body(response)
    assert response.status_code in {200, 422}
    assert 'value="Nghị quyết về đường"' in html
    assert 'value="bốn"' in html


def test_vote_over_the_present_count_shows_the_refusal(secretary_client, tree):
    # Arrange
    meeting, _minutes = tree_held(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        meeting_url("vote-add", meeting.pk),
        {"subject": "NQ", "kind": "resolution", "yes": "5", "no": "1", "abstain": "0"},
        follow=True,
    )

    # Assert
    assert "6 votes counted but only 5 official members are present." in body(response)
    assert not Vote.objects.exists()
