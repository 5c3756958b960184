"""Views of meetings: decorator → authorising selector → form → service → redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chibo import uploads

# The one upward door: the meeting page links to scores and reports, and the minutes
# editor assigns next month's tasks (named in .importlinter).
from evaluations import api as evaluations_api
from members import api as members_api
from members.api import (
    apply_errors,
    can_manage_tree,
    can_run_meetings,
    effective_rules,
    get_organization_for_user,
    get_scope,
    org_ancestors,
)
from members.models import RuleKey

from . import domain, selectors, services
from .forms import (
    AddendumForm,
    AttendanceForm,
    CancelForm,
    DocumentForm,
    ExcuseForm,
    GuestForm,
    MeetingCreateForm,
    MinutesForm,
    PreparationForm,
    RescheduleForm,
    ResolutionForm,
    ReviewForm,
    SearchForm,
    VoteForm,
    YearForm,
)
from .models import (
    Addendum,
    ExcuseRequest,
    MeetingDocument,
    MeetingKind,
    MeetingState,
    Minutes,
)


def _cell_for(user, pk, action="read"):
    cell = get_organization_for_user(user, pk, action=action)
    if not cell.is_cell:
        raise Http404
    return cell


def _roles(user, meeting):
    scope = get_scope(user)
    return {
        "can_manage": can_run_meetings(scope, meeting.cell),
        "can_review": can_manage_tree(scope, meeting.cell),
        "member_id": scope.member_id,
    }


@require_http_methods(["GET", "POST"])
def plan(request, pk):
    cell = _cell_for(request.user, pk)
    scope = get_scope(request.user)
    can_manage = can_run_meetings(scope, cell)
    year = request.GET.get("year", "")
    year = (
        int(year)
        if year.isdigit() and 2000 <= int(year) <= 2100
        else (timezone.localdate().year)
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        created = services.generate_year_plan(cell=cell, year=year, by=request.user)
        if created:
            messages.success(
                request,
                _("%(n)s meetings were added to the plan of %(year)s.")
                % {"n": len(created), "year": year},
            )
        else:
            messages.info(
                request,
                _("The plan of %(year)s was already complete.") % {"year": year},
            )
        return redirect(f"{request.path}?year={year}")
    meetings = selectors.year_plan(cell, year)
    rules = effective_rules(cell)
    thematic_dates = [
        timezone.localtime(m.starts_at).date()
        for m in meetings
        if (m.kind == MeetingKind.THEMATIC or m.is_combined)
        and m.state != MeetingState.CANCELLED
    ]
    return render(
        request,
        "meetings/plan.html",
        {
            "cell": cell,
            "year": year,
            "meetings": meetings,
            "can_manage": can_manage,
            "rules": rules,
            "years": [year - 1, year, year + 1],
            "quarters_without_thematic": domain.quarters_without_thematic(
                thematic_dates, year=year
            ),
            "ancestors": org_ancestors(cell),
            "org": cell,
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    cell = _cell_for(request.user, pk)
    if not can_run_meetings(get_scope(request.user), cell):
        raise PermissionDenied
    form = MeetingCreateForm(
        request.POST or None,
        initial={
            "kind": MeetingKind.REGULAR,
            "starts_at": services.default_starts_at(cell),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.create_meeting(
                cell=cell,
                by=request.user,
                kind=data.pop("kind"),
                starts_at=data.pop("starts_at"),
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Meeting added."))
            return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "cell": cell,
            "title": _("Add a meeting"),
            "back": cell.get_absolute_url(),
        },
    )


@require_http_methods(["GET"])
def meeting_detail(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    roles = _roles(request.user, meeting)
    context = {
        "meeting": meeting,
        **roles,
        **selectors.meeting_detail(meeting, member_id=roles["member_id"]),
        "excuse_form": ExcuseForm(),
        "is_member_of_cell": roles["member_id"] is not None
        and request.user.member
        and request.user.member.organization_id == meeting.cell_id,
        "documents_visible": roles["can_manage"]
        or meeting.documents_sent_at is not None
        or roles["can_review"],
    }
    context["eval_roles"] = evaluations_api.meeting_eval_roles(request.user, meeting)
    minutes = context["minutes"]
    context.update(_detail_flags(meeting, minutes, context))
    if minutes is not None:
        rows = selectors.attendance_rows(meeting)
        context["stats"] = selectors.attendance_stats(rows, guests=meeting.guests.all())
        rules = effective_rules(meeting.cell, selectors.meeting_day(meeting))
        minimum = int(rules[RuleKey.MIN_ATTENDANCE]["value"])
        context["attendance_minimum"] = minimum
        context["attendance_short"] = domain.below_minimum_attendance(
            present=context["stats"]["present"],
            required=context["stats"]["required"],
            minimum_percent=minimum,
        )
        context["votes"] = selectors.minutes_votes(minutes)
        context["addenda"] = list(minutes.addenda.select_related("created_by"))
        context["duration"] = (
            domain.duration_minutes(minutes.started_at, minutes.ended_at)
            if minutes.started_at and minutes.ended_at
            else None
        )
        context["minimum"] = selectors.minimum_duration(meeting, rules=rules)
        context["reader_can_see_minutes"] = minutes.is_locked or roles["can_manage"]
        context["can_sign"] = roles["member_id"] in {
            minutes.chair_id,
            minutes.minute_taker_id,
        }
        context["can_sign_minutes"] = domain.still_to_sign(
            roles["member_id"],
            chair_id=minutes.chair_id,
            taker_id=minutes.minute_taker_id,
            chair_signed=minutes.chair_signed_at is not None,
            taker_signed=minutes.taker_signed_at is not None,
        ) and domain.can_sign_minutes(
            adopted=minutes.adopted_at is not None, locked=minutes.is_locked
        )
        context["addendum_rows"] = [
            (
                addendum,
                context["can_sign"]
                and not domain.is_fully_signed(
                    taker_signed=addendum.taker_signed_at is not None,
                    chair_signed=addendum.chair_signed_at is not None,
                ),
            )
            for addendum in context["addenda"]
        ]
    return render(request, "meetings/meeting_detail.html", context)


def _detail_flags(meeting, minutes, context):
    """The booleans `meeting_detail.html` shows its sections and actions by: each one
    a domain rule on the meeting's state (and the minutes') and the reader's role."""
    can_manage = context["can_manage"]
    adopted = minutes is not None and minutes.adopted_at is not None
    locked = minutes is not None and minutes.is_locked
    upcoming = domain.is_upcoming(meeting.state)
    return {
        "is_cancelled": meeting.state == MeetingState.CANCELLED,
        "is_returned": meeting.state == MeetingState.RETURNED,
        "is_held": domain.is_held(meeting.state),
        "can_prepare": can_manage and upcoming,
        "can_start": can_manage
        and upcoming
        and domain.can_start_meeting(
            today=timezone.localdate(),
            scheduled_day=timezone.localtime(meeting.starts_at).date(),
        ),
        "can_mark_notified": can_manage
        and domain.can_transition(meeting.state, MeetingState.NOTIFIED),
        "can_write_minutes": can_manage
        and domain.can_write_minutes(meeting.state, adopted=adopted),
        "can_lock_minutes": can_manage
        and minutes is not None
        and domain.can_lock_minutes(
            adopted=adopted,
            taker_signed=minutes.taker_signed_at is not None,
            chair_signed=minutes.chair_signed_at is not None,
            locked=locked,
        ),
        "can_submit_minutes": can_manage
        and domain.can_transition(meeting.state, MeetingState.SUBMITTED),
        "can_add_addendum": can_manage and locked,
        "can_issue_resolution": can_manage and locked and not context["resolution"],
        "can_review_minutes": context["can_review"]
        and domain.can_transition(meeting.state, MeetingState.ACKNOWLEDGED),
        "can_request_excuse": bool(context["is_member_of_cell"]) and upcoming,
        "has_topic_presenter": domain.has_topic_presenter(
            meeting.kind, combined=meeting.is_combined
        ),
        "excuse_rows": [
            (excuse, excuse.status == ExcuseRequest.Status.PENDING)
            for excuse in context.get("excuses") or ()
        ],
    }


@require_http_methods(["GET", "POST"])
def meeting_prepare(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    try:
        services.check_record_open(meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    form = PreparationForm(request.POST or None, instance=meeting)
    members = selectors.cell_roster(meeting.cell)
    candidates = [
        m.pk for m in members if not (m.is_exempt or m.is_away or m.is_suspended)
    ]
    last_briefed = {}
    for row in (
        meeting.cell.meetings.filter(
            news_briefer__isnull=False, starts_at__lt=meeting.starts_at
        )
        .exclude(state=MeetingState.CANCELLED)
        .values("news_briefer_id", "starts_at")
    ):
        day = row["starts_at"].date()
        if day > last_briefed.get(row["news_briefer_id"], day.min):
            last_briefed[row["news_briefer_id"]] = day
    proposed_id = domain.propose_news_briefer(candidates, last_briefed)
    proposed = next((m for m in members if m.pk == proposed_id), None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["agenda"] = data.pop("agenda_text")
        contributors = data.pop("contributors")
        try:
            services.update_meeting(
                meeting=meeting, by=request.user, contributors=contributors, **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Preparation saved."))
            return redirect(meeting)
    return render(
        request,
        "meetings/prepare.html",
        {
            "meeting": meeting,
            "form": form,
            "proposed_briefer": proposed,
            "document_form": DocumentForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_reschedule(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    form = RescheduleForm(
        request.POST or None,
        initial={
            "starts_at": timezone.localtime(meeting.starts_at),
            "place": meeting.place,
        },
    )
    return _form_page(
        request,
        meeting,
        form,
        title=_("Move the meeting"),
        save=lambda data: services.reschedule_meeting(
            meeting=meeting, by=request.user, **data
        ),
        success=_("The meeting was moved."),
    )


@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    return _form_page(
        request,
        meeting,
        CancelForm(request.POST or None),
        title=_("Cancel the meeting"),
        save=lambda data: services.cancel_meeting(
            meeting=meeting, by=request.user, reason=data["reason"]
        ),
        success=_("The meeting was cancelled."),
        danger=True,
    )


def _form_page(request, meeting, form, *, title, save, success, danger=False):
    """The shape shared by the small forms about one meeting: validate, call the
    service, show its errors on the form, or go back to the meeting."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "meeting": meeting,
            "title": title,
            "back": meeting.get_absolute_url(),
            "danger": danger,
        },
    )


def _post_action(request, meeting, action, success):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(meeting)


@require_POST
def meeting_notify(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    return _post_action(
        request,
        meeting,
        lambda: services.mark_notified(meeting=meeting, by=request.user),
        _("Recorded: members were notified."),
    )


@require_POST
def meeting_start(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    try:
        services.start_meeting(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    return redirect("meetings:attendance", pk=meeting.pk)


@require_POST
def document_upload(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                meeting=meeting,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Document attached."))
    else:
        messages.error(
            request, " ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect("meetings:meeting-prepare", pk=meeting.pk)


@require_POST
def documents_sent(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    return _post_action(
        request,
        meeting,
        lambda: services.mark_documents_sent(meeting=meeting, by=request.user),
        _("Recorded: documents were sent to members."),
    )


@require_http_methods(["GET"])
def document_download(request, pk):
    document = get_object_or_404(
        MeetingDocument.objects.select_related("meeting"), pk=pk
    )
    meeting = selectors.get_meeting_for_user(request.user, document.meeting_id)
    roles = _roles(request.user, meeting)
    if not (roles["can_manage"] or roles["can_review"] or meeting.documents_sent_at):
        raise PermissionDenied
    return uploads.download(document.file, content_type=document.content_type)


@require_POST
def excuse_request(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    member = request.user.member
    if member is None or member.organization_id != meeting.cell_id:
        raise PermissionDenied
    form = ExcuseForm(request.POST)
    if form.is_valid():
        return _post_action(
            request,
            meeting,
            lambda: services.request_excuse(
                meeting=meeting, member=member, reason=form.cleaned_data["reason"]
            ),
            _("Your request was sent to the secretary."),
        )
    messages.error(request, _("Give the reason for your absence."))
    return redirect(meeting)


@require_POST
def excuse_decide(request, pk):
    excuse = get_object_or_404(ExcuseRequest, pk=pk)
    meeting = selectors.get_meeting_for_user(
        request.user, excuse.meeting_id, action="manage"
    )
    accept = request.POST.get("decision") == "accept"
    return _post_action(
        request,
        meeting,
        lambda: services.decide_excuse(excuse=excuse, accept=accept, by=request.user),
        _("Excuse accepted.") if accept else _("Excuse refused."),
    )


@require_POST
def guest_add(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    form = GuestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the guest's name and role."))
    else:
        try:
            services.add_guest(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Guest added."))
    return redirect("meetings:attendance", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        messages.info(request, _("Start the meeting to take attendance."))
        return redirect(meeting)
    rows = selectors.attendance_rows(meeting)
    form = AttendanceForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(
                meeting=meeting, rows=form.rows_data(), by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            rows = selectors.attendance_rows(meeting)
            if not request.htmx:
                messages.success(request, _("Attendance saved."))
                return redirect("meetings:attendance", pk=meeting.pk)
    template = "meetings/attendance.html"
    if request.htmx:
        # Only the live counts are swapped: the form the secretary is typing in stays.
        template += "#attendance-counts"
    guests = list(meeting.guests.all())
    return render(
        request,
        template,
        {
            "meeting": meeting,
            "form": form,
            "minutes": minutes,
            "guest_form": GuestForm(),
            "guests": guests,
            "stats": selectors.attendance_stats(rows, guests=guests),
        },
    )


def _minutes_for(request, pk, action="manage"):
    meeting = selectors.get_meeting_for_user(request.user, pk, action=action)
    minutes = (
        Minutes.objects.filter(meeting=meeting)
        .select_related("chair", "minute_taker")
        .first()
    )
    if minutes is None:
        raise Http404
    return meeting, minutes


def _minutes_initial(minutes):
    return {
        "version": minutes.version,
        "chair": minutes.chair_id,
        "minute_taker": minutes.minute_taker_id,
        "started_at": timezone.localtime(minutes.started_at)
        if minutes.started_at
        else None,
        "ended_at": timezone.localtime(minutes.ended_at) if minutes.ended_at else None,
        "opening": minutes.opening,
        "recommendations": minutes.recommendations,
        "conclusion": minutes.conclusion,
    }


def _minutes_editor(
    request, meeting, minutes, *, form, vote_form=None, conflict=None, status=200
):
    stats = selectors.attendance_stats(
        selectors.attendance_rows(meeting), guests=meeting.guests.all()
    )
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "conflict": conflict,
            "stats": stats,
            "votes": selectors.minutes_votes(minutes),
            "vote_form": vote_form
            or VoteForm(cell=meeting.cell, on=_meeting_day(meeting)),
            "minimum": selectors.minimum_duration(meeting),
            "dues_text": _dues_text(meeting),
            **_task_panel(meeting),
        },
        status=status,
    )


def _dues_text(meeting):
    """The dues status as it stands now, shown beside the opening of a regular
    meeting (the opening recorded it when the meeting started)."""
    if meeting.kind != MeetingKind.REGULAR:
        return ""
    return members_api.meeting_dues_text(
        members_api.meeting_dues_status(meeting.cell, meeting.planned_date)
    )


def _task_panel(meeting):
    # The closing section's "tasks for next month" belongs to the evaluations app.
    return evaluations_api.minutes_task_panel(meeting)


@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    meeting, minutes = _minutes_for(request, pk)
    if minutes.is_locked or minutes.adopted_at:
        return redirect(meeting)
    form = MinutesForm(
        request.POST or None, minutes=minutes, initial=_minutes_initial(minutes)
    )
    conflict = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                minutes = services.save_minutes(
                    minutes=minutes,
                    version=data["version"],
                    by=request.user,
                    chair=data["chair"],
                    minute_taker=data["minute_taker"],
                    started_at=data["started_at"],
                    ended_at=data["ended_at"],
                    opening=data["opening"],
                    recommendations=data["recommendations"],
                    conclusion=data["conclusion"],
                    items=form.items_data(),
                )
            except services.EditConflictError as error:
                conflict = error.current_version
                status = 409
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if request.htmx:
                    return render(
                        request,
                        "meetings/_autosave_status.html",
                        {
                            "minutes": minutes,
                            "saved_at": timezone.localtime(),
                        },
                    )
                messages.success(request, _("Minutes saved."))
                return redirect("meetings:minutes-edit", pk=meeting.pk)
        elif request.htmx:
            return render(
                request,
                "meetings/_autosave_status.html",
                {"minutes": minutes, "invalid": True},
                status=422,
            )
        if conflict is not None and request.htmx:
            return render(
                request,
                "meetings/_autosave_status.html",
                {"minutes": minutes, "conflict": conflict},
                status=409,
            )
    return _minutes_editor(
        request, meeting, minutes, form=form, conflict=conflict, status=status
    )


def _meeting_day(meeting):
    return timezone.localtime(meeting.starts_at).date()


@require_POST
def vote_add(request, pk):
    meeting, minutes = _minutes_for(request, pk)
    form = VoteForm(request.POST, cell=meeting.cell, on=_meeting_day(meeting))
    if form.is_valid():
        data = form.cleaned_data
        reserved = []
        if data["reserved_member"]:
            reserved = [(data["reserved_member"], data["reserved_opinion"].strip())]
        try:
            vote = services.record_vote(
                minutes=minutes,
                subject=data["subject"],
                kind=data["kind"],
                yes=data["yes"],
                no=data["no"],
                abstain=data["abstain"],
                reserved=reserved,
                by=request.user,
                candidate=data["candidate"],
                about_member=data["about_member"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            verdict = _("passed") if vote.passed else _("did not pass")
            messages.success(
                request,
                _("Vote recorded: %(yes)s of N = %(n)s — %(verdict)s.")
                % {"yes": vote.yes, "n": vote.denominator, "verdict": verdict},
            )
            return redirect("meetings:minutes-edit", pk=meeting.pk)
    if minutes.is_locked or minutes.adopted_at:
        messages.error(
            request, " ".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect(meeting)
    # Show the editor again with what was typed in the vote form and its errors.
    editor = MinutesForm(minutes=minutes, initial=_minutes_initial(minutes))
    return _minutes_editor(
        request, meeting, minutes, form=editor, vote_form=form, status=422
    )


def _confirm_page(request, meeting, action, *, title, permanent, button, success):
    """A step that cannot be undone: GET shows what becomes permanent and a button
    (a plain form, no JavaScript needed); POST does it."""
    if request.method == "POST":
        return _post_action(request, meeting, action, success)
    return render(
        request,
        "meetings/confirm.html",
        {
            "meeting": meeting,
            "title": title,
            "permanent": permanent,
            "button": button,
            "back": meeting.get_absolute_url(),
        },
    )


@require_http_methods(["GET", "POST"])
def minutes_adopt(request, pk):
    meeting, minutes = _minutes_for(request, pk)
    return _confirm_page(
        request,
        meeting,
        lambda: services.adopt_minutes(minutes=minutes, by=request.user),
        title=_("Adopt the minutes"),
        permanent=[
            _("The cell heard the minutes read back and agreed with them."),
            _(
                "The text, the attendance and the votes can no longer be changed; "
                "the minute-taker and the chair then sign."
            ),
        ],
        button=_("Adopt the minutes"),
        success=_("The minutes were adopted. The minute-taker and the chair can sign."),
    )


@require_http_methods(["GET", "POST"])
def minutes_sign(request, pk):
    meeting, minutes = _minutes_for(request, pk, action="read")
    return _confirm_page(
        request,
        meeting,
        lambda: services.sign_minutes(minutes=minutes, user=request.user),
        title=_("Sign the minutes"),
        permanent=[
            _("Your signature is recorded with today's date and time."),
            _("A signature cannot be withdrawn."),
        ],
        button=_("Sign the minutes"),
        success=_("Signed."),
    )


@require_http_methods(["GET", "POST"])
def minutes_lock(request, pk):
    meeting, minutes = _minutes_for(request, pk)
    return _confirm_page(
        request,
        meeting,
        lambda: services.lock_minutes(minutes=minutes, by=request.user),
        title=_("Lock the minutes"),
        permanent=[
            _("The minutes become permanent: nobody can change them any more."),
            _("Corrections are made only by signed addenda."),
            _("The PDF is made once and filed in the cell's minute book."),
        ],
        button=_("Lock the minutes"),
        success=_("The minutes are locked. Corrections are now made by addenda."),
    )


@require_http_methods(["GET", "POST"])
def minutes_submit(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    return _confirm_page(
        request,
        meeting,
        lambda: services.submit_minutes(meeting=meeting, by=request.user),
        title=_("Submit to the superior committee"),
        permanent=[
            _(
                "The locked minutes go to the superior committee, which acknowledges "
                "them or returns them with a comment."
            ),
            _("A submission cannot be taken back."),
        ],
        button=_("Submit"),
        success=_("The minutes were submitted to the superior committee."),
    )


@require_http_methods(["GET", "POST"])
def minutes_review(request, pk):
    """The superior reads the minutes (left, or above on a phone) and acknowledges
    or returns them (right); the cell's secretaries are notified of the outcome."""
    meeting = selectors.get_meeting_for_user(request.user, pk, action="review")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_minutes(
                meeting=meeting,
                by=request.user,
                accept=data["decision"] == "acknowledge",
                comment=data["comment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Your review was recorded. The cell's secretary is notified."),
            )
            return redirect(meeting)
    minutes = (
        Minutes.objects.filter(meeting=meeting)
        .select_related("chair", "minute_taker")
        .first()
    )
    context = {
        "meeting": meeting,
        "form": form,
        "minutes": minutes,
        "title": _("Review the minutes"),
        "back": meeting.get_absolute_url(),
    }
    if minutes is not None:
        context.update(
            stats=selectors.attendance_stats(
                selectors.attendance_rows(meeting), guests=meeting.guests.all()
            ),
            votes=selectors.minutes_votes(minutes),
            addenda=list(minutes.addenda.select_related("created_by")),
            duration=(
                domain.duration_minutes(minutes.started_at, minutes.ended_at)
                if minutes.started_at and minutes.ended_at
                else None
            ),
            minimum=selectors.minimum_duration(meeting),
        )
    return render(request, "meetings/review.html", context)


@require_http_methods(["GET", "POST"])
def addendum_add(request, pk):
    meeting, minutes = _minutes_for(request, pk)
    return _form_page(
        request,
        meeting,
        AddendumForm(request.POST or None),
        title=_("Add an addendum"),
        save=lambda data: services.add_addendum(
            minutes=minutes, text=data["text"], by=request.user
        ),
        success=_("Addendum added; it must be signed."),
    )


@require_POST
def addendum_sign(request, pk):
    addendum = get_object_or_404(Addendum.objects.select_related("minutes"), pk=pk)
    meeting = selectors.get_meeting_for_user(request.user, addendum.minutes.meeting_id)
    return _post_action(
        request,
        meeting,
        lambda: services.sign_addendum(addendum=addendum, user=request.user),
        _("Addendum signed."),
    )


@require_http_methods(["GET", "POST"])
def resolution_issue(request, pk):
    meeting, minutes = _minutes_for(request, pk)
    form = ResolutionForm(
        request.POST or None,
        initial={
            "title": meeting.topic,
            "text": minutes.conclusion or meeting.draft_resolution,
        },
    )
    return _form_page(
        request,
        meeting,
        form,
        title=_("Issue the resolution"),
        save=lambda data: services.issue_resolution(
            meeting=meeting, by=request.user, **data
        ),
        success=lambda resolution: (
            _("Resolution %(number)s issued.")
            % {"number": resolution.number_in_sentence}
        ),
    )


@require_http_methods(["GET"])
def books(request, pk):
    cell = _cell_for(request.user, pk)
    year_form = YearForm(request.GET)
    year = year_form.cleaned_data["year"] if year_form.is_valid() else None
    return render(
        request,
        "meetings/books.html",
        {
            "cell": cell,
            "org": cell,
            "ancestors": org_ancestors(cell),
            "minute_book": selectors.minute_book(cell, year),
            "resolutions": selectors.resolution_book(cell),
            "year": year,
        },
    )


@require_http_methods(["GET"])
def my_meetings(request):
    form = SearchForm(request.GET or None)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = selectors.reading_list(request.user, search=search)
    return render(
        request, "meetings/my_meetings.html", {"form": form, "q": search, **context}
    )
