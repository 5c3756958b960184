"""Services for the secretary and the member: send a meeting's failed notices
again (and top up newcomers), mark notifications read."""

from django.db import transaction
from django.utils import timezone

from meetings.models import Delivery, Dispatch, Notification

from .recipients import Work, contacts_for, notice_work, unique_members
from .rules import UPCOMING, Kind, meeting_subject
from .scan import delivery_rows, scan_on_commit


@transaction.atomic
def resend_failed(*, meeting, now=None):
    """Queue again every failed delivery of `meeting`, and write notice rows for
    required members who have none yet (e.g. joined after the notice went out),
    then ask a worker to send them once this transaction commits. Returns the
    number of rows queued."""
    wall = timezone.now()
    count = Delivery.objects.filter(
        meeting=meeting, status=Delivery.Status.FAILED
    ).update(
        status=Delivery.Status.QUEUED,
        attempts=0,
        enqueued_at=None,
        claim="",
        updated_at=wall,
    )
    if (
        meeting.state in UPCOMING
        and Dispatch.objects.filter(
            subject=meeting_subject(meeting.pk), kind=Kind.MEETING_NOTICE
        ).exists()
    ):
        work, contacts = notice_work(meeting, on=timezone.localdate(now or wall))
        before = Delivery.objects.filter(meeting=meeting).count()
        Delivery.objects.bulk_create(
            delivery_rows(work, contacts, now=wall), ignore_conflicts=True
        )
        count += Delivery.objects.filter(meeting=meeting).count() - before
    scan_on_commit(meeting.pk)
    return count


@transaction.atomic
def mark_read(*, user, pk=None):
    """Mark one notification (or, without `pk`, all of them) read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notify_invitees(*, meeting, member_ids, now=None):
    """Send the meeting notice (with its calendar file) to people just invited as
    guests, e.g. the peers of a model meeting: their delivery rows are written now,
    whether or not the members' notice is due yet, and a worker is asked to send
    them once this transaction commits. Returns the number of rows written."""
    if meeting.state not in UPCOMING or not member_ids:
        return 0
    wall = timezone.now()
    work = Work(
        Kind.MEETING_NOTICE,
        meeting_subject(meeting.pk),
        meeting.pk,
        unique_members(member_ids),
    )
    rows = delivery_rows(work, contacts_for(work.member_ids), now=now or wall)
    before = Delivery.objects.filter(meeting=meeting).count()
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    scan_on_commit(meeting.pk)
    return Delivery.objects.filter(meeting=meeting).count() - before
