"""Pages of lesson-drawing: a committee's sessions, one session (feedback, the
chair's conclusions), marking a promised lesson applied, and the figures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluations.models import LessonPromise, LessonSession
from meetings.api import committee_officials
from members.api import (
    apply_errors,
    can_manage_tree,
    can_read_org,
    can_run_meetings,
    get_organization_for_user,
    get_scope,
)
from members.models import Member

from . import selectors, services
from .forms import ApplyForm, ConcludeForm, FeedbackForm, SessionForm


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _committee(user, pk):
    committee = get_organization_for_user(user, pk)
    if not committee.is_committee:
        raise Http404
    return committee


def _session_form(committee, year, data=None):
    officials = committee_officials(committee, on=timezone.localdate())
    return SessionForm(
        data,
        chairs=Member.objects.filter(pk__in=[p.member_id for p in officials]),
        model_meetings=selectors.model_meetings_for_sessions(committee, year),
    )


@require_http_methods(["GET", "POST"])
def lesson_sessions(request, pk):
    committee = _committee(request.user, pk)
    scope = get_scope(request.user)
    can_open = can_manage_tree(scope, committee)
    year = _year(request)
    form = _session_form(committee, year, request.POST or None)
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied
        if form.is_valid():
            try:
                session = services.open_session(
                    committee=committee, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Lesson-drawing session recorded."))
                return redirect(session)
    return render(
        request,
        "evaluations/lessons/session_list.html",
        {
            "committee": committee,
            "year": year,
            "sessions": selectors.sessions_for_committee(committee, year),
            "form": form,
            "can_open": can_open,
        },
    )


def get_session_for_user(user, pk):
    """The session `pk` if the user reaches its committee or was invited to one of
    its model meetings (else 404); with the user's invitation and whether they
    chair it as a committee official."""
    session = (
        LessonSession.objects.select_related("committee", "chair").filter(pk=pk).first()
    )
    if session is None:
        raise Http404
    scope = get_scope(user)
    invitation = selectors.own_invitation(session, scope.member_id)
    if not can_read_org(scope, session.committee) and invitation is None:
        raise Http404
    can_conclude = can_manage_tree(scope, session.committee)
    return session, invitation, can_conclude


def _session_context(request, session, invitation, can_conclude, **forms):
    detail = selectors.session_detail(session)
    own = next(
        (i for i in detail["invitations"] if invitation and i.pk == invitation.pk),
        None,
    )
    feedback = own.feedback if own else None
    initial = {}
    if feedback is not None:
        initial = {
            "worked": feedback.worked,
            "did_not_work": feedback.did_not_work,
            "will_adopt": feedback.will_adopt,
            "score": feedback.score,
        }
    return {
        "session": session,
        **detail,
        "own_invitation": own,
        "can_feedback": own is not None,
        "can_conclude": can_conclude,
        "feedback_form": forms.get("feedback_form") or FeedbackForm(initial=initial),
        "conclude_form": forms.get("conclude_form")
        or ConcludeForm(
            initial={"conclusions": session.conclusions, "lessons": session.lessons}
        ),
    }


@require_GET
def lesson_session(request, pk):
    session, invitation, can_conclude = get_session_for_user(request.user, pk)
    return render(
        request,
        "evaluations/lessons/session_detail.html",
        _session_context(request, session, invitation, can_conclude),
    )


@require_POST
def lesson_feedback(request, pk):
    session, invitation, can_conclude = get_session_for_user(request.user, pk)
    if invitation is None or invitation.attended is not True:
        raise PermissionDenied
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.record_feedback(
                session=session,
                invitation=invitation,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your feedback is saved."))
            return redirect(session)
    context = _session_context(
        request, session, invitation, can_conclude, feedback_form=form
    )
    return render(
        request, "evaluations/lessons/session_detail.html", context, status=400
    )


@require_POST
def lesson_conclude(request, pk):
    session, invitation, can_conclude = get_session_for_user(request.user, pk)
    if not can_conclude:
        raise PermissionDenied
    form = ConcludeForm(request.POST)
    if form.is_valid():
        try:
            services.conclude_session(
                session=session, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Conclusions saved."))
            return redirect(session)
    context = _session_context(
        request, session, invitation, can_conclude, conclude_form=form
    )
    return render(
        request, "evaluations/lessons/session_detail.html", context, status=400
    )


@require_POST
def promise_apply(request, pk):
    promise = LessonPromise.objects.select_related("cell").filter(pk=pk).first()
    scope = get_scope(request.user)
    if promise is None or not can_read_org(scope, promise.cell):
        raise Http404
    if not can_run_meetings(scope, promise.cell):
        raise PermissionDenied
    form = ApplyForm(request.POST)
    meeting = None
    meeting_id = request.POST.get("meeting", "")
    if meeting_id.isdigit():
        meeting = promise.cell.meetings.filter(pk=int(meeting_id)).first()
    if form.is_valid():
        try:
            services.mark_promise_applied(
                promise=promise,
                note=form.cleaned_data["note"],
                meeting=meeting,
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The lesson is marked applied."))
    else:
        messages.error(request, _("Say how the lesson was applied."))
    if meeting is not None:
        return redirect(meeting)
    return redirect(promise.cell)


@require_GET
def lesson_dashboard(request, pk):
    committee = _committee(request.user, pk)
    year = _year(request)
    return render(
        request,
        "evaluations/lessons/dashboard.html",
        {
            "committee": committee,
            "year": year,
            **selectors.lesson_figures(committee, year),
        },
    )
