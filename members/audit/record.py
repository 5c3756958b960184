"""Writing entries: one entry per created, changed or deleted row, in the same
transaction as the change (a rolled-back change leaves no entry).

Bulk writes bypass model signals, so services write party records in bulk through
`bulk_create`, `bulk_update` and `update` below, which record the same entries the
signal receivers record for single saves.
"""

from django.db import transaction
from django.utils import timezone

from members.models import AuditAction, AuditEntry

from .actor import current_actor
from .context import context_expressions, contexts
from .diff import diff, loaded_values, object_repr, snapshot
from .policy import REPR_FIELDS, is_audited, label, tracked_fields


def entry(model, pk, action, changes, context, values):
    """An unsaved AuditEntry for row `pk` of `model`, by the current actor."""
    actor_id, actor_label = current_actor()
    return AuditEntry(
        at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        model=label(model),
        object_id=pk,
        object_repr=object_repr(values),
        changes=changes,
        org_path=(context or {}).get("audit_org") or "",
        member_id=(context or {}).get("audit_member"),
        meeting_id=(context or {}).get("audit_meeting"),
    )


# --- bulk writes: services call these instead of the QuerySet methods -----------------


def bulk_create(objs, **options):
    """`Model.objects.bulk_create(objs)` that records one entry per created row."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    created = model._default_manager.bulk_create(objs, **options)
    if is_audited(model):
        fields = tracked_fields(model)
        rows = [obj for obj in created if obj.pk is not None]
        found = contexts(model, [obj.pk for obj in rows])
        entries = []
        for obj in rows:
            values = loaded_values(obj, fields)
            changes = snapshot(model, fields, values, after=True)
            entries.append(
                entry(
                    model,
                    obj.pk,
                    AuditAction.CREATE,
                    changes,
                    found.get(obj.pk),
                    values,
                )
            )
        AuditEntry.objects.bulk_create(entries)
    return created


def _locked(queryset):
    if transaction.get_connection(queryset.db).in_atomic_block:
        return queryset.select_for_update(of=("self",))
    return queryset


def bulk_update(objs, fields, **options):
    """`Model.objects.bulk_update(objs, fields)` that records what changed per row."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    if not is_audited(model):
        return model._default_manager.bulk_update(objs, fields, **options)
    tracked = tracked_fields(model, set(fields))
    before = {
        row["pk"]: row
        for row in _locked(model._base_manager.filter(pk__in=[o.pk for o in objs]))
        .values("pk", *[f.attname for f in tracked], **context_expressions(model))
        .order_by()
    }
    count = model._default_manager.bulk_update(objs, fields, **options)
    entries = []
    for obj in objs:
        row = before.get(obj.pk)
        if row is None:
            continue
        after = loaded_values(obj, tracked)
        changes = diff(model, tracked, row, after)
        if changes:
            entries.append(
                entry(model, obj.pk, AuditAction.UPDATE, changes, row, after)
            )
    AuditEntry.objects.bulk_create(entries)
    return count


def update(queryset, **values):
    """`queryset.update(**values)` that records the before → after of each row."""
    model = queryset.model
    if not is_audited(model):
        return queryset.update(**values)
    tracked = tracked_fields(model, set(values))
    names = [f.attname for f in tracked]
    before = {
        row["pk"]: row
        for row in _locked(queryset)
        .values("pk", *names, **context_expressions(model))
        .order_by()
    }
    count = queryset.update(**values)
    if not count or not before:
        return count
    after = {
        row["pk"]: row
        for row in model._base_manager.filter(pk__in=list(before)).values(
            "pk", *names, *[n for n in REPR_FIELDS if _has(model, n)]
        )
    }
    entries = []
    for pk, row in before.items():
        changes = diff(model, tracked, row, after.get(pk, {}))
        if changes:
            entries.append(
                entry(model, pk, AuditAction.UPDATE, changes, row, after.get(pk, {}))
            )
    AuditEntry.objects.bulk_create(entries)
    return count


def _has(model, name):
    return any(f.name == name for f in model._meta.concrete_fields)
