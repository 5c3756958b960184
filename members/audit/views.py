"""History pages: the audit log of a member and of a subtree, and the page other apps
render for their records (`render_history`, e.g. a meeting's history).

Who may read it: administrators, officials of a committee over the record's
organisation (their whole subtree), and the officers (secretary, deputy, committee
members) of the record's own cell. Members and assigned supervisors see the records
themselves, not their history (403); anyone outside reach gets a 404.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from members import permissions, selectors
from members.models import AuditEntry

from .forms import AuditFilterForm
from .present import describe

PAGE_SIZE = 50


def can_read_audit(scope, org):
    """Read the history of records of `org`: its committee officials (subtree),
    its own cell officers, admins — the people who may manage the cell."""
    return permissions.can_manage_cell(scope, org)


def _authorise(user, org):
    if not can_read_audit(selectors.get_scope(user), org):
        raise PermissionDenied


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


def render_history(request, *, org, entries, title, back_url, back_label, form=None):
    """The history page of `entries`, records of `org`: 403 unless the user may read
    the history of `org` (see can_read_audit); one page of entries, newest first."""
    _authorise(request.user, org)
    context = {
        "title": title,
        "org": org,
        "back_url": back_url,
        "back_label": back_label,
        "page": _page(request, entries),
        "query": _query_without_page(request),
    }
    if form is not None:
        context["form"] = form
    return render(request, "members/audit_list.html", context)


# --- pages ----------------------------------------------------------------------------


@require_safe
def member_audit(request, pk):
    member = selectors.get_member_for_user(request.user, pk)
    return render_history(
        request,
        org=member.organization,
        entries=AuditEntry.objects.filter(member_id=member.pk),
        title=_("History of %(name)s's records") % {"name": member.full_name},
        back_url=member.get_absolute_url(),
        back_label=member.full_name,
    )


@require_safe
def org_audit(request, pk):
    org = selectors.get_organization_for_user(request.user, pk)
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.filter(org_path__startswith=org.path)
    if form.is_valid():
        if form.cleaned_data["model"]:
            entries = entries.filter(model=form.cleaned_data["model"])
        if form.cleaned_data["action"]:
            entries = entries.filter(action=form.cleaned_data["action"])
    return render_history(
        request,
        org=org,
        entries=entries,
        title=_("Audit log of %(org)s") % {"org": org.name},
        back_url=org.get_absolute_url(),
        back_label=org.name,
        form=form,
    )
