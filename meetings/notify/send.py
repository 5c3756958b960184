"""Sending: a worker claims delivery rows (queued → sending under its own token),
drops those whose reason no longer holds or whose kind the person switched off,
and sends the rest — in-app ones in one transaction with their notifications,
emails one by one over one SMTP connection, each row marked the moment the server
accepted it. Rows left "sending" by a killed worker go back to the queue after
`scan.STALE_AFTER`; a message accepted by the SMTP server in the instant before its
row was marked sent is the one case sent twice (with the same Message-ID).

Liveness (claims, stamps) always uses the wall clock.
"""

import logging
import smtplib
import uuid
from dataclasses import dataclass, field

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from meetings.models import (
    MANDATORY_KINDS,
    Delivery,
    Meeting,
    MeetingChange,
    MeetingState,
    Notification,
    NotificationPreference,
)
from meetings.models.meeting import NOTICES_SENT
from members.api import audited_update

from .registry import registered_still_due
from .render import Renderer
from .rules import UPCOMING, Kind

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # sends of one row (and retries of one batch task)


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retry_ids: list = field(default_factory=list)


def still_due(delivery):
    """Whether the reason for a claimed row still holds when it is about to go."""
    meeting = delivery.meeting
    if meeting is None:
        return True
    if delivery.kind in {
        Kind.MEETING_NOTICE,
        Kind.PREPARATION,
        Kind.PRESENTER,
        Kind.RESCHEDULED,
    }:
        return meeting.state in UPCOMING
    if delivery.kind == Kind.DOCUMENTS_MISSING:
        return meeting.state in UPCOMING and meeting.documents_sent_at is None
    if delivery.kind == Kind.MISSED_MEETING:
        return meeting.state in UPCOMING
    if delivery.kind == Kind.MINUTES_NAG:
        return meeting.state == MeetingState.HELD
    if delivery.kind == Kind.CANCELLED:
        return meeting.is_cancelled
    return True


def claim(delivery_ids):
    """Move these rows queued → sending under a fresh token; return the rows this
    call won (with person, login and meeting), in id order."""
    token = uuid.uuid4().hex
    wall = timezone.now()
    Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENDING,
        claim=token,
        claimed_at=wall,
        attempts=F("attempts") + 1,
        updated_at=wall,
    )
    return token, list(
        Delivery.objects.filter(
            pk__in=delivery_ids, claim=token, status=Delivery.Status.SENDING
        )
        .select_related("member__user", "meeting__cell")
        .order_by("pk")
    )


def _finish(rows, token, status, *, error="", wall=None):
    wall = wall or timezone.now()
    values = {"status": status, "updated_at": wall}
    if error or status != Delivery.Status.SENT:  # a sent row keeps why it was retried
        values["last_error"] = error[:255]
    if status == Delivery.Status.SENT:
        values["sent_at"] = wall
    if status == Delivery.Status.QUEUED:
        values["enqueued_at"] = wall  # a retry is scheduled: the scanner waits
    return Delivery.objects.filter(pk__in=[row.pk for row in rows], claim=token).update(
        **values
    )


def _mark_sent(pk, token):
    """One accepted email → its row sent, at once (a worker killed right after
    loses nothing and sends nothing twice). Plain SQL: this runs once a message,
    and the ORM's query building was a sixth of the sending time."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    wall = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, updated_at = %s "  # noqa: S608 — our table name
            "WHERE id = %s AND claim = %s",
            [Delivery.Status.SENT, wall, wall, pk, token],
        )
        return cursor.rowcount


def _fast_commits():
    """Status updates need not wait for the disk: a killed worker loses nothing
    committed (only a crash of PostgreSQL itself could lose the last instant)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def send_deliveries(*, delivery_ids):
    """Send the rows among `delivery_ids` that this call can claim: in-app ones in
    one transaction with their notifications, emails one by one over one SMTP
    connection, each marked the moment the server accepted it. Returns a SendResult
    whose `retry_ids` were put back in the queue after a temporary failure."""
    token, rows = claim(delivery_ids)
    result = SendResult()
    if not rows:
        return result
    _fast_commits()
    try:
        _send_claimed(rows, token, result)
    except Exception as error:
        release(rows, token, error)
        raise
    return result


def release(rows, token, error):
    """After an unexpected error, give back the rows of this claim not finished yet:
    to the queue (the scanner hands them out again after REQUEUE_AFTER), or failed
    once out of attempts — instead of waiting STALE_AFTER as if the worker died."""
    wall = timezone.now()
    mine = Delivery.objects.filter(
        pk__in=[r.pk for r in rows], claim=token, status=Delivery.Status.SENDING
    )
    text = f"{type(error).__name__}: {error}"[:255]
    mine.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Delivery.Status.FAILED, last_error=text, updated_at=wall
    )
    mine.update(
        status=Delivery.Status.QUEUED,
        last_error=text,
        enqueued_at=wall,
        updated_at=wall,
    )
    logger.exception("notification batch failed; its rows were given back")


def _send_claimed(rows, token, result):
    skip = set(
        NotificationPreference.objects.filter(
            member_id__in={r.member_id for r in rows},
            kind__in=[r.kind for r in rows if r.kind not in MANDATORY_KINDS],
            enabled=False,
        ).values_list("member_id", "kind")
    )
    holding = registered_still_due(rows)
    live, dropped = [], []
    for row in rows:
        due = row.subject in holding if row.kind in holding.kinds else still_due(row)
        if due and (row.member_id, row.kind) not in skip:
            live.append(row)
        else:
            dropped.append(row)
    if dropped:
        result.skipped = _finish(dropped, token, Delivery.Status.SKIPPED)
    renderer = Renderer(live)
    inapp = [r for r in live if r.channel == Delivery.Channel.INAPP]
    emails = [r for r in live if r.channel == Delivery.Channel.EMAIL]
    if inapp:
        result.sent += _send_inapp(inapp, token, renderer)
    if emails:
        _send_emails(emails, token, renderer, result)
    _mark_meetings_notified(r for r in live if r.kind == Kind.MEETING_NOTICE)


def _send_inapp(rows, token, renderer):
    notifications = []
    for row in rows:
        user = getattr(row.member, "user", None)
        if user is None or not user.is_active:
            continue
        message = renderer.message(row)
        notifications.append(
            Notification(
                user=user,
                kind=row.kind,
                meeting_id=row.meeting_id,
                title=message.subject[:255],
                body=message.summary,
                url=message.path,
            )
        )
    with transaction.atomic():
        Notification.objects.bulk_create(notifications)
        return _finish(rows, token, Delivery.Status.SENT)


def _permanent(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _record_failure(rows, token, error, result):
    """A refused or failed send: permanent refusals (5xx) and rows out of attempts
    fail; the others go back to the queue for the task's retry."""
    text = f"{type(error).__name__}: {error}"
    permanent = _permanent(error)
    gave_up = [r for r in rows if permanent or r.attempts >= MAX_ATTEMPTS]
    again = [r for r in rows if not (permanent or r.attempts >= MAX_ATTEMPTS)]
    if gave_up:
        result.failed += _finish(gave_up, token, Delivery.Status.FAILED, error=text)
    if again:
        _finish(again, token, Delivery.Status.QUEUED, error=text)
        result.retry_ids += [r.pk for r in again]
    logger.warning(
        "SMTP: %s deliveries failed, %s to retry: %s", len(gave_up), len(again), text
    )


def _send_emails(rows, token, renderer, result):
    mail = get_connection(fail_silently=False)
    # Over SMTP the messages go as bytes built from one template per subject
    # (render.Renderer.raw); other backends (files, tests) get EmailMessages.
    direct = isinstance(mail, SMTPBackend)
    index = 0
    try:
        mail.open()
        for index, row in enumerate(rows):  # noqa: B007 — read after the loop
            try:
                raw = renderer.raw(row) if direct else None
                if raw is None:
                    renderer.email(row, connection=mail).send()
                else:
                    mail.connection.sendmail(raw[0], [raw[1]], raw[2])
            except (
                smtplib.SMTPResponseException,
                smtplib.SMTPRecipientsRefused,
            ) as error:  # this message was refused; the connection still works
                _record_failure([row], token, error, result)
            else:
                result.sent += _mark_sent(row.pk, token)
        index = len(rows)
    except (smtplib.SMTPException, OSError) as error:
        # The server or the network went away: this row and the rest wait.
        _record_failure(rows[index:], token, error, result)
    finally:
        try:
            mail.close()
        except (smtplib.SMTPException, OSError):
            logger.info("SMTP connection already closed")


def _mark_meetings_notified(rows):
    """The first notices out move a planned meeting to notified (conditional UPDATE,
    so the manual "mark as notified" and a concurrent batch never clash)."""
    planned = {
        r.meeting_id
        for r in rows
        if r.meeting is not None and r.meeting.state == MeetingState.PLANNED
    }
    wall = timezone.now()
    for meeting_id in planned:
        with transaction.atomic():
            moved = audited_update(
                Meeting.objects.filter(pk=meeting_id, state=MeetingState.PLANNED),
                state=MeetingState.NOTIFIED,
                notified_at=wall,
                updated_at=wall,
            )
            if moved:
                MeetingChange.objects.create(
                    meeting_id=meeting_id,
                    kind=MeetingChange.Kind.STATE,
                    before=MeetingState.PLANNED,
                    after=MeetingState.NOTIFIED,
                    reason=NOTICES_SENT,
                    at=wall,
                )
