"""meetings.notify.scan: each delivery written once, preferences honoured, lost
claims given back; the tasks it publishes by name."""

from datetime import timedelta

import pytest
from celery import current_app
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from meetings import notify
from meetings.models import Delivery, Dispatch, NotificationPreference
from meetings.notify import scan
from meetings.notify import tasks as notify_tasks
from tests.factories.meetings import upcoming_meeting
from tests.factories.times import at
from tests.support.notify import Kind, notice_time, rows


@pytest.fixture(autouse=True)
def _fixed_clock(clock):
    """Meetings are planned ten days after "today": a fixed day, whatever the
    hour or date the test runs."""
    clock(at(2026, 11, 2, 9))


def test_scan_writes_each_delivery_once(tree, people, users):
    meeting = upcoming_meeting(tree.cell, preparer=tree.member)
    now = notice_time(meeting)
    first = notify.scan_notifications(now=now)
    second = notify.scan_notifications(now=now)
    notices = rows(meeting=meeting, kind=Kind.MEETING_NOTICE)
    # Four people by email, three of them also in the app.
    assert notices.filter(channel=Delivery.Channel.EMAIL).count() == 4
    assert notices.filter(channel=Delivery.Channel.INAPP).count() == 3
    assert first.created == 4 + 3 + 2 * 2  # + preparation: secretary and preparer
    assert first.kinds == {Kind.MEETING_NOTICE: 1, Kind.PREPARATION: 1}
    assert (second.works, second.created) == (0, 0)
    assert Dispatch.objects.filter(meeting=meeting).count() == 2


def test_delivery_and_dispatch_are_unique_in_the_database(tree, people):
    meeting = upcoming_meeting(tree.cell)
    values = {
        "kind": Kind.MEETING_NOTICE,
        "subject": notify.meeting_subject(meeting.pk),
        "meeting": meeting,
        "member": tree.member,
        "channel": Delivery.Channel.EMAIL,
    }
    Delivery.objects.create(**values)
    with pytest.raises(IntegrityError):
        Delivery.objects.create(**values)


def test_optional_kind_switched_off_is_not_written(tree, people):
    meeting = upcoming_meeting(tree.cell, preparer=tree.member)
    notify.set_preferences(member=tree.member, enabled=[Kind.MINUTES_NAG])
    notify.scan_notifications(now=notice_time(meeting))
    assert not rows(member=tree.member, kind=Kind.PREPARATION).exists()
    assert rows(member=tree.secretary, kind=Kind.PREPARATION).count() == 2
    assert rows(member=tree.member, kind=Kind.MEETING_NOTICE).count() == 2


def test_meeting_notices_cannot_be_switched_off(tree):
    notify.set_preferences(member=tree.member, enabled=[])
    kinds = set(
        NotificationPreference.objects.filter(member=tree.member).values_list(
            "kind", flat=True
        )
    )
    assert kinds == set(notify.OPTIONAL_KINDS)
    assert not notify.unsubscribe(member_id=tree.member.pk, kind=Kind.MEETING_NOTICE)
    with pytest.raises(IntegrityError):
        NotificationPreference.objects.create(
            member=tree.member, kind=Kind.CANCELLED, enabled=False
        )


def test_stale_claims_go_back_to_the_queue(tree, people):
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    ids = list(rows(meeting=meeting).values_list("pk", flat=True))
    _token, claimed = notify.claim(ids)  # a worker claimed them, then died
    assert len(claimed) == len(ids)
    assert notify.requeue_stale() == 0  # a fresh claim is left alone
    rows(pk__in=ids).update(claimed_at=timezone.now() - timedelta(minutes=11))
    assert notify.requeue_stale() == len(ids)
    assert set(rows(pk__in=ids).values_list("status", flat=True)) == {"queued"}


def test_the_tasks_it_publishes_by_name_exist_on_the_notify_queue():
    """The scanner names the tasks (notify.tasks imports the scanner, not the other
    way round); every process knows them and routes them to the "notify" queue."""
    assert notify_tasks.scan_notifications_task.name == scan.SCAN_TASK
    assert notify_tasks.send_delivery_batch.name == scan.SEND_BATCH_TASK
    for name in (scan.SCAN_TASK, scan.SEND_BATCH_TASK):
        assert name in current_app.tasks
        assert settings.CELERY_TASK_ROUTES[name] == {"queue": "notify"}
