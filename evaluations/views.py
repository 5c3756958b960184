"""Pages of the evaluations app: decorator → authorising selector → form → service
→ redirect."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings.api import get_meeting_for_user
from meetings.models import MeetingState
from members import api as member_api
from members.api import (
    apply_errors,
    can_edit_org,
    can_manage_tree,
    can_run_meetings,
    can_set_rule,
    get_organization_for_user,
    get_scope,
    rule_value,
)
from members.models import RuleKey

from . import domain, selectors, services
from .facts import meeting_facts
from .forms import (
    MonthForm,
    RecommendationUpdateForm,
    ReportForm,
    RubricChoiceForm,
    RubricVersionForm,
    ScoreForm,
    TaskForm,
    TaskReviewForm,
)
from .models import (
    AnnualRating,
    RatingLevel,
    Recommendation,
    RecommendationStatus,
    ScoreRole,
    SupervisionReport,
    Task,
)


@require_GET
def my_tasks(request):
    context = selectors.tasks_for_home(request.user)
    return render(request, "evaluations/task_list.html", context)


@require_POST
def task_add(request, pk):
    meeting = get_meeting_for_user(request.user, pk, action="manage")
    form = TaskForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assign_task(
                meeting=meeting,
                text=data["text"],
                deadline=data["deadline"],
                assignees=data["assignees"],
                party_group=data["party_group"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Task assigned."))
            return redirect(f"{_minutes_url(meeting)}#tasks-heading")
    return render(
        request,
        "evaluations/task_form.html",
        {
            "meeting": meeting,
            "task_form": form,
            **selectors.meeting_task_panel(meeting),
        },
        status=422,
    )


def _minutes_url(meeting):

    return reverse("meetings:minutes-edit", args=[meeting.pk])


@require_POST
def task_remove(request, pk):
    task = get_object_or_404(Task, pk=pk)
    meeting = get_meeting_for_user(request.user, task.meeting_id, action="manage")
    try:
        services.remove_task(task=task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Task removed."))
    return redirect(f"{_minutes_url(meeting)}#tasks-heading")


@require_http_methods(["GET", "POST"])
def task_review(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    roles = selectors.meeting_roles(request.user, meeting)
    rows = selectors.review_rows(meeting)
    can_record = roles["can_manage"] and meeting.state == MeetingState.HELD
    form = TaskReviewForm(request.POST or None, tasks=rows)
    if request.method == "POST":
        if not roles["can_manage"]:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.review_tasks(
                    meeting=meeting, outcomes=form.outcomes(), by=request.user
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Task outcomes saved."))
                return redirect("evaluations:task-review", pk=meeting.pk)
    return render(
        request,
        "evaluations/task_review.html",
        {"meeting": meeting, "form": form, "can_record": can_record, **roles},
        status=422 if form.errors else 200,
    )


# --- meeting-quality scores -----------------------------------------------------------


def _score_access(request, pk, role):

    if role not in ScoreRole.values:
        raise Http404
    meeting = get_meeting_for_user(request.user, pk)
    roles = selectors.meeting_roles(request.user, meeting)
    allowed = (
        roles["can_manage"]
        if role == ScoreRole.SELF
        else (roles["is_supervisor"] or roles["can_review"])
    )
    if not allowed:
        raise PermissionDenied
    return meeting, roles


@require_http_methods(["GET", "POST"])
def score_edit(request, pk, role):

    meeting, roles = _score_access(request, pk, role)
    self_score, supervisor_score = selectors.meeting_scores(meeting)
    existing = self_score if role == ScoreRole.SELF else supervisor_score
    rubric = existing.rubric if existing else selectors.rubric_for_meeting(meeting)
    thematic = meeting.is_thematic
    form = ScoreForm(
        request.POST or None,
        rubric=rubric,
        thematic=thematic,
        points=existing.points if existing else None,
        initial={"note": existing.note if existing else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.score_meeting(
                meeting=meeting,
                role=role,
                manual=form.manual_points(),
                note=form.cleaned_data["note"],
                by=request.user,
                rubric=rubric,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Score saved."))
            return redirect("evaluations:quality", pk=meeting.pk)

    facts, evidence = meeting_facts(meeting)
    preview = domain.rubric_score(
        rubric.groups, facts=facts, manual={}, thematic_month=thematic
    )
    groups = []
    for group in rubric.groups:
        rows = []
        for item in group["items"]:
            if item.get("thematic") and not thematic:
                continue
            rows.append(
                {
                    **item,
                    "field": form.field_for(item["key"]),
                    "auto_points": preview["items"][item["key"]]
                    if item.get("auto")
                    else None,
                }
            )
        groups.append({**group, "rows": rows})
    return render(
        request,
        "evaluations/score_form.html",
        {
            "meeting": meeting,
            "role": role,
            "is_self_score": role == ScoreRole.SELF,
            "rubric": rubric,
            "form": form,
            "groups": groups,
            "facts": facts,
            "evidence": evidence,
            **roles,
        },
        status=422 if form.errors else 200,
    )


@require_GET
def quality(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    roles = selectors.meeting_roles(request.user, meeting)
    self_score, supervisor_score = selectors.meeting_scores(meeting)
    rubric = (
        (self_score or supervisor_score).rubric
        if (self_score or supervisor_score)
        else selectors.rubric_for_meeting(meeting)
    )
    thematic = meeting.is_thematic
    facts = (
        (self_score or supervisor_score).facts
        if (self_score or supervisor_score)
        else None
    )
    return render(
        request,
        "evaluations/quality.html",
        {
            "meeting": meeting,
            "rubric": rubric,
            "self_score": self_score,
            "supervisor_score": supervisor_score,
            "groups": selectors.score_rows(
                rubric,
                thematic=thematic,
                self_score=self_score,
                supervisor_score=supervisor_score,
            ),
            "stored": facts,
            "can_score_self": roles["can_manage"],
            "can_score_supervisor": roles["is_supervisor"] or roles["can_review"],
            **roles,
        },
    )


# --- supervisors' reports and recommendations -----------------------------------------


@require_http_methods(["GET", "POST"])
def report_file(request, pk):

    meeting = get_meeting_for_user(request.user, pk)
    roles = selectors.meeting_roles(request.user, meeting)
    if not roles["is_supervisor"]:
        raise PermissionDenied
    existing = SupervisionReport.objects.filter(
        meeting=meeting, supervisor_id=roles["member_id"]
    ).first()
    initial = (
        {
            "attended": existing.attended,
            "summary": existing.summary,
            "observations": existing.observations,
        }
        if existing
        else {}
    )
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.file_report(
                meeting=meeting,
                supervisor=request.user.member,
                attended=data["attended"],
                summary=data["summary"],
                observations=data["observations"],
                recommendations=form.recommendations(),
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Report filed."))
            return redirect(report)
    _self_score, supervisor_score = selectors.meeting_scores(meeting)
    return render(
        request,
        "evaluations/report_form.html",
        {
            "meeting": meeting,
            "form": form,
            "existing": existing,
            "supervisor_score": supervisor_score,
        },
        status=422 if form.errors else 200,
    )


def _report_for(user, pk):

    report = (
        SupervisionReport.objects.select_related(
            "meeting", "supervisor", "score", "cell"
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    meeting = get_meeting_for_user(user, report.meeting_id)
    roles = selectors.meeting_roles(user, meeting)
    if not (roles["can_manage"] or roles["can_review"] or roles["is_supervisor"]):
        raise PermissionDenied
    return report, meeting, roles


@require_GET
def report_detail(request, pk):

    report, meeting, roles = _report_for(request.user, pk)

    status = domain.report_status(
        due_on=report.due_on,
        submitted_on=timezone.localtime(report.submitted_at).date()
        if report.submitted_at
        else None,
        today=timezone.localdate(),
    )
    return render(
        request,
        "evaluations/report_detail.html",
        {
            "report": report,
            "meeting": meeting,
            "status": status,
            "recommendations": list(report.recommendations.all()),
            **roles,
        },
    )


def _committee_org(user, pk):

    return get_organization_for_user(user, pk, action="tree")


@require_GET
def reports_overview(request, pk):

    org = _committee_org(request.user, pk)
    form = MonthForm(request.GET or None)
    today = timezone.localdate()
    year, month = today.year, today.month
    if form.is_valid() and form.cleaned_data["month"]:
        year, month = (int(part) for part in form.cleaned_data["month"].split("-"))
    previous = date(year, month, 1).replace(day=1)
    context = selectors.reports_overview(org, year=year, month=month)
    return render(
        request,
        "evaluations/reports_overview.html",
        {"org": org, "form": form, "month": previous, **context},
    )


@require_GET
def recommendation_list(request, pk):

    org = _committee_org(request.user, pk)
    status = request.GET.get("status", "")
    if status not in RecommendationStatus.values:
        status = ""
    return render(
        request,
        "evaluations/recommendation_list.html",
        {
            "org": org,
            "status": status,
            "statuses": RecommendationStatus.choices,
            **selectors.recommendations_for_org(org, status=status),
        },
    )


@require_http_methods(["GET", "POST"])
def recommendation_detail(request, pk):

    rec = (
        Recommendation.objects.select_related("cell", "meeting", "report__supervisor")
        .filter(pk=pk)
        .first()
    )
    if rec is None or rec.meeting_id is None:
        raise Http404
    meeting = get_meeting_for_user(request.user, rec.meeting_id)
    roles = selectors.meeting_roles(request.user, meeting)
    if not (roles["can_manage"] or roles["can_review"] or roles["is_supervisor"]):
        raise PermissionDenied
    can_respond = roles["can_review"]
    form = RecommendationUpdateForm(
        request.POST or None, initial={"status": rec.status, "response": rec.response}
    )
    if request.method == "POST":
        if not can_respond:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.respond_recommendation(
                    recommendation=rec,
                    status=form.cleaned_data["status"],
                    response=form.cleaned_data["response"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Recommendation updated."))
                return redirect(rec)
    rec.is_overdue = domain.recommendation_overdue(
        status=rec.status,
        raised_on=rec.raised_on,
        today=timezone.localdate(),
        days=selectors.recommendation_days(rec.cell),
    )
    return render(
        request,
        "evaluations/recommendation_detail.html",
        {
            "rec": rec,
            "meeting": meeting,
            "form": form,
            "can_respond": can_respond,
            "can_update": can_respond
            and not domain.is_recommendation_closed(rec.status),
        },
        status=422 if form.errors else 200,
    )


# --- monthly member ratings -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def monthly_ratings(request, pk):

    meeting = get_meeting_for_user(request.user, pk, action="manage")
    enabled = rule_value(meeting.cell, RuleKey.MONTHLY_RATING)
    data = selectors.monthly_sheet(meeting)
    errors = {}
    typed = {}
    if request.method == "POST":
        levels = {}
        for row in data["sheet"]:
            member_id = row["member"].pk
            level = request.POST.get(f"level-{member_id}", "")
            reason = request.POST.get(f"reason-{member_id}", "")[:500]
            typed[member_id] = (level, reason)
            levels[member_id] = (level, reason)
        try:
            services.confirm_monthly_ratings(
                meeting=meeting, levels=levels, by=request.user
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = {
                    k: " ".join(
                        v.messages if hasattr(v, "messages") else [str(x) for x in v]
                    )
                    for k, v in error.message_dict.items()
                }
            else:
                errors = {"__all__": " ".join(error.messages)}
        else:
            messages.success(request, _("Monthly ratings confirmed."))
            return redirect("evaluations:monthly-ratings", pk=meeting.pk)
    for row in data["sheet"]:
        member_id = row["member"].pk
        saved = row["saved"]
        level, reason = typed.get(
            member_id,
            (saved.level, saved.reason) if saved else (row["proposed"], ""),
        )
        row["level"], row["reason"] = level, reason
        row["level_error"] = errors.get(f"level-{member_id}")
        row["reason_error"] = errors.get(f"reason-{member_id}")
    return render(
        request,
        "evaluations/monthly_ratings.html",
        {
            "meeting": meeting,
            "enabled": enabled,
            "levels": RatingLevel.choices,
            "form_error": errors.get("__all__"),
            **data,
        },
        status=422 if errors else 200,
    )


@require_GET
def my_ratings(request):

    scope_member = getattr(request.user, "member_id", None)
    ratings = selectors.own_monthly_ratings(request.user, limit=24)
    annual = (
        list(AnnualRating.objects.filter(member_id=scope_member).order_by("-year")[:5])
        if scope_member
        else []
    )
    return render(
        request,
        "evaluations/my_ratings.html",
        {"ratings": ratings, "annual": annual, "today": timezone.localdate()},
    )


# --- annual rating --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def annual_ratings(request, pk, year):

    if not 2000 <= year <= 2100:
        raise Http404
    cell = get_organization_for_user(request.user, pk)
    if not cell.is_cell:
        raise Http404
    scope = get_scope(request.user)
    can_propose = can_run_meetings(scope, cell)
    can_decide = can_manage_tree(scope, cell)
    if not (can_propose or can_decide):
        raise PermissionDenied
    errors, typed = {}, {}
    if request.method == "POST":
        sheet = selectors.annual_sheet(cell, year)
        rows = {}
        for key in [None, *(row["member"].pk for row in sheet["rows"])]:
            prefix = "cell" if key is None else str(key)
            data = {
                "self_score": request.POST.get(f"score-{prefix}", "")[:10],
                "proposed_level": request.POST.get(f"proposed-{prefix}", ""),
                "decided_level": request.POST.get(f"decided-{prefix}", ""),
            }
            typed[prefix] = data
            rows[key] = data
        try:
            services.save_annual_ratings(
                cell=cell, year=year, rows=rows, can_decide=can_decide, by=request.user
            )
        except ValidationError as error:
            errors = (
                {k: " ".join(v) for k, v in error.message_dict.items()}
                if hasattr(error, "error_dict")
                else {"__all__": " ".join(error.messages)}
            )
        else:
            messages.success(request, _("Annual ratings saved."))
            return redirect("evaluations:annual-ratings", pk=cell.pk, year=year)
    sheet = selectors.annual_sheet(cell, year)
    entries = [("cell", None, sheet["cell_rating"])] + [
        (str(row["member"].pk), row, row["rating"]) for row in sheet["rows"]
    ]
    form_rows = []
    for prefix, row, rating in entries:
        data = typed.get(prefix) or {
            "self_score": ""
            if not rating or rating.self_score is None
            else str(rating.self_score),
            "proposed_level": rating.proposed_level if rating else "",
            "decided_level": rating.decided_level if rating else "",
        }
        form_rows.append(
            {
                "prefix": prefix,
                "row": row,
                "rating": rating,
                "data": data,
                "errors": [
                    errors.get(f"{k}-{prefix}")
                    for k in ("score", "proposed", "decided")
                    if errors.get(f"{k}-{prefix}")
                ],
            }
        )
    return render(
        request,
        "evaluations/annual_ratings.html",
        {
            "cell": cell,
            "year": year,
            "form_rows": form_rows,
            "levels": RatingLevel.choices,
            "can_decide": can_decide,
            "can_propose": can_propose,
            "form_error": errors.get("__all__"),
            **sheet,
            "residence_comments": member_api.residence_comments(
                [row["member"].pk for row in sheet["rows"]], year
            ),
        },
        status=422 if errors else 200,
    )


# --- rubric choice per organisation ---------------------------------------------


@require_http_methods(["GET", "POST"])
def rubric_settings(request, pk):
    org = get_organization_for_user(request.user, pk)
    scope = get_scope(request.user)
    if not can_edit_org(scope, org):
        raise PermissionDenied
    # The rubric judges the cell: its own officers read it, a committee above sets it.
    can_choose = can_set_rule(scope, org, judges=True)
    if request.method == "POST" and not can_choose:
        raise PermissionDenied
    data = selectors.rubric_settings(org)
    for rubric in data["own_rubrics"]:
        rubric.can_edit = can_choose and not (rubric.in_use or rubric.superseded_at)
    form = RubricChoiceForm(
        request.POST or None,
        rubrics=data["latest"],
        initial={"valid_from": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.choose_rubric(org=org, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Rubric choice saved."))
            return redirect("evaluations:rubric-settings", pk=org.pk)
    return render(
        request,
        "evaluations/rubric_settings.html",
        {
            "org": org,
            "form": form,
            "can_choose": can_choose,
            "can_author": can_choose,
            **data,
        },
        status=422 if form.errors else 200,
    )


def _rubric_org(request, pk):
    """The node whose own rubric the user authors: in reach (else 404) and allowed
    to choose the rubric of its subtree (else 403)."""
    org = get_organization_for_user(request.user, pk)
    scope = get_scope(request.user)
    if not can_set_rule(scope, org, judges=True):
        raise PermissionDenied
    return org


def _next_month(day):
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@require_http_methods(["GET", "POST"])
def rubric_new(request, pk):
    """A new version of the node's own rubric, copied from the version in force."""
    org = _rubric_org(request, pk)
    base = selectors.rubric_settings(org)["current_rubric"]
    own = base.code == selectors.own_rubric_code(org)
    form = RubricVersionForm(
        request.POST or None,
        rubric=base,
        initial={
            "name": base.name if own else f"{_(base.name)} — {org.name}"[:255],
            "valid_from": _next_month(timezone.localdate()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            rubric = services.author_rubric(
                org=org,
                base=base,
                groups=form.groups(),
                name=form.cleaned_data["name"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)s saved; it scores meetings from %(day)s.")
                % {
                    "version": rubric.version,
                    "day": rubric.valid_from.strftime("%d/%m/%Y"),
                },
            )
            return redirect("evaluations:rubric-settings", pk=org.pk)
    return render(
        request,
        "evaluations/rubric_form.html",
        {
            "org": org,
            "form": form,
            "base": base,
            "title": _("New rubric version"),
            "can_save": True,
        },
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def rubric_edit(request, pk, rubric_pk):
    """Correct a version of the node's own rubric that has scored no meeting."""
    org = _rubric_org(request, pk)
    rubric = selectors.get_own_rubric(org, rubric_pk)
    can_save = not (services.rubric_in_use(rubric) or rubric.superseded_at)
    if request.method == "POST" and not can_save:
        raise PermissionDenied
    form = RubricVersionForm(
        request.POST or None,
        rubric=rubric,
        fixed_date=True,
        initial={"name": rubric.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_own_rubric(
                rubric=rubric, groups=form.groups(), name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Rubric version saved."))
            return redirect("evaluations:rubric-settings", pk=org.pk)
    return render(
        request,
        "evaluations/rubric_form.html",
        {
            "org": org,
            "form": form,
            "base": rubric,
            "rubric": rubric,
            "title": _("Edit rubric version %(version)s") % {"version": rubric.version},
            "can_save": can_save,
        },
        status=422 if form.errors else 200,
    )
