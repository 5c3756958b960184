"""Faults of issue 8.5 for notifications, with the real parts: Redis unreachable
while a secretary schedules and moves a meeting through the real pages, and a real
worker process killed (SIGKILL) in the middle of a reminder batch."""

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings import notify
from meetings.models import Delivery, Meeting, MeetingChange, NotificationKind
from meetings.notify import scan
from tests.factories import MemberFactory
from tests.factories.meetings import upcoming_meeting
from tests.factories.times import on
from tests.support import database_url
from tests.support.notify import (
    addressees,
    by_kind,
    delivery_id,
    kind_of,
    notice_time,
    settled,
    smtp_sink,
)
from tests.support.workers import broker_at, celery_worker, free_port, wait_until

ROOT = Path(__file__).resolve().parents[3]
Kind = NotificationKind


@pytest.fixture
def unreachable():
    """A broker URL nothing listens on: Redis "down" without stopping the shared
    server."""
    return f"redis://127.0.0.1:{free_port()}/0"


def test_pages_work_with_the_broker_down_and_notices_follow(
    transactional_db,
    sink,
    tree,
    people,
    secretary_client,
    unreachable,
    monkeypatch,
    clock,
):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    # The secretary works at 04:40: the scans below run at chosen times, and the
    # reschedule notice is owed for a week from the real moment of the move.
    moved_at = clock(on(date(2026, 10, 13), 4, 40))
    day = moved_at.date() + timedelta(days=10)
    # 1. Redis is down: the secretary plans a meeting through the real form.
    with broker_at(unreachable):
        response = secretary_client.post(
            reverse("meetings:meeting-create", args=[tree.cell.pk]),
            {
                "kind": "extraordinary",
                "starts_at": f"{day:%d/%m/%Y} 19:30",
                "place": "Hội trường khối phố",
                "topic": "Xét kết nạp đảng viên",
            },
        )
        meeting = Meeting.objects.get(topic="Xét kết nạp đảng viên")
        assert response.status_code == 302
        assert response.url == meeting.get_absolute_url()
        assert secretary_client.get(response.url).status_code == 200
        # The scan on the notice day writes the notices; the broker refuses them.
        down = notify.scan_notifications(now=notice_time(meeting))
    assert down.broker_down
    assert down.enqueued == 0
    notices = Delivery.objects.filter(meeting=meeting, kind=Kind.MEETING_NOTICE)
    assert notices.count() == 7
    assert not notices.exclude(status="queued").exists()

    # 2. Redis is back: the next scan hands them out, everyone is told once.
    with celery_worker():
        notify.scan_notifications(now=notice_time(meeting))
        wait_until(settled, message="notices sent")
    assert addressees(by_kind(sink, Kind.MEETING_NOTICE)) == people.required_emails

    # 3. Down again: the secretary moves the meeting through the real form.
    moved = day + timedelta(days=1)
    with broker_at(unreachable):
        response = secretary_client.post(
            reverse("meetings:meeting-reschedule", args=[meeting.pk]),
            {
                "starts_at": f"{moved:%d/%m/%Y} 18:00",
                "place": "Nhà văn hoá",
                "reason": "Trùng lịch họp phường",
            },
        )
        assert response.status_code == 302
        page = secretary_client.get(
            reverse("meetings:meeting-notifications", args=[meeting.pk])
        )
        assert page.status_code == 200
    meeting.refresh_from_db()
    assert meeting.starts_at == on(moved, 18, 0)
    assert meeting.changes.get(kind=MeetingChange.Kind.RESCHEDULED).reason == (
        "Trùng lịch họp phường"
    )
    assert not Delivery.objects.filter(kind=Kind.RESCHEDULED).exists()

    # 4. Back: the scanner catches up with the move; each notified person once.
    with celery_worker():
        # The first scan after the move (minutes later, at night: a move is told at
        # any hour).
        notify.scan_notifications(now=timezone.now() + timedelta(minutes=5))
        wait_until(settled, message="reschedule notices sent")
    moves = by_kind(sink, Kind.RESCHEDULED)
    assert addressees(moves) == people.required_emails
    assert "18:00" in moves[0].get_body(preferencelist=("plain",)).get_content()
    assert len(by_kind(sink, Kind.MEETING_NOTICE)) == len(people.required)


def start_worker_process(port):
    """`celery worker` as a separate process on the test Redis and test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chibo.settings",
        "DATABASE_URL": database_url(),
        "DB_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": os.environ["REDIS_URL"],
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "BASE_URL": "https://chibo.test",
        "LOG_LEVEL": "WARNING",
    }
    celery = Path(sys.executable).with_name("celery")
    process = subprocess.Popen(  # noqa: S603 — our own worker
        [
            *(str(celery), "-A", "chibo", "worker", "-Q", "notify", "-P", "solo"),
            *("--without-gossip", "--without-mingle", "-l", "warning"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return process


def test_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(
    transactional_db, tree, people, monkeypatch
):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    for i in range(20):
        MemberFactory(organization=tree.cell, email=f"dv{i:02}@chibo.test")
    meeting = upcoming_meeting(tree.cell)
    with smtp_sink() as (controller, handler):
        handler.mail_delay = 0.3  # a slow server: the batch takes seconds
        with celery_worker():  # only to empty the test queue of earlier messages
            pass
        worker = start_worker_process(controller.port)
        try:
            notify.scan_notifications(now=notice_time(meeting), batch_size=10)
            emails = Delivery.objects.filter(meeting=meeting, channel="email")

            def mid_batch():
                got = len(handler.received)
                return got >= 3 and emails.filter(status="sent").count() == got

            wait_until(mid_batch, timeout=60, message="a batch half sent")
            os.killpg(worker.pid, signal.SIGKILL)  # no warm shutdown, no ack
            worker.wait(10)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(10)
        at_kill = len(handler.received)
        stranded = Delivery.objects.filter(status=Delivery.Status.SENDING).count()
        assert stranded > 0  # claimed by the dead worker, not sent
        assert at_kill < emails.count()

        # A new worker; the scanner gives stale claims back and hands them out.
        handler.mail_delay = 0
        monkeypatch.setattr(scan, "STALE_AFTER", timedelta(seconds=1))
        time.sleep(1.1)
        worker = start_worker_process(controller.port)
        try:
            result = notify.scan_notifications(now=notice_time(meeting))
            assert result.requeued == stranded
            wait_until(settled, timeout=60, message="everything sent after the kill")
        finally:
            worker.terminate()
            worker.wait(30)
        ids = [delivery_id(m) for m in handler.messages()]
        assert sorted(ids) == sorted(emails.values_list("pk", flat=True))  # 0 lost
        assert len(ids) == len(set(ids))  # 0 sent twice
        assert {kind_of(m) for m in handler.messages()} == {
            Kind.MEETING_NOTICE,
            Kind.PREPARATION,
        }
        assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
