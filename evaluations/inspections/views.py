"""Pages of inspections: a committee's overview of the period, a cell's
inspections and the form to record one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from evaluations.lessons import selectors as lesson_selectors
from evaluations.models import Inspection
from meetings.domain import HELD_STATES
from members.api import (
    apply_errors,
    can_manage_tree,
    get_organization_for_user,
    get_scope,
    reach_q,
)
from members.models import Member

from . import selectors, services
from .forms import InspectionForm


@require_GET
def inspection_overview(request, pk):
    committee = get_organization_for_user(request.user, pk)
    if not committee.is_committee:
        raise Http404
    context = selectors.inspection_overview(committee, on=timezone.localdate())
    return render(
        request,
        "evaluations/inspections/overview.html",
        {"committee": committee, **context},
    )


@require_http_methods(["GET", "POST"])
def cell_inspections(request, pk):
    cell = get_organization_for_user(request.user, pk)
    if not cell.is_cell:
        raise Http404
    scope = get_scope(request.user)
    can_record = can_manage_tree(scope, cell)
    form = InspectionForm(
        request.POST or None,
        inspectors=Member.objects.filter(
            reach_q(scope, prefix="organization__"), is_active=True
        ).order_by("full_name")
        if can_record
        else Member.objects.none(),
        meetings=cell.meetings.filter(state__in=HELD_STATES).order_by("-starts_at"),
    )
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_inspection(
                    cell=cell, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Inspection recorded."))
                return redirect("evaluations:cell-inspections", cell.pk)
    return render(
        request,
        "evaluations/inspections/cell.html",
        {
            "cell": cell,
            "inspections": selectors.inspections_of_cell(cell),
            "form": form,
            "can_record": can_record,
        },
    )


@require_GET
def inspection_detail(request, pk):
    inspection = Inspection.objects.select_related("cell").filter(pk=pk).first()
    if inspection is None:
        raise Http404
    get_organization_for_user(request.user, inspection.cell_id)
    return redirect("evaluations:cell-inspections", inspection.cell_id)


@require_GET
def quality_panel(request, pk):
    """The compliance dashboard's panel (loaded after the page): cells not inspected
    in the current period, and the year's model meetings and lessons."""
    committee = get_organization_for_user(request.user, pk)
    if not committee.is_committee:
        raise Http404
    today = timezone.localdate()
    overview = selectors.inspection_overview(committee, on=today)
    return render(
        request,
        "evaluations/inspections/_dashboard_panel.html",
        {
            "node": committee,
            "year": today.year,
            "inspections": overview,
            "lessons": lesson_selectors.lesson_figures(committee, today.year),
        },
    )
