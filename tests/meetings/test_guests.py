"""Guests of a meeting: listed by the secretary, shown in the minutes' statistics."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Guest


def test_guest_add_lists_the_guest_on_the_attendance_page(
    started_meeting, persona_client
):
    client = persona_client("secretary")
    url = reverse("meetings:guest-add", args=[started_meeting.pk])

    response = client.post(
        url, {"name": "  Phạm  Văn Cấp Trên ", "role": "superior", "title": "Đảng ủy"}
    )

    assert response.status_code == 302
    guest = Guest.objects.get(meeting=started_meeting)
    assert (guest.name, guest.role, guest.title) == (
        "Phạm Văn Cấp Trên",
        "superior",
        "Đảng ủy",
    )
    page = client.get(
        reverse("meetings:attendance", args=[started_meeting.pk])
    ).content.decode()
    assert "Phạm Văn Cấp Trên" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("member", 403), ("committee", 403), ("supervisor", 403), ("outsider", 404)],
)
def test_guest_add_refused_without_the_role(
    started_meeting, persona_client, persona, status
):
    response = persona_client(persona).post(
        reverse("meetings:guest-add", args=[started_meeting.pk]),
        {"name": "X", "role": "invited"},
    )

    assert response.status_code == status
    assert not Guest.objects.exists()


def test_guest_add_with_bad_role_saves_nothing(started_meeting, persona_client):
    response = persona_client("secretary").post(
        reverse("meetings:guest-add", args=[started_meeting.pk]),
        {"name": "X", "role": "boss"},
    )

    assert response.status_code == 302
    assert not Guest.objects.exists()


def test_add_guest_refused_after_lock(started_meeting, users, tree):
    minutes = started_meeting.minutes
    minutes.locked_at = timezone.now()
    minutes.save(update_fields=["locked_at"])

    with pytest.raises(ValidationError):
        services.add_guest(meeting=started_meeting, name="Muộn", role="invited")


def test_suspended_members_present_do_not_count_as_voters(started_meeting, tree):
    from meetings import selectors
    from meetings.models import Attendance

    Attendance.objects.filter(meeting=started_meeting, member=tree.others[0]).update(
        was_suspended=True
    )

    stats = selectors.attendance_stats(selectors.attendance_rows(started_meeting))

    assert stats["present"] == 5
    assert stats["official_present"] == 4
    assert stats["vote"]["suspended"] == 1
    assert stats["vote"]["denominator"] == 4
