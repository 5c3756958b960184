"""Builders for meeting tests: every step goes through the real services, so a
meeting in state X got there the way a secretary would take it there."""

import io
import struct
import zipfile
import zlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MeetingKind, MeetingState
from members.models import (
    AttachmentDirection,
    Exemption,
    ExemptionReason,
    MemberStatus,
    Suspension,
    TemporaryAttachment,
)
from tests.factories import MemberFactory, UserFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
LONG_AGO = date(2020, 1, 1)


def at(year, month, day, hour=8, minute=0):
    """An aware datetime in Vietnam time."""
    return datetime(year, month, day, hour, minute, tzinfo=HANOI)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def make_meeting(cell, *, starts_at=None, kind=MeetingKind.REGULAR, by=None, **fields):
    return services.create_meeting(
        cell=cell,
        kind=kind,
        starts_at=starts_at or at(2026, 11, 3, 19, 30),
        by=by,
        **fields,
    )


def start(meeting, by=None):
    """Hold the meeting: attendance is prefilled and the minutes opened."""
    minutes = services.start_meeting(meeting=meeting, by=by)
    meeting.refresh_from_db()
    return minutes


def fill_minutes(minutes, *, chair, taker, by=None, conclusion="Kết luận chung"):
    """Save chair, minute-taker, a 120-minute duration and a conclusion."""
    day = minutes.meeting.starts_at
    return services.save_minutes(
        minutes=minutes,
        version=minutes.version,
        by=by,
        chair=chair,
        minute_taker=taker,
        started_at=day,
        ended_at=day + timedelta(minutes=120),
        opening="Khai mạc",
        conclusion=conclusion,
    )


def user_for(member):
    """The login of `member`, made on first use."""
    user = getattr(member, "user", None)
    return user if user is not None else UserFactory(member=member)


def adopt_and_sign(minutes, *, chair, taker):
    services.adopt_minutes(minutes=minutes, by=None)
    services.sign_minutes(minutes=minutes, user=user_for(chair))
    if taker != chair:  # one person in both roles signs both at once
        services.sign_minutes(minutes=minutes, user=user_for(taker))
    return minutes


def locked_meeting(cell, *, chair, taker, by=None, conclusion="Kết luận chung", **kw):
    """A meeting taken through start → minutes → adopt → sign → lock."""
    meeting = make_meeting(cell, by=by, **kw)
    minutes = start(meeting, by)
    minutes = fill_minutes(
        minutes, chair=chair, taker=taker, by=by, conclusion=conclusion
    )
    adopt_and_sign(minutes, chair=chair, taker=taker)
    services.lock_minutes(minutes=minutes, by=by)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.LOCKED
    return meeting, minutes


def reload(meeting):
    return Meeting.objects.get(pk=meeting.pk)


# --- members with a standing ----------------------------------------------------------


def official(cell, name, **kw):
    return MemberFactory(organization=cell, full_name=name, **kw)


def probationary(cell, name):
    return MemberFactory(
        organization=cell,
        full_name=name,
        status=MemberStatus.PROBATIONARY,
        admission_date=date(2026, 1, 10),
        official_date=None,
    )


def exempt(cell, name):
    member = official(cell, name)
    Exemption.objects.create(
        member=member, reason=ExemptionReason.HEALTH, start=LONG_AGO
    )
    return member


def suspended(cell, name):
    member = official(cell, name)
    Suspension.objects.create(member=member, reason="Đang xem xét", start=LONG_AGO)
    return member


def away(cell, name):
    member = official(cell, name)
    TemporaryAttachment.objects.create(
        member=member,
        direction=AttachmentDirection.OUT,
        other_unit="Chi bộ nơi công tác mới",
        start=LONG_AGO,
    )
    return member


def attached_in(cell, name):
    member = official(cell, name)
    TemporaryAttachment.objects.create(
        member=member,
        direction=AttachmentDirection.IN,
        other_unit="Chi bộ quê nhà",
        start=LONG_AGO,
    )
    return member


def attendance_rows(meeting, overrides):
    """Rows for record_attendance: everyone as prefilled, then `overrides` (member →
    dict) applied."""
    rows = {
        row.member_id: {
            "status": row.status,
            "reason": row.reason,
            "late": row.late,
            "spoke": row.spoke,
        }
        for row in meeting.attendance.all()
    }
    for member, data in overrides.items():
        rows[member.pk] = {"reason": "", "late": False, "spoke": False, **data}
    return rows


# --- files ----------------------------------------------------------------------------


def pdf_bytes():
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes():
    """A valid 1 x 1 white PNG."""

    def chunk(kind, data):
        body = kind + data
        return (
            struct.pack(">I", len(data))
            + body
            + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def docx_bytes():
    """A minimal Word document (an OOXML zip)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"/>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
