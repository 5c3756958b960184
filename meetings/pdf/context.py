"""What a printed party document shows (HD 36 layout, DOMAIN.md §3.5): the minutes,
the resolution and the cover of a topic paper, built from the database as plain
values with a constant number of queries, every string normalised to Unicode NFC
(TCVN 6909:2001).

The wording is fixed by the party's guidance (HD 36), so it is Vietnamese here and
in templates/pdf/ rather than translated UI strings. Sections other apps own (the
tasks assigned in a meeting) come through `meetings.hooks`.
"""

import unicodedata

from django.utils import timezone

from meetings import domain, hooks, selectors
from meetings.models import AttendanceStatus, MeetingKind, Minutes, Resolution
from members.api import org_ancestors
from members.models import Position, PositionRole

KIND_SUBTITLES = {
    MeetingKind.REGULAR: "Sinh hoạt chi bộ thường kỳ tháng {month} năm {year}",
    MeetingKind.THEMATIC: "Sinh hoạt chuyên đề",
    MeetingKind.EXTRAORDINARY: "Sinh hoạt chi bộ bất thường",
    MeetingKind.COMMITTEE: "Họp chi ủy",
    MeetingKind.ANNUAL_REVIEW: "Hội nghị kiểm điểm, đánh giá cuối năm {year}",
    MeetingKind.CONGRESS: "Đại hội chi bộ",
}
STATUS_LABELS = {
    AttendanceStatus.PRESENT: "có mặt",
    AttendanceStatus.ABSENT_EXCUSED: "vắng có lý do",
    AttendanceStatus.ABSENT_UNEXCUSED: "vắng không có lý do",
    AttendanceStatus.EXEMPT: "miễn sinh hoạt",
    AttendanceStatus.AWAY: "chuyển sinh hoạt tạm thời, đi công tác",
    AttendanceStatus.SUSPENDED: "đình chỉ sinh hoạt",
}
GUEST_ROLES = {
    "superior": "đại diện cấp ủy cấp trên",
    "invited": "khách mời",
    "peer": "bí thư chi bộ bạn",
}


def nfc(value):
    """`value` with every string in it normalised to NFC (dicts and lists too)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(key): nfc(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [nfc(item) for item in value]
    return value


def vn_date(day):
    """ "ngày 03 tháng 11 năm 2026"."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def vn_time(moment):
    local = timezone.localtime(moment)
    return f"{local.hour} giờ {local.minute:02d} phút"


def percent(fraction):
    if fraction is None:
        return "—"
    value = f"{float(fraction) * 100:.1f}".replace(".", ",")
    return f"{value}%"


def header_context(cell, *, day, number=""):
    """The two header blocks: superior organisation and cell (left), the party and
    the place-and-date line (right). One query (the ancestors)."""
    ancestors = org_ancestors(cell)
    superior = ancestors[-1] if ancestors else None
    place = next((org.place for org in reversed([*ancestors, cell]) if org.place), "")
    place_date = f"{place}, {vn_date(day)}" if place else vn_date(day).capitalize()
    return {
        "superior_name": f"{superior.name}" if superior else "",
        "cell_name": cell.name,
        "number": number,
        "place_date": place_date,
        "ancestors": ancestors,
    }


def subtitle_for(meeting):
    local = timezone.localtime(meeting.starts_at)
    text = KIND_SUBTITLES.get(meeting.kind, "").format(
        month=f"{local.month:02d}", year=local.year
    )
    if meeting.kind != MeetingKind.REGULAR and meeting.topic:
        return f"{text}: {meeting.topic}" if text else meeting.topic
    return text


def subtitle_in_sentence(meeting):
    """The subtitle inside "… tiến hành …": our words for the kind start in lower
    case; the topic is the user's text and keeps its case ("Hồ Chí Minh")."""
    local = timezone.localtime(meeting.starts_at)
    text = KIND_SUBTITLES.get(meeting.kind, "").format(
        month=f"{local.month:02d}", year=local.year
    )
    text = text[:1].lower() + text[1:]
    if meeting.kind != MeetingKind.REGULAR and meeting.topic:
        return f"{text}: {meeting.topic}" if text else meeting.topic
    return text


def _reviewed_tasks(meeting):
    return [
        {
            "text": row["text"],
            "assignees": row["assignee_names"],
            "deadline": row["deadline"].strftime("%d/%m/%Y") if row["deadline"] else "",
            "outcome": str(row["outcome_label"]),
            "comment": row.get("comment", ""),
        }
        for row in hooks.minutes_section_rows("task_review", meeting)
    ]


def _self_score(meeting):
    rows = hooks.minutes_section_rows("self_score", meeting)
    if not rows:
        return None
    row = rows[0]

    def number(value):
        return f"{value.normalize():f}".replace(".", ",")

    return {
        "total": number(row["total"]),
        "maximum": number(row["maximum"]),
        "band": row["band_label"],
    }


def _tasks(meeting):
    """The tasks assigned in the meeting, from the apps that registered them (the
    evaluations app); none when no app did."""
    return [
        {
            "text": row["text"],
            "assignees": row["assignee_names"],
            "deadline": row["deadline"].strftime("%d/%m/%Y") if row["deadline"] else "",
        }
        for row in hooks.minutes_section_rows("tasks", meeting)
    ]


def _secretary_name(cell, minutes):
    """The cell's secretary in office (signs "T/M CHI BỘ — BÍ THƯ"), else the chair."""
    position = (
        Position.objects.filter(
            organization=cell, role=PositionRole.SECRETARY, end__isnull=True
        )
        .select_related("member")
        .order_by("-start")
        .first()
    )
    if position is not None:
        return position.member.full_name
    return minutes.chair.full_name if minutes and minutes.chair else ""


def minutes_for_pdf(meeting):
    """The meeting's minutes with the signers (one query), or None."""
    return (
        Minutes.objects.filter(meeting=meeting)
        .select_related("chair", "minute_taker")
        .first()
    )


def _names(rows, *, with_reason=False):
    return [
        {"name": r.member.full_name, "reason": r.reason if with_reason else ""}
        for r in rows
    ]


def minutes_context(meeting, minutes=None):
    """Everything the minutes document shows, as plain values (constant queries)."""
    minutes = minutes or minutes_for_pdf(meeting)
    cell = meeting.cell
    day = timezone.localtime(meeting.starts_at).date()
    rows = selectors.attendance_rows(meeting)
    guests = list(meeting.guests.all())
    stats = selectors.attendance_stats(rows, guests=guests)
    votes = selectors.minutes_votes(minutes)
    addenda = list(minutes.addenda.all())
    duration = (
        domain.duration_minutes(minutes.started_at, minutes.ended_at)
        if minutes.started_at and minutes.ended_at
        else None
    )
    minimum = selectors.minimum_duration(meeting)
    resolution = Resolution.objects.filter(meeting=meeting).first()
    vote_rows = [
        {
            # The user's words, as typed (never re-cased), without a final stop.
            "subject": vote.subject.rstrip(" ."),
            "kind": vote.kind,
            "yes": vote.yes,
            "no": vote.no,
            "abstain": vote.abstain,
            "denominator": vote.denominator,
            "yes_percent": percent(
                vote.yes / vote.denominator if vote.denominator else None
            ),
            "passed": vote.passed,
            "rule": (
                "tán thành từ hai phần ba trở lên"
                if vote.is_admission
                else "tán thành quá một nửa"
            ),
            "reserved": [
                {"name": r.member.full_name, "opinion": r.opinion}
                for r in vote.reserved_opinions.all()
            ],
        }
        for vote in votes
    ]
    context = {
        **header_context(cell, day=day),
        "title": "BIÊN BẢN",
        "subtitle": subtitle_for(meeting),
        "subtitle_in_sentence": subtitle_in_sentence(meeting),
        "meeting_id": meeting.pk,
        "meeting_kind": meeting.kind,
        "topic": meeting.topic,
        "place": meeting.place,
        "date": day.strftime("%d/%m/%Y"),
        "date_text": vn_date(day),
        "start_text": vn_time(minutes.started_at) if minutes.started_at else "",
        "end_text": vn_time(minutes.ended_at) if minutes.ended_at else "",
        "duration": duration,
        "minimum": minimum,
        "too_short": duration is not None and duration < minimum,
        "stats": {
            "total": stats["total"],
            "official": stats["official"],
            "probationary": stats["probationary"],
            "required": stats["required"],
            "present": stats["present"],
            "attached_in": stats["attached_in"],
            "attached_in_present": stats["attached_in_present"],
            "rate": percent(stats["rate"]),
            "spoke": stats["spoke"],
            "attendees": stats["attendees"],
            "absent_excused": _names(stats["absent_excused"], with_reason=True),
            "absent_unexcused": _names(stats["absent_unexcused"]),
            "exempt": _names(stats["exempt"]),
            "away": _names(stats["away"]),
            "suspended": _names(stats["suspended"]),
            "late": _names(stats["late"]),
        },
        "guests": [
            {
                "name": g.name,
                "role": GUEST_ROLES.get(g.role, g.role),
                "title": g.title,
            }
            for g in guests
        ],
        "chair": minutes.chair.full_name if minutes.chair else "",
        "minute_taker": minutes.minute_taker.full_name if minutes.minute_taker else "",
        "opening": minutes.opening,
        "items": [
            {
                "title": item.get("title", ""),
                "speakers": [
                    {"name": s.get("name", ""), "gist": s.get("gist", "")}
                    for s in item.get("speakers", [])
                ],
                "conclusion": item.get("conclusion", ""),
            }
            for item in (minutes.items or [])
        ],
        "tasks": _tasks(meeting),
        "task_review": _reviewed_tasks(meeting),
        "self_score": _self_score(meeting),
        "recommendations": minutes.recommendations,
        "conclusion": minutes.conclusion,
        "votes": vote_rows,
        "addenda": [
            {
                "date": timezone.localtime(a.created_at).strftime("%d/%m/%Y"),
                "text": a.text,
                "signed": bool(a.taker_signed_at and a.chair_signed_at),
            }
            for a in addenda
        ],
        "resolution": (
            {
                "number": resolution.number,
                "number_in_sentence": resolution.number_in_sentence,
                "title": resolution.title,
                "text": resolution.text,
            }
            if resolution
            else None
        ),
        "adopted_at": _iso(minutes.adopted_at),
        "locked_at": _iso(minutes.locked_at),
        # PDF metadata: created when locked (or adopted, for a draft), modified by
        # the last signed addendum.
        "created": _iso(minutes.locked_at or minutes.adopted_at or minutes.created_at),
        "modified": _iso(
            max(
                [minutes.locked_at or minutes.updated_at]
                + [
                    a.chair_signed_at
                    for a in addenda
                    if a.chair_signed_at and a.taker_signed_at
                ]
            )
        ),
        "is_locked": minutes.is_locked,
        "attendance": [
            {
                "name": r.member.full_name,
                "status": r.status,
                "status_label": STATUS_LABELS.get(r.status, r.status),
                "reason": r.reason,
                "late": r.late,
                "spoke": r.spoke,
                "official": r.was_official,
                "attached_in": r.was_attached_in,
            }
            for r in rows
        ],
    }
    return nfc(context)


def _iso(moment):
    """W3C date-time in Vietnam's time, to the second (PDF metadata, JSON)."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def minutes_data(context):
    """The structured record embedded in the PDF as JSON (re-readable without OCR)."""
    keys = (
        "meeting_id",
        "meeting_kind",
        "cell_name",
        "superior_name",
        "topic",
        "place",
        "date",
        "subtitle",
        "chair",
        "minute_taker",
        "start_text",
        "end_text",
        "duration",
        "stats",
        "attendance",
        "guests",
        "opening",
        "items",
        "tasks",
        "recommendations",
        "conclusion",
        "votes",
        "addenda",
        "resolution",
        "adopted_at",
        "locked_at",
    )
    return {"schema": "chibo.minutes/1"} | {key: context[key] for key in keys}


def resolution_context(meeting):
    minutes = minutes_for_pdf(meeting)
    resolution = Resolution.objects.filter(meeting=meeting).first()
    cell = meeting.cell
    votes = selectors.minutes_votes(minutes) if minutes else []
    if resolution is not None:
        day = resolution.issued_on
        title, text, number = resolution.title, resolution.text, resolution.number
    else:
        day = timezone.localtime(meeting.starts_at).date()
        title, text, number = meeting.topic, meeting.draft_resolution, "Số    -NQ/CB"
    context = {
        **header_context(cell, day=day, number=number),
        "title": "NGHỊ QUYẾT",
        "subtitle": title,
        "meeting_date": vn_date(timezone.localtime(meeting.starts_at).date()),
        "text": text,
        "votes": [
            {
                "subject": v.subject,
                "yes": v.yes,
                "no": v.no,
                "abstain": v.abstain,
                "denominator": v.denominator,
                "yes_percent": percent(
                    v.yes / v.denominator if v.denominator else None
                ),
                "passed": v.passed,
            }
            for v in votes
        ],
        "secretary": _secretary_name(cell, minutes),
        "is_issued": resolution is not None,
        "meeting_id": meeting.pk,
        "created": day.isoformat(),
    }
    return nfc(context)


def topic_cover_context(meeting):
    day = timezone.localtime(meeting.starts_at).date()
    return nfc(
        {
            **header_context(meeting.cell, day=day),
            "title": "CHUYÊN ĐỀ",
            "topic": meeting.topic or "",
            "presenter": meeting.presenter.full_name if meeting.presenter else "",
            "meeting_id": meeting.pk,
        }
    )
