"""Preparation documents: uploading them, and who sees them when."""

from meetings import services
from meetings.models import (
    MeetingDocument,
)
from tests.factories.files import pdf_bytes, upload
from tests.factories.meetings import tree_meeting, tree_with_document
from tests.support.pages import body, english, meeting_url


def test_documents_hidden_from_members_until_sent(
    member_client, supervisor_client, secretary_client, tree, media
):
    # Arrange
    meeting, document = tree_with_document(tree)
    services.update_meeting(meeting=meeting, by=None, draft_resolution="Dự thảo kín")
    link = meeting_url("document-download", document.pk)

    # Act / Assert: before sending
    for client in (member_client, supervisor_client):
        page = body(client.get(meeting.get_absolute_url()))
        assert link not in page
        assert "Dự thảo kín" not in page
        assert client.get(link).status_code == 403
    assert link in body(secretary_client.get(meeting.get_absolute_url()))

    secretary_client.post(meeting_url("documents-sent", meeting.pk))

    # after sending
    for client in (member_client, supervisor_client):
        page = body(client.get(meeting.get_absolute_url()))
        assert link in page
        assert "Dự thảo kín" in page
        response = client.get(link)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf_bytes()


def test_upload_of_a_renamed_program_is_refused(secretary_client, tree, media):
    # Arrange
    meeting = tree_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        meeting_url("document-upload", meeting.pk),
        {"title": "", "file": upload("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 60)},
        follow=True,
    )

    # Assert
    assert response.status_code == 200
    assert "Only PDF, Word, Excel, PowerPoint, PNG and JPEG files." in body(response)
    assert not MeetingDocument.objects.exists()
