"""Helpers of the meeting view tests: meetings in each state, the POST data the
pages send, and reading a response."""

from meetings import services
from meetings.models import (
    Attendance,
)
from tests.meetings.helpers import (
    fill_minutes,
    locked_meeting,
    make_meeting,
    pdf_bytes,
    reload,
    start,
    upload,
)


def topic_meeting(tree):
    return make_meeting(
        tree.cell, topic="Họp chi bộ tháng 11", place="Nhà văn hóa khu phố 5"
    )


def held_meeting(tree, conclusion="Kết luận riêng của chi bộ"):
    meeting = topic_meeting(tree)
    minutes = start(meeting)
    minutes = fill_minutes(
        minutes, chair=tree.secretary, taker=tree.member, conclusion=conclusion
    )
    return meeting, minutes


def locked(tree, **kw):
    kw.setdefault("topic", "Họp chi bộ tháng 11")
    return locked_meeting(tree.cell, chair=tree.secretary, taker=tree.member, **kw)


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


def body(response):
    return response.content.decode()


def with_document(tree):
    meeting = topic_meeting(tree)
    document = services.add_document(
        meeting=meeting,
        upload=upload("du-thao.pdf", pdf_bytes()),
        title="Dự thảo",
        by=None,
    )
    return meeting, document


def submitted(tree):
    meeting, minutes = locked(tree)
    services.submit_minutes(meeting=meeting, by=None)
    return meeting, minutes
