"""Field values as the audit log keeps them: bounded JSON-ready copies, redacted
personal data, and the before → after pairs of what changed."""

import json
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models.fields.files import FieldFile

from .policy import REDACTED, REDACTED_MARK, REPR_FIELDS, TEXT_LIMIT, label


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


def diff(model, fields, before, after):
    """{field name: [before, after]} for the fields whose value differs."""
    changes = {}
    for field in fields:
        old, new = before.get(field.attname), after.get(field.attname)
        if _normal(field, old) != _normal(field, new):
            changes[field.name] = _pair(model, field, old, new)
    return changes


def snapshot(model, fields, values, *, after):
    """The non-empty values of a created (after) or deleted (before) record."""
    changes = {}
    for field in fields:
        value = values.get(field.attname)
        if _is_empty(value):
            continue
        pair = _pair(model, field, value, value)
        changes[field.name] = [None, pair[1]] if after else [pair[0], None]
    return changes


def object_repr(values):
    """A short name for the record: its first non-empty REPR_FIELDS value."""
    for name in REPR_FIELDS:
        value = values.get(name)
        if value:
            return str(value)[:200]
    return ""


def loaded_values(instance, fields):
    """{attname: value} of `fields` (and the naming fields) loaded on `instance`."""
    loaded = instance.__dict__
    values = {f.attname: loaded[f.attname] for f in fields if f.attname in loaded}
    for name in REPR_FIELDS:
        if name in loaded:
            values[name] = loaded[name]
    return values
