"""The cell's party-group meetings: the list (part of the cell's record) and the
form to record one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.api import (
    apply_errors,
    can_run_meetings,
    get_organization_for_user,
    get_scope,
)
from members.models import Member

from . import selectors, services
from .forms import GroupMeetingForm


@require_http_methods(["GET", "POST"])
def group_meetings(request, pk):
    cell = get_organization_for_user(request.user, pk)
    if not cell.is_cell:
        raise Http404
    scope = get_scope(request.user)
    can_record = can_run_meetings(scope, cell)
    form = GroupMeetingForm(
        request.POST or None,
        groups=selectors.groups_of(cell),
        members=Member.objects.filter(organization=cell, is_active=True).order_by(
            "full_name"
        ),
        committee=selectors.cell_committee(cell),
    )
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_group_meeting(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Party group meeting recorded."))
                return redirect("meetings:group-meetings", cell.pk)
    return render(
        request,
        "meetings/group_meetings/list.html",
        {
            "cell": cell,
            "group_meetings": selectors.cell_group_meetings(cell),
            "form": form,
            "can_record": can_record,
        },
    )
