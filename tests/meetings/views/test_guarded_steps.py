"""Steps that cannot be undone are guarded (issue 16 §2): no start before the
scheduled day (move it first, with a reason), no adoption before the recorded end or
without a conclusion, consistent times, a confirmation page for adopt / sign / lock /
submit that works without JavaScript, and "Sign" gone once the user has signed."""

from datetime import timedelta

import pytest

from meetings import services
from meetings.models import MeetingChange, MeetingState, Minutes
from tests.factories.meetings import (
    adopt_and_sign,
    fill_minutes,
    make_meeting,
    reload,
    start,
    tree_held,
    tree_locked,
)
from tests.factories.times import at
from tests.meetings.views.forms import minutes_post
from tests.support.pages import body, english, meeting_url


def test_start_refused_before_the_scheduled_day(secretary_client, tree, clock):
    # Arrange: on 06/12 a meeting of 08/12 (the case seen in the demo)
    clock(at(2026, 12, 6, 4, 40))
    meeting = make_meeting(tree.cell, starts_at=at(2026, 12, 8, 19, 30))
    english(secretary_client)

    # Act
    page = body(secretary_client.get(meeting.get_absolute_url()))
    response = secretary_client.post(
        meeting_url("meeting-start", meeting.pk), follow=True
    )

    # Assert: no start button, a note saying when and how to meet earlier
    assert meeting_url("meeting-start", meeting.pk) not in page
    assert "The meeting can be started on 08/12/2026. To meet earlier" in page
    assert "it cannot be started before that day" in body(response)
    assert reload(meeting).state == MeetingState.PLANNED
    assert not Minutes.objects.filter(meeting=meeting).exists()


def test_start_allowed_after_moving_the_meeting_with_a_reason(
    secretary_client, tree, clock
):
    # Arrange
    clock(at(2026, 12, 6, 18, 0))
    meeting = make_meeting(tree.cell, starts_at=at(2026, 12, 8, 19, 30))

    # Act: move it to tonight, then start it
    secretary_client.post(
        meeting_url("meeting-reschedule", meeting.pk),
        {"starts_at": "06/12/2026 19:00", "place": "", "reason": "Bí thư đi công tác"},
    )
    response = secretary_client.post(meeting_url("meeting-start", meeting.pk))

    # Assert
    assert response.status_code == 302
    assert response["Location"] == meeting_url("attendance", meeting.pk)
    assert reload(meeting).state == MeetingState.HELD
    change = MeetingChange.objects.get(
        meeting=meeting, kind=MeetingChange.Kind.RESCHEDULED
    )
    assert (change.before, change.after, change.reason) == (
        "08/12/2026 19:30",
        "06/12/2026 19:00",
        "Bí thư đi công tác",
    )


def test_started_at_defaults_to_the_scheduled_time_not_the_click(tree, clock):
    # Arrange: the secretary clicks "Start" five minutes early, on the day
    clock(at(2026, 12, 8, 19, 25))
    meeting = make_meeting(tree.cell, starts_at=at(2026, 12, 8, 19, 30))

    # Act
    minutes = start(meeting)

    # Assert
    assert minutes.started_at == at(2026, 12, 8, 19, 30)


def test_adoption_refused_before_the_recorded_end(secretary_client, tree, clock):
    # Arrange: the minutes say 19:30–21:30; it is 20:15
    clock(at(2026, 12, 8, 20, 15))
    meeting = make_meeting(tree.cell, starts_at=at(2026, 12, 8, 19, 30))
    minutes = fill_minutes(start(meeting), chair=tree.secretary, taker=tree.member)
    english(secretary_client)

    # Act
    early = secretary_client.post(meeting_url("minutes-adopt", meeting.pk), follow=True)
    clock(at(2026, 12, 8, 21, 31))
    later = secretary_client.post(meeting_url("minutes-adopt", meeting.pk))

    # Assert
    assert "the meeting ends at 21:30 08/12/2026" in body(early)
    assert later.status_code == 302
    assert Minutes.objects.get(pk=minutes.pk).adopted_at == pytest.approx(
        at(2026, 12, 8, 21, 31), abs=timedelta(seconds=5)
    )


def test_adoption_needs_a_conclusion(secretary_client, tree):
    # Arrange
    meeting, _minutes = tree_held(tree, conclusion="   ")
    english(secretary_client)

    # Act
    response = secretary_client.post(
        meeting_url("minutes-adopt", meeting.pk), follow=True
    )

    # Assert
    assert "Before adopting, fill in: the conclusion (section III)." in body(response)
    assert Minutes.objects.get(meeting=meeting).adopted_at is None


def test_minutes_cannot_start_before_the_scheduled_day(secretary_client, tree):
    # Arrange: scheduled 03/11/2026 19:30
    meeting, minutes = tree_held(tree)
    english(secretary_client)
    data = minutes_post(
        minutes,
        chair=tree.secretary.pk,
        minute_taker=tree.member.pk,
        started_at="02/11/2026 19:30",
        ended_at="02/11/2026 21:30",
    )

    # Act
    response = secretary_client.post(meeting_url("minutes-edit", meeting.pk), data)

    # Assert
    assert (
        "The meeting is scheduled for 03/11/2026: it cannot have started before "
        "that day." in body(response)
    )
    assert Minutes.objects.get(pk=minutes.pk).started_at == at(2026, 11, 3, 19, 30)


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("minutes-adopt", "the attendance and the votes can no longer be changed"),
        ("minutes-lock", "Corrections are made only by signed addenda."),
        ("minutes-submit", "A submission cannot be taken back."),
    ],
)
def test_confirmation_page_says_what_becomes_permanent(
    secretary_client, tree, name, sentence
):
    # Arrange: each step at the point where it is offered
    if name == "minutes-adopt":
        meeting, _minutes = tree_held(tree)
    else:
        meeting, minutes = tree_held(tree)
        adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
        if name == "minutes-submit":
            services.lock_minutes(minutes=minutes, by=None)
    before = reload(meeting).state
    english(secretary_client)

    # Act
    page = body(secretary_client.get(meeting_url(name, meeting.pk)))

    # Assert: a plain form posting back to the same address, nothing done yet
    assert "This step cannot be undone" in page
    assert sentence in page
    assert '<form method="post" class="d-flex flex-wrap gap-2" id="confirm-form">' in (
        page
    )
    assert reload(meeting).state == before
    assert Minutes.objects.get(meeting=meeting).locked_at is None or (
        name == "minutes-submit"
    )


def test_sign_confirmation_then_the_button_disappears(member_client, tree):
    # Arrange: adopted; the member is the minute-taker
    meeting, minutes = tree_held(tree)
    services.adopt_minutes(minutes=minutes, by=None)
    english(member_client)
    detail = body(member_client.get(meeting.get_absolute_url()))
    confirm = body(member_client.get(meeting_url("minutes-sign", meeting.pk)))

    # Act
    member_client.post(meeting_url("minutes-sign", meeting.pk))
    after = body(member_client.get(meeting.get_absolute_url()))

    # Assert
    assert 'id="minutes-sign"' in detail
    assert "A signature cannot be withdrawn." in confirm
    assert Minutes.objects.get(pk=minutes.pk).taker_signed_at is not None
    assert 'id="minutes-sign"' not in after


def test_lock_button_leads_to_the_confirmation_page(secretary_client, tree):
    # Arrange
    meeting, minutes = tree_held(tree)
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)

    # Act
    page = body(secretary_client.get(meeting.get_absolute_url()))

    # Assert: a link (GET), not a form that locks at once
    assert f'id="minutes-lock" href="{meeting_url("minutes-lock", meeting.pk)}"' in page
    assert f'action="{meeting_url("minutes-lock", meeting.pk)}"' not in page


def test_locked_meeting_submit_link(secretary_client, tree):
    # Arrange
    meeting, _minutes = tree_locked(tree)

    # Act
    page = body(secretary_client.get(meeting.get_absolute_url()))

    # Assert
    assert (
        f'id="minutes-submit" href="{meeting_url("minutes-submit", meeting.pk)}"'
        in page
    )
