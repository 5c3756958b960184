"""Reads for evaluations: tasks, scores, reports, recommendations and ratings."""

import calendar
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    BooleanField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, StartsWith
from django.http import Http404
from django.utils import timezone

from chibo.dbfunctions import DaysBetween, JsonInt
from meetings import domain as meetings_domain
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
)
from members.api import (
    can_manage_tree,
    can_run_meetings,
    default_value,
    get_scope,
    member_flags_annotations,
    rule_value,
    rules_for_paths,
)
from members.models import (
    Member,
    Organization,
    OrgKind,
    RuleKey,
    RuleSetting,
    SupervisionAssignment,
)

from . import domain
from .models import (
    AnnualRating,
    MonthlyRating,
    QualityScore,
    Recommendation,
    RecommendationStatus,
    Rubric,
    RubricChoice,
    ScoreRole,
    SupervisionReport,
    Task,
)
from .rubrics import DEFAULT_CODE, ensure_default_rubrics

DUE_SOON_DAYS = 7


def review_candidates_q(meeting):
    """Tasks the review item of `meeting` lists: assigned in an earlier meeting of
    the cell and not reviewed yet, or reviewed in this very meeting."""
    return Q(cell_id=meeting.cell_id, meeting__starts_at__lt=meeting.starts_at) & (
        Q(reviewed_in__isnull=True) | Q(reviewed_in=meeting)
    )


def last_month_tasks_q(meeting):
    """The tasks "Results of last month's resolution" counts at `meeting` (§6):
    assigned at an earlier meeting of the cell, due on or before the meeting day, and
    not reviewed by an earlier meeting. A task not yet due is left out; a due task
    left unreviewed counts as not done."""
    day = timezone.localtime(meeting.starts_at).date()
    return Q(
        cell_id=meeting.cell_id,
        meeting__starts_at__lt=meeting.starts_at,
        deadline__lte=day,
    ) & (
        Q(reviewed_in__isnull=True)
        | Q(reviewed_in=meeting)
        | Q(reviewed_in__starts_at__gt=meeting.starts_at)
    )


def _task_queryset():
    return Task.objects.select_related(
        "party_group", "meeting", "reviewed_in"
    ).prefetch_related(
        Prefetch("assignees", queryset=Member.objects.only("pk", "full_name"))
    )


def _flag(tasks, today):
    for task in tasks:
        task.is_open = not task.outcome
        task.is_overdue = task.is_open and task.deadline < today
        task.is_due_soon = task.is_open and today <= task.deadline <= today + timedelta(
            DUE_SOON_DAYS
        )
        names = [m.full_name for m in task.assignees.all()]
        if task.party_group_id:
            names.append(task.party_group.name)
        task.assignee_names = ", ".join(names)
    return tasks


def meeting_task_panel(meeting):
    """The tasks assigned in `meeting` and its review list (at most 4 queries)."""
    today = timezone.localdate()
    tasks = _flag(
        list(_task_queryset().filter(meeting=meeting).order_by("deadline", "pk")), today
    )
    review = review_rows(meeting)
    return {
        "tasks": tasks,
        "review_rows": review,
        "review_count": len(review),
    }


def review_rows(meeting):
    """Tasks listed in `meeting`'s review item, oldest deadline first (2 queries)."""
    today = timezone.localdate()
    return _flag(
        list(
            _task_queryset()
            .filter(review_candidates_q(meeting))
            .order_by("deadline", "meeting__starts_at", "pk")
        ),
        today,
    )


def tasks_for_home(user, *, limit=50):
    """A member's tasks: assigned to them (or their party group) and those of their
    cell still open, open ones first by deadline (so due soon and overdue come
    first), then recently reviewed ones. Constant queries."""
    scope = get_scope(user)
    today = timezone.localdate()
    mine, cell_tasks = [], []
    if scope.member_id:
        own_group = Member.objects.filter(
            pk=scope.member_id, party_group__isnull=False
        ).values("party_group_id")
        query = Q(assignees=scope.member_id) | Q(party_group_id__in=own_group)
        recent = timezone.now() - timedelta(60)
        mine = _flag(
            list(
                _task_queryset()
                .filter(query)
                .filter(Q(outcome="") | Q(reviewed_at__gte=recent))
                .distinct()
                .order_by("-outcome", "deadline", "pk")[:limit]
            ),
            today,
        )
        mine.sort(key=lambda t: (not t.is_open, t.deadline))
        if scope.member_cell_ids:
            cell_tasks = _flag(
                list(
                    _task_queryset()
                    .filter(cell_id__in=scope.member_cell_ids, outcome="")
                    .exclude(pk__in=[t.pk for t in mine])
                    .order_by("deadline", "pk")[:limit]
                ),
                today,
            )
    return {
        "my_tasks": mine,
        "cell_tasks": cell_tasks,
        "overdue_count": sum(t.is_overdue for t in mine),
        "today": today,
    }


def meeting_roles(user, meeting):
    """What the user may do about a meeting's evaluation (no query beyond the
    cached scope)."""

    scope = get_scope(user)
    return {
        "can_manage": can_run_meetings(scope, meeting.cell),
        "can_review": can_manage_tree(scope, meeting.cell),
        "is_supervisor": meeting.cell_id in scope.supervised_cell_ids,
        "member_id": scope.member_id,
    }


def own_monthly_ratings(user, *, limit=12):
    """The user's own confirmed monthly ratings, newest first (one query)."""

    scope = get_scope(user)
    if not scope.member_id:
        return []
    return list(
        MonthlyRating.objects.filter(
            member_id=scope.member_id, confirmed_at__isnull=False
        ).order_by("-month")[:limit]
    )


# --- rubrics and scores --------------------------------------------------------------


def rubric_for_meeting(meeting):
    """The rubric version in force for the meeting's cell on its day: the deepest
    rubric choice on the cell's path (default the HD 42 rubric), latest version
    valid that day. Two queries."""

    day = timezone.localtime(meeting.starts_at).date()
    cell = meeting.cell
    ancestors = cell.ancestor_ids or [cell.pk]
    depth = {pk: index for index, pk in enumerate(ancestors)}
    choices = RubricChoice.objects.filter(
        organization_id__in=ancestors, valid_from__lte=day
    ).values_list("organization_id", "valid_from", "rubric_code")
    best = max(
        ((depth[org], since, code) for org, since, code in choices),
        default=(None, None, DEFAULT_CODE),
    )
    code = best[2]
    versions = Rubric.objects.filter(code=code).order_by("-version")
    rubric = versions.filter(valid_from__lte=day).first() or versions.first()
    if rubric is None:
        ensure_default_rubrics()
        rubric = Rubric.objects.filter(code=code).order_by("-version").first()
        if rubric is None:
            rubric = (
                Rubric.objects.filter(code=DEFAULT_CODE).order_by("-version").first()
            )
    return rubric


def meeting_scores(meeting):
    """The meeting's self-score and supervisor's score with their rubrics (1 query)."""

    scores = {
        s.role: s
        for s in QualityScore.objects.filter(meeting=meeting).select_related(
            "rubric", "scored_by__member"
        )
    }
    return scores.get("self"), scores.get("supervisor")


def score_rows(rubric, *, thematic, self_score=None, supervisor_score=None, facts=None):
    """Rows for display: each group with its items, the two scores side by side
    (no query)."""

    groups = []
    for group in rubric.groups:
        items = []
        for item in group["items"]:
            if item.get("thematic") and not thematic:
                continue
            items.append(
                {
                    **item,
                    "self": Decimal(self_score.points[item["key"]])
                    if self_score and item["key"] in self_score.points
                    else None,
                    "supervisor": Decimal(supervisor_score.points[item["key"]])
                    if supervisor_score and item["key"] in supervisor_score.points
                    else None,
                }
            )
        groups.append(
            {
                "key": group["key"],
                "label": group["label"],
                "max": group["max"],
                "items": items,
            }
        )
    return groups


# --- reports and recommendations ------------------------------------------------------


def recommendation_days(org, on=None):
    """Days after which an open recommendation about `org` is overdue: the rule
    recommendation_days in force on `on` (today by default), inherited down the tree
    (one query)."""
    return int(rule_value(org, RuleKey.RECOMMENDATION_DAYS, on))


def recommendation_days_sql(on, cell_path="cell__path"):
    """SQL for the recommendation_days rule of the cell whose path is the outer
    query's `cell_path`, resolved like `effective_rules` (the deepest node on its path
    with a value valid on `on` wins, the default otherwise): a correlated subquery, so
    a figure per cell costs no extra query whatever the number of cells."""
    setting = (
        RuleSetting.objects.filter(
            StartsWith(OuterRef(cell_path), F("organization__path")),
            key=RuleKey.RECOMMENDATION_DAYS,
            valid_from__lte=on,
        )
        .order_by("-organization__depth", "-valid_from")
        .annotate(days=JsonInt("value"))
        .values("days")[:1]
    )
    return Coalesce(
        Subquery(setting, output_field=IntegerField()),
        Value(int(default_value(RuleKey.RECOMMENDATION_DAYS))),
    )


def overdue_recommendation_q(today, cell_path="cell__path"):
    """Recommendations still open more than their cell's recommendation_days after
    they were raised (as `domain.recommendation_overdue`), as a boolean expression
    usable in filter() and in an aggregate's filter."""
    days_open = DaysBetween(Value(today, output_field=DateField()), F("raised_on"))
    return Q(
        status__in=[RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS]
    ) & Q(GreaterThan(days_open, recommendation_days_sql(today, cell_path)))


def report_access(user, meeting):
    roles = meeting_roles(user, meeting)
    return roles


def reports_overview(org, *, year, month):
    """Every regular (or combined) meeting held in `org`'s subtree in the month with
    each supervisor assigned to its cell that day and their report's status:
    on_time, late, missing or pending. Four queries whatever the subtree's size."""

    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    margin = timedelta(days=31)  # a shifted meeting stays in its plan slot's month
    meetings = [
        meeting
        for meeting in Meeting.objects.filter(
            cell__path__startswith=org.path,
            kind=MeetingKind.REGULAR,
            planned_date__range=(first - margin, last + margin),
            state__in=domain.HELD_STATES,
        )
        .select_related("cell")
        .order_by("cell__name", "starts_at")
        if meetings_domain.plan_month(meeting.plan_slot, meeting.planned_date) == first
    ]
    cell_ids = {m.cell_id for m in meetings}
    assignments = list(
        SupervisionAssignment.objects.filter(cell_id__in=cell_ids, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .select_related("supervisor")
    )
    reports = {
        (r.meeting_id, r.supervisor_id): r
        for r in SupervisionReport.objects.filter(meeting__in=meetings)
    }
    today = timezone.localdate()
    deadline_days = rules_for_paths(
        {m.cell_id: m.cell.ancestor_ids or [m.cell_id] for m in meetings},
        ["report_deadline_day"],
        today,
    )
    rows = []
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        deadline_day = deadline_days[meeting.cell_id]["report_deadline_day"]
        for assignment in assignments:
            if (
                assignment.cell_id != meeting.cell_id
                or assignment.start > day
                or (assignment.end and assignment.end < day)
            ):
                continue
            report = reports.get((meeting.pk, assignment.supervisor_id))
            due = (
                report.due_on
                if report
                else domain.report_due_date(day, deadline_day=int(deadline_day))
            )
            status = domain.report_status(
                due_on=due,
                submitted_on=timezone.localtime(report.submitted_at).date()
                if report and report.submitted_at
                else None,
                today=today,
            )
            rows.append(
                {
                    "meeting": meeting,
                    "supervisor": assignment.supervisor,
                    "report": report,
                    "due_on": due,
                    "status": status,
                }
            )
    flagged = sum(row["status"] in domain.REPORT_FLAGGED for row in rows)
    return {"rows": rows, "flagged": flagged, "first": first}


def recommendations_for_org(org, *, status=""):
    """Recommendations about cells in `org`'s subtree with their overdue flag, open
    and oldest first. Two queries."""

    today = timezone.localdate()
    days = recommendation_days(org)
    recs = (
        Recommendation.objects.filter(cell__path__startswith=org.path)
        .select_related("cell", "meeting", "report__supervisor")
        .annotate(
            is_overdue=ExpressionWrapper(
                overdue_recommendation_q(today), output_field=BooleanField()
            ),
        )
    )
    if status:
        recs = recs.filter(status=status)
    rows = list(recs.order_by("raised_on", "pk")[:500])
    rows.sort(
        key=lambda r: (
            r.status in domain.RECOMMENDATION_CLOSED,
            not r.is_overdue,
            r.raised_on,
        )
    )
    return {
        "recommendations": rows,
        "overdue": sum(r.is_overdue for r in rows),
        "days": days,
    }


# --- monthly member ratings -----------------------------------------------------------

RATED_STATUSES = ("present", "absent_excused", "absent_unexcused")


def monthly_sheet(meeting):
    """One row per member of the cell rated this month: their attendance and speaking
    at `meeting`, the outcomes of their tasks reviewed in it, the proposal and any
    saved rating. Exempted, away, suspended and temporarily attached members are
    left out. Four queries whatever the cell's size."""

    rows = list(
        Attendance.objects.filter(
            meeting=meeting,
            status__in=RATED_STATUSES,
            was_suspended=False,
            was_attached_in=False,
        )
        .select_related("member")
        .order_by("member__full_name", "member_id")
    )
    tasks = list(
        Task.objects.filter(reviewed_in=meeting).prefetch_related(
            Prefetch("assignees", queryset=Member.objects.only("pk"))
        )
    )
    by_member, by_group = {}, {}
    for task in tasks:
        for member in task.assignees.all():
            by_member.setdefault(member.pk, []).append(task)
        if task.party_group_id:
            by_group.setdefault(task.party_group_id, []).append(task)
    # The month rated is the meeting's plan month (§8): January's meeting moved to
    # 31 December by the shift rule rates January.
    month = meetings_domain.plan_month(meeting.plan_slot, meeting.planned_date)
    saved = {
        r.member_id: r
        for r in MonthlyRating.objects.filter(
            member_id__in=[row.member_id for row in rows], month=month
        )
    }
    sheet = []
    for row in rows:
        own = list(by_member.get(row.member_id, []))
        for task in by_group.get(row.member.party_group_id, []):
            if task not in own:
                own.append(task)
        outcomes = [t.outcome for t in own]
        proposal = domain.monthly_rating_proposal(
            attendance=row.status, spoke=row.spoke, outcomes=outcomes
        )
        sheet.append(
            {
                "member": row.member,
                "attendance": row,
                "tasks": own,
                "tally": domain.task_tally(outcomes),
                "proposed": proposal,
                "saved": saved.get(row.member_id),
            }
        )
    return {"sheet": sheet, "month": month}


# --- annual rating (QĐ 366) -----------------------------------------------------------


def grassroots_of(cell):
    """The grassroots organisation a cell belongs to: itself when it is a grassroots
    cell, else the nearest grassroots committee above it (one query)."""
    if cell.is_grassroots:
        return cell
    ancestors = Organization.objects.filter(
        pk__in=cell.ancestor_ids[:-1], kind=OrgKind.GRASSROOTS_COMMITTEE
    ).order_by("-depth")
    return ancestors.first() or cell.parent or cell


def annual_sheet(cell, year):
    """The year's rating sheet of a cell: each member rated (exempted and suspended
    members at the year's end, or today, are left out, and listed apart) with the
    year's facts — tasks on time, share exceeded, attendance at regular meetings —
    the suggested level from the self-assessed score, and the saved rating; the
    cell's own row; and the quota check over the grassroots organisation.
    Constant queries."""

    on = min(date(year, 12, 31), timezone.localdate())
    members = list(
        Member.objects.filter(organization=cell, is_active=True)
        .annotate(**member_flags_annotations(on))
        .order_by("full_name", "pk")
    )
    rated = [m for m in members if not (m.is_exempt or m.is_suspended)]
    excluded = [m for m in members if m.is_exempt or m.is_suspended]
    ids = [m.pk for m in rated]
    outcomes = {}
    through = Task.assignees.through.objects.filter(
        member_id__in=ids, task__deadline__year=year
    ).values_list("member_id", "task__outcome", "task__meeting_id")
    task_meetings = {}
    for member_id, outcome, meeting_id in through:
        outcomes.setdefault(member_id, []).append(outcome)
        task_meetings.setdefault(member_id, set()).add(meeting_id)
    attendance = {}
    for member_id, status in Attendance.objects.filter(
        member_id__in=ids,
        meeting__cell=cell,
        meeting__kind=MeetingKind.REGULAR,
        meeting__starts_at__year=year,
    ).values_list("member_id", "status"):
        row = attendance.setdefault(member_id, {"present": 0, "required": 0})
        if (
            status == AttendanceStatus.PRESENT
            or status in meetings_domain.ABSENT_STATUSES
        ):
            row["required"] += 1
            row["present"] += status == AttendanceStatus.PRESENT
    saved = {
        (r.member_id): r for r in AnnualRating.objects.filter(cell=cell, year=year)
    }
    rows = []
    for member in rated:
        tally = domain.task_tally(outcomes.get(member.pk, []))
        rating = saved.get(member.pk)
        suggested = ""
        if rating and rating.self_score is not None:
            suggested = domain.annual_rating(
                score=rating.self_score,
                all_tasks_on_time=tally["all_on_time"],
                exceeded_share=tally["exceeded_share"],
            )
        rows.append(
            {
                "member": member,
                "tally": tally,
                "attendance": attendance.get(member.pk, {"present": 0, "required": 0}),
                "rating": rating,
                "suggested": suggested,
                "exceeded_percent": round(tally["exceeded_share"] * 100),
            }
        )
    scores = list(
        QualityScore.objects.filter(
            meeting__cell=cell, meeting__starts_at__year=year, role=ScoreRole.SELF
        ).values_list("percent", flat=True)
    )
    cell_rating = saved.get(None)
    average = (sum(scores) / len(scores)) if scores else None
    cell_suggested = ""
    if cell_rating and cell_rating.self_score is not None:
        cell_suggested = domain.annual_rating(
            score=cell_rating.self_score,
            all_tasks_on_time=all(r["tally"]["all_on_time"] for r in rows),
            exceeded_share=Fraction(0),
        )
    # Quota over the grassroots organisation (its whole subtree), a warning only.
    grassroots = grassroots_of(cell)
    levels = AnnualRating.objects.filter(
        cell__path__startswith=grassroots.path, year=year, member__isnull=False
    ).values_list("decided_level", "proposed_level")
    quota_percent = rule_value(cell, RuleKey.EXCELLENT_QUOTA)
    warning = domain.quota_warning(
        levels=[decided or proposed for decided, proposed in levels],
        ratio=Fraction(int(quota_percent), 100),
    )
    return {
        "rows": rows,
        "excluded": excluded,
        "cell_rating": cell_rating,
        "cell_suggested": cell_suggested,
        "meeting_scores": len(scores),
        "average_score": average,
        "grassroots": grassroots,
        "quota_warning": warning,
        "quota_percent": quota_percent,
        "year": year,
    }


OWN_RUBRIC_PREFIX = "org-"


def own_rubric_code(org):
    """The code of the rubric an organisation authors for its subtree."""
    return f"{OWN_RUBRIC_PREFIX}{org.pk}"


def _rubric_codes_for(org):
    """Q for the rubrics an organisation may choose: the shipped ones and those its
    own node or a node above it authored (never another branch's)."""
    ancestors = org.ancestor_ids or [org.pk]
    own = [f"{OWN_RUBRIC_PREFIX}{pk}" for pk in ancestors]
    return ~Q(code__startswith=OWN_RUBRIC_PREFIX) | Q(code__in=own)


def rubric_settings(org):
    """The rubric versions `org` may choose (newest first per code), the choices set
    on `org` and above it, the one in force today, and `org`'s own versions with
    whether each has scored a meeting (then it is never edited again). Three
    queries."""
    ensure_default_rubrics()
    rubrics = list(
        Rubric.objects.filter(_rubric_codes_for(org))
        .annotate(in_use=Exists(QualityScore.objects.filter(rubric=OuterRef("pk"))))
        .order_by("code", "-version")
    )
    latest = {}
    for rubric in rubrics:
        latest.setdefault(rubric.code, rubric)
    ancestors = org.ancestor_ids or [org.pk]
    depth = {pk: index for index, pk in enumerate(ancestors)}
    choices = sorted(
        RubricChoice.objects.filter(organization_id__in=ancestors).select_related(
            "organization"
        ),
        key=lambda c: (depth[c.organization_id], c.valid_from),
    )
    today = timezone.localdate()
    in_force = [c for c in choices if c.valid_from <= today]
    current = in_force[-1] if in_force else None
    code = current.rubric_code if current else DEFAULT_CODE
    dated = [r for r in rubrics if r.code == code and r.valid_from <= today]
    own_code = own_rubric_code(org)
    return {
        "rubrics": rubrics,
        "latest": list(latest.values()),
        "choices": choices,
        "current": current,
        "current_rubric": dated[0] if dated else latest.get(code),
        "own_rubrics": [r for r in rubrics if r.code == own_code],
    }


def get_own_rubric(org, pk):
    """A version of `org`'s own rubric (404 otherwise)."""
    rubric = Rubric.objects.filter(pk=pk, code=own_rubric_code(org)).first()
    if rubric is None:
        raise Http404
    return rubric
