"""The meeting page, and moving a meeting."""

from django.utils.html import escape

from tests.factories.meetings import attendance_rows, reload, tree_held, tree_meeting
from tests.factories.times import at
from tests.support.pages import body, english, meeting_url


def test_meeting_page_shows_the_agenda(member_client, tree):
    # Arrange
    meeting = tree_meeting(tree)

    # Act
    response = member_client.get(meeting.get_absolute_url())

    # Assert
    html = body(response)
    assert len(meeting.agenda) == 16
    for item in meeting.agenda:
        assert f"<li>{escape(item['title'])}</li>" in html
    assert "Nhà văn hóa khu phố 5" in html
    assert (
        meeting_url("excuse-request", meeting.pk) in html
    )  # a member may ask to be excused
    assert 'id="meeting-actions"' not in html  # but not run the meeting


def test_reschedule_without_reason_keeps_typed_values(secretary_client, tree):
    # Arrange
    meeting = tree_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        meeting_url("meeting-reschedule", meeting.pk),
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
    meeting, _minutes = tree_held(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        meeting_url("meeting-reschedule", meeting.pk),
        {"starts_at": "05/11/2026 18:00", "place": "", "reason": "Trùng lịch"},
    )

    # Assert
    assert response.status_code == 200
    assert "Only a planned or notified meeting can be moved." in body(response)
    assert 'value="Trùng lịch"' in body(response)


def test_meeting_page_warns_below_the_minimum_attendance(secretary_client, tree):
    """min_attendance_percent (off by default) set to 80 on the ward: 4 of 5
    present is enough, 3 of 5 is not (§3.3)."""
    from datetime import date

    from meetings import services
    from members import services as member_services

    meeting, _minutes = tree_held(tree)
    warning = 'id="attendance-minimum"'
    assert warning not in body(secretary_client.get(meeting.get_absolute_url()))
    member_services.set_rule(
        org=tree.ward,
        key="min_attendance_percent",
        value=80,
        valid_from=date(2020, 1, 1),
    )
    services.record_attendance(
        meeting=meeting,
        rows=attendance_rows(meeting, {tree.others[0]: {"status": "absent_unexcused"}}),
        by=None,
    )
    assert warning not in body(secretary_client.get(meeting.get_absolute_url()))
    services.record_attendance(
        meeting=meeting,
        rows=attendance_rows(meeting, {tree.others[1]: {"status": "absent_unexcused"}}),
        by=None,
    )
    html = body(secretary_client.get(meeting.get_absolute_url()))
    assert warning in html
    assert "thấp hơn mức tối thiểu 80%" in html


def _long_meeting_rule(tree, members, valid_from):
    from members import services as member_services

    member_services.set_rule(
        org=tree.ward,
        key="long_meeting_members",
        value=members,
        valid_from=valid_from,
    )


def test_meeting_pages_take_the_minimum_duration_from_the_long_meeting_rule(
    secretary_client, tree
):
    """A 100-minute meeting of a cell with 5 own members and one attached in from
    elsewhere: long enough while long_meeting_members is off, or set to 6 (the
    attached-in member counts in the home cell only), or set from a later day;
    short of the 120 minutes once the rule in force on the meeting day says 5."""
    from datetime import date, timedelta

    from meetings import services
    from members.models import AttachmentDirection, TemporaryAttachment
    from tests.factories import MemberFactory

    guest = MemberFactory(organization=tree.cell, full_name="Đỗ Văn Tạm Thời")
    TemporaryAttachment.objects.create(
        member=guest, direction=AttachmentDirection.IN, start=date(2026, 1, 1)
    )
    meeting, minutes = tree_held(tree)
    services.save_minutes(
        minutes=minutes,
        version=minutes.version,
        by=None,
        chair=tree.secretary,
        minute_taker=tree.member,
        started_at=meeting.starts_at,
        ended_at=meeting.starts_at + timedelta(minutes=100),
        opening="Khai mạc",
        conclusion="Kết luận",
    )
    english(secretary_client)
    short = "shorter than the 120-minute minimum"

    def pages():
        detail = body(secretary_client.get(meeting.get_absolute_url()))
        editor = body(secretary_client.get(meeting_url("minutes-edit", meeting.pk)))
        return detail, editor

    detail, editor = pages()
    assert "100 minutes" in detail
    assert "shorter than" not in detail
    assert "Minimum duration: 90 minutes." in editor

    _long_meeting_rule(tree, 6, date(2020, 1, 1))
    detail, editor = pages()
    assert "shorter than" not in detail
    assert "Minimum duration: 90 minutes." in editor

    _long_meeting_rule(tree, 5, date(2026, 11, 4))  # the day after the meeting
    detail, editor = pages()
    assert "shorter than" not in detail

    _long_meeting_rule(tree, 5, date(2026, 11, 3))
    detail, editor = pages()
    assert short in detail
    assert "Minimum duration: 120 minutes." in editor
