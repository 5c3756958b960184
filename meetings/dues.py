"""What meetings gives the dues ledger (registered in members.hooks from ready()):
the cell's meetings of a month with the members present, so the secretary can mark
their dues paid in cash in one step; and the PDF engine to print the sheets."""

import calendar
from collections import defaultdict

from django.utils.translation import gettext as _

from .models import Attendance, AttendanceStatus, Meeting, MeetingState


def meetings_with_present_members(cell, month):
    """[{"label", "date", "member_ids"}] for the cell's held meetings of `month`
    (two queries)."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    meetings = list(
        Meeting.objects.filter(
            cell=cell, planned_date__gte=month, planned_date__lte=last
        )
        .exclude(
            state__in=[
                MeetingState.PLANNED,
                MeetingState.NOTIFIED,
                MeetingState.CANCELLED,
            ]
        )
        .order_by("starts_at")
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
