"""What meetings gives the dues ledger (registered from ready()): the cell's
meetings of a month with the members present, so the secretary can mark their dues
paid in cash in one step (members.hooks); and the reminder to the secretary when a
member has left 3 months of dues unpaid in a year and the cell has not decided yet
(the notification scanner)."""

import calendar
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members import api as members_api

from . import domain, notify
from .models import Attendance, AttendanceStatus, Meeting
from .models import NotificationKind as Kind

PREFIX = "dues:"


def meetings_with_present_members(cell, month):
    """[{"label", "date", "member_ids"}] for the cell's held meetings of `month`
    (two queries)."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    meetings = list(
        Meeting.objects.filter(
            cell=cell,
            planned_date__gte=month,
            planned_date__lte=last,
            state__in=domain.HELD_STATES,
        ).order_by("starts_at")
    )
    present = defaultdict(list)
    for meeting_id, member_id in Attendance.objects.filter(
        meeting__in=meetings, status=AttendanceStatus.PRESENT
    ).values_list("meeting_id", "member_id"):
        present[meeting_id].append(member_id)
    return [
        {
            "label": _("%(kind)s of %(date)s")
            % {
                "kind": meeting.get_kind_display(),
                "date": meeting.planned_date.strftime("%d/%m/%Y"),
            },
            "date": meeting.planned_date,
            "member_ids": present[meeting.pk],
        }
        for meeting in meetings
        if present[meeting.pk]
    ]


def _subject(cell_id, member_id, year):
    return f"{PREFIX}{cell_id}:{member_id}:{year}"


def _parse(subject):
    try:
        prefix, cell_id, member_id, year = subject.split(":")
        if f"{prefix}:" != PREFIX:
            return None
        return int(cell_id), int(member_id), int(year)
    except ValueError:
        return None


def dues_arrears_work(now):
    """A reminder to the secretary of each cell (its officers when it has none) for
    each member with 3 closed months unpaid this year (and last year in January)
    on whom the cell has not decided. Sent once per member and year."""
    local = timezone.localtime(now)
    if not notify.in_sending_hours(local):
        return []
    today = local.date()
    years = [today.year] + ([today.year - 1] if today.month == 1 else [])
    alerts = [
        (cell_id, member_id, year)
        for year in years
        for cell_id, member_id in members_api.removal_alerts_of_year(year)
    ]
    if not alerts:
        return []
    cells = {cell_id for cell_id, _m, _y in alerts}
    secretaries = notify.officers_of(
        cells, on=today, roles=(members_api.PositionRole.SECRETARY,)
    )
    officers = notify.officers_of(cells, on=today)
    return [
        notify.Work(
            Kind.DUES_ARREARS,
            _subject(cell_id, member_id, year),
            None,
            tuple(secretaries.get(cell_id) or officers.get(cell_id) or ()),
        )
        for cell_id, member_id, year in alerts
        if secretaries.get(cell_id) or officers.get(cell_id)
    ]


def dues_arrears_contexts(subjects):
    """{subject: context}: the cell, the member, the year and the ledger's link."""
    parsed = {s: _parse(s) for s in subjects}
    found = [p for p in parsed.values() if p]
    cells = members_api.Organization.objects.in_bulk({c for c, _m, _y in found})
    people = members_api.Member.objects.in_bulk({m for _c, m, _y in found})
    contexts = {}
    for subject, key in parsed.items():
        if not key or key[0] not in cells or key[1] not in people:
            continue
        cell_id, member_id, year = key
        contexts[subject] = {
            "cell": cells[cell_id],
            "member": people[member_id],
            "year": year,
            "path": reverse("members:dues-year", args=[cell_id, year]),
        }
    return contexts


def dues_arrears_still_due(subjects):
    """The subjects on whom the cell has still not recorded its decision."""
    parsed = {s: _parse(s) for s in subjects}
    due = set()
    for year in {p[2] for p in parsed.values() if p}:
        members = [p[1] for p in parsed.values() if p and p[2] == year]
        decided = members_api.decided_members(members, year)
        due |= {
            s for s, p in parsed.items() if p and p[2] == year and p[1] not in decided
        }
    return due


def register_dues_reminders():
    """Plug the dues reminder into the scanner (MeetingsConfig.ready)."""
    return notify.register(
        (Kind.DUES_ARREARS,),
        find=dues_arrears_work,
        context=dues_arrears_contexts,
        still_due=dues_arrears_still_due,
        templates={Kind.DUES_ARREARS: "meetings/email/dues_arrears.txt"},
    )
