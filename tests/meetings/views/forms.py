"""The POST data the meeting pages send, as a browser would send it, and a meeting's
state read afresh."""

from meetings.models import Attendance
from tests.factories.meetings import reload


def minutes_post(minutes, **overrides):
    """The editor's POST data for `minutes`, as the page would send it."""
    data = {
        "version": minutes.version,
        "chair": minutes.chair_id or "",
        "minute_taker": minutes.minute_taker_id or "",
        "started_at": "03/11/2026 19:30",
        "ended_at": "03/11/2026 21:30",
        "opening": "Khai mạc lúc 19 giờ 30",
        "recommendations": "",
        "conclusion": "Kết luận mới",
    }
    for index, item in enumerate(minutes.items):
        data[f"items-{index}-title"] = item["title"]
        data[f"items-{index}-speakers"] = ""
        data[f"items-{index}-conclusion"] = ""
    data.update(overrides)
    return data


def attendance_post(meeting, overrides=None):
    data = {}
    for row in Attendance.objects.filter(meeting=meeting):
        data[f"m{row.member_id}_status"] = row.status
        data[f"m{row.member_id}_reason"] = row.reason
    for member, values in (overrides or {}).items():
        for key, value in values.items():
            data[f"m{member.pk}_{key}"] = value
    return data


def state_of(meeting):
    return lambda: reload(meeting).state
