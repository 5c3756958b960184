"""Through the pages: once the cell adopts the minutes, the meeting's preparation,
guests, documents and excuse decisions no longer change — each refused with a
Vietnamese message, nothing written, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from meetings import services
from meetings.models import ExcuseRequest, Guest, Meeting, MeetingDocument
from tests.factories.meetings import adopt_and_sign, fill_minutes, make_meeting, start

REFUSED = (
    "Biên bản cuộc họp này đã được thông qua: không thể thay đổi chuẩn bị, khách "
    "mời, tài liệu và việc xin vắng nữa."
)


@pytest.fixture
def adopted(tree, users):
    meeting = make_meeting(tree.cell)
    excuse = services.request_excuse(
        meeting=meeting, member=tree.member, reason="Đi công tác"
    )
    minutes = fill_minutes(
        start(meeting, users.secretary), chair=tree.secretary, taker=tree.member
    )
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    meeting.refresh_from_db()
    return meeting, excuse


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_prepare_is_refused_after_adoption(adopted, persona_client):
    meeting, _excuse = adopted
    with translation.override("vi"):
        response = persona_client("secretary").post(
            reverse("meetings:meeting-prepare", args=[meeting.pk]),
            {"place": "Nơi khác", "topic": "Chủ đề khác"},
            follow=True,
        )

    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert REFUSED in messages_of(response)
    assert Meeting.objects.get(pk=meeting.pk).place != "Nơi khác"


def test_guests_are_refused_after_adoption(adopted, persona_client):
    meeting, _excuse = adopted
    response = persona_client("secretary").post(
        reverse("meetings:guest-add", args=[meeting.pk]),
        {"name": "Người Giả", "role": Guest.Role.INVITED, "title": ""},
        follow=True,
    )

    assert response.status_code == 200
    assert REFUSED in messages_of(response)
    assert not Guest.objects.filter(name="Người Giả").exists()


def test_documents_are_refused_after_adoption(adopted, persona_client):
    meeting, _excuse = adopted
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n")
    response = persona_client("secretary").post(
        reverse("meetings:document-upload", args=[meeting.pk]),
        {"title": "Tài liệu muộn", "file": pdf},
        follow=True,
    )

    assert response.status_code == 200
    assert REFUSED in messages_of(response)
    assert not MeetingDocument.objects.filter(meeting=meeting).exists()


def test_excuse_decisions_are_refused_after_adoption(adopted, persona_client):
    _meeting, excuse = adopted
    response = persona_client("secretary").post(
        reverse("meetings:excuse-decide", args=[excuse.pk]),
        {"decision": "accept"},
        follow=True,
    )

    assert response.status_code == 200
    assert REFUSED in messages_of(response)
    excuse.refresh_from_db()
    assert excuse.status == ExcuseRequest.Status.PENDING


@pytest.mark.parametrize(
    "topic", ["Đoàn kết\r\nSubject: giả", "Dòng một\nDòng hai", "Tách\u2028dòng"]
)
def test_topic_and_place_are_single_line(tree, persona_client, topic):
    with translation.override("vi"):
        response = persona_client("secretary").post(
            reverse("meetings:meeting-create", args=[tree.cell.pk]),
            {
                "kind": "extraordinary",
                "starts_at": "20/12/2026 19:30",
                "place": "Hội trường\r\nkhối phố",
                "topic": topic,
            },
        )

    assert response.status_code == 200
    form = response.context["form"]
    message = "Hãy viết trên một dòng (không xuống dòng)."
    assert form.errors["topic"] == [message]
    assert form.errors["place"] == [message]
    assert not Meeting.objects.filter(place__startswith="Hội trường").exists()
