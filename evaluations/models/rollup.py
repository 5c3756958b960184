"""Per-cell-per-month compliance rollup (DOMAIN.md §8; ARCHITECTURE.md, performance).

One row per party cell per calendar month, recomputed idempotently from the raw tables
by `evaluations.dashboard.rollup.recompute` whenever a meeting, its attendance,
minutes, scores, reports or tasks change. Dashboards read only these rows, so a
province view costs O(cells x months) small rows instead of O(attendance rows).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Organization


class CellMonth(models.Model):
    cell = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    # The cell's materialized path, denormalised: a subtree is path LIKE 'node.path%'.
    path = models.CharField(max_length=255)
    month = models.DateField()  # first day of the month
    # The cell's own members (official + probationary) on the roll on the month's last
    # day (today in the current month); members attached in from elsewhere are left
    # to their home cell (DOMAIN.md §8).
    members = models.PositiveIntegerField(default=0)
    official_members = models.PositiveIntegerField(default=0)
    # Meetings (held = held, locked, submitted, acknowledged or returned).
    regular_held = models.PositiveSmallIntegerField(default=0)  # 0 or 1
    regular_on_plan = models.PositiveSmallIntegerField(default=0)  # 0 or 1
    regular_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    meetings_held = models.PositiveSmallIntegerField(default=0)  # regular + thematic
    # Of those, meetings a superior committee member attended as a guest (§7, §8).
    supervised = models.PositiveSmallIntegerField(default=0)
    duration_recorded = models.PositiveSmallIntegerField(default=0)
    duration_ok = models.PositiveSmallIntegerField(default=0)
    thematic_held = models.PositiveSmallIntegerField(default=0)
    hcm_held = models.PositiveSmallIntegerField(default=0)
    # Attendance over the month's held regular and thematic meetings (§3.3).
    att_required = models.PositiveIntegerField(default=0)
    att_present = models.PositiveIntegerField(default=0)
    att_unexcused = models.PositiveIntegerField(default=0)
    att_attendees = models.PositiveIntegerField(default=0)  # everyone present
    att_spoke = models.PositiveIntegerField(default=0)  # of the attendees
    # Held meetings whose attendance fell below min_attendance_percent (0: off).
    att_below_minimum = models.PositiveSmallIntegerField(default=0)
    # Attendees and speakers among young members (under the young_member_age rule),
    # members admitted in the last 3 years and members holding no office (seeds 000,
    # 004: "young, newly admitted and non-office members rarely speak").
    sp_young_attendees = models.PositiveIntegerField(default=0)
    sp_young_spoke = models.PositiveIntegerField(default=0)
    sp_new_attendees = models.PositiveIntegerField(default=0)
    sp_new_spoke = models.PositiveIntegerField(default=0)
    sp_no_office_attendees = models.PositiveIntegerField(default=0)
    sp_no_office_spoke = models.PositiveIntegerField(default=0)
    # Members whose run of consecutive absences this year exceeds 3 by this month's end.
    absent_streak = models.PositiveIntegerField(default=0)
    # Meetings on Hồ Chí Minh's example held or still planned (not cancelled) in the
    # whole plan year of this month, as of the recompute (the yearly topic, §3).
    hcm_in_plan = models.PositiveSmallIntegerField(default=0)
    # Minutes of held meetings locked / submitted within minutes_final_days of the end.
    minutes_due = models.PositiveSmallIntegerField(default=0)
    minutes_locked_on_time = models.PositiveSmallIntegerField(default=0)
    minutes_submitted_on_time = models.PositiveSmallIntegerField(default=0)
    # Not locked in time, and the deadline had passed when recomputed.
    minutes_late = models.PositiveSmallIntegerField(default=0)
    # Quality bands of held meetings (supervisor's score if any, else the cell's own).
    scored = models.PositiveSmallIntegerField(default=0)
    band_good = models.PositiveSmallIntegerField(default=0)
    band_fair = models.PositiveSmallIntegerField(default=0)
    band_average = models.PositiveSmallIntegerField(default=0)
    band_poor = models.PositiveSmallIntegerField(default=0)
    # Supervisors' reports on this month's meetings.
    reports = models.PositiveSmallIntegerField(default=0)
    reports_on_time = models.PositiveSmallIntegerField(default=0)
    reports_filed_late = models.PositiveSmallIntegerField(default=0)
    reports_pending = models.PositiveSmallIntegerField(default=0)
    reports_pending_due = models.DateField(null=True, blank=True)  # earliest due date
    # Tasks whose deadline falls in this month.
    tasks_total = models.PositiveIntegerField(default=0)
    tasks_done = models.PositiveIntegerField(default=0)
    # The monthly cell committee meeting (§3): expected when the cell has a committee
    # (9 or more official members on the roll); held when a held and minuted
    # committee meeting prepared the month's regular meeting (the score's rule), or,
    # without a held regular meeting, when the month's planned one was held.
    committee_expected = models.PositiveSmallIntegerField(default=0)  # 0 or 1
    committee_held = models.PositiveSmallIntegerField(default=0)  # 0 or 1
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cell's monthly figures")
        verbose_name_plural = _("cells' monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["cell", "month"], name="cellmonth_unique")
        ]
        indexes = [
            models.Index(
                fields=["path", "month"],
                name="cellmonth_path_month",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["month"], name="cellmonth_month"),
        ]

    def __str__(self):
        return f"{self.cell_id} {self.month:%m/%Y}"


class RollupDirty(models.Model):
    """A cell-month whose rollup must be recomputed. Written in the same transaction as
    the change, so a broker outage loses nothing: the periodic task sweeps these."""

    cell = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("figures to recompute")
        verbose_name_plural = _("figures to recompute")
        constraints = [
            models.UniqueConstraint(fields=["cell", "month"], name="rollupdirty_unique")
        ]

    def __str__(self):
        return f"{self.cell_id} {self.month:%m/%Y} (dirty)"


# Fields recomputed from raw data (everything except keys and bookkeeping).
FIGURE_FIELDS = [
    f.name
    for f in CellMonth._meta.local_concrete_fields
    if f.name not in {"id", "cell", "month", "computed_at"}
]


class CellPeriod(models.Model):
    """A cell's figures summed over one year, quarter or month (kind y, q, m), built
    from its CellMonth rows whenever they are recomputed, with what depends on the
    calendar (ended months and quarters, overdue reports) evaluated then: the
    nightly refresh keeps that current. A province's year is then one row per cell."""

    cell = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=1)  # "y", "q" or "m"
    number = models.PositiveSmallIntegerField(default=0)  # quarter or month; 0: year
    members = models.PositiveIntegerField(default=0)
    official_members = models.PositiveIntegerField(default=0)
    regular_held = models.PositiveIntegerField(default=0)
    regular_on_plan = models.PositiveIntegerField(default=0)
    meetings_held = models.PositiveIntegerField(default=0)
    duration_recorded = models.PositiveIntegerField(default=0)
    duration_ok = models.PositiveIntegerField(default=0)
    thematic_held = models.PositiveIntegerField(default=0)
    hcm_held = models.PositiveIntegerField(default=0)
    att_required = models.PositiveIntegerField(default=0)
    att_present = models.PositiveIntegerField(default=0)
    att_unexcused = models.PositiveIntegerField(default=0)
    att_attendees = models.PositiveIntegerField(default=0)
    att_spoke = models.PositiveIntegerField(default=0)
    att_below_minimum = models.PositiveIntegerField(default=0)
    supervised = models.PositiveIntegerField(default=0)
    sp_young_attendees = models.PositiveIntegerField(default=0)
    sp_young_spoke = models.PositiveIntegerField(default=0)
    sp_new_attendees = models.PositiveIntegerField(default=0)
    sp_new_spoke = models.PositiveIntegerField(default=0)
    sp_no_office_attendees = models.PositiveIntegerField(default=0)
    sp_no_office_spoke = models.PositiveIntegerField(default=0)
    minutes_due = models.PositiveIntegerField(default=0)
    minutes_locked_on_time = models.PositiveIntegerField(default=0)
    minutes_submitted_on_time = models.PositiveIntegerField(default=0)
    minutes_late = models.PositiveIntegerField(default=0)
    scored = models.PositiveIntegerField(default=0)
    band_good = models.PositiveIntegerField(default=0)
    band_fair = models.PositiveIntegerField(default=0)
    band_average = models.PositiveIntegerField(default=0)
    band_poor = models.PositiveIntegerField(default=0)
    reports = models.PositiveIntegerField(default=0)
    reports_on_time = models.PositiveIntegerField(default=0)
    reports_filed_late = models.PositiveIntegerField(default=0)
    tasks_total = models.PositiveIntegerField(default=0)
    tasks_done = models.PositiveIntegerField(default=0)
    committee_expected = models.PositiveIntegerField(default=0)
    committee_held = models.PositiveIntegerField(default=0)
    # As of the computation: ended months, held among them, the streak, reports
    # still missing past their due day, ended quarters without a thematic meeting,
    # and thematic meetings per quarter of the year.
    closed_months = models.PositiveSmallIntegerField(default=0)
    held_closed = models.PositiveSmallIntegerField(default=0)
    absent_streak = models.PositiveIntegerField(default=0)
    hcm_in_plan = models.PositiveSmallIntegerField(default=0)
    # Ended months in which a cell with a committee held no committee meeting.
    committee_missed = models.PositiveSmallIntegerField(default=0)
    reports_overdue = models.PositiveIntegerField(default=0)
    no_thematic = models.PositiveSmallIntegerField(default=0)
    q1 = models.PositiveSmallIntegerField(default=0)
    q2 = models.PositiveSmallIntegerField(default=0)
    q3 = models.PositiveSmallIntegerField(default=0)
    q4 = models.PositiveSmallIntegerField(default=0)
    # Bit m-1 set when the regular meeting of month m was held (the heatmap).
    held_months = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cell's figures for a period")
        verbose_name_plural = _("cells' figures for a period")
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "year", "kind", "number"], name="cellperiod_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["path"],
                name="cellperiod_path",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["year", "kind", "number"], name="cellperiod_period"),
        ]

    def __str__(self):
        return f"{self.cell_id} {self.year}{self.kind}{self.number}"
