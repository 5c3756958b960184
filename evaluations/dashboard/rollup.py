"""Per-cell-per-month compliance rollup (DOMAIN.md §8): scheduling and recompute.

Services call `schedule_refresh(cell_id, day)` inside their transaction whenever
something a dashboard counts changes (a meeting, its attendance, minutes, scores,
supervisors' reports, tasks). It marks the cell-month dirty in the same transaction —
so the intent survives a broker outage — and, once the transaction commits, asks a
Celery worker to recompute it. The periodic sweep and `manage.py rebuild_rollups` pick
up whatever is still marked dirty. A broker problem never fails the caller's write.

`recompute(cell_ids, months)` is the one place the figures are computed, set-based, so
one cell-month (a worker) and a whole province (the rebuild) use exactly the same code.
"""

import calendar
import logging
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from chibo.broker import send_on_commit
from evaluations import domain as eval_domain
from evaluations.models import (
    FIGURE_FIELDS,
    CellMonth,
    CellPeriod,
    QualityScore,
    RollupDirty,
    ScoreRole,
    SupervisionReport,
    Task,
)
from meetings import domain as meetings_domain
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Guest,
    Meeting,
    MeetingChange,
    MeetingKind,
    MeetingState,
    Minutes,
)
from members.api import RuleHistory
from members.models import (
    AttachmentDirection,
    Member,
    Organization,
    OrgKind,
    Position,
    RuleKey,
    TemporaryAttachment,
)

from .figures import PERIOD_SUMS, period_figures
from .periods import (
    PERIODS,
    add_months,
    current_month,
    month_start,
    months_to_refresh,
    year_months,
)

logger = logging.getLogger(__name__)

COUNTED_KINDS = (MeetingKind.REGULAR, MeetingKind.THEMATIC)
CHUNK = 300  # cells per set-based recompute
# The Celery task (tasks.py: refresh_cell_month_task) recomputing one cell-month,
# sent by name so this module need not import the tasks that call it.
REFRESH_TASK = "evaluations.refresh_cell_month"


# --- scheduling ---------------------------------------------------------------


def schedule_refresh(cell_id: int, day: date) -> None:
    """Mark (cell, month of `day`) dirty now; recompute it off the request path after
    commit. `day` may be a date or an aware datetime (taken in local time)."""
    if cell_id is None or day is None:
        return
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    month = month_start(day)
    # One upsert: concurrent writers on the same cell-month never collide.
    RollupDirty.objects.bulk_create(
        [RollupDirty(cell_id=cell_id, month=month)],
        update_conflicts=True,
        unique_fields=["cell", "month"],
        update_fields=["marked_at"],
    )
    send_on_commit(REFRESH_TASK, cell_id=cell_id, month=month.isoformat())


def schedule_meeting_refresh(meeting) -> None:
    """Convenience for meeting services: the meeting's cell and plan-slot month."""
    schedule_refresh(
        meeting.cell_id,
        meetings_domain.plan_month(meeting.plan_slot, meeting.planned_date),
    )


def refresh_recent(today=None):
    """Recompute the current and previous month of every cell: their late minutes,
    pending reports and due tasks move with the calendar, not with a write."""
    this = current_month(today)
    months = [add_months(this, -1), this]
    ids = list(
        Organization.objects.filter(kind=OrgKind.CELL, is_active=True).values_list(
            "pk", flat=True
        )
    )
    changed = 0
    for start in range(0, len(ids), CHUNK):
        changed += recompute(ids[start : start + CHUNK], months)
    return changed


def refresh_cell_month(cell_id, month):
    """Recompute one cell-month (and its neighbours: periods.months_to_refresh); clear
    its marker."""
    marker = RollupDirty.objects.filter(cell_id=cell_id, month=month_start(month))
    # The marker as committed before this recompute: a change whose transaction
    # commits later re-marks the row (a newer marked_at) and must stay marked, even
    # when it marked before this read (its upsert locks the row; the DELETE below
    # waits for it and then sees the newer time).
    seen = marker.values_list("marked_at", flat=True).first()
    recompute([cell_id], months_to_refresh(month_start(month)))
    if seen is not None:
        marker.filter(marked_at__lte=seen).delete()


def sweep_dirty(limit=5000):
    """Recompute the cell-months still marked dirty; return how many were handled."""
    started = timezone.now()
    rows = list(
        RollupDirty.objects.filter(marked_at__lte=started).values_list(
            "pk", "cell_id", "month"
        )[:limit]
    )
    by_first_month = defaultdict(set)
    for _pk, cell_id, month in rows:
        by_first_month[(month.year, cell_id)].add(month)
    grouped = defaultdict(list)  # (year, first month) -> cells
    for (_year, cell_id), months in by_first_month.items():
        grouped[min(months)].append(cell_id)
    for first, cell_ids in grouped.items():
        for start in range(0, len(cell_ids), CHUNK):
            recompute(cell_ids[start : start + CHUNK], months_to_refresh(first))
    RollupDirty.objects.filter(
        pk__in=[row[0] for row in rows], marked_at__lte=started
    ).delete()
    return len(rows)


# --- computing ----------------------------------------------------------------


# The rules the rollup counts with, read as they stood on each meeting's day.
ROLLUP_RULES = (
    RuleKey.MINUTES_FINAL_DAYS,
    RuleKey.YOUNG_MEMBER_AGE,
    RuleKey.MIN_ATTENDANCE,
    RuleKey.LONG_MEETING_MEMBERS,
)


def _empty():
    return dict.fromkeys(FIGURE_FIELDS, 0) | {
        "path": "",
        "regular_meeting": None,
        "reports_pending_due": None,
    }


def compute(cell_ids, months, *, now=None):
    """{(cell_id, month): {field: value}} for the given cells and months (one year or
    several), straight from the raw tables, a fixed number of queries per year."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    months = sorted({month_start(m) for m in months})
    cells = [
        {**row, "ancestors": [int(s) for s in row["path"].split("/") if s]}
        for row in Organization.objects.filter(
            pk__in=cell_ids, kind=OrgKind.CELL
        ).values("id", "path")
    ]
    if not cells or not months:
        return {}
    ids = [cell["id"] for cell in cells]
    rules = RuleHistory(
        {cell["id"]: cell["ancestors"] for cell in cells}, ROLLUP_RULES, today
    )
    roster = Roster(ids)
    result = {}
    for cell in cells:
        for month in months:
            row = _empty()
            row["path"] = cell["path"]
            counts = roster.counts(cell["id"], _month_end(month, today))
            row["members"] = counts["official"] + counts["probationary"]
            row["official_members"] = counts["official"]
            result[(cell["id"], month)] = row
    for year in sorted({m.year for m in months}):
        in_year = [m for m in months if m.year == year]
        _compute_year(result, ids, year, in_year, rules, roster, now)
    return result


def _month_end(month, today):
    """The day a month's roster is taken: its last day, or today in the current
    month (§8: standing on the last day of the period)."""
    days = calendar.monthrange(month.year, month.month)[1]
    last = date(month.year, month.month, days)
    return min(last, max(today, month))


def _spans(rows):
    spans = defaultdict(list)
    for member_id, start, end in rows:
        spans[member_id].append((start, end))
    return spans


def _covers(spans, day):
    return any(start <= day and (end is None or day <= end) for start, end in spans)


class Roster:
    """The cells' own members by standing ("official", "probationary") on any day,
    from their member records (§8: never from attendance rows; a member attached in
    from elsewhere is left to the home cell): two queries, then `counts(cell_id,
    day)` in memory (cached per cell and day). Month figures take the month's last
    day; a meeting's minimum duration takes the meeting day, as the score does."""

    def __init__(self, ids):
        self.by_cell = defaultdict(list)
        for member in Member.objects.filter(organization_id__in=ids).values(
            "id",
            "organization_id",
            "status",
            "official_date",
            "admission_date",
            "is_active",
            "deactivated_on",
        ):
            self.by_cell[member["organization_id"]].append(member)
        self.attached = _spans(
            TemporaryAttachment.objects.filter(
                member__organization_id__in=ids, direction=AttachmentDirection.IN
            ).values_list("member_id", "start", "end")
        )
        self._counts = {}

    def counts(self, cell_id, day):
        cached = self._counts.get((cell_id, day))
        if cached is not None:
            return cached
        counts = Counter(official=0, probationary=0)
        for member in self.by_cell.get(cell_id, ()):
            standing = eval_domain.roll_standing(
                status=member["status"],
                official_date=member["official_date"],
                admission_date=member["admission_date"],
                active=member["is_active"],
                deactivated_on=member["deactivated_on"],
                attached_in=_covers(self.attached.get(member["id"], ()), day),
                day=day,
            )
            if standing:
                counts[standing] += 1
        self._counts[(cell_id, day)] = counts
        return counts


# A shifted meeting (previous/next working day) lies at most this far outside its
# plan-slot month (a long holiday run such as the lunar new year included).
SHIFT_MARGIN = timedelta(days=31)


def _compute_year(result, ids, year, months, rules, roster, now):
    wanted = set(months)
    last = add_months(max(months), 1)
    window = Q(
        planned_date__gte=date(year, 1, 1) - SHIFT_MARGIN,
        planned_date__lt=last + SHIFT_MARGIN,
    )
    meetings = []
    for meeting in (
        Meeting.objects.filter(
            window,
            cell_id__in=ids,
            kind__in=COUNTED_KINDS,
            state__in=eval_domain.HELD_STATES,
        )
        .order_by("starts_at", "pk")
        .values(
            "id",
            "cell_id",
            "kind",
            "plan_slot",
            "planned_date",
            "starts_at",
            "is_combined",
            "is_ho_chi_minh_topic",
            "submitted_at",
        )
    ):
        # §8: a planned meeting counts for its plan slot's month, wherever the
        # weekend/holiday shift put its date.
        meeting["month"] = meetings_domain.plan_month(
            meeting["plan_slot"], meeting["planned_date"]
        )
        if meeting["month"].year == year and meeting["month"] < last:
            meetings.append(meeting)
    # The yearly Hồ Chí Minh topic: held or still planned anywhere in the plan year.
    hcm = Counter()
    for cell_id, slot, planned in (
        Meeting.objects.filter(
            cell_id__in=ids,
            is_ho_chi_minh_topic=True,
            planned_date__gte=date(year, 1, 1) - SHIFT_MARGIN,
            planned_date__lt=date(year + 1, 1, 1) + SHIFT_MARGIN,
        )
        .exclude(state=MeetingState.CANCELLED)
        .values_list("cell_id", "plan_slot", "planned_date")
    ):
        if meetings_domain.plan_month(slot, planned).year == year:
            hcm[cell_id] += 1
    for cell_id in ids:
        for month in months:
            result[(cell_id, month)]["hcm_in_plan"] = hcm[cell_id]
    in_months = [m for m in meetings if m["month"] in wanted]
    wanted_ids = [m["id"] for m in in_months]
    year_ids = [m["id"] for m in meetings]
    minutes = {
        row["meeting_id"]: row
        for row in Minutes.objects.filter(meeting_id__in=wanted_ids).values(
            "meeting_id", "started_at", "ended_at", "locked_at"
        )
    }
    rescheduled = set(
        MeetingChange.objects.filter(
            meeting_id__in=wanted_ids, kind=MeetingChange.Kind.RESCHEDULED
        ).values_list("meeting_id", flat=True)
    )
    supervised = set(
        Guest.objects.filter(
            meeting_id__in=wanted_ids, role=Guest.Role.SUPERIOR
        ).values_list("meeting_id", flat=True)
    )
    attendance = defaultdict(list)
    for row in Attendance.objects.filter(meeting_id__in=year_ids).values_list(
        "meeting_id",
        "member_id",
        "status",
        "spoke",
        "was_attached_in",
        "member__birth_date",
        "member__admission_date",
    ):
        attendance[row[0]].append(row)
    offices = _spans(
        Position.objects.filter(member__organization_id__in=ids).values_list(
            "member_id", "start", "end"
        )
    )
    scores = defaultdict(dict)
    reports = defaultdict(list)
    if wanted_ids:
        for meeting_id, role, band in QualityScore.objects.filter(
            meeting_id__in=wanted_ids
        ).values_list("meeting_id", "role", "band"):
            scores[meeting_id][role] = band
        for meeting_id, due_on, submitted_at in SupervisionReport.objects.filter(
            meeting_id__in=wanted_ids
        ).values_list("meeting_id", "due_on", "submitted_at"):
            reports[meeting_id].append((due_on, submitted_at))

    # Absence streaks: walk each cell's meetings of the year in order.
    by_cell = defaultdict(list)
    for meeting in meetings:
        by_cell[meeting["cell_id"]].append(meeting)
    for cell_id, cell_meetings in by_cell.items():
        run, longest = Counter(), {}
        per_month = defaultdict(list)
        for meeting in cell_meetings:
            per_month[meeting["month"]].append(meeting)
        cursor = date(year, 1, 1)
        while cursor <= max(months):
            for meeting in per_month.get(cursor, ()):
                for row in attendance[meeting["id"]]:
                    member_id, status, attached = row[1], row[2], row[4]
                    if attached:
                        continue
                    if status in meetings_domain.ABSENT_STATUSES:
                        run[member_id] += 1
                        longest[member_id] = max(
                            longest.get(member_id, 0), run[member_id]
                        )
                    elif status == AttendanceStatus.PRESENT:
                        run[member_id] = 0
            if cursor in wanted:
                result[(cell_id, cursor)]["absent_streak"] = sum(
                    1 for n in longest.values() if n > 3
                )
            cursor = add_months(cursor, 1)

    regular_starts = {}  # (cell, month) -> start of its first held regular meeting
    for meeting in in_months:
        row = result[(meeting["cell_id"], meeting["month"])]
        local_start = timezone.localtime(meeting["starts_at"])
        day = local_start.date()
        rule = rules.values(meeting["cell_id"], day)
        if meeting["kind"] == MeetingKind.REGULAR:
            if not row["regular_held"]:
                row["regular_held"] = 1
                row["regular_meeting"] = meeting["id"]
                regular_starts[(meeting["cell_id"], meeting["month"])] = meeting[
                    "starts_at"
                ]
            if (
                local_start.date() == meeting["planned_date"]
                or meeting["id"] in rescheduled
            ):
                row["regular_on_plan"] = 1
        row["meetings_held"] += 1
        if meeting["id"] in supervised:
            row["supervised"] += 1
        if meeting["kind"] == MeetingKind.THEMATIC or meeting["is_combined"]:
            row["thematic_held"] += 1
        if meeting["is_ho_chi_minh_topic"]:
            row["hcm_held"] += 1
        record = minutes.get(meeting["id"]) or {}
        started, ended = record.get("started_at"), record.get("ended_at")
        if started and ended:
            row["duration_recorded"] += 1
            if meetings_domain.meets_minimum_duration(
                minutes=meetings_domain.duration_minutes(started, ended),
                combined_with_thematic=meeting["is_combined"],
                members=sum(roster.counts(meeting["cell_id"], day).values()),
                long_meeting_members=int(rule[RuleKey.LONG_MEETING_MEMBERS]),
            ):
                row["duration_ok"] += 1
        end = ended or meeting["starts_at"]
        days = int(rule[RuleKey.MINUTES_FINAL_DAYS])
        row["minutes_due"] += 1
        locked = record.get("locked_at")
        if eval_domain.minutes_locked_in_time(
            ended_at=end, locked_at=locked, days=days
        ):
            row["minutes_locked_on_time"] += 1
        elif locked is not None or now - end > timedelta(days=days):
            row["minutes_late"] += 1
        submitted = meeting["submitted_at"]
        if submitted is not None and submitted - end <= timedelta(days=days):
            row["minutes_submitted_on_time"] += 1
        young_age = int(rule[RuleKey.YOUNG_MEMBER_AGE])
        own_required = own_present = 0
        for _mid, member_id, status, spoke, attached, born, admitted in attendance[
            meeting["id"]
        ]:
            if status == AttendanceStatus.PRESENT:
                row["att_attendees"] += 1
                row["att_spoke"] += 1 if spoke else 0
                for group in eval_domain.speaker_groups(
                    birth_date=born,
                    admission_date=admitted,
                    has_office=_covers(offices.get(member_id, ()), day),
                    day=day,
                    young_age=young_age,
                ):
                    row[f"sp_{group}_attendees"] += 1
                    row[f"sp_{group}_spoke"] += 1 if spoke else 0
            if attached:
                continue
            if status not in meetings_domain.NEUTRAL_STATUSES:
                row["att_required"] += 1
                own_required += 1
            if status == AttendanceStatus.PRESENT:
                row["att_present"] += 1
                own_present += 1
            elif status == AttendanceStatus.ABSENT_UNEXCUSED:
                row["att_unexcused"] += 1
        if meetings_domain.below_minimum_attendance(
            present=own_present,
            required=own_required,
            minimum_percent=int(rule[RuleKey.MIN_ATTENDANCE]),
        ):
            row["att_below_minimum"] += 1
        meeting_scores = scores.get(meeting["id"])
        if meeting_scores:
            band = meeting_scores.get(ScoreRole.SUPERVISOR) or meeting_scores.get(
                ScoreRole.SELF
            )
            if band in eval_domain.QUALITY_BANDS:
                row["scored"] += 1
                row[f"band_{band}"] += 1
        for due_on, submitted_at in reports.get(meeting["id"], ()):
            row["reports"] += 1
            if submitted_at is None:
                row["reports_pending"] += 1
                if (
                    row["reports_pending_due"] is None
                    or due_on < row["reports_pending_due"]
                ):
                    row["reports_pending_due"] = due_on
            elif timezone.localtime(submitted_at).date() <= due_on:
                row["reports_on_time"] += 1
            else:
                row["reports_filed_late"] += 1

    _committee_meetings(result, ids, year, months, regular_starts)

    today = timezone.localtime(now).date()
    for cell_id, deadline, outcome in Task.objects.filter(
        cell_id__in=ids, deadline__gte=min(months), deadline__lt=last
    ).values_list("cell_id", "deadline", "outcome"):
        month = month_start(deadline)
        if month not in wanted:
            continue
        if outcome or deadline < today:  # pending tasks count once they are due
            row = result[(cell_id, month)]
            row["tasks_total"] += 1
            if outcome in eval_domain.DONE_OUTCOMES:
                row["tasks_done"] += 1


def _committee_meetings(result, ids, year, months, regular_starts):
    """The monthly cell committee meeting (§3) of each cell-month: expected when the
    cell has a committee (9 or more official members on the month's roll); held when
    a held, minuted committee meeting prepared the month's held regular meeting (the
    rule of the score's "committee meeting held" item), or, when the month has no
    held regular meeting, when a committee meeting planned for the month was held.
    One query."""
    committees = defaultdict(list)
    for cell_id, starts_at, slot, planned in Meeting.objects.filter(
        cell_id__in=ids,
        kind=MeetingKind.COMMITTEE,
        state__in=eval_domain.HELD_STATES,
        minutes__isnull=False,
        planned_date__gte=date(year, 1, 1) - 2 * SHIFT_MARGIN,
        planned_date__lt=add_months(max(months), 1) + SHIFT_MARGIN,
    ).values_list("cell_id", "starts_at", "plan_slot", "planned_date"):
        committees[cell_id].append(
            (starts_at, meetings_domain.plan_month(slot, planned))
        )
    for cell_id in ids:
        held = committees.get(cell_id, ())
        for month in months:
            row = result[(cell_id, month)]
            row["committee_expected"] = int(
                eval_domain.has_cell_committee(official_members=row["official_members"])
            )
            regular = regular_starts.get((cell_id, month))
            if regular is not None:
                met = any(
                    eval_domain.committee_meeting_prepares(
                        committee_start=start, meeting_start=regular
                    )
                    for start, _month in held
                )
            else:
                met = any(planned == month for _start, planned in held)
            row["committee_held"] = int(met)


def _as_row(values):
    return {
        name: values[name] if name != "regular_meeting" else values["regular_meeting"]
        for name in FIGURE_FIELDS
    }


# A missing row reads as zero on the dashboards: it differs only if one of these
# (everything but the roll of members) is not zero.
ACTIVITY_FIELDS = [
    "regular_meeting_id" if name == "regular_meeting" else name
    for name in FIGURE_FIELDS
    if name not in {"path", "members", "official_members", "committee_expected"}
]


def recompute(cell_ids, months, *, dry_run=False, now=None):
    """Recompute and store the rows of `cell_ids` x `months` (every one, so each cell
    has a row for each month); return how many rows differed from what was stored. A
    missing row differs only when the cell had some activity that month."""
    computed = compute(cell_ids, months, now=now)
    if not computed:
        return 0
    fields = [
        "regular_meeting_id" if name == "regular_meeting" else name
        for name in FIGURE_FIELDS
    ]
    stored = {
        (row["cell_id"], row["month"]): row
        for row in CellMonth.objects.filter(
            cell_id__in={key[0] for key in computed},
            month__in={key[1] for key in computed},
        ).values("cell_id", "month", *fields)
    }
    changed, missing, differing = [], [], 0
    for (cell_id, month), values in computed.items():
        old = stored.get((cell_id, month))
        new = {
            ("regular_meeting_id" if name == "regular_meeting" else name): values[name]
            for name in FIGURE_FIELDS
        }
        if old is None:
            missing.append(CellMonth(cell_id=cell_id, month=month, **new))
            if any(new[name] for name in ACTIVITY_FIELDS):
                differing += 1
        elif any(old[name] != new[name] for name in fields):
            changed.append(CellMonth(cell_id=cell_id, month=month, **new))
            differing += 1
    changed += missing
    if changed and not dry_run:
        CellMonth.objects.bulk_create(
            changed,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["cell", "month"],
            update_fields=[*FIGURE_FIELDS, "computed_at"],
        )
    if not dry_run:
        build_periods(
            {key[0] for key in computed}, {key[1].year for key in computed}, now=now
        )
    return differing


PERIOD_FIELDS = [
    "path",
    "members",
    "official_members",
    *PERIOD_SUMS,
    "closed_months",
    "held_closed",
    "absent_streak",
    "hcm_in_plan",
    "committee_missed",
    "reports_overdue",
    "no_thematic",
    "q1",
    "q2",
    "q3",
    "q4",
    "held_months",
]


def build_periods(cell_ids, years, *, now=None):
    """Rebuild the CellPeriod rows (year, quarters, months) of `cell_ids` for `years`
    from their CellMonth rows: one read, one upsert."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    this_month = month_start(today)
    rows = defaultdict(dict)
    for row in CellMonth.objects.filter(
        cell_id__in=cell_ids, month__year__in=years
    ).values(
        "cell_id",
        "month",
        "path",
        "members",
        "official_members",
        "absent_streak",
        "hcm_in_plan",
        "reports_pending",
        "reports_pending_due",
        *PERIOD_SUMS,
    ):
        rows[(row["cell_id"], row["month"].year)][row["month"]] = row
    out = []
    for (cell_id, year), by_month in rows.items():
        for kind, number in PERIODS:
            values = period_figures(
                by_month, year, kind, number, this_month=this_month, today=today
            )
            if values is not None:
                out.append(
                    CellPeriod(
                        cell_id=cell_id, year=year, kind=kind, number=number, **values
                    )
                )
    if out:
        CellPeriod.objects.bulk_create(
            out,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["cell", "year", "kind", "number"],
            update_fields=[*PERIOD_FIELDS, "computed_at"],
        )


def rebuild(*, org=None, years=None, dry_run=False, progress=None):
    """Recompute every cell-month under `org` (everything by default) for `years`
    (every year with a meeting by default); return the number of rows that differed."""
    cells = Organization.objects.filter(kind=OrgKind.CELL)
    if org is not None:
        cells = cells.filter(path__startswith=org.path)
    ids = list(cells.order_by("path").values_list("pk", flat=True))
    if years is None:
        first = (
            Meeting.objects.order_by("planned_date")
            .values_list("planned_date", flat=True)
            .first()
        )
        this_year = timezone.localdate().year
        years = range(first.year if first else this_year, this_year + 1)
    differences = 0
    for year in years:
        months = year_months(year)
        if not months:
            continue
        for start in range(0, len(ids), CHUNK):
            differences += recompute(
                ids[start : start + CHUNK], months, dry_run=dry_run
            )
            if progress:
                progress(year, min(start + CHUNK, len(ids)), len(ids))
    if not dry_run:
        RollupDirty.objects.filter(cell_id__in=ids).delete()
    return differences
