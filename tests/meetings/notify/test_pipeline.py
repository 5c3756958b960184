"""The whole path of a notice: scanner → Redis → a real Celery worker → a real SMTP
sink.

The clock is frozen by passing `now=` to the scanner; meetings are placed a few days
after the real today so that what the worker does on its own (a scan after a move)
sees the same meeting in the future.
"""

import email
import email.policy
import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from meetings import notify, services
from meetings.models import (
    Delivery,
    Dispatch,
    MeetingChange,
    MeetingState,
    Notification,
)
from meetings.notify import tasks as notify_tasks
from members.models import Member
from tests.factories import UserFactory
from tests.factories.meetings import upcoming_meeting
from tests.support.notify import (
    Kind,
    addressees,
    by_kind,
    calendar_of,
    decoded_subject,
    delivery_id,
    notice_time,
    rows,
    settled,
)
from tests.support.workers import (
    broker_at,
    celery_worker,
    free_port,
    in_thread,
    wait_until,
)


def test_notices_reach_each_required_person_exactly_once(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled, message="all deliveries sent")
    notices = by_kind(sink, Kind.MEETING_NOTICE)
    assert addressees(notices) == people.required_emails
    assert len({m["Message-ID"] for m in notices}) == len(notices)
    when = timezone.localtime(meeting.starts_at)
    expected = (
        f"[Chi bộ Khối phố 5] Thông báo sinh hoạt chi bộ thường kỳ lúc 19:30 "
        f"ngày {when:%d/%m/%Y}"
    )
    for message in notices:
        assert decoded_subject(message) == expected
        assert message["Subject"] == expected  # the policy decodes it the same way
        assert message["Auto-Submitted"] == "auto-generated"
        assert "List-Unsubscribe" not in message  # notices cannot be switched off
        text = message.get_body(preferencelist=("plain",)).get_content()
        to = message["To"].addresses[0]
        name = Member.objects.get(email=to.addr_spec).full_name
        assert to.display_name == name
        assert f"Kính gửi đồng chí {name}," in text
        assert f"<strong>{name}</strong>" in (
            message.get_body(preferencelist=("html",)).get_content()
        )
        assert message["Message-ID"] == f"<delivery.{delivery_id(message)}@chibo.test>"
        assert "Địa điểm: Nhà văn hoá khối phố 5" in text
        assert "1. Tình hình tháng" in text
        assert f"https://chibo.test/meetings/{meeting.pk}/" in text
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "<li>Nhiệm vụ tháng tới</li>" in html
        event = calendar_of(message).walk("VEVENT")[0]
        assert event.decoded("dtstart") == meeting.starts_at
        assert str(event["location"]) == "Nhà văn hoá khối phố 5"
    raw = sink.received[0][1]
    assert b"Subject: =?utf-8?" in raw  # RFC 2047 on the wire
    sent = rows(meeting=meeting, kind=Kind.MEETING_NOTICE)
    assert set(sent.values_list("status", flat=True)) == {Delivery.Status.SENT}
    in_app = Notification.objects.filter(meeting=meeting, kind=Kind.MEETING_NOTICE)
    assert sorted(in_app.values_list("user__member_id", flat=True)) == sorted(
        m.pk for m in people.with_login
    )
    assert in_app.first().title == expected
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.NOTIFIED
    assert meeting.notified_at is not None


def test_optional_kinds_respect_preferences(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell, preparer=tree.member)
    notify.set_preferences(member=tree.member, enabled=[])
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    preparation = by_kind(sink, Kind.PREPARATION)
    assert addressees(preparation) == ["bithu@chibo.test"]
    message = preparation[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<https://chibo.test/notifications/unsubscribe/")
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Người chuẩn bị nội dung: Trần Thị Đảng Viên" in text
    assert "Không nhận loại nhắc việc này nữa: https://chibo.test/" in text
    # The link in the text and the one-click header carry a valid token.
    header = message["List-Unsubscribe"].strip()
    token = header.split("/unsubscribe/", 1)[1].split("/", 1)[0]
    assert notify.read_unsubscribe_token(token) == (tree.secretary.pk, "preparation")
    assert f"/notifications/unsubscribe/{token}/" in text
    # The member still gets the meeting notice.
    assert "dangvien@chibo.test" in addressees(by_kind(sink, Kind.MEETING_NOTICE))


def test_reschedule_and_cancellation_reach_everyone_notified(
    worker, sink, tree, people, users
):
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    moved_to = meeting.starts_at + timedelta(days=1)
    services.reschedule_meeting(
        meeting=meeting, starts_at=moved_to, reason="Trùng lịch họp phường", by=None
    )
    # No scan call here: the service asked a worker on commit.
    wait_until(
        lambda: len(by_kind(sink, Kind.RESCHEDULED)) == len(people.required),
        message="reschedule notices",
    )
    moves = by_kind(sink, Kind.RESCHEDULED)
    assert addressees(moves) == people.required_emails
    new = timezone.localtime(moved_to)
    assert decoded_subject(moves[0]) == (
        f"[Chi bộ Khối phố 5] Dời lịch sinh hoạt sang 19:30 ngày {new:%d/%m/%Y}"
    )
    assert (
        "Lý do: Trùng lịch họp phường"
        in moves[0].get_body(preferencelist=("plain",)).get_content()
    )
    event = calendar_of(moves[0]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == moved_to
    assert int(event["sequence"]) == 1

    services.cancel_meeting(meeting=meeting, reason="Bão số 9", by=None)
    wait_until(
        lambda: len(by_kind(sink, Kind.CANCELLED)) == len(people.required),
        message="cancellation notices",
    )
    cancels = by_kind(sink, Kind.CANCELLED)
    assert addressees(cancels) == people.required_emails
    assert decoded_subject(cancels[0]) == (
        f"[Chi bộ Khối phố 5] Huỷ buổi sinh hoạt ngày {new:%d/%m/%Y}"
    )
    assert str(calendar_of(cancels[0]).walk("VEVENT")[0]["status"]) == "CANCELLED"
    wait_until(settled)
    assert len(by_kind(sink, Kind.MEETING_NOTICE)) == len(people.required)
    assert Notification.objects.filter(kind=Kind.CANCELLED).count() == 3


def test_two_scans_at_once_send_one_notice_per_person(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell)
    now = notice_time(meeting)
    barrier = threading.Barrier(2)

    def scan():
        barrier.wait()
        return notify.scan_notifications(now=now)

    threads = [in_thread(scan) for _ in range(2)]
    for thread, _outcome in threads:
        thread.start()
    for thread, outcome in threads:
        thread.join(60)
        assert "error" not in outcome, outcome.get("error")
    wait_until(settled)
    notices = by_kind(sink, Kind.MEETING_NOTICE)
    assert addressees(notices) == people.required_emails
    assert rows(kind=Kind.MEETING_NOTICE).count() == 4 + 3
    assert Dispatch.objects.filter(kind=Kind.MEETING_NOTICE).count() == 1


def test_redelivered_or_duplicated_batches_send_nothing_twice(
    worker, sink, tree, people
):
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        meeting = upcoming_meeting(tree.cell)
        notify.scan_notifications(now=notice_time(meeting))  # written, not sent
    ids = list(rows(meeting=meeting).values_list("pk", flat=True))
    threads = [in_thread(notify.send_deliveries, delivery_ids=ids) for _ in range(3)]
    for thread, _outcome in threads:
        thread.start()
    for thread, _outcome in threads:
        thread.join(60)
    sent = sum(outcome["value"].sent for _thread, outcome in threads)
    assert sent == len(ids)
    # The broker hands the same batch out again (acks_late redelivery).
    again = notify_tasks.send_delivery_batch.apply(kwargs={"delivery_ids": ids})
    assert again.get() == {"sent": 0, "failed": 0, "skipped": 0}
    emails = rows(meeting=meeting, channel="email").count()
    assert len(sink.received) == emails
    assert len({delivery_id(m) for m in sink.messages()}) == emails


def test_broker_down_saves_the_meeting_and_delivers_later(
    transactional_db, sink, tree, people, monkeypatch
):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    with broker_at(closed):
        meeting = upcoming_meeting(tree.cell)  # create_meeting enqueues on commit
        services.reschedule_meeting(
            meeting=meeting,
            starts_at=meeting.starts_at + timedelta(hours=1),
            reason="Đổi giờ",
            by=None,
        )
        result = notify.scan_notifications(now=notice_time(meeting))
    assert result.broker_down
    assert result.enqueued == 0
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).hour == 20
    assert meeting.changes.filter(kind=MeetingChange.Kind.RESCHEDULED).exists()
    waiting = rows(meeting=meeting, kind=Kind.MEETING_NOTICE)
    assert waiting.count() == 7
    assert not waiting.filter(enqueued_at__isnull=False).exists()

    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    with celery_worker():  # the broker is back: the next scan catches up
        result = notify.scan_notifications(now=notice_time(meeting))
        assert result.enqueued == rows().count()
        wait_until(settled)
    assert addressees(by_kind(sink, Kind.MEETING_NOTICE)) == people.required_emails


def test_smtp_refusals_retry_with_backoff_then_deliver(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell)
    sink.refuse = 2  # the next two messages get "451 try again later"
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    assert addressees(by_kind(sink, Kind.MEETING_NOTICE)) == people.required_emails
    retried = rows(meeting=meeting, channel="email", attempts=2)
    assert retried.count() == 2
    assert all("451" in row.last_error for row in retried)
    assert set(rows(meeting=meeting).values_list("status", flat=True)) == {"sent"}


def test_permanent_refusal_fails_and_resend_delivers(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell)
    sink.refuse, sink.code = 1, "550 5.1.1 Mailbox unavailable"
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    failed = rows(meeting=meeting, status=Delivery.Status.FAILED)
    assert failed.count() == 1
    assert "550" in failed.get().last_error
    notify.resend_failed(meeting=meeting)  # the secretary's button; a worker on commit
    wait_until(settled)
    assert addressees(by_kind(sink, Kind.MEETING_NOTICE)) == people.required_emails


def test_worker_killed_mid_batch_loses_nothing(worker, sink, tree, people):
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        meeting = upcoming_meeting(tree.cell)
        notify.scan_notifications(now=notice_time(meeting))
    ids = list(rows(meeting=meeting).values_list("pk", flat=True))
    notify.claim(ids)  # claimed by a worker that was killed before sending
    rows(pk__in=ids).update(claimed_at=timezone.now() - timedelta(minutes=30))
    result = notify.scan_notifications(now=notice_time(meeting))
    assert result.requeued == len(ids)
    wait_until(settled)
    assert addressees(by_kind(sink, Kind.MEETING_NOTICE)) == people.required_emails


def test_notice_email_parses_with_the_legacy_parser_too(worker, sink, tree, people):
    """Old mail clients read the compat32 way: the subject is still decodable."""
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    legacy = email.message_from_bytes(sink.received[0][1])
    assert "Chi bộ Khối phố 5" in decoded_subject(legacy)
    assert legacy.get_content_charset() is None  # multipart container
    assert {p.get_content_type() for p in legacy.walk()} >= {
        "text/plain",
        "text/html",
        "text/calendar",
    }


def test_new_login_gets_in_app_only_once(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell)
    UserFactory(username="thuong", member=tree.others[2])
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    notify.scan_notifications(now=notice_time(meeting) + timedelta(hours=1))
    wait_until(settled)
    assert (
        Notification.objects.filter(
            user__member=tree.others[2], kind=Kind.MEETING_NOTICE
        ).count()
        == 1
    )
