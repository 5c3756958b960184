"""The admin shows records of locked minutes read-only and turns anything the
database refuses into a Vietnamese message: never a 500, nothing changed."""

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Guest, Meeting, Vote, VoteKind
from tests.factories.meetings import adopt_and_sign, fill_minutes, make_meeting, start

MESSAGE = "Hồ sơ này thuộc biên bản đã khóa, không thể thay đổi."


@pytest.fixture
def locked(tree, users):
    meeting = make_meeting(tree.cell)
    minutes = fill_minutes(
        start(meeting, users.secretary), chair=tree.secretary, taker=tree.member
    )
    vote = services.record_vote(
        minutes=minutes, subject="NQ", kind=VoteKind.RESOLUTION, yes=4, no=0, abstain=0
    )
    guest = Guest.objects.create(meeting=meeting, name="Khách", role="invited")
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    services.lock_minutes(minutes=minutes, by=None)
    other = make_meeting(tree.cell, starts_at=meeting.starts_at.replace(day=20))
    open_minutes = start(other, users.secretary)
    return meeting, minutes, vote, guest, open_minutes


def test_a_locked_vote_cannot_be_moved_or_deleted_in_the_admin(locked, admin_client_):
    _meeting, minutes, vote, _guest, open_minutes = locked
    change = reverse("admin:meetings_vote_change", args=[vote.pk])

    moved = admin_client_.post(
        change,
        {
            "minutes": open_minutes.pk,
            "subject": "NQ",
            "kind": "resolution",
            "yes": 4,
            "no": 0,
            "abstain": 0,
        },
    )
    deleted = admin_client_.post(
        reverse("admin:meetings_vote_delete", args=[vote.pk]), {"post": "yes"}
    )

    assert (moved.status_code, deleted.status_code) == (403, 403)
    assert Vote.objects.get(pk=vote.pk).minutes_id == minutes.pk


def test_moving_a_vote_into_locked_minutes_gets_a_message(locked, admin_client_):
    _meeting, minutes, _vote, _guest, open_minutes = locked
    other_vote = services.record_vote(
        minutes=open_minutes,
        subject="Khác",
        kind=VoteKind.RESOLUTION,
        yes=3,
        no=0,
        abstain=0,
    )

    response = admin_client_.post(
        reverse("admin:meetings_vote_change", args=[other_vote.pk]),
        {
            "minutes": minutes.pk,
            "subject": "Khác",
            "kind": "resolution",
            "yes": 3,
            "no": 0,
            "abstain": 0,
            "denominator": 5,
            "denominator_detail": '{"official_present": 5}',
            "passed": "on",
        },
        follow=True,
    )

    assert response.redirect_chain == [(reverse("admin:meetings_vote_changelist"), 302)]
    assert MESSAGE in [str(m) for m in response.context["messages"]]
    assert Vote.objects.get(pk=other_vote.pk).minutes_id == open_minutes.pk


def test_guests_and_meetings_of_locked_minutes_are_read_only(locked, admin_client_):
    meeting, _minutes, _vote, guest, _open = locked

    guest_page = admin_client_.get(
        reverse("admin:meetings_guest_change", args=[guest.pk])
    )
    rename = admin_client_.post(
        reverse("admin:meetings_guest_change", args=[guest.pk]),
        {"meeting": meeting.pk, "name": "Giả", "role": "invited", "title": ""},
    )
    meeting_delete = admin_client_.post(
        reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"}
    )

    assert guest_page.status_code == 200
    assert 'name="_save"' not in guest_page.text  # a view, not a form
    assert (rename.status_code, meeting_delete.status_code) == (403, 403)
    assert Guest.objects.get(pk=guest.pk).name == "Khách"
    assert Meeting.objects.filter(pk=meeting.pk).exists()
