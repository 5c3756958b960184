"""The superior's review of submitted minutes, and issuing the resolution."""

from django.utils import timezone

from meetings import notify
from meetings.models import (
    Delivery,
    MeetingState,
    Notification,
    NotificationKind,
    Resolution,
)
from tests.factories.meetings import reload, tree_held, tree_submitted
from tests.factories.times import at
from tests.support.pages import body, english, meeting_url


def test_review_return_without_comment_asks_why(committee_client, tree):
    # Arrange
    meeting, _minutes = tree_submitted(tree)
    english(committee_client)

    # Act
    response = committee_client.post(
        meeting_url("minutes-review", meeting.pk),
        {"decision": "return", "comment": " "},
    )

    # Assert
    assert response.status_code == 200
    assert "Say why the minutes are returned." in body(response)
    assert reload(meeting).state == MeetingState.SUBMITTED


def test_resolution_before_lock_shows_the_refusal(secretary_client, tree):
    # Arrange
    meeting, _minutes = tree_held(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        meeting_url("resolution-issue", meeting.pk),
        {"title": "NQ", "text": "Nội dung NQ"},
    )

    # Assert
    assert response.status_code == 200
    assert "Lock the minutes before issuing the resolution." in body(response)
    assert "Nội dung NQ" in body(response)
    assert not Resolution.objects.exists()


def test_review_page_shows_the_minutes_beside_the_form(committee_client, tree):
    # Arrange
    meeting, _minutes = tree_submitted(tree)
    english(committee_client)

    # Act
    page = body(committee_client.get(meeting_url("minutes-review", meeting.pk)))

    # Assert: the minutes' conclusion on the left, the decision form on the right
    minutes_at = page.index('id="review-minutes"')
    form_at = page.index('id="review-form"')
    assert minutes_at < page.index("Kết luận chung") < form_at
    assert 'name="decision"' in page[form_at:]
    assert "The cell's secretary is notified of your decision" in page


def test_returned_minutes_notify_the_secretary_with_the_comment(
    committee_client, tree, users, clock
):
    # Arrange
    clock(at(2026, 12, 15, 9, 0))  # the scan's reminders depend on the day
    meeting, _minutes = tree_submitted(tree)

    # Act
    response = committee_client.post(
        meeting_url("minutes-review", meeting.pk),
        {"decision": "return", "comment": "Bổ sung tỷ lệ đảng viên dự họp"},
    )
    notify.scan_notifications(now=timezone.now())
    rows = Delivery.objects.filter(kind=NotificationKind.MINUTES_REVIEWED)
    notify.send_deliveries(delivery_ids=list(rows.values_list("pk", flat=True)))

    # Assert
    assert response.status_code == 302
    assert reload(meeting).state == MeetingState.RETURNED
    assert {row.member_id for row in rows} == {tree.secretary.pk}
    note = Notification.objects.get(
        user=users.secretary, kind=NotificationKind.MINUTES_REVIEWED
    )
    assert "bị cấp trên trả lại" in note.title
    assert "Ý kiến: Bổ sung tỷ lệ đảng viên dự họp" in note.body + note.title
    assert note.url == meeting.get_absolute_url()
    assert not Notification.objects.filter(user=users.member).exists()


def test_acknowledged_minutes_notify_the_secretary_once(
    committee_client, tree, users, clock
):
    # Arrange
    clock(at(2026, 12, 15, 9, 0))  # the scan's reminders depend on the day
    meeting, _minutes = tree_submitted(tree)

    # Act
    committee_client.post(
        meeting_url("minutes-review", meeting.pk),
        {"decision": "acknowledge", "comment": ""},
    )
    first = notify.scan_notifications(now=timezone.now())
    second = notify.scan_notifications(now=timezone.now())
    rows = Delivery.objects.filter(kind=NotificationKind.MINUTES_REVIEWED)
    notify.send_deliveries(delivery_ids=list(rows.values_list("pk", flat=True)))

    # Assert
    assert first.kinds.get(NotificationKind.MINUTES_REVIEWED)
    assert not second.kinds.get(NotificationKind.MINUTES_REVIEWED)
    note = Notification.objects.get(user=users.secretary)
    assert "đã được cấp trên xác nhận" in note.title
