"""Party documents as PDF with WeasyPrint: minutes, resolution, topic cover, minute
book (HD 36 layout, DOMAIN.md §3.5).

The printed document is always Vietnamese: its wording is fixed by the party's
guidance (HD 36), so the templates in templates/pdf/ hold the Vietnamese text
itself rather than translated UI strings. All text is normalised to Unicode NFC
(TCVN 6909:2001); fonts come from static/fonts and are embedded; locked documents
are PDF/A-3b with the structured record attached as JSON.

One font configuration and one parsed stylesheet per process (the worker renders
many documents with them).
"""

import atexit
import hashlib
import json
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from members import selectors as member_selectors
from members.models import Position, PositionRole

from . import domain, selectors
from .models import AttendanceStatus, MeetingKind, Minutes, Resolution

PDF_VARIANT = "pdf/a-3b"
OUTPUT_INTENT = "chibo-srgb"
ATTACHMENT_NAME = "bien-ban.json"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
STYLESHEET = STATIC_DIR / "pdf" / "print.css"

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


def sha256(data):
    return hashlib.sha256(data).hexdigest()


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


# --- context ---------------------------------------------------------------------


def header_context(cell, *, day, number=""):
    """The two header blocks: superior organisation and cell (left), the party and
    the place-and-date line (right). One query (the ancestors)."""
    ancestors = member_selectors.org_ancestors(cell)
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


def _tasks(meeting):
    try:
        from evaluations.api import meeting_tasks
    except ImportError:  # the evaluations app is optional for printing
        return []
    return [
        {
            "text": row["text"],
            "assignees": row["assignee_names"],
            "deadline": row["deadline"].strftime("%d/%m/%Y") if row["deadline"] else "",
        }
        for row in meeting_tasks(meeting)
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
    resolution = Resolution.objects.filter(meeting=meeting).first()
    vote_rows = [
        {
            "subject": vote.subject,
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
                if vote.kind == "admission"
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
        "meeting_id": meeting.pk,
        "meeting_kind": meeting.kind,
        "topic": meeting.topic,
        "place": meeting.place,
        "date": day.strftime("%d/%m/%Y"),
        "date_text": vn_date(day),
        "start_text": vn_time(minutes.started_at) if minutes.started_at else "",
        "end_text": vn_time(minutes.ended_at) if minutes.ended_at else "",
        "duration": duration,
        "minimum": domain.minimum_duration_minutes(
            combined_with_thematic=meeting.is_combined
        ),
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


# --- rendering -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _engine():
    """(font configuration, parsed stylesheet, colour profiles): once per process.

    The sRGB output intent PDF/A needs is loaded here from WeasyPrint's own ICC
    file, with the file closed after reading (WeasyPrint's default leaves it open).
    """
    from importlib.resources import files

    from weasyprint import CSS  # noqa: TID251 — imported when rendering
    from weasyprint.css import ColorProfile  # noqa: TID251 — imported when rendering
    from weasyprint.text.fonts import (  # noqa: TID251 — imported when rendering
        FontConfiguration,
    )

    font_config = FontConfiguration()
    atexit.register(forget_font_folder, font_config)
    stylesheet = CSS(filename=str(STYLESHEET), font_config=font_config)
    with (files("weasyprint.pdf") / "sRGB2014.icc").open("rb") as icc:
        srgb = ColorProfile(
            icc, "sRGB2014.icc", "relative-colorimetric", ("r", "g", "b")
        )
    return font_config, stylesheet, {OUTPUT_INTENT: srgb}


def forget_font_folder(font_config):
    """Remove the font configuration's temporary folder while the interpreter is
    still whole (its own __del__ runs too late at exit and prints an error)."""
    folder = getattr(font_config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        font_config._folder = None


def static_url_fetcher(url, *args, **kwargs):
    """Only our own static files (fonts) may be fetched while rendering."""
    from weasyprint import default_url_fetcher  # noqa: TID251 — imported when rendering

    if not url.startswith(STATIC_DIR.as_uri()):
        raise ValueError(f"refused to fetch {url!r} while rendering a PDF")
    return default_url_fetcher(url, *args, **kwargs)


def _html(template, context):
    with translation.override("vi"):
        markup = render_to_string(template, context)
    return unicodedata.normalize("NFC", markup)


def _document(template, context):
    from weasyprint import HTML  # noqa: TID251 — imported when rendering

    font_config, stylesheet, color_profiles = _engine()
    html = HTML(
        string=_html(template, context),
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=static_url_fetcher,
    )
    return html.render(
        stylesheets=[stylesheet], font_config=font_config, color_profiles=color_profiles
    )


def _write(document, *, archival, attachment=None):
    from weasyprint import Attachment  # noqa: TID251 — imported when rendering

    options = {}
    if archival:
        options["pdf_variant"] = PDF_VARIANT
        options["output_intent"] = OUTPUT_INTENT
    attachments = []
    if attachment is not None:
        attachments.append(
            Attachment(
                string=json.dumps(attachment, ensure_ascii=False, indent=1),
                name=ATTACHMENT_NAME,
                description="Dữ liệu có cấu trúc của biên bản (JSON)",
                relationship="Data",
            )
        )
    return document.write_pdf(attachments=attachments, **options)


@dataclass
class Rendered:
    content: bytes
    pages: int
    sha256: str


def render_minutes(meeting, *, minutes=None, draft=None):
    """The minutes of `meeting` as PDF bytes. Locked minutes are PDF/A-3b with the
    JSON record attached; anything not locked carries the DỰ THẢO watermark."""
    context = minutes_context(meeting, minutes)
    is_draft = (not context["is_locked"]) if draft is None else draft
    context["draft"] = is_draft
    document = _document("pdf/minutes.html", context)
    content = _write(document, archival=not is_draft, attachment=minutes_data(context))
    return Rendered(content, len(document.pages), sha256(content))


def render_resolution(meeting):
    context = resolution_context(meeting)
    context["draft"] = not context["is_issued"]
    document = _document("pdf/resolution.html", context)
    content = _write(document, archival=context["is_issued"])
    return Rendered(content, len(document.pages), sha256(content))


def render_topic_cover(meeting):
    context = topic_cover_context(meeting)
    document = _document("pdf/topic_cover.html", context)
    content = _write(document, archival=False)
    return Rendered(content, len(document.pages), sha256(content))


def render_minute_book(cell, year, *, progress=None):
    """The minute book (sổ biên bản) of `cell` for `year`: a cover, a table of
    contents and every locked minutes of the year in order, as one PDF/A-3b.
    `progress(done, total)` is called after each minutes is laid out."""
    book = selectors.minute_book(cell, year)
    total = len(book) + 1
    parts = []
    for index, minutes in enumerate(book, start=1):
        context = minutes_context(minutes.meeting, minutes)
        context["draft"] = False
        parts.append((context, _document("pdf/minutes.html", context)))
        if progress:
            progress(index, total)
    entries, page = [], 1
    for context, document in parts:
        entries.append(
            {
                "date": context["date"],
                "subtitle": context["subtitle"],
                "page": page,
            }
        )
        page += len(document.pages)
    front_context = nfc(
        {
            **header_context(cell, day=date(year, 12, 31)),
            "year": year,
            "entries": entries,
            "generated": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        }
    )
    front = _document("pdf/minute_book_front.html", front_context)
    offset = len(front.pages)
    for entry in front_context["entries"]:
        entry["page"] += offset
    front = _document("pdf/minute_book_front.html", front_context)
    pages = [*front.pages]
    for _context, document in parts:
        pages.extend(document.pages)
    combined = front.copy(pages)
    content = _write(
        combined,
        archival=True,
        attachment={
            "schema": "chibo.minute-book/1",
            "cell_name": front_context["cell_name"],
            "year": year,
            "minutes": [minutes_data(context) for context, _document in parts],
        },
    )
    if progress:
        progress(total, total)
    return Rendered(content, len(pages), sha256(content))


def filename_for(meeting, kind="bien-ban", version=None):
    day = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
    suffix = f"-v{version}" if version else ""
    return f"{kind}-{day}-{meeting.pk}{suffix}.pdf"
