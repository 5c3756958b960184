"""Compliance dashboards (DOMAIN.md §8): who may see which node, periods, the figures,
flags and "how is this counted" notes, all read from the per-cell-per-month rollup.

Every function here costs a fixed number of queries whatever the size of the subtree:
one aggregate per cell over the rollup, one per child and month (heatmap and trends),
one over open recommendations, plus the node and its children.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members import permissions
from members.models import PATH_STEP, Organization, OrgKind
from members.selectors import get_scope, organizations_for_user

from . import domain as eval_domain
from .models_rollup import CellMonth
from .rollup import PERIOD_SUMS, add_months, current_month

# HD 12 quality criterion: attendance above 85% (DOMAIN.md §3.3), as the rubric has it.
ATTENDANCE_THRESHOLD = eval_domain.HD12_ATTENDANCE
# Fewer official members than this cannot elect a committee or pass resolutions well.
MIN_OFFICIAL_MEMBERS = 3


# --- access -------------------------------------------------------------------------


def can_view_dashboard(scope, org):
    """Superior committee officials read their whole subtree; a cell's officers and
    the superior members assigned to follow it read that cell's own dashboard."""
    if scope.is_admin or permissions.covers(scope.committee_paths, org.path):
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


# --- periods --------------------------------------------------------------------------

PERIOD_RE = re.compile(r"^(\d{4})(?:-(Q[1-4]|\d{2}))?$")


@dataclass(frozen=True)
class Period:
    kind: str  # "year", "quarter" or "month"
    year: int
    number: int = 0  # quarter 1-4 or month 1-12

    @classmethod
    def parse(cls, value, today=None):
        """`2026`, `2026-Q3` or `2026-11`; the current year when empty or invalid."""
        today = today or timezone.localdate()
        match = PERIOD_RE.match((value or "").strip())
        if match:
            year = int(match.group(1))
            part = match.group(2)
            if 2000 <= year <= today.year + 1:
                if part is None:
                    return cls("year", year)
                if part.startswith("Q"):
                    return cls("quarter", year, int(part[1]))
                if 1 <= int(part) <= 12:
                    return cls("month", year, int(part))
        return cls("year", today.year)

    @property
    def key(self):
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def label(self):
        if self.kind == "year":
            return _("year %(year)s") % {"year": self.year}
        if self.kind == "quarter":
            return _("quarter %(quarter)s/%(year)s") % {
                "quarter": self.number,
                "year": self.year,
            }
        return _("month %(month)s/%(year)s") % {
            "month": f"{self.number:02d}",
            "year": self.year,
        }

    @property
    def months(self):
        if self.kind == "year":
            return [date(self.year, m, 1) for m in range(1, 13)]
        if self.kind == "quarter":
            first = 3 * (self.number - 1) + 1
            return [date(self.year, m, 1) for m in range(first, first + 3)]
        return [date(self.year, self.number, 1)]

    @property
    def first(self):
        return self.months[0]

    @property
    def end(self):
        """The day after the period."""
        return add_months(self.months[-1], 1)

    def quarters(self):
        """[(quarter, its months)] of the quarters that lie inside the period."""
        if self.kind == "month":
            return []
        numbers = range(1, 5) if self.kind == "year" else [self.number]
        return [
            (q, [date(self.year, 3 * (q - 1) + m, 1) for m in range(1, 4)])
            for q in numbers
        ]

    def choices(self, today=None):
        """Years, quarters and months offered in the period picker (this year and
        the previous two)."""
        today = today or timezone.localdate()
        options = []
        for year in range(today.year, today.year - 3, -1):
            options.append(Period("year", year))
            options += [Period("quarter", year, q) for q in range(1, 5)]
            options += [Period("month", year, m) for m in range(1, 13)]
        return options


# --- figures and flags: what they are and how they are counted ------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    label: object
    note: object


FIGURES = [
    Figure(
        "cells",
        _("Cells"),
        _("Active party cells in this part of the tree (DOMAIN.md §1)."),
    ),
    Figure(
        "members",
        _("Members"),
        _(
            "Official and probationary members on the cells' rolls, as of the latest "
            "recompute of the period."
        ),
    ),
    Figure(
        "regular",
        _("Regular meetings held / due"),
        _(
            "A cell must hold a regular meeting every month (Charter, art. 24). "
            "Held: cell-months whose regular meeting took place (held, or its minutes "
            "locked, submitted or acknowledged), counted in the month it was planned "
            "for. Due: "
            "each cell for each month of the period that has ended, plus the current "
            "month once its meeting is held."
        ),
    ),
    Figure(
        "on_plan",
        _("On the planned day"),
        _(
            "Regular meetings held on the day of the yearly plan, or moved with a "
            "recorded reason, out of the regular meetings held."
        ),
    ),
    Figure(
        "thematic",
        _("Thematic meetings by quarter"),
        _(
            "Each cell must hold at least one thematic meeting a quarter; a thematic "
            "session combined with the regular meeting counts. Per quarter: cells that "
            "held one, out of all cells."
        ),
    ),
    Figure(
        "hcm",
        _("Hồ Chí Minh topic"),
        _(
            "One thematic meeting a year studies Hồ Chí Minh's example (Directive 05). "
            "Cells that held a meeting marked with this topic in the period."
        ),
    ),
    Figure(
        "attendance",
        _("Attendance rate"),
        _(
            "Present required members divided by required members, over the held "
            "regular and thematic meetings. Required: official and probationary "
            "members of the cell, minus exempted and away members; members attached "
            "temporarily are counted apart. Quality criterion: above 85% (HD 12)."
        ),
    ),
    Figure(
        "unexcused",
        _("Unexcused absences"),
        _(
            "Absences without a reason accepted by the secretary, at held regular and "
            "thematic meetings. Any such absence lowers the meeting's band."
        ),
    ),
    Figure(
        "speaking",
        _("Speaking share"),
        _(
            "Attendees who spoke divided by attendees. More than half is good; a "
            "secretary who talks alone is a known failure (DOMAIN.md §3.3)."
        ),
    ),
    Figure(
        "duration",
        _("Long enough"),
        _(
            "Meetings lasting at least 90 minutes (120 when a thematic session is "
            "combined with the regular meeting, HD 42), out of those whose start and "
            "end are recorded."
        ),
    ),
    Figure(
        "minutes",
        _("Minutes locked / submitted on time"),
        _(
            "Held meetings whose minutes were locked, and submitted to the superior "
            "committee, within the minutes deadline after the meeting ended (setting "
            "minutes_nag_days, 2 days by default)."
        ),
    ),
    Figure(
        "quality",
        _("Quality bands"),
        _(
            "Scored meetings by band: good from 90 points, fair 70 to 89.99, average "
            "50 to 69.99, poor below 50 (DOMAIN.md §6). The supervisor's score counts "
            "when there is one, otherwise the cell's own."
        ),
    ),
    Figure(
        "reports",
        _("Supervisors' reports on time"),
        _(
            "Reports by superior committee members on the meetings they attended, "
            "filed by their due day (setting report_deadline_day of the next month, "
            "the 10th by default). Late: filed after it, or still missing past it."
        ),
    ),
    Figure(
        "recommendations",
        _("Open / overdue recommendations"),
        _(
            "Recommendations raised in the period that are still open or in progress; "
            "overdue when still open more than the cell's setting "
            "recommendation_days (30 by default) after they were raised."
        ),
    ),
    Figure(
        "tasks",
        _("Task completion"),
        _(
            "Tasks whose deadline falls in the period and which were reviewed or are "
            "past their deadline: done (on time, late or beyond requirements) out of "
            "all of them (DOMAIN.md §4)."
        ),
    ),
    Figure(
        "dues",
        _("Dues collected"),
        _("Party dues are counted once the dues ledger is in use."),
    ),
]
FIGURE_BY_KEY = {figure.key: figure for figure in FIGURES}


@dataclass(frozen=True)
class Flag:
    key: str
    label: object
    short: object
    note: object


FLAGS = [
    Flag(
        "missed_regular",
        _("Missed regular meeting"),
        pgettext_lazy("flag", "no meeting"),
        _("A month of the period has ended without a held regular meeting."),
    ),
    Flag(
        "no_thematic",
        _("No thematic meeting in a closed quarter"),
        pgettext_lazy("flag", "no thematic"),
        _("A quarter of the period has ended without any thematic meeting."),
    ),
    Flag(
        "unexcused",
        _("Unexcused absences"),
        pgettext_lazy("flag", "unexcused"),
        _("At least one absence without an accepted reason."),
    ),
    Flag(
        "low_attendance",
        _("Attendance not above 85%"),
        pgettext_lazy("flag", "attendance"),
        _("The period's attendance rate is not above 85% (HD 12)."),
    ),
    Flag(
        "absent_streak",
        _("Member absent more than 3 times in a row"),
        pgettext_lazy("flag", "absent > 3"),
        _("A member missed more than 3 meetings in a row this year (DOMAIN.md §3.3)."),
    ),
    Flag(
        "minutes_late",
        _("Minutes late"),
        pgettext_lazy("flag", "minutes"),
        _("Minutes not locked within the deadline after the meeting."),
    ),
    Flag(
        "report_late",
        _("Report late"),
        pgettext_lazy("flag", "report"),
        _("A supervisor's report filed after its due day, or still missing past it."),
    ),
    Flag(
        "few_officials",
        _("Fewer than 3 official members"),
        pgettext_lazy("flag", "< 3 official"),
        _("The cell has fewer than 3 official members."),
    ),
]
FLAG_BY_KEY = {flag.key: flag for flag in FLAGS}

# The counts a period sums, the same as the period rows the rollup stores.
SUM_FIELDS = PERIOD_SUMS


def ratio(numerator, denominator):
    return Fraction(numerator, denominator) if denominator else None


@dataclass
class Stats:
    """The figures of one cell, one child node or the whole node for a period."""

    cells: int = 0
    members: int = 0
    sums: dict = field(default_factory=lambda: dict.fromkeys(SUM_FIELDS, 0))
    regular_due: int = 0
    thematic_cells: dict = field(default_factory=dict)  # quarter -> cells that held
    thematic_closed: dict = field(default_factory=dict)  # quarter -> closed?
    hcm_cells: int = 0
    reports_late: int = 0
    recs_open: int = 0
    recs_overdue: int = 0
    flags: dict = field(default_factory=lambda: dict.fromkeys(FLAG_BY_KEY, 0))
    cell_ids: list = field(default_factory=list)

    def add(self, other):
        self.cells += other.cells
        self.members += other.members
        for name in SUM_FIELDS:
            self.sums[name] += other.sums[name]
        self.regular_due += other.regular_due
        for quarter, n in other.thematic_cells.items():
            self.thematic_cells[quarter] = self.thematic_cells.get(quarter, 0) + n
        self.thematic_closed |= other.thematic_closed
        self.hcm_cells += other.hcm_cells
        self.reports_late += other.reports_late
        self.recs_open += other.recs_open
        self.recs_overdue += other.recs_overdue
        for key, n in other.flags.items():
            self.flags[key] += n

    # derived figures
    @property
    def regular_held(self):
        return self.sums["regular_held"]

    @property
    def attendance_rate(self):
        return ratio(self.sums["att_present"], self.sums["att_required"])

    @property
    def speaking_share(self):
        return ratio(self.sums["att_spoke"], self.sums["att_attendees"])

    @property
    def tasks_rate(self):
        return ratio(self.sums["tasks_done"], self.sums["tasks_total"])

    @property
    def reports_due(self):
        return self.sums["reports_on_time"] + self.reports_late

    @property
    def flag_total(self):
        return sum(self.flags.values())

    def sort_value(self, key):
        values = {
            "cells": self.cells,
            "members": self.members,
            "regular": ratio(self.regular_held, self.regular_due),
            "attendance": self.attendance_rate,
            "unexcused": self.sums["att_unexcused"],
            "speaking": self.speaking_share,
            "minutes": ratio(
                self.sums["minutes_locked_on_time"], self.sums["minutes_due"]
            ),
            "reports": ratio(self.sums["reports_on_time"], self.reports_due),
            "tasks": self.tasks_rate,
            "flags": self.flag_total,
        }
        return values.get(key)


def _cell_period_rows(path, period):
    """{cell_id: CellPeriod values} of the cells under `path` for `period`."""
    from .models_rollup import CellPeriod

    kind, number = _period_key(period)
    return {
        row["cell_id"]: row
        for row in CellPeriod.objects.filter(
            path__startswith=path, year=period.year, kind=kind, number=number
        ).values()
    }


def cell_stats(row, period, this_month, closed_months):
    """Stats and flags of one cell from its CellPeriod row (None: no row yet, so
    every ended month and quarter counts as missed). Same rules as CHILD_SQL."""
    stats = Stats(cells=1)
    closed_quarters = _closed_quarters(period, this_month)
    if row is None:
        row = {
            "closed_months": closed_months,
            "no_thematic": len(closed_quarters),
            "official_members": None,
        }
    stats.members = row.get("members") or 0
    for name in SUM_FIELDS:
        stats.sums[name] = row.get(name) or 0
    held_closed = row.get("held_closed") or 0
    closed = row.get("closed_months") or 0
    stats.regular_due = closed + stats.sums["regular_held"] - held_closed
    missed = closed - held_closed
    for quarter, _months in period.quarters():
        stats.thematic_cells[quarter] = 1 if row.get(f"q{quarter}") else 0
        stats.thematic_closed[quarter] = quarter in closed_quarters
    stats.flags["no_thematic"] = row.get("no_thematic") or 0
    stats.hcm_cells = 1 if stats.sums["hcm_held"] else 0
    stats.reports_late = stats.sums["reports_filed_late"] + (
        row.get("reports_overdue") or 0
    )
    if missed > 0:
        stats.flags["missed_regular"] = missed
    if stats.sums["att_unexcused"]:
        stats.flags["unexcused"] = stats.sums["att_unexcused"]
    rate = stats.attendance_rate
    if rate is not None and rate <= ATTENDANCE_THRESHOLD:
        stats.flags["low_attendance"] = 1
    if row.get("absent_streak"):
        stats.flags["absent_streak"] = row["absent_streak"]
    if stats.sums["minutes_late"]:
        stats.flags["minutes_late"] = stats.sums["minutes_late"]
    if stats.reports_late:
        stats.flags["report_late"] = stats.reports_late
    official = row.get("official_members")
    if official is not None and official < MIN_OFFICIAL_MEMBERS:
        stats.flags["few_officials"] = 1
    return stats


def flagged_cells(stats):
    """A cell's flags as counts of cells (1 per raised flag) for rolling up."""
    return {key: (1 if n else 0) for key, n in stats.flags.items()}


def _recommendations(path, period, today):
    """{cell_id: (open, overdue)} for recommendations raised in the period."""
    from .models import Recommendation
    from .selectors import overdue_recommendation_q

    rows = (
        Recommendation.objects.filter(
            cell__path__startswith=path,
            raised_on__gte=period.first,
            raised_on__lt=period.end,
            status__in=["open", "in_progress"],
        )
        .values("cell_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue_recommendation_q(today)),
        )
        .order_by()
    )
    return {row["cell_id"]: (row["open"], row["overdue"]) for row in rows}


@dataclass
class Dashboard:
    node: Organization
    period: Period
    total: Stats
    rows: list  # (Organization or month, Stats) for the children table
    cells: dict  # cell_id -> (name, path, Stats)
    heatmap: list
    heat_months: list
    trends: dict
    closed_months: int


def closed_month_count(period, this_month):
    return sum(1 for month in period.months if month < this_month)


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


CHILD_SQL = """
WITH flagged AS (
    SELECT substr(c.path, 1, %(prefix)s) AS child, p.members, p.official_members,
           {sums},
           coalesce(p.closed_months, %(closed)s) - coalesce(p.held_closed, 0) AS missed,
           coalesce(p.closed_months, %(closed)s) AS closed_months,
           coalesce(p.held_closed, 0) AS held_closed,
           coalesce(p.absent_streak, 0) AS streak,
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
    WHERE c.kind = 'cell' AND c.is_active AND c.path LIKE %(path)s
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
       count(*) FILTER (WHERE att_unexcused > 0) AS f_unexcused,
       count(*) FILTER (WHERE att_required > 0
                        AND att_present * {att_den} <= {att_num} * att_required)
                        AS f_low_attendance,
       count(*) FILTER (WHERE streak > 0) AS f_absent_streak,
       count(*) FILTER (WHERE minutes_late > 0) AS f_minutes_late,
       count(*) FILTER (WHERE reports_late > 0) AS f_report_late,
       count(*) FILTER (WHERE official_members IS NOT NULL
                        AND official_members < 3) AS f_few_officials,
       sum(missed) AS n_missed_regular, sum(no_thematic) AS n_no_thematic,
       sum(att_unexcused) AS n_unexcused, sum(streak) AS n_absent_streak,
       sum(minutes_late) AS n_minutes_late, sum(reports_late) AS n_report_late,
       {held_by_month}
FROM flagged
GROUP BY child
"""


def _period_key(period):
    return {"year": ("y", 0), "quarter": ("q", period.number)}.get(
        period.kind, ("m", period.number)
    )


def _closed_quarters(period, this_month):
    return [q for q, months in period.quarters() if months[-1] < this_month]


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
    )


def _child_rows(node, period, this_month, today, prefix):
    """{child path: row} of the cells under `node` rolled up per direct child (or
    the node itself when it is a cell), flags counted in SQL over one CellPeriod row
    per cell: one query."""
    closed_quarters = _closed_quarters(period, this_month)
    kind, number = _period_key(period)
    params = {
        "prefix": prefix,
        "year": period.year,
        "kind": kind,
        "number": number,
        "path": node.path + "%",
        # a cell without any row yet: every ended month and quarter is missed
        "closed": closed_month_count(period, this_month),
        "closed_quarters": len(closed_quarters),
    }
    with connection.cursor() as cursor:
        cursor.execute(_child_sql(), params)
        columns = [c[0] for c in cursor.description]
        rows = {row[0]: dict(zip(columns, row, strict=True)) for row in cursor}
    return rows, closed_quarters


def _recommendations_by_child(node, period, today, prefix):
    from .models import Recommendation
    from .selectors import overdue_recommendation_q

    rows = (
        Recommendation.objects.filter(
            cell__path__startswith=node.path,
            raised_on__gte=period.first,
            raised_on__lt=period.end,
            status__in=["open", "in_progress"],
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


def _stats_from_row(row, period, closed_quarters, *, raw_flags):
    stats = Stats(cells=row["cells"], members=int(row["members"] or 0))
    for name in SUM_FIELDS:
        stats.sums[name] = int(row[name] or 0)
    stats.regular_due = int(row["regular_due"] or 0)
    for q, _months in period.quarters():
        stats.thematic_cells[q] = int(row[f"t{q}"] or 0)
        stats.thematic_closed[q] = q in closed_quarters
    stats.hcm_cells = int(row["hcm_cells"] or 0)
    stats.reports_late = int(row["reports_late"] or 0)
    for key in FLAG_BY_KEY:
        n = row.get(f"n_{key}")
        stats.flags[key] = int(n or 0) if raw_flags and n is not None else 0
        if not raw_flags or n is None:
            stats.flags[key] = int(row[f"f_{key}"] or 0)
    return stats


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
    child_rows, closed_quarters = _child_rows(node, period, this_month, today, prefix)
    recommendations = _recommendations_by_child(node, period, today, prefix)
    cell_children = {c.path for c in children if c.kind == OrgKind.CELL}
    total = Stats()
    for quarter in [q for q, _m in period.quarters()]:
        total.thematic_cells[quarter] = 0
    own = None
    by_child = {}
    for path, row in child_rows.items():
        rolled = _stats_from_row(row, period, closed_quarters, raw_flags=False)
        rolled.recs_open, rolled.recs_overdue = recommendations.get(path, (0, 0))
        total.add(rolled)
        is_cell = node.kind == OrgKind.CELL or path in cell_children
        if is_cell:
            detailed = _stats_from_row(row, period, closed_quarters, raw_flags=True)
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
        )
        .order_by()
    }
    empty_month = {"held": 0, "required": 0, "present": 0, "attendees": 0, "spoke": 0}
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
            _percent(ratio(monthly[m]["held"] or 0, total.cells)) for m in heat_months
        ],
        "attendance": [
            _percent(ratio(monthly[m]["present"] or 0, monthly[m]["required"] or 0))
            for m in heat_months
        ],
        "speaking": [
            _percent(ratio(monthly[m]["spoke"] or 0, monthly[m]["attendees"] or 0))
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


def heat_level(share, month, this_month):
    """A CSS level for a heatmap square: full, most, some, none; open for the
    current month (not due yet unless held)."""
    if share is None:
        return "empty"
    if share >= 1:
        return "full"
    if month >= this_month and share < 1:
        return "open"
    if share >= Fraction(9, 10):
        return "most"
    if share > 0:
        return "some"
    return "none"


def _percent(value):
    return None if value is None else round(float(value) * 100, 1)


def sort_rows(rows, key, descending):
    def sort_key(item):
        value = item[1].sort_value(key)
        if key == "name":
            return (0, item[0].name.lower())
        return (value is None, value if value is not None else 0)

    if key == "name":
        return sorted(rows, key=lambda item: item[0].name.lower(), reverse=descending)
    present = [row for row in rows if row[1].sort_value(key) is not None]
    missing = [row for row in rows if row[1].sort_value(key) is None]
    return sorted(present, key=sort_key, reverse=descending) + missing


SORT_KEYS = [
    "name",
    "cells",
    "members",
    "regular",
    "attendance",
    "unexcused",
    "speaking",
    "minutes",
    "reports",
    "tasks",
    "flags",
]


# --- presentation: headline figures and table cells as text ---------------------------


def pct(value):
    """A Fraction as a Vietnamese percentage with one decimal ("92,3 %"), or "—"."""
    from django.utils.formats import number_format

    if value is None:
        return "—"
    return f"{number_format(round(float(value) * 100, 1), 1)} %"


def of(numerator, denominator):
    return f"{numerator} / {denominator}"


def headlines(board):
    """[{key, label, note, value, detail, flag, available}] for the node's totals."""
    t = board.total
    s = t.sums
    quarters = board.period.quarters()
    thematic = (
        " · ".join(
            f"Q{q}: {t.thematic_cells.get(q, 0)}/{t.cells}" for q, _months in quarters
        )
        if quarters
        else "—"
    )
    values = {
        "cells": (str(t.cells), "", "few_officials"),
        "members": (str(t.members), "", ""),
        "regular": (
            of(s["regular_held"], t.regular_due),
            pct(ratio(s["regular_held"], t.regular_due)),
            "missed_regular",
        ),
        "on_plan": (
            of(s["regular_on_plan"], s["regular_held"]),
            pct(ratio(s["regular_on_plan"], s["regular_held"])),
            "",
        ),
        "thematic": (thematic, "", "no_thematic"),
        "hcm": (of(t.hcm_cells, t.cells), "", ""),
        "attendance": (
            pct(t.attendance_rate),
            of(s["att_present"], s["att_required"]),
            "low_attendance",
        ),
        "unexcused": (str(s["att_unexcused"]), "", "unexcused"),
        "speaking": (pct(t.speaking_share), of(s["att_spoke"], s["att_attendees"]), ""),
        "duration": (
            of(s["duration_ok"], s["duration_recorded"]),
            pct(ratio(s["duration_ok"], s["duration_recorded"])),
            "",
        ),
        "minutes": (
            of(s["minutes_locked_on_time"], s["minutes_due"]),
            _("submitted on time: %(n)s") % {"n": s["minutes_submitted_on_time"]},
            "minutes_late",
        ),
        "quality": (
            _("good %(good)s · fair %(fair)s · average %(average)s · poor %(poor)s")
            % {
                "good": s["band_good"],
                "fair": s["band_fair"],
                "average": s["band_average"],
                "poor": s["band_poor"],
            },
            _("%(n)s meetings scored") % {"n": s["scored"]},
            "",
        ),
        "reports": (
            of(s["reports_on_time"], t.reports_due),
            _("late or missing: %(n)s") % {"n": t.reports_late},
            "report_late",
        ),
        "recommendations": (of(t.recs_open, t.recs_overdue), "", ""),
        "tasks": (pct(t.tasks_rate), of(s["tasks_done"], s["tasks_total"]), ""),
    }
    result = []
    for figure in FIGURES:
        value = values.get(figure.key)
        result.append(
            {
                "key": figure.key,
                "label": figure.label,
                "note": figure.note,
                "value": value[0] if value else None,
                "detail": value[1] if value else "",
                "flag": value[2] if value else "",
                "flag_cells": t.flags.get(value[2], 0) if value and value[2] else 0,
                "available": value is not None,
            }
        )
    return result


TABLE_COLUMNS = [
    ("cells", _("Cells")),
    ("members", _("Members")),
    ("regular", _("Regular held / due")),
    ("attendance", _("Attendance")),
    ("unexcused", _("Unexcused")),
    ("speaking", _("Spoke")),
    ("minutes", _("Minutes on time")),
    ("reports", _("Reports on time")),
    ("tasks", _("Tasks done")),
    ("flags", _("Red flags")),
]


def table_values(stats):
    """The children table's cells for one row, as text, in TABLE_COLUMNS order."""
    s = stats.sums
    return {
        "cells": str(stats.cells),
        "members": str(stats.members),
        "regular": of(s["regular_held"], stats.regular_due),
        "attendance": pct(stats.attendance_rate),
        "unexcused": str(s["att_unexcused"]),
        "speaking": pct(stats.speaking_share),
        "minutes": of(s["minutes_locked_on_time"], s["minutes_due"]),
        "reports": of(s["reports_on_time"], stats.reports_due),
        "tasks": pct(stats.tasks_rate),
    }


def raised_flags(stats):
    """[(Flag, count)] of the flags raised on a row (count: cells, or for a cell the
    number of months, quarters, absences… behind it)."""
    return [(FLAG_BY_KEY[key], n) for key, n in stats.flags.items() if n]
