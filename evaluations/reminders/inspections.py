"""Inspection reminders (seed 000, DOMAIN.md §3.7): in the last month of each
inspection period (rule `inspection_months`, default 6: June and December), the
superior members assigned to follow a cell — its inspectors — are reminded once
while the cell, which held meetings in the period, has no inspection in it.
Registered with the meetings scanner by `EvaluationsConfig.ready()`."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from evaluations.inspections.rules import inspection_period
from evaluations.models import Inspection
from meetings.api import (
    ReminderWork,
    in_sending_hours,
    register_reminder_kinds,
    rules_for_cells,
    supervisors_of,
    unique_members,
)
from meetings.domain import HELD_STATES
from meetings.models import Meeting
from meetings.models import NotificationKind as Kind
from members.models import Organization, OrgKind, RuleKey

PREFIX = "inspection:"


def inspection_subject(cell_id, start):
    return f"{PREFIX}{cell_id}:{start.isoformat()}"


def parse_subject(subject):
    """(cell id, first day of the period) from a subject, or None."""
    try:
        prefix, cell_id, start = subject.split(":")
        if f"{prefix}:" != PREFIX:
            return None
        return int(cell_id), date.fromisoformat(start)
    except ValueError:
        return None


def _months(value):
    months = int(value)
    return months if months >= 1 and 12 % months == 0 else 6


def _inspected(pairs):
    """The (cell id, period start) among `pairs` with an inspection in the period
    (one query)."""
    if not pairs:
        return set()
    first = min(start for _c, start in pairs)
    found = set()
    rows = Inspection.objects.filter(
        cell_id__in={c for c, _s in pairs}, inspected_on__gte=first
    ).values_list("cell_id", "inspected_on")
    for cell_id, day in rows:
        for pair_cell, start in pairs:
            if pair_cell == cell_id and start <= day:
                found.add((pair_cell, start))
    return found


def due_inspection_work(now):
    """The Work of every cell whose inspection is due this month: five queries."""
    local = timezone.localtime(now)
    if not in_sending_hours(local):
        return []
    today = local.date()
    supervisors = supervisors_of(
        Organization.objects.filter(
            kind=OrgKind.CELL, is_active=True, supervisions__isnull=False
        )
        .values_list("pk", flat=True)
        .distinct(),
        on=today,
    )
    if not supervisors:
        return []
    cells = Organization.objects.filter(pk__in=list(supervisors)).only("id", "path")
    rules = rules_for_cells(cells, on=today, keys=(RuleKey.INSPECTION_MONTHS,))
    due = {}
    for cell in cells:
        start, end = inspection_period(
            today, months=_months(rules[cell.pk][RuleKey.INSPECTION_MONTHS])
        )
        if today >= end.replace(day=1):
            due[(cell.pk, start)] = supervisors[cell.pk]
    # Only cells that held meetings in the period have meetings to inspect (one
    # that held none is flagged for that on the dashboard already).
    first = min((start for _c, start in due), default=today)
    active = set(
        Meeting.objects.filter(
            cell_id__in={c for c, _s in due},
            state__in=HELD_STATES,
            planned_date__gte=first,
            planned_date__lte=today,
        ).values_list("cell_id", "planned_date")
    )
    due = {
        (cell_id, start): people
        for (cell_id, start), people in due.items()
        if any(c == cell_id and day >= start for c, day in active)
    }
    done = _inspected(set(due))
    return [
        ReminderWork(
            Kind.INSPECTION_DUE,
            inspection_subject(cell_id, start),
            None,
            unique_members(people),
        )
        for (cell_id, start), people in due.items()
        if (cell_id, start) not in done
    ]


def inspection_contexts(subjects):
    """{subject: template context}: the cell and the period."""
    parsed = {s: parse_subject(s) for s in subjects}
    cells = Organization.objects.in_bulk([p[0] for p in parsed.values() if p])
    rules = rules_for_cells(
        cells.values(), on=timezone.localdate(), keys=(RuleKey.INSPECTION_MONTHS,)
    )
    contexts = {}
    for subject, found in parsed.items():
        cell = cells.get(found[0]) if found else None
        if cell is None:
            continue
        start, end = inspection_period(
            found[1], months=_months(rules[cell.pk][RuleKey.INSPECTION_MONTHS])
        )
        contexts[subject] = {
            "cell": cell,
            "period_start": start,
            "period_end": end,
            "path": reverse("evaluations:cell-inspections", args=[cell.pk]),
        }
    return contexts


def still_uninspected(subjects):
    """The subjects whose cell still has no inspection in the period (one query)."""
    parsed = {s: parse_subject(s) for s in subjects}
    done = _inspected({p for p in parsed.values() if p})
    return {s for s, p in parsed.items() if p and p not in done}


def register():
    """Plug inspection reminders into the meetings scanner (EvaluationsConfig.ready)."""
    return register_reminder_kinds(
        (Kind.INSPECTION_DUE,),
        find=due_inspection_work,
        context=inspection_contexts,
        still_due=still_uninspected,
        templates={Kind.INSPECTION_DUE: "evaluations/email/inspection_due.txt"},
    )
