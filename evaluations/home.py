"""What the home page shows from evaluations beyond tasks and ratings (issue 16 §1):

- a cell officer: open recommendations about their cell and the latest supervisor
  reports filed on it;
- a committee official, for each committee: cells with red flags this month,
  supervisor reports late (last month and this one), overdue recommendations —
  each a link to its page;
- a supervisor: their reports due or late on the meetings of the cells they follow.

A fixed number of queries per committee node whatever the number of rows.
"""

from datetime import timedelta

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone

from meetings.models import Meeting, MeetingKind
from members.api import get_scope, rules_for_paths
from members.models import Organization

from . import domain
from .dashboard.periods import Period, add_months, current_month
from .dashboard.presenters import raised_flags
from .dashboard.queries import per_cell
from .models import Recommendation, SupervisionReport
from .selectors import overdue_recommendation_q, reports_overview

LIST_LIMIT = 20
OPEN = ["open", "in_progress"]


def _officer_part(scope, today):
    cell_ids = list(scope.officer_cell_ids)
    if not cell_ids:
        return {}
    recs = list(
        Recommendation.objects.filter(cell_id__in=cell_ids, status__in=OPEN)
        .annotate(
            is_overdue=ExpressionWrapper(
                overdue_recommendation_q(today), output_field=BooleanField()
            )
        )
        .select_related("cell")
        .order_by("raised_on", "pk")[:LIST_LIMIT]
    )
    reports = list(
        SupervisionReport.objects.filter(
            cell_id__in=cell_ids,
            submitted_at__gte=timezone.now() - timedelta(days=62),
        )
        .select_related("meeting", "supervisor")
        .order_by("-submitted_at", "-pk")[:5]
    )
    return {"cell_recommendations": recs, "cell_reports": reports}


def _committee_part(scope, today):
    if not scope.committee_paths:
        return {}
    month = current_month(today)
    period = Period("month", month.year, month.month)
    nodes = []
    committees = Organization.objects.filter(
        path__in=list(scope.committee_paths)
    ).order_by("path")
    for node in committees:
        flagged = [
            (cell, raised_flags(stats))
            for cell, stats in per_cell(node, period, today).values()
            if any(stats.flags.values())
        ]
        flagged.sort(key=lambda row: row[0]["name"])
        late = []
        for first in (add_months(month, -1), month):
            overview = reports_overview(node, year=first.year, month=first.month)
            late += [
                r for r in overview["rows"] if r["status"] in domain.REPORT_FLAGGED
            ]
        overdue = list(
            Recommendation.objects.filter(cell__path__startswith=node.path)
            .filter(overdue_recommendation_q(today))
            .select_related("cell")
            .order_by("raised_on", "pk")[:LIST_LIMIT]
        )
        nodes.append(
            {
                "node": node,
                "period": period,
                "flagged": flagged[:LIST_LIMIT],
                "flagged_more": len(flagged) > LIST_LIMIT,
                "late_reports": late[:LIST_LIMIT],
                "overdue_recommendations": overdue,
            }
        )
    return {"committee_watch": nodes}


def _supervisor_part(scope, today):
    cell_ids = list(scope.supervised_cell_ids)
    if not cell_ids:
        return {}
    since = add_months(current_month(today), -2)
    meetings = list(
        Meeting.objects.filter(
            cell_id__in=cell_ids,
            kind=MeetingKind.REGULAR,
            planned_date__gte=since,
            state__in=domain.HELD_STATES,
        )
        .select_related("cell")
        .order_by("starts_at", "pk")
    )
    reports = {
        r.meeting_id: r
        for r in SupervisionReport.objects.filter(
            meeting__in=meetings, supervisor_id=scope.member_id
        )
    }
    deadlines = rules_for_paths(
        {m.cell_id: m.cell.ancestor_ids or [m.cell_id] for m in meetings},
        ["report_deadline_day"],
        today,
    )
    rows = []
    for meeting in meetings:
        report = reports.get(meeting.pk)
        if report is not None and report.submitted_at is not None:
            continue
        day = timezone.localtime(meeting.starts_at).date()
        due = (
            report.due_on
            if report
            else domain.report_due_date(
                day,
                deadline_day=int(deadlines[meeting.cell_id]["report_deadline_day"]),
            )
        )
        status = domain.report_status(due_on=due, submitted_on=None, today=today)
        rows.append(
            {"meeting": meeting, "due_on": due, "late": status == domain.REPORT_MISSING}
        )
    return {"my_reports_due": rows}


def home_panel(user):
    """The evaluations part of the home page beyond tasks and ratings."""
    if not user.is_authenticated:
        return {}
    scope = get_scope(user)
    today = timezone.localdate()
    return {
        **_officer_part(scope, today),
        **_committee_part(scope, today),
        **_supervisor_part(scope, today),
    }
