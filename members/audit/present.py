"""Presenting audit entries: record type, actor and field-level changes as labels."""

from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from members import hooks

from .policy import REDACTED_MARK


def _words(value):
    """A structured value (a JSON field's dict or list) as words: registered labels
    for its keys and codes, never a bare key."""
    if isinstance(value, dict):
        return "; ".join(
            f"{hooks.value_label(key) or str(key).replace('_', ' ')}: {_words(item)}"
            for key, item in value.items()
        )
    if isinstance(value, list):
        return "; ".join(_words(item) for item in value) or "—"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return str(hooks.value_label(value) or value)
    return str(value)


def _model(label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _show(field, value):
    if value is None or value == "":
        return "—"
    if value == REDACTED_MARK:
        return _("changed (value not recorded)")
    if field is not None and field.choices and not field.many_to_many:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation:
        if isinstance(value, list):
            return ", ".join(f"#{pk}" for pk in value) or "—"
        return f"#{value}"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and field is not None:
        internal = field.get_internal_type()
        try:
            if internal == "DateTimeField":
                moment = timezone.localtime(datetime.fromisoformat(value))
                return formats.date_format(moment, "d/m/Y H:i")
            if internal == "DateField":
                return formats.date_format(date.fromisoformat(value), "d/m/Y")
        except ValueError:
            return value
    if isinstance(value, dict | list):
        return _words(value)
    if isinstance(value, str) and hooks.value_label(value):
        return str(hooks.value_label(value))
    return str(value)


def describe(entry):
    """Labels for one entry: record type, actor and field-level changes."""
    model = _model(entry.model)
    entry.type_label = capfirst(model._meta.verbose_name) if model else entry.model
    if entry.actor_id and entry.actor is not None:
        entry.actor_name = entry.actor.display_name
    elif entry.actor_label == "system":
        entry.actor_name = _("System")
    elif entry.actor_label == "anonymous":
        entry.actor_name = _("Not logged in")
    elif entry.actor_label.startswith("task:"):
        # The task's name is a code: the reader sees that the system did it.
        entry.actor_name = _("System (background task)")
    else:
        entry.actor_name = entry.actor_label
    rows = []
    for name, pair in sorted(entry.changes.items()):
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        label = capfirst(getattr(field, "verbose_name", name)) if field else name
        before, after = pair if isinstance(pair, list) else (None, pair)
        rows.append(
            {
                "label": label,
                "before": _show(field, before),
                "after": _show(field, after),
            }
        )
    entry.rows = rows
    if entry.member_id and entry.member is not None:
        entry.member_url = reverse("members:member-detail", args=[entry.member_id])
    if entry.meeting_id:
        entry.meeting_url = reverse("meetings:meeting-detail", args=[entry.meeting_id])
    return entry
