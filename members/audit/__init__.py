"""The audit log: who created, changed or deleted a party record, when, and what.

Every concrete model of the members, meetings and evaluations apps is audited unless
it is listed in EXCLUDED (logs of their own, notification deliveries, tokens,
rollups, import batches…), so a model added later is covered without extra work.
Saves and deletes are caught by model signals (receivers.py). Bulk writes bypass
signals, so services write party records in bulk through `bulk_create`,
`bulk_update` and `update` (record.py), which record the same entries.

The actor comes from a context variable (actor.py): the request, set by
members.middleware.AuditContextMiddleware; "task:<name>" inside a Celery task; else
"system" (management commands, the shell). The entry is written in the same
transaction as the change: a rolled-back change leaves no entry.

What is kept (policy.py, diff.py): field-level before → after values. What is not:
contact details, birth date and card number of members (only *that* they changed,
see REDACTED), and long texts beyond TEXT_LIMIT characters (minutes keep full
revisions of their own). Where a record sits (context.py) — its organisation path,
member and meeting — decides who may read its history (views.py).
"""

from .actor import acting, current_actor
from .context import routes
from .diff import plain
from .policy import (
    AUDITED_APPS,
    EXCLUDED,
    IGNORED,
    REDACTED,
    REDACTED_MARK,
    TEXT_LIMIT,
    audited_models,
    is_audited,
    label,
    tracked_fields,
)
from .receivers import connect
from .record import bulk_create, bulk_update, update

__all__ = [
    "AUDITED_APPS",
    "EXCLUDED",
    "IGNORED",
    "REDACTED",
    "REDACTED_MARK",
    "TEXT_LIMIT",
    "acting",
    "audited_models",
    "bulk_create",
    "bulk_update",
    "connect",
    "current_actor",
    "is_audited",
    "label",
    "plain",
    "routes",
    "tracked_fields",
    "update",
]
