"""What the compliance dashboards read (DOMAIN.md §8): who may see which node, and
the figures of a node, its children and its cells for a period, all read from the
per-cell rollup (CellPeriod, CellMonth) plus live open recommendations.

Every function here costs a fixed number of queries whatever the size of the subtree:
one aggregate over the cells' CellPeriod rows grouped per child, one per month over
CellMonth (trends), one over open recommendations, plus the node and its children.
"""

from collections import defaultdict
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from evaluations.models import CellMonth, CellPeriod, Recommendation
from evaluations.models import RecommendationStatus as RecStatus
from evaluations.selectors import overdue_recommendation_q
from meetings import domain as meetings_domain
from meetings.models import AttendanceStatus, Guest, Meeting
from members import api as members_api
from members.api import covers, get_scope, organizations_for_user
from members.models import PATH_STEP, Organization, OrgKind

from .figures import (
    ATTENDANCE_THRESHOLD,
    FLAG_BY_KEY,
    MIN_OFFICIAL_MEMBERS,
    SUM_FIELDS,
    Dashboard,
    Stats,
    cell_stats,
    heat_level,
    percent,
    ratio,
)
from .periods import (
    closed_month_count,
    closed_quarters,
    current_month,
    period_key,
)

OPEN_RECOMMENDATION = (RecStatus.OPEN, RecStatus.IN_PROGRESS)

# --- access ---------------------------------------------------------------------------


def can_view_dashboard(scope, org):
    """Superior committee officials read their whole subtree; a cell's officers and
    the superior members assigned to follow it read that cell's own dashboard."""
    if scope.is_admin or covers(scope.committee_paths, org.path):
        return True
    if org.kind == OrgKind.CELL:
        return org.pk in scope.officer_cell_ids or org.pk in scope.supervised_cell_ids
    return False


def get_dashboard_node(user, pk):
    """The node `pk`: 404 outside the user's reach (or not a dashboard node), 403
    inside reach without a committee, cell-officer or supervisor role."""
    org = organizations_for_user(user).filter(pk=pk).first()
    if org is None or org.kind == OrgKind.PARTY_GROUP:
        raise Http404
    if not can_view_dashboard(get_scope(user), org):
        raise PermissionDenied
    return org


def default_node_for(user):
    """The highest node whose dashboard the user may open, or None."""
    scope = get_scope(user)
    if scope.is_admin:
        return Organization.objects.filter(parent=None).order_by("path").first()
    if scope.committee_paths:
        return (
            Organization.objects.filter(path__in=scope.committee_paths)
            .order_by("depth", "path")
            .first()
        )
    cells = scope.officer_cell_ids | scope.supervised_cell_ids
    if cells:
        return Organization.objects.filter(pk__in=cells).order_by("path").first()
    return None


def dashboard_ancestors(node, user):
    """The node's ancestors the user may open a dashboard for (one query)."""
    scope = get_scope(user)
    ids = [pk for pk in node.ancestor_ids if pk != node.pk]
    return [
        org
        for org in Organization.objects.filter(pk__in=ids).order_by("depth")
        if can_view_dashboard(scope, org)
    ]


# --- a node's figures -----------------------------------------------------------------


def per_cell(node, period, today=None):
    """{cell_id: (cell values dict, Stats)} for every active cell under `node`: two
    queries (the cells, their CellPeriod rows) plus one for recommendations."""
    today = today or timezone.localdate()
    this_month = current_month(today)
    closed = closed_month_count(period, this_month)
    cells = list(
        Organization.objects.filter(
            kind=OrgKind.CELL, is_active=True, path__startswith=node.path
        ).values("id", "name", "path")
    )
    aggregates = _cell_period_rows(node.path, period)
    recommendations = _recommendations(node.path, period, today)
    result = {}
    for cell in cells:
        stats = cell_stats(aggregates.get(cell["id"]), period, this_month, closed)
        stats.recs_open, stats.recs_overdue = recommendations.get(cell["id"], (0, 0))
        stats.cell_ids = [cell["id"]]
        result[cell["id"]] = (cell, stats)
    return result


def _cell_period_rows(path, period):
    """{cell_id: CellPeriod values} of the cells under `path` for `period`."""
    kind, number = period_key(period)
    return {
        row["cell_id"]: row
        for row in CellPeriod.objects.filter(
            path__startswith=path, year=period.year, kind=kind, number=number
        ).values()
    }


def _recommendations(path, period, today):
    """{cell_id: (open, overdue)} for recommendations raised in the period."""
    rows = (
        Recommendation.objects.filter(
            cell__path__startswith=path,
            raised_on__gte=period.first,
            raised_on__lt=period.end,
            status__in=OPEN_RECOMMENDATION,
        )
        .values("cell_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue_recommendation_q(today)),
        )
        .order_by()
    )
    return {row["cell_id"]: (row["open"], row["overdue"]) for row in rows}


CHILD_SQL = """
WITH flagged AS (
    SELECT substr(c.path, 1, %(prefix)s) AS child, p.members, p.official_members,
           {sums},
           coalesce(p.closed_months, %(closed)s) - coalesce(p.held_closed, 0) AS missed,
           coalesce(p.closed_months, %(closed)s) AS closed_months,
           coalesce(p.held_closed, 0) AS held_closed,
           coalesce(p.absent_streak, 0) AS streak,
           coalesce(p.hcm_in_plan, 0) AS hcm_in_plan,
           coalesce(p.committee_missed, 0) AS committee_missed,
           coalesce(p.reports_filed_late, 0) + coalesce(p.reports_overdue, 0)
               AS reports_late,
           coalesce(p.no_thematic, %(closed_quarters)s) AS no_thematic,
           coalesce(p.q1, 0) AS q1, coalesce(p.q2, 0) AS q2,
           coalesce(p.q3, 0) AS q3, coalesce(p.q4, 0) AS q4,
           coalesce(p.held_months, 0) AS held_months
    FROM members_organization c
    LEFT JOIN evaluations_cellperiod p
        ON p.cell_id = c.id AND p.year = %(year)s AND p.kind = %(kind)s
           AND p.number = %(number)s
    WHERE c.kind = %(cell_kind)s AND c.is_active AND c.path LIKE %(path)s
)
SELECT child, count(*) AS cells, coalesce(sum(members), 0) AS members,
       {child_sums},
       sum(closed_months + regular_held - held_closed) AS regular_due,
       sum(reports_late) AS reports_late,
       count(*) FILTER (WHERE hcm_held > 0) AS hcm_cells,
       count(*) FILTER (WHERE q1 > 0) AS t1, count(*) FILTER (WHERE q2 > 0) AS t2,
       count(*) FILTER (WHERE q3 > 0) AS t3, count(*) FILTER (WHERE q4 > 0) AS t4,
       count(*) FILTER (WHERE missed > 0) AS f_missed_regular,
       count(*) FILTER (WHERE no_thematic > 0) AS f_no_thematic,
       count(*) FILTER (WHERE committee_missed > 0) AS f_committee_missed,
       count(*) FILTER (WHERE %(is_year)s = 1 AND hcm_in_plan = 0) AS f_no_hcm,
       count(*) FILTER (WHERE %(is_year)s = 1 AND hcm_in_plan = 0) AS n_no_hcm,
       count(*) FILTER (WHERE att_unexcused > 0) AS f_unexcused,
       count(*) FILTER (WHERE att_required > 0
                        AND att_present * {att_den} <= {att_num} * att_required)
                        AS f_low_attendance,
       count(*) FILTER (WHERE att_below_minimum > 0) AS f_below_minimum,
       count(*) FILTER (WHERE streak > 0) AS f_absent_streak,
       count(*) FILTER (WHERE minutes_late > 0) AS f_minutes_late,
       count(*) FILTER (WHERE reports_late > 0) AS f_report_late,
       count(*) FILTER (WHERE official_members IS NOT NULL
                        AND official_members < {min_official}) AS f_few_officials,
       sum(missed) AS n_missed_regular, sum(no_thematic) AS n_no_thematic,
       sum(committee_missed) AS n_committee_missed,
       sum(att_unexcused) AS n_unexcused, sum(streak) AS n_absent_streak,
       sum(att_below_minimum) AS n_below_minimum,
       sum(minutes_late) AS n_minutes_late, sum(reports_late) AS n_report_late,
       {held_by_month}
FROM flagged
GROUP BY child
"""


def _child_sql():
    sums = ",\n".join(f"coalesce(p.{n}, 0) AS {n}" for n in SUM_FIELDS)
    child_sums = ",\n".join(f"sum({n}) AS {n}" for n in SUM_FIELDS)
    held_by_month = ",\n".join(
        f"sum((held_months >> {m - 1}) & 1) AS h{m}" for m in range(1, 13)
    )
    return CHILD_SQL.format(
        sums=sums,
        child_sums=child_sums,
        held_by_month=held_by_month,
        att_num=ATTENDANCE_THRESHOLD.numerator,
        att_den=ATTENDANCE_THRESHOLD.denominator,
        min_official=MIN_OFFICIAL_MEMBERS,
    )


def _child_rows(node, period, this_month, today, prefix):
    """{child path: row} of the cells under `node` rolled up per direct child (or
    the node itself when it is a cell), flags counted in SQL over one CellPeriod row
    per cell: one query."""
    ended = closed_quarters(period, this_month)
    kind, number = period_key(period)
    params = {
        "prefix": prefix,
        "year": period.year,
        "kind": kind,
        "number": number,
        "path": node.path + "%",
        "cell_kind": OrgKind.CELL.value,
        # a cell without any row yet: every ended month and quarter is missed
        "closed": closed_month_count(period, this_month),
        "closed_quarters": len(ended),
        "is_year": 1 if period.kind == "year" else 0,
    }
    with connection.cursor() as cursor:
        cursor.execute(_child_sql(), params)
        columns = [c[0] for c in cursor.description]
        rows = {row[0]: dict(zip(columns, row, strict=True)) for row in cursor}
    return rows, ended


def _recommendations_by_child(node, period, today, prefix):
    rows = (
        Recommendation.objects.filter(
            cell__path__startswith=node.path,
            raised_on__gte=period.first,
            raised_on__lt=period.end,
            status__in=OPEN_RECOMMENDATION,
        )
        .annotate(child=Substr("cell__path", 1, prefix))
        .values("child")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue_recommendation_q(today)),
        )
        .order_by()
    )
    return {row["child"]: (row["open"], row["overdue"]) for row in rows}


def _stats_from_row(row, period, ended_quarters, *, raw_flags):
    stats = Stats(cells=row["cells"], members=int(row["members"] or 0))
    for name in SUM_FIELDS:
        stats.sums[name] = int(row[name] or 0)
    stats.regular_due = int(row["regular_due"] or 0)
    for q, _months in period.quarters():
        stats.thematic_cells[q] = int(row[f"t{q}"] or 0)
        stats.thematic_closed[q] = q in ended_quarters
    stats.hcm_cells = int(row["hcm_cells"] or 0)
    stats.reports_late = int(row["reports_late"] or 0)
    for key in FLAG_BY_KEY:
        n = row.get(f"n_{key}")
        stats.flags[key] = int(n or 0) if raw_flags and n is not None else 0
        if not raw_flags or n is None:
            # Flags the rollup does not count (the dues ledger's) are set later.
            stats.flags[key] = int(row.get(f"f_{key}") or 0)
    return stats


def _add_dues(node, period, total, rows, cells):
    """The "dues collected" figure and the dues flag from the members' ledger (its
    closed months), for the node, each child and a cell's own page. One-three
    queries."""
    by_cell = members_api.dues_collected(node.path, period.first, period.end)

    def apply(stats, prefix, *, raw):
        for path, figures in by_cell.items():
            if path.startswith(prefix):
                stats.dues_due += figures["due"]
                stats.dues_paid += figures["paid"]
                stats.dues_months += figures["months"]
                if figures["alerts"]:
                    stats.flags["dues_arrears"] += figures["alerts"] if raw else 1

    apply(total, node.path, raw=False)
    for child, stats in rows:
        apply(stats, child.path, raw=child.kind == OrgKind.CELL)
    for _name, stats in cells.values():
        apply(stats, node.path, raw=True)


def build(node, period, *, today=None):
    """Everything the dashboard page and its exports show for `node` and `period`:
    a fixed number of queries, the per-cell work done by PostgreSQL."""
    today = today or timezone.localdate()
    this_month = current_month(today)
    prefix = len(node.path) + PATH_STEP + 1
    if node.kind == OrgKind.CELL:
        children = []
        prefix = len(node.path)
    else:
        children = list(
            Organization.objects.filter(parent=node, is_active=True)
            .exclude(kind=OrgKind.PARTY_GROUP)
            .order_by("name")
        )
    child_rows, ended_quarters = _child_rows(node, period, this_month, today, prefix)
    recommendations = _recommendations_by_child(node, period, today, prefix)
    cell_children = {c.path for c in children if c.kind == OrgKind.CELL}
    total = Stats()
    for quarter in [q for q, _m in period.quarters()]:
        total.thematic_cells[quarter] = 0
    own = None
    by_child = {}
    for path, row in child_rows.items():
        rolled = _stats_from_row(row, period, ended_quarters, raw_flags=False)
        rolled.recs_open, rolled.recs_overdue = recommendations.get(path, (0, 0))
        total.add(rolled)
        is_cell = node.kind == OrgKind.CELL or path in cell_children
        if is_cell:
            detailed = _stats_from_row(row, period, ended_quarters, raw_flags=True)
            detailed.recs_open, detailed.recs_overdue = (
                rolled.recs_open,
                rolled.recs_overdue,
            )
            by_child[path] = detailed
            if node.kind == OrgKind.CELL:
                own = detailed
        else:
            by_child[path] = rolled
    rows = [(child, by_child.get(child.path) or Stats()) for child in children]
    cells = (
        {node.pk: (None, own or Stats(cells=1))} if node.kind == OrgKind.CELL else {}
    )
    _add_dues(node, period, total, rows, cells)

    # Trends: one query per month over the node (heatmap counts come with the
    # children's rows, from each cell's bitmask of months held).
    monthly = {
        row["month"]: row
        for row in CellMonth.objects.filter(
            path__startswith=node.path, month__gte=period.first, month__lt=period.end
        )
        .values("month")
        .annotate(
            held=Sum("regular_held"),
            required=Sum("att_required"),
            present=Sum("att_present"),
            attendees=Sum("att_attendees"),
            spoke=Sum("att_spoke"),
            meetings=Sum("meetings_held"),
            supervised=Sum("supervised"),
        )
        .order_by()
    }
    empty_month = {
        "held": 0,
        "required": 0,
        "present": 0,
        "attendees": 0,
        "spoke": 0,
        "meetings": 0,
        "supervised": 0,
    }
    monthly = defaultdict(lambda: empty_month, monthly)
    heat_months = [m for m in period.months if m <= this_month]
    heatmap = []
    if node.kind == OrgKind.CELL:
        heat_rows = [(node, 1)]
    else:
        heat_rows = [(child, stats.cells) for child, stats in rows]
    for org, n_cells in heat_rows:
        row_cells = []
        child_row = child_rows.get(org.path, {})
        for month in heat_months:
            held = int(child_row.get(f"h{month.month}") or 0)
            share = ratio(held, n_cells)
            row_cells.append(
                {
                    "month": month,
                    "held": held,
                    "cells": n_cells,
                    "share": share,
                    "level": heat_level(share, month, this_month),
                }
            )
        heatmap.append((org, row_cells))
    trends = {
        "labels": [f"{m:%m/%Y}" for m in heat_months],
        "held": [
            percent(ratio(monthly[m]["held"] or 0, total.cells)) for m in heat_months
        ],
        "attendance": [
            percent(ratio(monthly[m]["present"] or 0, monthly[m]["required"] or 0))
            for m in heat_months
        ],
        "speaking": [
            percent(ratio(monthly[m]["spoke"] or 0, monthly[m]["attendees"] or 0))
            for m in heat_months
        ],
        "supervised": [
            percent(ratio(monthly[m]["supervised"] or 0, monthly[m]["meetings"] or 0))
            for m in heat_months
        ],
    }
    return Dashboard(
        node=node,
        period=period,
        total=total,
        rows=rows,
        cells=cells,
        heatmap=heatmap,
        heat_months=heat_months,
        trends=trends,
        closed_months=closed_month_count(period, this_month),
    )


def cell_meetings(cell, first, end):
    """The meetings of `cell` whose plan month (§8: the plan slot's month, wherever
    the shift rule put the date) is in [first, end), each with `plan_month`, its
    minutes, its attendance counts (required, present, unexcused, spoke) and whether
    a superior committee member attended as a guest: one query."""
    counted = Q(attendance__was_attached_in=False)
    margin = timedelta(days=31)
    meetings = list(
        Meeting.objects.filter(
            cell=cell, planned_date__gte=first - margin, planned_date__lt=end + margin
        )
        .select_related("minutes")
        .annotate(
            has_superior_guest=Exists(
                Guest.objects.filter(meeting=OuterRef("pk"), role=Guest.Role.SUPERIOR)
            ),
            n_required=Count(
                "attendance",
                filter=counted
                & ~Q(
                    attendance__status__in=[
                        AttendanceStatus.EXEMPT,
                        AttendanceStatus.AWAY,
                        AttendanceStatus.SUSPENDED,
                    ]
                ),
            ),
            n_present=Count(
                "attendance",
                filter=counted & Q(attendance__status=AttendanceStatus.PRESENT),
            ),
            n_unexcused=Count(
                "attendance",
                filter=counted
                & Q(attendance__status=AttendanceStatus.ABSENT_UNEXCUSED),
            ),
            n_spoke=Count(
                "attendance",
                filter=Q(
                    attendance__status=AttendanceStatus.PRESENT,
                    attendance__spoke=True,
                ),
            ),
        )
        .order_by("planned_date", "starts_at")
    )
    for meeting in meetings:
        meeting.plan_month = meetings_domain.plan_month(
            meeting.plan_slot, meeting.planned_date
        )
    return [m for m in meetings if first <= m.plan_month < end]


# --- the admission pipeline (members app) ---------------------------------------------


def pipeline(node, period, user, today=None):
    """Candidates, admissions and recognitions of the period under `node`, and the
    ceremonies and recognitions overdue today (members.api.subtree_pipeline: four
    queries; names only of members the user may read)."""
    return members_api.subtree_pipeline(
        node, first=period.first, end=period.end, scope=get_scope(user), today=today
    )
