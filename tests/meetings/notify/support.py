"""What the notification tests share: the clock helpers, the people of the
test cell, meetings placed in the future, the SMTP sink and a real Celery worker
(fixtures: import them, e.g. in a conftest.py)."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.utils import timezone

from meetings import services
from meetings.models import Delivery, Meeting, MeetingKind, NotificationKind
from members.models import (
    AttachmentDirection,
    Exemption,
    ExemptionReason,
    Member,
    TemporaryAttachment,
)
from tests.meetings.notify_helpers import celery_worker, delivery_id, smtp_sink

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
Kind = NotificationKind
LONG_AGO = date(2020, 1, 1)


def local(day, hour=8, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HANOI)


@pytest.fixture
def people(tree, users):
    """The cell of `tree` with addresses: secretary, member and three others (one
    exempted, one transferred out) plus the supervisor of the cell."""
    named = {
        tree.secretary: "bithu@chibo.test",
        tree.member: "dangvien@chibo.test",
        tree.others[0]: "mienhop@chibo.test",
        tree.others[1]: "vangmat@chibo.test",
        tree.others[2]: "thuong@chibo.test",
        tree.supervisor: "theodoi@chibo.test",
        tree.official: "capuy@chibo.test",
    }
    for member, address in named.items():
        Member.objects.filter(pk=member.pk).update(email=address)
        member.email = address
    Exemption.objects.create(
        member=tree.others[0], reason=ExemptionReason.OLD_AGE, start=LONG_AGO
    )
    TemporaryAttachment.objects.create(
        member=tree.others[1],
        direction=AttachmentDirection.OUT,
        other_unit="Chi bộ Quân sự",
        start=LONG_AGO,
    )
    required = [tree.secretary, tree.member, tree.others[2], tree.supervisor]
    return SimpleNamespace(
        required=required,
        required_emails=sorted(m.email for m in required),
        with_login=[tree.secretary, tree.member, tree.supervisor],
    )


def upcoming_meeting(cell, *, days=10, kind=MeetingKind.REGULAR, **fields):
    """A meeting `days` after the real today at 19:30, with a place and an agenda.

    Ten days ahead nothing is due by the real clock, so the scans a worker runs on
    its own (after a move, say) never race the frozen-clock scans of a test."""
    day = timezone.localdate() + timedelta(days=days)
    meeting = services.create_meeting(
        cell=cell,
        kind=kind,
        starts_at=local(day, 19, 30),
        by=None,
        place="Nhà văn hoá khối phố 5",
        **fields,
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda=[{"title": "Tình hình tháng"}, {"title": "Nhiệm vụ tháng tới"}]
    )
    meeting.refresh_from_db()
    return meeting


def notice_time(meeting):
    """08:00 on the notice day (notice_days = 3) of `meeting`."""
    day = timezone.localtime(meeting.starts_at).date() - timedelta(days=3)
    return local(day, 8, 0)


def rows(**filters):
    return Delivery.objects.filter(**filters)


@pytest.fixture
def sink(settings):
    with smtp_sink() as (controller, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = controller.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.DEFAULT_FROM_EMAIL = "Chi bộ <no-reply@chibo.test>"
        settings.CHIBO_BASE_URL = "https://chibo.test"
        settings.CHIBO_NOTIFY_RETRY_SECONDS = 0.2
        yield handler


@pytest.fixture
def worker(transactional_db, sink, monkeypatch):
    # The worker thread must not keep its connection to the test database open.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    with celery_worker() as started:
        yield started


def kind_of(message):
    return Delivery.objects.values_list("kind", flat=True).get(pk=delivery_id(message))


def by_kind(sink, kind):
    return [m for m in sink.messages() if kind_of(m) == kind]


def addressees(messages):
    return sorted(m["To"].addresses[0].addr_spec for m in messages)


def calendar_of(message):
    part = next(
        p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"
    )
    return icalendar.Calendar.from_ical(part.get_content())
