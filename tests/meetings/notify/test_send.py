"""meetings.notify.send and render: what a worker does with the rows it claimed."""

import email
import email.header
import email.policy

import pytest

from meetings import notify, services
from meetings.models import Delivery, Meeting
from meetings.notify import send
from meetings.notify.render import Renderer
from tests.factories.meetings import upcoming_meeting
from tests.support.notify import Kind, notice_time, rows


def test_cancelled_meeting_skips_its_waiting_notices(tree, people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    services.cancel_meeting(meeting=meeting, reason="Bão lớn", by=None)
    ids = list(rows(meeting=meeting).values_list("pk", flat=True))
    result = notify.send_deliveries(delivery_ids=ids)
    assert result.sent == 0
    assert result.skipped == len(ids)
    assert set(rows(meeting=meeting).values_list("status", flat=True)) == {
        Delivery.Status.SKIPPED
    }


def test_a_failing_batch_gives_its_rows_back(tree, people, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    ids = list(rows(meeting=meeting).values_list("pk", flat=True))

    def broken(*args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(send, "_send_inapp", broken)
    with pytest.raises(RuntimeError):
        notify.send_deliveries(delivery_ids=ids)
    given_back = rows(pk__in=ids)
    assert set(given_back.values_list("status", flat=True)) == {"queued"}
    assert set(given_back.values_list("last_error", flat=True)) == {
        "RuntimeError: template exploded"
    }
    monkeypatch.undo()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify.send_deliveries(delivery_ids=ids).sent == len(ids)


def test_raw_smtp_bytes_carry_each_recipient_and_fall_back_on_long_lines(
    tree, people, settings
):
    settings.CHIBO_BASE_URL = "https://chibo.test"
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    emails = list(
        rows(meeting=meeting, channel="email", kind=Kind.MEETING_NOTICE)
        .select_related("member", "meeting__cell")
        .order_by("pk")
    )
    renderer = Renderer(emails)
    for row in emails:
        sender, recipient, raw = renderer.raw(row)
        assert sender == "no-reply@localhost"
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert recipient == row.member.email
        assert message["To"].addresses[0].display_name == row.member.full_name
        assert message["X-Chibo-Delivery"] == str(row.pk)
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert f"Kính gửi đồng chí {row.member.full_name}," in text
        assert b"CHIBO-" not in raw
    # An agenda item with a 1,000-character line: the parts would be
    # quoted-printable, so these rows go the EmailMessage way.
    Meeting.objects.filter(pk=meeting.pk).update(agenda=[{"title": "Ý kiến " * 150}])
    for row in emails:
        row.meeting.refresh_from_db()
    assert Renderer(emails).raw(emails[0]) is None


def test_quotes_and_ampersands_are_escaped_once_not_twice(
    tree, people, settings, member_client
):
    """A topic `"Đoàn kết" & kỷ luật` showed as `&quot;…&amp;…` in the in-app list
    and in e-mail Subject headers."""
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tree.cell.name = 'Chi bộ "Đoàn kết" & kỷ luật'
    tree.cell.save()
    meeting = upcoming_meeting(tree.cell, topic='"Đoàn kết" & kỷ luật')
    notify.scan_notifications(now=notice_time(meeting))
    ids = list(rows(meeting=meeting).values_list("pk", flat=True))

    notify.send_deliveries(delivery_ids=ids)

    subjects = {
        str(email.header.make_header(email.header.decode_header(message.subject)))
        for message in mail.outbox
    }
    assert subjects
    assert all('[Chi bộ "Đoàn kết" & kỷ luật]' in subject for subject in subjects)
    assert not any("&quot;" in s or "&amp;" in s for s in subjects)
    page = member_client.get("/notifications/").content.decode()
    assert "&amp;quot;" not in page
    assert "&amp;amp;" not in page
    assert "Chi bộ &quot;Đoàn kết&quot; &amp; kỷ luật" in page
