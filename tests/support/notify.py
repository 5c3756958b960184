"""The notification tests' parts: an SMTP sink (aiosmtpd) in this process, its
fixtures (`sink`, a real `worker` on the "notify" queue, the `people` of the test
cell with addresses; registered in tests/conftest.py) and readers of deliveries."""

import asyncio
import email
import email.policy
import threading
from contextlib import contextmanager
from datetime import timedelta
from email.header import decode_header, make_header
from types import SimpleNamespace

import icalendar
import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from meetings.models import Delivery, NotificationKind
from members.models import (
    AttachmentDirection,
    Exemption,
    ExemptionReason,
    Member,
    TemporaryAttachment,
)
from tests.factories.members import LONG_AGO
from tests.factories.times import on

from .workers import celery_worker, free_port

Kind = NotificationKind


class SinkHandler:
    """Keeps every message it accepts; refuses the next `refuse` ones with `code`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received = []  # (envelope recipients, raw bytes)
        self.refuse = 0
        self.code = "451 4.3.0 Try again later"
        self.mail_delay = 0.0  # seconds before answering each MAIL FROM

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        """A slow server: the sender waits here *before* a message, so a message
        already accepted was marked sent while the next one is held."""
        if self.mail_delay:
            await asyncio.sleep(self.mail_delay)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd API
        with self.lock:
            if self.refuse:
                self.refuse -= 1
                return self.code
            self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def messages(self):
        """The accepted messages, parsed with the modern email policy."""
        with self.lock:
            raw = list(self.received)
        return [
            email.message_from_bytes(content, policy=email.policy.default)
            for _rcpt, content in raw
        ]


@contextmanager
def smtp_sink():
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def decoded_subject(message):
    """The Subject header decoded from its RFC 2047 form, by the standard library."""
    return str(make_header(decode_header(message["Subject"])))


def delivery_id(message):
    return int(message["X-Chibo-Delivery"])


def settled():
    """No delivery is waiting or being sent."""
    return not Delivery.objects.filter(
        status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    ).exists()


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


def notice_time(meeting):
    """08:00 on the notice day (notice_days = 3) of `meeting`."""
    day = timezone.localtime(meeting.starts_at).date() - timedelta(days=3)
    return on(day, 8, 0)


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
