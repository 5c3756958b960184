"""What the compliance dashboards count and flag (DOMAIN.md §8): the figures and
their "how is this counted" notes, the red flags, the per-period sums of a cell's
months, and the arithmetic of a cell's, a child node's or a whole node's figures.

Pure: no ORM, no request, no I/O. Ratios are `fractions.Fraction`, thresholds are
compared exactly.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluations import domain as eval_domain
from members import domain as members_domain

from .periods import Period, closed_quarters, period_months

# HD 12 quality criterion: attendance above 85% (DOMAIN.md §3.3), as the rubric has it.
ATTENDANCE_THRESHOLD = eval_domain.HD12_ATTENDANCE
# Fewer official members than this cannot elect a committee or pass resolutions well.
MIN_OFFICIAL_MEMBERS = members_domain.MIN_OFFICIAL_MEMBERS

# The counts a period sums over its months: the same in CellMonth, CellPeriod and
# the dashboards' totals.
PERIOD_SUMS = [
    "regular_held",
    "regular_on_plan",
    "meetings_held",
    "duration_recorded",
    "duration_ok",
    "thematic_held",
    "hcm_held",
    "att_required",
    "att_present",
    "att_unexcused",
    "att_attendees",
    "att_spoke",
    "att_below_minimum",
    "supervised",
    "sp_young_attendees",
    "sp_young_spoke",
    "sp_new_attendees",
    "sp_new_spoke",
    "sp_no_office_attendees",
    "sp_no_office_spoke",
    "minutes_due",
    "minutes_locked_on_time",
    "minutes_submitted_on_time",
    "minutes_late",
    "scored",
    "band_good",
    "band_fair",
    "band_average",
    "band_poor",
    "reports",
    "reports_on_time",
    "reports_filed_late",
    "tasks_total",
    "tasks_done",
    "committee_expected",
    "committee_held",
]
SUM_FIELDS = PERIOD_SUMS


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
        _("Active party cells in this part of the tree."),
    ),
    Figure(
        "members",
        _("Members"),
        _(
            "Official and probationary members on the cells' own rolls on the last day "
            "of the period (today for the current month): members admitted by then "
            "and not yet removed. A member attached to a cell temporarily from "
            "elsewhere is counted only by their home cell, so no member is counted "
            "twice."
        ),
    ),
    Figure(
        "regular",
        _("Regular meetings held / due"),
        _(
            "A cell must hold a regular meeting every month (Charter, art. 24). "
            "Held: cell-months whose regular meeting took place (held, or its minutes "
            "locked, submitted or acknowledged), counted in the month of the yearly "
            "plan it stands for, even when a weekend or holiday moved its date into "
            "the month before or after. Due: "
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
            "members of the cell as they stood on the meeting day, minus exempted, "
            "away and suspended members; an exempted member who attends counts as "
            "present and required; members attached temporarily from elsewhere are "
            "counted apart. Quality criterion: above 85% (HD 12)."
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
            "meeting where only the secretary talks is a known weakness."
        ),
    ),
    Figure(
        "speaking_groups",
        _("Speaking share of young, new and non-office members"),
        _(
            "The same share among three groups of attendees, as they stood on the "
            "meeting day: members younger than the age set by the committee above "
            "(35 unless it says otherwise), members admitted in the last 3 years, and "
            "members holding no office (not secretary, deputy secretary, committee "
            "member or party group leader or deputy). A member may be in several "
            "groups."
        ),
    ),
    Figure(
        "supervised",
        _("Superior member attended"),
        _(
            "Held regular and thematic meetings that a member of the superior "
            "committee attended, recorded as a superior delegate among the guests, "
            "out of all held regular and thematic meetings. Shown for each cell in "
            "the table below and for each month in the trends."
        ),
    ),
    Figure(
        "duration",
        _("Long enough"),
        _(
            "Meetings lasting at least 90 minutes (120 when a thematic session is "
            "combined with the regular meeting, HD 42, and in a cell with at least "
            "the number of members the committee above may set), out of those whose "
            "start and end are recorded."
        ),
    ),
    Figure(
        "minutes",
        _("Minutes locked / submitted on time"),
        _(
            "Held meetings whose minutes were locked, and submitted to the superior "
            "committee, within the days allowed after the meeting ended for "
            "finalising its documents (set by the committee above; 2 days unless it "
            "says otherwise)."
        ),
    ),
    Figure(
        "quality",
        _("Quality bands"),
        _(
            "Scored meetings by band: good from 90 points, fair 70 to 89.99, average "
            "50 to 69.99, poor below 50. The supervisor's score counts when there is "
            "one, otherwise the cell's own."
        ),
    ),
    Figure(
        "reports",
        _("Supervisors' reports on time"),
        _(
            "Reports by superior committee members on the meetings they attended, "
            "filed by their due day: the first report deadline day after the meeting "
            "(the 10th unless the committee above sets another day), so a meeting on "
            "the 3rd is reported by the 10th of the same month and a meeting on or "
            "after the 10th by the 10th of the next month. Late: filed after it, or "
            "still missing past it."
        ),
    ),
    Figure(
        "recommendations",
        _("Open / overdue recommendations"),
        _(
            "Recommendations raised in the period that are still open or in progress; "
            "overdue when still open longer than the days the committee above allows "
            "(30 unless it says otherwise) after they were raised."
        ),
    ),
    Figure(
        "tasks",
        _("Task completion"),
        _(
            "Tasks whose deadline falls in the period and which were reviewed or are "
            "past their deadline: done (on time, late or beyond requirements) out of "
            "all of them."
        ),
    ),
    Figure(
        "dues",
        _("Dues collected"),
        _(
            "Party dues collected divided by dues due, over the months each cell's "
            "secretary has closed in the period (later corrections included). A "
            "month still open is not counted. Flag: cells with a member who left 3 "
            "months unpaid in a year without an approved reason, on whom the cell "
            "has not recorded its decision (Quy định 01-QĐ/TW)."
        ),
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
        "no_hcm",
        _("No Hồ Chí Minh topic this year"),
        pgettext_lazy("flag", "no Hồ Chí Minh topic"),
        _(
            "In a year's view: the cell has no meeting on Hồ Chí Minh's example "
            "(Directive 05) held or still planned in the year."
        ),
    ),
    Flag(
        "committee_missed",
        _("Cell committee meeting not held"),
        pgettext_lazy("flag", "no committee meeting"),
        _(
            "A month of the period has ended in which a cell with a cell committee "
            "(9 or more official members on its roll that month) held no committee "
            "meeting to prepare the cell meeting: none was held and minuted in the "
            "31 days before the month's regular meeting or, when that meeting was "
            "not held, the committee meeting planned for the month was not held. "
            "Cells with fewer than 9 official members have no committee and are "
            "not counted. The number is the count of such months."
        ),
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
        "below_minimum",
        _("Attendance below the set minimum"),
        pgettext_lazy("flag", "below minimum"),
        _(
            "A held meeting's attendance rate fell below the minimum set by the "
            "committee above (no minimum unless it sets one)."
        ),
    ),
    Flag(
        "absent_streak",
        _("Member absent more than 3 times in a row"),
        pgettext_lazy("flag", "absent > 3"),
        _("A member missed more than 3 meetings in a row this year."),
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
        "dues_arrears",
        _("Member with 3 unpaid months of dues"),
        pgettext_lazy("flag", "dues"),
        _(
            "A member left 3 months of dues unpaid in a year without an approved "
            "reason and the cell has not recorded its decision yet."
        ),
    ),
    Flag(
        "few_officials",
        _("Fewer than 3 official members"),
        pgettext_lazy("flag", "< 3 official"),
        _("The cell has fewer than 3 official members."),
    ),
]
FLAG_BY_KEY = {flag.key: flag for flag in FLAGS}


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
    # Party dues over the closed months (members.api.dues_collected).
    dues_due: int = 0
    dues_paid: int = 0
    dues_months: int = 0

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
        self.dues_due += other.dues_due
        self.dues_paid += other.dues_paid
        self.dues_months += other.dues_months

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
    def dues_rate(self):
        return ratio(self.dues_paid, self.dues_due) if self.dues_months else None

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
            "supervised": ratio(self.sums["supervised"], self.sums["meetings_held"]),
            "minutes": ratio(
                self.sums["minutes_locked_on_time"], self.sums["minutes_due"]
            ),
            "reports": ratio(self.sums["reports_on_time"], self.reports_due),
            "tasks": self.tasks_rate,
            "flags": self.flag_total,
        }
        return values.get(key)


def cell_stats(row, period, this_month, closed_months):
    """Stats and flags of one cell from its CellPeriod row (None: no row yet, so
    every ended month and quarter counts as missed). Same rules as CHILD_SQL."""
    stats = Stats(cells=1)
    ended_quarters = closed_quarters(period, this_month)
    if row is None:
        row = {
            "closed_months": closed_months,
            "no_thematic": len(ended_quarters),
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
        stats.thematic_closed[quarter] = quarter in ended_quarters
    stats.flags["no_thematic"] = row.get("no_thematic") or 0
    if period.kind == "year" and not row.get("hcm_in_plan"):
        stats.flags["no_hcm"] = 1
    stats.hcm_cells = 1 if stats.sums["hcm_held"] else 0
    stats.reports_late = stats.sums["reports_filed_late"] + (
        row.get("reports_overdue") or 0
    )
    if missed > 0:
        stats.flags["missed_regular"] = missed
    if row.get("committee_missed"):
        stats.flags["committee_missed"] = row["committee_missed"]
    if stats.sums["att_unexcused"]:
        stats.flags["unexcused"] = stats.sums["att_unexcused"]
    rate = stats.attendance_rate
    if rate is not None and rate <= ATTENDANCE_THRESHOLD:
        stats.flags["low_attendance"] = 1
    if stats.sums["att_below_minimum"]:
        stats.flags["below_minimum"] = stats.sums["att_below_minimum"]
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


@dataclass
class Dashboard:
    node: object  # members.models.Organization
    period: Period
    total: Stats
    rows: list  # (Organization or month, Stats) for the children table
    cells: dict  # cell_id -> (name, path, Stats)
    heatmap: list
    heat_months: list
    trends: dict
    closed_months: int


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


def percent(value):
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
    "supervised",
    "minutes",
    "reports",
    "tasks",
    "flags",
]


# --- a cell's stored period from its months -------------------------------------------


def period_figures(by_month, year, kind, number, *, this_month, today):
    """The CellPeriod values of one cell for one stored period (kind "y", "q", "m")
    from its CellMonth values `by_month` ({month: values}) of `year`, with what
    depends on the calendar (ended months and quarters, overdue reports) evaluated
    for `this_month` and `today`; None for a period that has not started."""
    months = period_months(year, kind, number)
    if months[0] > this_month:
        return None
    present = [by_month[m] for m in months if m in by_month]
    latest = by_month[max(by_month)] if not present else present[-1]
    values = {name: sum(r[name] for r in present) for name in PERIOD_SUMS}
    values["path"] = latest["path"]
    values["members"] = latest["members"]
    values["official_members"] = latest["official_members"]
    values["closed_months"] = sum(1 for m in months if m < this_month)
    values["held_closed"] = sum(
        r["regular_held"] for r in present if r["month"] < this_month
    )
    values["absent_streak"] = max((r["absent_streak"] for r in present), default=0)
    values["hcm_in_plan"] = latest.get("hcm_in_plan", 0)
    values["committee_missed"] = sum(
        1
        for r in present
        if r["month"] < this_month
        and r.get("committee_expected")
        and not r.get("committee_held")
    )
    values["reports_overdue"] = sum(
        r["reports_pending"]
        for r in present
        if r["reports_pending_due"] is not None and r["reports_pending_due"] < today
    )
    no_thematic = 0
    for q in range(1, 5):
        q_months = period_months(year, "q", q)
        if not set(q_months) <= set(months):
            values[f"q{q}"] = 0
            continue
        held = sum(by_month[m]["thematic_held"] for m in q_months if m in by_month)
        values[f"q{q}"] = held
        if q_months[-1] < this_month and not held:
            no_thematic += 1
    values["no_thematic"] = no_thematic
    values["held_months"] = sum(
        1 << (r["month"].month - 1) for r in present if r["regular_held"]
    )
    return values
