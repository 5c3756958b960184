"""iCalendar feeds: every feed is parsed back with the `icalendar` library and checked
event by event (reach, local times, reschedules, cancellations, the time zone), plus
the token's life cycle, the settings page per persona and constant query counts.

Feeds are fetched with an anonymous client: calendar apps never log in.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from meetings import feeds, services
from meetings.models import CalendarToken, Meeting, MeetingKind
from members.models import Organization
from tests.factories import OrganizationFactory
from tests.factories.times import HANOI, at, on
from tests.support.pages import english

LOGGED_IN = ("secretary", "member", "committee", "supervisor", "outsider", "admin")


# --- helpers --------------------------------------------------------------------------


def local(days, hour=19, minute=30):
    """An aware datetime `days` from today at hour:minute, Vietnam time."""
    return on(timezone.localdate() + timedelta(days=days), hour, minute)


def make_meeting(cell, days=10, *, hour=19, minute=30, **fields):
    fields.setdefault("kind", MeetingKind.EXTRAORDINARY)
    return services.create_meeting(
        cell=cell, starts_at=local(days, hour, minute), by=None, **fields
    )


def token_for(user):
    token, _created = feeds.issue_calendar_token(user=user)
    return token.token


def personal_url(token):
    return reverse("meetings:personal-feed", args=[token])


def cell_url(token, cell):
    return reverse("meetings:cell-feed", args=[token, cell.pk])


def fetch(client, url):
    """GET a feed and parse it back; asserts a 200 iCalendar response."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar):
    """{UID: VEVENT} of a parsed calendar."""
    return {str(event["UID"]): event for event in calendar.events}


def uid(meeting):
    return f"meeting-{meeting.pk}@chibo"


# --- the personal feed ----------------------------------------------------------------


READ_CELLS = {
    "secretary": {"cell"},
    "member": {"cell"},
    "committee": {"cell2"},  # own cell; the ward's cells have their own feeds
    "supervisor": {"cell", "cell2"},
    "outsider": {"other_cell"},
    "admin": set(),  # no member record, no cell
}


@pytest.mark.parametrize("persona", READ_CELLS)
def test_personal_feed_lists_meetings_of_read_cells_only(client, tree, users, persona):
    # Arrange
    meetings = {
        name: make_meeting(getattr(tree, name), topic=f"Họp {name}")
        for name in ("cell", "cell2", "other_cell")
    }
    token = token_for(getattr(users, persona))

    # Act
    calendar = fetch(client, personal_url(token))

    # Assert
    expected = {uid(meetings[name]) for name in READ_CELLS[persona]}
    assert set(events(calendar)) == expected


def test_personal_feed_response_headers(client, tree, users):
    # Arrange
    token = token_for(users.member)

    # Act
    response = client.get(personal_url(token))

    # Assert
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="chibo.ics"'
    assert set(response["Cache-Control"].split(", ")) == {"private", "max-age=300"}
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_feed_event_fields(client, tree, users):
    # Arrange
    meeting = make_meeting(
        tree.cell,
        12,
        hour=19,
        minute=30,
        topic="Học tập Nghị quyết",
        place="Nhà văn hóa",
    )
    meeting.refresh_from_db()
    token = token_for(users.member)

    # Act
    event = events(fetch(client, personal_url(token)))[uid(meeting)]

    # Assert
    start = event.start
    assert start.tzinfo.key == "Asia/Ho_Chi_Minh"
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert (start.date(), start.hour, start.minute) == (local(12).date(), 19, 30)
    assert event.end - event.start == timedelta(minutes=90)
    assert event["DTEND"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert str(event["SUMMARY"]) == "Học tập Nghị quyết"
    assert str(event["LOCATION"]) == "Nhà văn hóa"
    meeting_url = f"http://testserver/meetings/{meeting.pk}/"
    assert str(event["URL"]) == meeting_url
    assert str(event["DESCRIPTION"]).split("\n") == [
        "Chi bộ Khối phố 5",
        *[item["title"] for item in meeting.agenda],
        meeting_url,
    ]
    assert "Nội dung cần giải quyết" in str(event["DESCRIPTION"])
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    updated = meeting.updated_at.replace(microsecond=0)  # iCalendar has seconds
    assert event["LAST-MODIFIED"].dt == updated
    assert event["DTSTAMP"].dt == updated


def test_feed_combined_meeting_lasts_120_minutes(client, tree, users):
    # Arrange
    meeting = make_meeting(tree.cell, is_combined=True)
    token = token_for(users.member)

    # Act
    event = events(fetch(client, personal_url(token)))[uid(meeting)]

    # Assert
    assert event.end - event.start == timedelta(minutes=120)


def test_feed_summary_without_topic_is_the_kind_in_vietnamese(client, tree, users):
    # Arrange
    meeting = make_meeting(tree.cell, kind=MeetingKind.COMMITTEE)
    token = token_for(users.member)
    english(client)  # the feed ignores the UI language: calendars are Vietnamese

    # Act
    event = events(fetch(client, personal_url(token)))[uid(meeting)]

    # Assert
    with translation.override("vi"):
        expected = str(MeetingKind.COMMITTEE.label)
    assert str(event["SUMMARY"]) == expected


def test_feed_has_the_ho_chi_minh_vtimezone(client, tree, users):
    # Arrange
    make_meeting(tree.cell)
    token = token_for(users.member)

    # Act
    calendar = fetch(client, personal_url(token))

    # Assert
    assert [str(tz["TZID"]) for tz in calendar.timezones] == ["Asia/Ho_Chi_Minh"]
    assert calendar.get_missing_tzids() == set()
    offsets = {sub["TZOFFSETTO"].td for sub in calendar.timezones[0].subcomponents}
    assert timedelta(hours=7) in offsets
    assert str(calendar["X-WR-CALNAME"]) == "chibo — Trần Thị Đảng Viên"


def test_empty_feed_still_declares_the_time_zone(client, tree, users):
    # Arrange
    token = token_for(users.member)

    # Act
    calendar = fetch(client, personal_url(token))

    # Assert
    assert calendar.events == []
    assert [str(tz["TZID"]) for tz in calendar.timezones] == ["Asia/Ho_Chi_Minh"]


def test_feed_keeps_sixty_days_of_history_and_the_whole_future(client, tree, users):
    # Arrange
    too_old = make_meeting(tree.cell, -61)
    recent = make_meeting(tree.cell, -59)
    far = make_meeting(tree.cell, 700)
    token = token_for(users.member)

    # Act
    uids = set(events(fetch(client, personal_url(token))))

    # Assert
    assert uids == {uid(recent), uid(far)}
    assert uid(too_old) not in uids


def test_rescheduled_meeting_shows_new_time_and_higher_sequence(client, tree, users):
    # Arrange
    meeting = make_meeting(tree.cell, 10, hour=19, minute=30)
    token = token_for(users.member)
    before = events(fetch(client, personal_url(token)))[uid(meeting)]

    # Act
    services.reschedule_meeting(
        meeting=meeting,
        starts_at=local(14, 8, 0),
        reason="Trùng lịch họp phường",
        by=users.secretary,
    )
    after = events(fetch(client, personal_url(token)))[uid(meeting)]

    # Assert
    assert after.start == datetime.combine(local(14).date(), time(8, 0), tzinfo=HANOI)
    assert (after.start.hour, after.start.minute) == (8, 0)
    assert after.end == after.start + timedelta(minutes=90)
    assert before["SEQUENCE"] == 0
    assert after["SEQUENCE"] == 1
    meeting.refresh_from_db()
    updated = meeting.updated_at.replace(microsecond=0)
    assert after["LAST-MODIFIED"].dt == updated


def test_cancelled_meeting_is_marked_cancelled(client, tree, users):
    # Arrange
    meeting = make_meeting(tree.cell, topic="Sinh hoạt chuyên đề")
    kept = make_meeting(tree.cell, 11)
    token = token_for(users.member)

    # Act
    services.cancel_meeting(meeting=meeting, reason="Bão số 3", by=users.secretary)
    found = events(fetch(client, personal_url(token)))

    # Assert
    event = found[uid(meeting)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]).endswith("] Sinh hoạt chuyên đề")
    assert "Bão số 3" in str(event["DESCRIPTION"])
    assert str(found[uid(kept)]["STATUS"]) == "CONFIRMED"


def test_year_plan_meetings_appear_in_the_feed(client, tree, users):
    # Arrange
    year = timezone.localdate().year + 1
    created = services.generate_year_plan(cell=tree.cell, year=year, by=None)
    token = token_for(users.member)

    # Act
    found = events(fetch(client, personal_url(token)))

    # Assert
    assert len(created) == 17  # 12 regular, 4 thematic, the year-end review
    assert {uid(m) for m in created} <= set(found)
    plan = Meeting.objects.filter(cell=tree.cell, planned_date__year=year)
    for meeting in plan:
        start = found[uid(meeting)].start
        assert start == timezone.localtime(meeting.starts_at, HANOI)
        assert start.date() == meeting.planned_date


# --- tokens ---------------------------------------------------------------------------


def test_unknown_token_is_404(client, tree, users):
    # Arrange
    token_for(users.member)

    # Act
    response = client.get(personal_url("not-a-token"))

    # Assert
    assert response.status_code == 404


def test_revoked_token_is_404(client, tree, users):
    # Arrange
    token = token_for(users.member)
    assert client.get(personal_url(token)).status_code == 200

    # Act
    revoked = feeds.revoke_calendar_token(user=users.member)

    # Assert
    assert revoked is True
    assert client.get(personal_url(token)).status_code == 404
    assert client.get(cell_url(token, tree.cell)).status_code == 404


def test_replaced_token_kills_the_old_urls(client, tree, users):
    # Arrange
    old = token_for(users.member)

    # Act
    new = token_for(users.member)

    # Assert
    assert new != old
    assert CalendarToken.objects.filter(user=users.member).count() == 1
    assert client.get(personal_url(old)).status_code == 404
    assert client.get(cell_url(old, tree.cell)).status_code == 404
    assert client.get(personal_url(new)).status_code == 200


def test_token_of_a_deactivated_user_is_404(client, tree, users):
    # Arrange
    token = token_for(users.member)
    users.member.is_active = False
    users.member.save(update_fields=["is_active"])

    # Act
    response = client.get(personal_url(token))

    # Assert
    assert response.status_code == 404


def test_tokens_are_long_random_and_url_safe(tree, users):
    # Act
    tokens = {token_for(users.member) for _ in range(3)}

    # Assert
    assert len(tokens) == 3
    assert all(len(t) >= 40 and "/" not in t and "." not in t for t in tokens)


def test_feeds_refuse_post(client, tree, users):
    # Arrange
    token = token_for(users.member)

    # Act
    response = client.post(personal_url(token))

    # Assert
    assert response.status_code == 405


# --- the cell feed --------------------------------------------------------------------


CELL_FEED = {
    # persona: {cell name: expected status}
    "secretary": {"cell": 200, "cell2": 404, "other_cell": 404},
    "member": {"cell": 200, "cell2": 404, "other_cell": 404},
    "committee": {"cell": 200, "cell2": 200, "other_cell": 404},
    "supervisor": {"cell": 200, "cell2": 200, "other_cell": 404},
    "outsider": {"cell": 404, "cell2": 404, "other_cell": 200},
    "admin": {"cell": 200, "cell2": 200, "other_cell": 200},
}


@pytest.mark.parametrize("persona", CELL_FEED)
def test_cell_feed_reach(client, tree, users, persona):
    # Arrange
    meetings = {name: make_meeting(getattr(tree, name)) for name in CELL_FEED[persona]}
    token = token_for(getattr(users, persona))

    for name, expected in CELL_FEED[persona].items():
        # Act
        response = client.get(cell_url(token, getattr(tree, name)))

        # Assert
        assert response.status_code == expected, name
        if expected == 200:
            calendar = Calendar.from_ical(response.content)
            assert set(events(calendar)) == {uid(meetings[name])}
            assert str(calendar["X-WR-CALNAME"]) == f"chibo — {getattr(tree, name)}"


def test_cell_feed_has_every_meeting_of_the_cell(client, tree, users):
    # Arrange
    planned = [make_meeting(tree.cell, days) for days in (-30, 5, 40)]
    cancelled = make_meeting(tree.cell, 20)
    services.cancel_meeting(meeting=cancelled, reason="Hoãn", by=users.secretary)
    make_meeting(tree.cell2)
    token = token_for(users.secretary)

    # Act
    response = client.get(cell_url(token, tree.cell))
    found = events(Calendar.from_ical(response.content))

    # Assert
    assert response["Content-Disposition"] == (
        f'inline; filename="chibo-cell-{tree.cell.pk}.ics"'
    )
    assert set(found) == {uid(m) for m in [*planned, cancelled]}
    assert [str(e["STATUS"]) for e in found.values()].count("CANCELLED") == 1
    assert [e.start for e in Calendar.from_ical(response.content).events] == sorted(
        e.start for e in found.values()
    )


def test_cell_feed_of_a_committee_node_is_404(client, tree, users):
    # Arrange
    token = token_for(users.committee)

    # Act
    response = client.get(cell_url(token, tree.ward))

    # Assert
    assert response.status_code == 404


def test_cell_feed_with_unknown_token_is_404(client, tree):
    # Act
    response = client.get(cell_url("nope", tree.cell))

    # Assert
    assert response.status_code == 404


# --- build_calendar without the database ----------------------------------------------


def test_build_calendar_is_valid_icalendar_without_a_database():
    # Arrange
    cell = Organization(pk=7, name="Chi bộ Thử")
    stamp = datetime(2026, 1, 2, 3, 4, 5, tzinfo=ZoneInfo("UTC"))
    meeting = Meeting(
        pk=42,
        cell=cell,
        kind=MeetingKind.REGULAR,
        topic="Sinh hoạt tháng 12",
        starts_at=datetime(2026, 12, 5, 12, 30, tzinfo=ZoneInfo("UTC")),
        agenda=[{"title": "Khai mạc"}, {"title": "Thảo luận"}],
        created_at=stamp,
        updated_at=stamp,
    )
    meeting.revision = 3

    # Act
    body = feeds.build_calendar(
        [meeting], name="Lịch", base_url="https://chibo.example", uid="feed-x@chibo"
    )

    # Assert
    calendar = Calendar.from_ical(body)
    (event,) = calendar.events
    assert event.start == at(2026, 12, 5, 19, 30)
    assert event["SEQUENCE"] == 3
    assert str(event["URL"]) == "https://chibo.example/meetings/42/"
    assert str(event["DESCRIPTION"]) == (
        "Chi bộ Thử\nKhai mạc\nThảo luận\nhttps://chibo.example/meetings/42/"
    )
    assert "LOCATION" not in event
    assert str(calendar["UID"]) == "feed-x@chibo"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert body == feeds.build_calendar(
        [meeting], name="Lịch", base_url="https://chibo.example", uid="feed-x@chibo"
    )


# --- the settings page ----------------------------------------------------------------


def test_calendar_settings_anonymous_goes_to_login(persona_client):
    # Act
    url = reverse("meetings:calendar")
    response = persona_client("anonymous").get(url)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


SETTINGS_CELLS = {
    "secretary": {"cell"},
    "member": {"cell"},
    "committee": {"cell", "cell2"},
    "supervisor": {"cell", "cell2"},
    "outsider": {"other_cell"},
    "admin": {"cell", "cell2", "other_cell"},
}


@pytest.mark.parametrize("persona", LOGGED_IN)
def test_calendar_settings_without_token(persona_client, tree, persona):
    # Arrange
    client = english(persona_client(persona))

    # Act
    response = client.get(reverse("meetings:calendar"))

    # Assert
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have no calendar address yet." in html
    assert 'name="action" value="create"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'id="personal-feed-url"' not in html
    assert ".ics" not in html


@pytest.mark.parametrize("persona", LOGGED_IN)
def test_calendar_settings_shows_feed_urls(persona_client, tree, users, persona):
    # Arrange
    token = token_for(getattr(users, persona))
    client = english(persona_client(persona))

    # Act
    response = client.get(reverse("meetings:calendar"))

    # Assert
    assert response.status_code == 200
    html = response.content.decode()
    personal = f"http://testserver{personal_url(token)}"
    assert 'id="personal-feed-url" class="form-control font-monospace mb-2" ' in html
    assert f'readonly value="{personal}"' in html
    assert f'href="webcal://testserver{personal_url(token)}"' in html
    assert 'name="action" value="revoke"' in html
    assert "no-store" in response["Cache-Control"]
    for name in ("cell", "cell2", "other_cell"):
        cell = getattr(tree, name)
        shown = f'value="http://testserver{cell_url(token, cell)}"' in html
        assert shown == (name in SETTINGS_CELLS[persona]), name


def test_calendar_settings_lists_a_limited_number_of_cells(
    persona_client, tree, users, monkeypatch
):
    # Arrange
    monkeypatch.setattr(feeds, "SETTINGS_CELL_LIMIT", 1)
    token = token_for(users.committee)
    client = english(persona_client("committee"))

    # Act
    html = client.get(reverse("meetings:calendar")).content.decode()

    # Assert: cells come by name, so "Chi bộ Khối phố 2" (cell2) is the one shown
    assert f'id="cell-feed-{tree.cell2.pk}"' in html
    assert f'id="cell-feed-{tree.cell.pk}"' not in html
    assert "Only the first 1 cell is listed." in html
    assert cell_url(token, tree.cell2) in html


def test_calendar_settings_create_then_replace_then_revoke(
    client, persona_client, users
):
    # Arrange
    member = english(persona_client("member"))
    url = reverse("meetings:calendar")

    # Act / Assert: create
    response = member.post(url, {"action": "create"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Your calendar addresses are ready." in response.content.decode()
    first = CalendarToken.objects.get(user=users.member).token
    assert client.get(personal_url(first)).status_code == 200

    # Act / Assert: replace
    response = member.post(url, {"action": "create"}, follow=True)
    assert "the old ones no longer work" in response.content.decode()
    second = CalendarToken.objects.get(user=users.member).token
    assert second != first
    assert client.get(personal_url(first)).status_code == 404
    assert client.get(personal_url(second)).status_code == 200
    assert second in response.content.decode()

    # Act / Assert: revoke
    response = member.post(url, {"action": "revoke"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "The calendar feed is turned off" in response.content.decode()
    assert not CalendarToken.objects.filter(user=users.member).exists()
    assert client.get(personal_url(second)).status_code == 404
    assert (
        client.get(cell_url(second, users.member.member.organization)).status_code
        == 404
    )


def test_calendar_settings_revoke_without_token_changes_nothing(persona_client, users):
    # Arrange
    other = token_for(users.secretary)

    # Act
    response = persona_client("member").post(
        reverse("meetings:calendar"), {"action": "revoke"}
    )

    # Assert
    assert response.status_code == 302
    assert list(CalendarToken.objects.values_list("token", flat=True)) == [other]


def test_calendar_settings_unknown_action_is_400(persona_client, users):
    # Act
    response = persona_client("member").post(
        reverse("meetings:calendar"), {"action": "delete-everything"}
    )

    # Assert
    assert response.status_code == 400
    assert not CalendarToken.objects.exists()


# --- query counts ---------------------------------------------------------------------

SIZES = [1, 10]


def grow(cell, n):
    return [make_meeting(cell, days) for days in range(1, n + 1)]


@pytest.mark.parametrize("size", SIZES)
def test_personal_feed_queries_constant(
    client, tree, users, django_assert_num_queries, size
):
    # Arrange
    grow(tree.cell, size)
    services.reschedule_meeting(
        meeting=Meeting.objects.filter(cell=tree.cell).first(),
        starts_at=local(30),
        reason="Dời lịch",
        by=None,
    )
    token = token_for(users.supervisor)

    # Act
    with django_assert_num_queries(5):
        response = client.get(personal_url(token))

    # Assert
    assert len(Calendar.from_ical(response.content).events) == size


@pytest.mark.parametrize("size", SIZES)
def test_cell_feed_queries_constant(
    client, tree, users, django_assert_num_queries, size
):
    # Arrange
    grow(tree.cell, size)
    token = token_for(users.committee)

    # Act
    with django_assert_num_queries(6):
        response = client.get(cell_url(token, tree.cell))

    # Assert
    assert len(Calendar.from_ical(response.content).events) == size


@pytest.mark.parametrize("size", SIZES)
def test_calendar_settings_queries_constant(
    persona_client, tree, users, django_assert_num_queries, size
):
    # Arrange
    for index in range(size):
        OrganizationFactory(name=f"Chi bộ mới {index}", parent=tree.ward)
    token_for(users.committee)
    client = persona_client("committee")

    # Act
    with django_assert_num_queries(8):
        response = client.get(reverse("meetings:calendar"))

    # Assert
    assert response.status_code == 200
    assert response.content.decode().count('id="cell-feed-') == 2 + size
