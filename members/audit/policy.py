"""Which models and fields the audit log covers, and what it keeps of their values.

Every concrete model of the audited apps is covered unless listed in EXCLUDED, so a
model added later is covered without extra work.
"""

from django.apps import apps

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
    "members.candidate": {"birth_date", "phone", "email", "residence"},
    "members.user": {"password", "email"},
}
REDACTED_MARK = "•••"
TEXT_LIMIT = 300
# Fields that name a record in its entry (object_repr), first non-empty wins.
REPR_FIELDS = ("full_name", "name", "title", "subject", "topic", "username")


def label(model):
    """The model's lower-case "app.model" label, as stored in AuditEntry.model."""
    return model._meta.label_lower


def is_audited(model):
    """Whether saves and deletes of `model` are written to the audit log."""
    meta = model._meta
    return (
        meta.app_label in AUDITED_APPS
        and not meta.abstract
        and not meta.proxy
        and not meta.auto_created
        and label(model) not in EXCLUDED
    )


def audited_models():
    """Every audited model of the installed audited apps."""
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
