"""The audit log: who created, changed or deleted a party record, when, and what.

Every concrete model of the members, meetings and evaluations apps is audited unless
it is listed in EXCLUDED (logs of their own, notification deliveries, tokens,
rollups, import batches…), so a model added later is covered without extra work.
Saves and deletes are caught by model signals. Bulk writes bypass signals, so
services write party records in bulk through `bulk_create`, `bulk_update` and
`update` below, which record the same entries.

The actor comes from a context variable: the request, set by
chibo.middleware.AuditContextMiddleware; "task:<name>" inside a Celery task; else
"system" (management commands, the shell). The entry is written in the same
transaction as the change: a rolled-back change leaves no entry.

What is kept: field-level before → after values. What is not: contact details,
birth date and card number of members (only *that* they changed, see REDACTED), and
long texts beyond TEXT_LIMIT characters (minutes keep full revisions of their own).
"""

import contextvars
import json
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.db.models import F, Value
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Coalesce, NullIf
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.utils import timezone

from .models import AuditAction, AuditEntry, Member, Organization

AUDITED_APPS = ("members", "meetings", "evaluations")
# Lower-case "app.model" labels that are not party records or are logs themselves.
EXCLUDED = frozenset(
    {
        "members.auditentry",  # the log itself
        "members.memberevent",  # a member's dated history, append-only already
        "members.importbatch",  # staged uploads; the imported members are audited
        "meetings.meetingchange",  # the meeting's own change log
        "meetings.minutesrevision",  # full snapshots of each minutes version
        "meetings.calendartoken",  # secrets: never copied anywhere
        "meetings.notification",
        "meetings.delivery",
        "meetings.dispatch",
        "meetings.notificationpreference",
        "meetings.minutebookjob",  # a background job; the book is built from records
        "evaluations.cellmonth",  # rollups: recomputed from audited rows
        "evaluations.rollupdirty",
        "evaluations.cellperiod",  # rollups by period, rebuilt from cellmonth
    }
)
# Fields never compared: bookkeeping that changes on every save or login.
IGNORED = {"members.user": {"last_login", "large_text"}}
# Personal data: the entry says the field changed, never its values.
REDACTED = {
    "members.member": {
        "birth_date",
        "phone",
        "email",
        "residence",
        "party_card_number",
    },
    "members.linkedperson": {"phone", "address"},
    "members.user": {"password", "email"},
}
REDACTED_MARK = "•••"
TEXT_LIMIT = 300
REPR_FIELDS = ("full_name", "name", "title", "subject", "topic", "username")
MEMBER_FKS = ("member", "supervisor", "assignee")
ORG_FKS = ("cell", "organization", "residence_cell")

_actor = contextvars.ContextVar("chibo_audit_actor", default=None)
_routes = {}  # model → {"org": lookup, "meeting": lookup, "member": lookup}


# --- who is acting -------------------------------------------------------------------


@contextmanager
def acting(actor):
    """Run a block as `actor`: a request (its user), or a label like "task:x"."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor():
    """(user id or None, label) of whoever is writing now."""
    value = _actor.get()
    if value is None:
        return None, "system"
    if isinstance(value, str):
        return None, value
    user = getattr(value, "user", None)
    if user is not None and user.is_authenticated:
        return user.pk, user.get_username()[:150]
    return None, "anonymous"


_task_tokens = {}  # task id → the context token to restore when it ends


def _task_started(task_id=None, task=None, **kwargs):
    label = f"task:{getattr(task, 'name', '?')}"[:150]
    _task_tokens[task_id] = _actor.set(label)


def _task_finished(task_id=None, **kwargs):
    # Restore what was there: a task run eagerly inside a request gives the
    # request its user back.
    token = _task_tokens.pop(task_id, None)
    try:
        if token is not None:
            _actor.reset(token)
    except ValueError:  # set in another context
        _actor.set(None)


# --- which models, which fields -------------------------------------------------------


def label(model):
    return model._meta.label_lower


def is_audited(model):
    meta = model._meta
    return (
        meta.app_label in AUDITED_APPS
        and not meta.abstract
        and not meta.proxy
        and not meta.auto_created
        and label(model) not in EXCLUDED
    )


def audited_models():
    return [
        model
        for app in AUDITED_APPS
        if apps.is_installed(app)
        for model in apps.get_app_config(app).get_models()
        if is_audited(model)
    ]


def tracked_fields(model, names=None):
    """Concrete fields compared on save: not the key, not auto timestamps."""
    ignored = IGNORED.get(label(model), set())
    fields = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in ignored:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if names is not None and field.name not in names and field.attname not in names:
            continue
        fields.append(field)
    return fields


def _forward_fks(model):
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one)
    ]


def _meeting_model():
    if apps.is_installed("meetings"):
        return apps.get_model("meetings", "Meeting")
    return None


def _route_to(model, target, *, choose=None, depth=3):
    """Lookup from `model` to `target` through foreign keys (shortest first)."""
    meeting_model = _meeting_model()
    stops = {Member, Organization, apps.get_model("members", "User"), meeting_model}
    queue = [(model, "")]
    for _level in range(depth):
        following = []
        for current, prefix in queue:
            links = [f for f in _forward_fks(current) if f.related_model is target]
            if choose is not None:
                links = choose(links)
            if links:
                return prefix + links[0].name
            for field in _forward_fks(current):
                related = field.related_model
                if related in stops or related._meta.app_label not in AUDITED_APPS:
                    continue
                following.append((related, f"{prefix}{field.name}__"))
        queue = following
    return None


def _choose_member(links):
    named = [f for f in links if f.name in MEMBER_FKS]
    return named or (links if len(links) == 1 else [])


def _choose_org(links):
    rank = {name: index for index, name in enumerate(ORG_FKS)}
    return sorted(links, key=lambda f: rank.get(f.name, len(ORG_FKS)))


def routes(model):
    """How to find the organisation path, meeting and member of a record of `model`."""
    if model in _routes:
        return _routes[model]
    meeting_model = _meeting_model()
    if model is meeting_model:
        meeting = "pk"
    else:
        meeting = _route_to(model, meeting_model) if meeting_model else None
    if model is Member:
        member = "pk"
    else:
        # Only a direct link says whose record it is (not a report's supervisor).
        member = _route_to(model, Member, choose=_choose_member, depth=1)
    # Every way to the record's organisation, best first: a nullable link (a rating
    # without a meeting) falls back to the next one.
    candidates = []
    if model is Organization:
        candidates.append("path")
    if meeting:
        candidates.append("cell__path" if meeting == "pk" else f"{meeting}__cell__path")
    direct = _route_to(model, Organization, choose=_choose_org, depth=1)
    if direct:
        candidates.append(f"{direct}__path")
    if member:
        candidates.append(
            "organization__path" if member == "pk" else f"{member}__organization__path"
        )
    if not candidates:
        found = _route_to(model, Organization, choose=_choose_org)
        if found:
            candidates.append(f"{found}__path")
    org = list(dict.fromkeys(candidates)) or None
    _routes[model] = {"org": org, "meeting": meeting, "member": member}
    return _routes[model]


def _context_expressions(model):
    found = routes(model)
    expressions = {
        f"audit_{key}": F(found[key])
        for key in ("meeting", "member")
        if found[key] is not None
    }
    if found["org"]:
        # A node being created has no path yet (""): fall back to the next way.
        paths = [NullIf(F(lookup), Value("")) for lookup in found["org"]]
        expressions["audit_org"] = paths[0] if len(paths) == 1 else Coalesce(*paths)
    return expressions


# --- values ---------------------------------------------------------------------------


def _cut(text):
    return text if len(text) <= TEXT_LIMIT else f"{text[:TEXT_LIMIT]}… ({len(text)})"


def plain(value):
    """A JSON-ready, bounded copy of a field value."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dict | list | tuple):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        return value if len(text) <= TEXT_LIMIT else _cut(text)
    return _cut(str(value))


def _normal(field, value):
    try:
        return field.to_python(value)
    except Exception:  # compare as given when it does not parse
        return value


def _pair(model, field, before, after):
    if field.name in REDACTED.get(label(model), ()):
        return [REDACTED_MARK, REDACTED_MARK]
    return [plain(before), plain(after)]


def _is_empty(value):
    return value is None or value in ("", [], {})


def _diff(model, fields, before, after):
    """{field name: [before, after]} for the fields whose value differs."""
    changes = {}
    for field in fields:
        old, new = before.get(field.attname), after.get(field.attname)
        if _normal(field, old) != _normal(field, new):
            changes[field.name] = _pair(model, field, old, new)
    return changes


def _snapshot(model, fields, values, *, after):
    """The non-empty values of a created (after) or deleted (before) record."""
    changes = {}
    for field in fields:
        value = values.get(field.attname)
        if _is_empty(value):
            continue
        pair = _pair(model, field, value, value)
        changes[field.name] = [None, pair[1]] if after else [pair[0], None]
    return changes


def _repr(values):
    for name in REPR_FIELDS:
        value = values.get(name)
        if value:
            return str(value)[:200]
    return ""


def _entry(model, pk, action, changes, context, values):
    actor_id, actor_label = current_actor()
    return AuditEntry(
        at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        model=label(model),
        object_id=pk,
        object_repr=_repr(values),
        changes=changes,
        org_path=(context or {}).get("audit_org") or "",
        member_id=(context or {}).get("audit_member"),
        meeting_id=(context or {}).get("audit_meeting"),
    )


def _contexts(model, pks):
    rows = model._base_manager.filter(pk__in=list(pks)).values(
        "pk", **_context_expressions(model)
    )
    return {row["pk"]: row for row in rows}


def _values(instance, fields):
    loaded = instance.__dict__
    values = {f.attname: loaded[f.attname] for f in fields if f.attname in loaded}
    for name in REPR_FIELDS:
        if name in loaded:
            values[name] = loaded[name]
    return values


# --- signal receivers -----------------------------------------------------------------


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance.__dict__.pop("_audit_before", None)
    if raw or instance._state.adding or instance.pk is None:
        return
    fields = tracked_fields(sender, update_fields)
    if not fields:
        return
    row = (
        sender._base_manager.filter(pk=instance.pk)
        .values(*[f.attname for f in fields], **_context_expressions(sender))
        .first()
    )
    instance.__dict__["_audit_before"] = (fields, row)


def _after_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    fields, before = instance.__dict__.pop("_audit_before", (None, None))
    if created:
        fields = tracked_fields(sender)
        values = _values(instance, fields)
        context = _contexts(sender, [instance.pk]).get(instance.pk)
        changes = _snapshot(sender, fields, values, after=True)
        _entry(sender, instance.pk, AuditAction.CREATE, changes, context, values).save()
    elif before is not None:
        after = _values(instance, fields)
        changes = _diff(sender, fields, before, after)
        if changes:
            entry = _entry(
                sender, instance.pk, AuditAction.UPDATE, changes, before, after
            )
            entry.save()


def _before_delete(sender, instance, **kwargs):
    if instance.pk is None:
        return
    instance.__dict__["_audit_context"] = _contexts(sender, [instance.pk]).get(
        instance.pk
    )


def _after_delete(sender, instance, **kwargs):
    context = instance.__dict__.pop("_audit_context", None)
    fields = tracked_fields(sender)
    values = _values(instance, fields)
    changes = _snapshot(sender, fields, values, after=False)
    _entry(sender, instance.pk, AuditAction.DELETE, changes, context, values).save()


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
    context = _contexts(owner, [instance.pk]).get(instance.pk)
    changes = {field.name: [sorted(before), sorted(after)]}
    values = _values(instance, [])
    _entry(owner, instance.pk, AuditAction.UPDATE, changes, context, values).save()


def connect():
    """Register the receivers for every audited model (called from AppConfig.ready)."""
    from celery.signals import task_postrun, task_prerun

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
    task_prerun.connect(_task_started, dispatch_uid="audit-task-start", weak=False)
    task_postrun.connect(_task_finished, dispatch_uid="audit-task-end", weak=False)


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
        contexts = _contexts(model, [obj.pk for obj in rows])
        entries = []
        for obj in rows:
            values = _values(obj, fields)
            changes = _snapshot(model, fields, values, after=True)
            entries.append(
                _entry(
                    model,
                    obj.pk,
                    AuditAction.CREATE,
                    changes,
                    contexts.get(obj.pk),
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
        .values("pk", *[f.attname for f in tracked], **_context_expressions(model))
        .order_by()
    }
    count = model._default_manager.bulk_update(objs, fields, **options)
    entries = []
    for obj in objs:
        row = before.get(obj.pk)
        if row is None:
            continue
        after = _values(obj, tracked)
        changes = _diff(model, tracked, row, after)
        if changes:
            entries.append(
                _entry(model, obj.pk, AuditAction.UPDATE, changes, row, after)
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
        .values("pk", *names, **_context_expressions(model))
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
        changes = _diff(model, tracked, row, after.get(pk, {}))
        if changes:
            entries.append(
                _entry(model, pk, AuditAction.UPDATE, changes, row, after.get(pk, {}))
            )
    AuditEntry.objects.bulk_create(entries)
    return count


def _has(model, name):
    return any(f.name == name for f in model._meta.concrete_fields)
