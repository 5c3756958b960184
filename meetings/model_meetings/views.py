"""Pages of model meetings: the committee's yearly plan, one model meeting with its
invitations and the invitees' attendance."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meetings.models import ModelMeeting
from members.api import (
    apply_errors,
    can_manage_tree,
    can_read_org,
    can_run_meetings,
    get_organization_for_user,
    get_scope,
)

from . import selectors, services
from .forms import InvitationForm, InviteeAttendanceForm, ModelMeetingForm


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_http_methods(["GET", "POST"])
def model_plan(request, pk):
    committee = get_organization_for_user(request.user, pk)
    if not committee.is_committee:
        raise Http404
    scope = get_scope(request.user)
    can_plan = can_manage_tree(scope, committee)
    year = _year(request)
    form = ModelMeetingForm(
        request.POST or None, cells=selectors.subtree_cells(committee)
    )
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied
        if form.is_valid():
            try:
                entry = services.plan_model_meeting(
                    committee=committee,
                    year=year,
                    by=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Model meeting planned."))
                return redirect(entry)
    return render(
        request,
        "meetings/model_meetings/plan.html",
        {
            "committee": committee,
            "year": year,
            "form": form,
            "can_plan": can_plan,
            **selectors.plan_for_committee(committee, year),
        },
    )


def get_model_meeting_for_user(user, pk, *, action="read"):
    """The model meeting `pk` if the user reaches its committee or cell, or is
    invited (else 404), and may do `action` (else 403): read, invite (committee
    officials), attendance (committee officials or the cell's officers)."""
    entry = (
        ModelMeeting.objects.select_related("committee", "cell", "meeting")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    scope = get_scope(user)
    readable = (
        can_read_org(scope, entry.committee)
        or can_read_org(scope, entry.cell)
        or entry.invitations.filter(member_id=scope.member_id or 0).exists()
    )
    if not readable:
        raise Http404
    checks = {
        "read": lambda: True,
        "invite": lambda: can_manage_tree(scope, entry.committee),
        "attendance": lambda: (
            can_manage_tree(scope, entry.committee)
            or can_run_meetings(scope, entry.cell)
        ),
    }
    if not checks[action]():
        raise PermissionDenied
    return entry


def _detail_context(request, entry, *, invite_form=None, attendance_form=None):
    scope = get_scope(request.user)
    invitations = selectors.model_meeting_detail(entry)
    can_invite = can_manage_tree(scope, entry.committee)
    can_attendance = can_invite or can_run_meetings(scope, entry.cell)
    officials = selectors.committee_officials(entry.committee, on=timezone.localdate())
    return {
        "entry": entry,
        "meeting": entry.meeting,
        "invitations": invitations,
        "can_invite": can_invite,
        "can_attendance": can_attendance,
        "invite_form": invite_form or InvitationForm(officials=officials),
        "attendance_form": attendance_form
        or InviteeAttendanceForm(invitations=invitations),
    }


@require_http_methods(["GET"])
def model_meeting_detail(request, pk):
    entry = get_model_meeting_for_user(request.user, pk)
    return render(
        request,
        "meetings/model_meetings/detail.html",
        _detail_context(request, entry),
    )


@require_POST
def model_meeting_invite(request, pk):
    entry = get_model_meeting_for_user(request.user, pk, action="invite")
    officials = selectors.committee_officials(entry.committee, on=timezone.localdate())
    form = InvitationForm(request.POST, officials=officials)
    if form.is_valid():
        try:
            created = services.generate_invitations(
                model_meeting=entry,
                committee_member_ids=form.cleaned_data["committee_members"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)s people invited and notified.") % {"count": len(created)},
            )
            return redirect(entry)
    context = _detail_context(request, entry, invite_form=form)
    return render(request, "meetings/model_meetings/detail.html", context, status=400)


@require_POST
def model_meeting_attendance(request, pk):
    entry = get_model_meeting_for_user(request.user, pk, action="attendance")
    invitations = selectors.model_meeting_detail(entry)
    form = InviteeAttendanceForm(request.POST, invitations=invitations)
    if form.is_valid():
        try:
            services.record_invitee_attendance(
                model_meeting=entry,
                present_ids=form.cleaned_data["present"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Attendance of the invitees saved."))
            return redirect(entry)
    context = _detail_context(request, entry, attendance_form=form)
    return render(request, "meetings/model_meetings/detail.html", context, status=400)
