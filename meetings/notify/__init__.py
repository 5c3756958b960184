"""Reminders and notifications (ARCHITECTURE.md, "Notify"), one module per concern:

- `rules`: what is due when (pure: no database, no clock) and the constants;
- `recipients`: the rules in force for many cells, who receives what, contacts;
- `registry`: kinds registered by other apps (`register`, `REGISTRY`, `KindSpec`);
- `scan`: the scanner — due work, fan-out into claim rows, hand-out to workers;
- `send`: claiming and sending deliveries (in-app and email);
- `render`: claimed rows → emails and in-app messages;
- `preferences`: optional kinds a member switched off, unsubscribe tokens;
- `services`, `reads`: the secretary's resend and mark-read; reads for the pages;
- `tasks`: the Celery tasks (imported by `MeetingsConfig.ready()`);
- `views`: the pages (imported by `meetings.urls`).

The modules import one another only downwards (rules ← recipients, registry ←
scan, render ← send ← tasks); the scanner publishes the tasks by name through
`chibo.broker`. This package re-exports the names callers use as `notify.X`. A test
that patches a name patches it where it is looked up, e.g.
`meetings.notify.scan.STALE_AFTER` or `meetings.notify.send._send_inapp`.
"""

from .preferences import (
    UNSUBSCRIBE_SALT,
    preferences_for,
    read_unsubscribe_token,
    set_preferences,
    unsubscribe,
    unsubscribe_token,
)
from .reads import meeting_deliveries, unread_count
from .recipients import (
    Contact,
    Work,
    already_told,
    contacts_for,
    contributors_of,
    guests_of,
    notice_work,
    officers_of,
    required_members,
    rules_for_cells,
    supervisors_of,
    unique_members,
)
from .registry import (
    REGISTRY,
    KindSpec,
    register,
    registered_specs,
    registered_still_due,
    registered_works,
    template_for,
)
from .render import Renderer, base_url
from .rules import (
    CHANGE_WINDOW,
    HORIZON,
    LOOKBACK_DAYS,
    MEETING_BOUND_KINDS,
    OFFICERS_ONLY_KINDS,
    OFFSET_KEYS,
    OPTIONAL_KINDS,
    SEND_FROM,
    SEND_UNTIL,
    SOON,
    UPCOMING,
    Kind,
    MeetingFacts,
    Offsets,
    due_meeting_kinds,
    in_sending_hours,
    meeting_subject,
    report_reminder_kind,
)
from .scan import (
    BATCH_SIZE,
    INSERT_CHUNK,
    REQUEUE_AFTER,
    SCAN_TASK,
    SEND_BATCH_TASK,
    STALE_AFTER,
    ScanResult,
    delivery_rows,
    due_work,
    enqueue_pending,
    fan_out,
    opted_out,
    requeue_stale,
    scan_notifications,
    scan_on_commit,
)
from .send import (
    MAX_ATTEMPTS,
    SendResult,
    claim,
    release,
    send_deliveries,
    still_due,
)
from .services import mark_read, notify_invitees, resend_failed

__all__ = [
    "BATCH_SIZE",
    "CHANGE_WINDOW",
    "HORIZON",
    "INSERT_CHUNK",
    "LOOKBACK_DAYS",
    "MAX_ATTEMPTS",
    "MEETING_BOUND_KINDS",
    "OFFICERS_ONLY_KINDS",
    "OFFSET_KEYS",
    "OPTIONAL_KINDS",
    "REGISTRY",
    "REQUEUE_AFTER",
    "SCAN_TASK",
    "SEND_BATCH_TASK",
    "SEND_FROM",
    "SEND_UNTIL",
    "SOON",
    "STALE_AFTER",
    "UNSUBSCRIBE_SALT",
    "UPCOMING",
    "Contact",
    "Kind",
    "KindSpec",
    "MeetingFacts",
    "Offsets",
    "Renderer",
    "ScanResult",
    "SendResult",
    "Work",
    "already_told",
    "base_url",
    "claim",
    "contacts_for",
    "contributors_of",
    "delivery_rows",
    "due_meeting_kinds",
    "due_work",
    "enqueue_pending",
    "fan_out",
    "guests_of",
    "in_sending_hours",
    "mark_read",
    "meeting_deliveries",
    "meeting_subject",
    "notice_work",
    "notify_invitees",
    "officers_of",
    "opted_out",
    "preferences_for",
    "read_unsubscribe_token",
    "register",
    "registered_specs",
    "registered_still_due",
    "registered_works",
    "release",
    "report_reminder_kind",
    "requeue_stale",
    "required_members",
    "resend_failed",
    "rules_for_cells",
    "scan_notifications",
    "scan_on_commit",
    "send_deliveries",
    "set_preferences",
    "still_due",
    "supervisors_of",
    "template_for",
    "unique_members",
    "unread_count",
    "unsubscribe",
    "unsubscribe_token",
]
