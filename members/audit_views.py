"""History pages: the audit log of a member, of a meeting, and of a subtree.

Who may read it: administrators, officials of a committee over the record's
organisation (their whole subtree), and the officers (secretary, deputy, committee
members) of the record's own cell. Members and assigned supervisors see the records
themselves, not their history (403); anyone outside reach gets a 404.
"""

import json
from datetime import date, datetime

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from . import audit, permissions, selectors
from .models import AuditAction, AuditEntry

PAGE_SIZE = 50


def can_read_audit(scope, org):
    """Read the history of records of `org`: its committee officials (subtree),
    its own cell officers, admins — the people who may manage the cell."""
    return permissions.can_manage_cell(scope, org)


def _authorise(user, org):
    if not can_read_audit(selectors.get_scope(user), org):
        raise PermissionDenied


# --- presenting entries ---------------------------------------------------------------


def _model(label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _show(field, value):
    if value is None or value == "":
        return "—"
    if value == audit.REDACTED_MARK:
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
        return json.dumps(value, ensure_ascii=False)
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
        entry.actor_name = _("Background task %(name)s") % {
            "name": entry.actor_label[5:]
        }
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


def _page(request, entries):
    """One page of entries, newest first (two queries: a count and the page)."""
    entries = entries.select_related("actor__member", "member").order_by("-at", "-pk")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        describe(entry)
    return page


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- pages ----------------------------------------------------------------------------


@require_safe
def member_audit(request, pk):
    member = selectors.get_member_for_user(request.user, pk)
    _authorise(request.user, member.organization)
    page = _page(request, AuditEntry.objects.filter(member_id=member.pk))
    return render(
        request,
        "members/audit_list.html",
        {
            "title": _("History of %(name)s's records") % {"name": member.full_name},
            "org": member.organization,
            "back_url": member.get_absolute_url(),
            "back_label": member.full_name,
            "page": page,
            "query": _query_without_page(request),
        },
    )


@require_safe
def meeting_audit(request, pk):
    from meetings import selectors as meeting_selectors

    meeting = meeting_selectors.get_meeting_for_user(request.user, pk)
    _authorise(request.user, meeting.cell)
    page = _page(request, AuditEntry.objects.filter(meeting_id=meeting.pk))
    return render(
        request,
        "members/audit_list.html",
        {
            "title": _("History of the meeting %(meeting)s") % {"meeting": meeting},
            "org": meeting.cell,
            "back_url": meeting.get_absolute_url(),
            "back_label": str(meeting),
            "page": page,
            "query": _query_without_page(request),
        },
    )


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label=gettext_lazy("Record type"), required=False)
    action = forms.ChoiceField(
        label=gettext_lazy("Operation"),
        required=False,
        choices=[("", gettext_lazy("All")), *AuditAction.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = sorted(
            (
                (audit.label(model), capfirst(model._meta.verbose_name))
                for model in audit.audited_models()
            ),
            key=lambda pair: str(pair[1]),
        )
        self.fields["model"].choices = [("", _("All")), *types]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


@require_safe
def org_audit(request, pk):
    org = selectors.get_organization_for_user(request.user, pk)
    _authorise(request.user, org)
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.filter(org_path__startswith=org.path)
    if form.is_valid():
        if form.cleaned_data["model"]:
            entries = entries.filter(model=form.cleaned_data["model"])
        if form.cleaned_data["action"]:
            entries = entries.filter(action=form.cleaned_data["action"])
    return render(
        request,
        "members/audit_list.html",
        {
            "title": _("Audit log of %(org)s") % {"org": org.name},
            "org": org,
            "back_url": org.get_absolute_url(),
            "back_label": org.name,
            "form": form,
            "page": _page(request, entries),
            "query": _query_without_page(request),
        },
    )
