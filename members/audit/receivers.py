"""Model signal receivers: every save, delete and many-to-many change of an audited
model writes its entry; connect() registers them (from MembersConfig.ready)."""

from celery.signals import task_postrun, task_prerun
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)

from members.models import AuditAction

from .actor import task_finished, task_started
from .context import context_expressions, contexts
from .diff import diff, loaded_values, snapshot
from .policy import audited_models, is_audited, label, tracked_fields
from .record import entry


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance.__dict__.pop("_audit_before", None)
    if raw or instance._state.adding or instance.pk is None:
        return
    fields = tracked_fields(sender, update_fields)
    if not fields:
        return
    row = (
        sender._base_manager.filter(pk=instance.pk)
        .values(*[f.attname for f in fields], **context_expressions(sender))
        .first()
    )
    instance.__dict__["_audit_before"] = (fields, row)


def _after_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    fields, before = instance.__dict__.pop("_audit_before", (None, None))
    if created:
        fields = tracked_fields(sender)
        values = loaded_values(instance, fields)
        context = contexts(sender, [instance.pk]).get(instance.pk)
        changes = snapshot(sender, fields, values, after=True)
        entry(sender, instance.pk, AuditAction.CREATE, changes, context, values).save()
    elif before is not None:
        after = loaded_values(instance, fields)
        changes = diff(sender, fields, before, after)
        if changes:
            entry(
                sender, instance.pk, AuditAction.UPDATE, changes, before, after
            ).save()


def _before_delete(sender, instance, **kwargs):
    if instance.pk is None:
        return
    instance.__dict__["_audit_context"] = contexts(sender, [instance.pk]).get(
        instance.pk
    )


def _after_delete(sender, instance, **kwargs):
    context = instance.__dict__.pop("_audit_context", None)
    fields = tracked_fields(sender)
    values = loaded_values(instance, fields)
    changes = snapshot(sender, fields, values, after=False)
    entry(sender, instance.pk, AuditAction.DELETE, changes, context, values).save()


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Adding or removing related rows of an audited record's many-to-many field."""
    if reverse or not is_audited(type(instance)):
        return
    field = next(
        (
            f
            for f in type(instance)._meta.many_to_many
            if f.remote_field.through is sender
        ),
        None,
    )
    if field is None:
        return
    if action in {"pre_add", "pre_remove", "pre_clear"}:
        current = set(getattr(instance, field.name).values_list("pk", flat=True))
        instance.__dict__[f"_audit_m2m_{field.name}"] = current
        return
    before = instance.__dict__.pop(f"_audit_m2m_{field.name}", None)
    if before is None:
        return
    if action == "post_add":
        after = before | set(pk_set or ())
    elif action == "post_remove":
        after = before - set(pk_set or ())
    else:
        after = set()
    if after == before:
        return
    owner = type(instance)
    context = contexts(owner, [instance.pk]).get(instance.pk)
    changes = {field.name: [sorted(before), sorted(after)]}
    values = loaded_values(instance, [])
    entry(owner, instance.pk, AuditAction.UPDATE, changes, context, values).save()


def connect():
    """Register the receivers for every audited model (called from AppConfig.ready)."""
    for model in audited_models():
        uid = f"audit-{label(model)}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _m2m_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )
    task_prerun.connect(task_started, dispatch_uid="audit-task-start", weak=False)
    task_postrun.connect(task_finished, dispatch_uid="audit-task-end", weak=False)
