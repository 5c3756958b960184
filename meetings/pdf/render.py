"""Party documents as PDF: minutes, resolution, topic cover and minute book, each
its context (context.py) rendered through templates/pdf/ and the engine (engine.py).

Locked minutes are PDF/A-3b with the structured record attached as JSON; anything
not locked carries the DỰ THẢO watermark. The stylesheet and its fonts are loaded
once per process (the worker renders many documents with them).
"""

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation

from meetings import selectors

from . import engine
from .context import (
    header_context,
    minutes_context,
    minutes_data,
    nfc,
    resolution_context,
    topic_cover_context,
)

ATTACHMENT_NAME = "bien-ban.json"
STYLESHEET = "pdf/print.css"  # under static/


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def _html(template, context):
    with translation.override("vi"):
        markup = render_to_string(template, context)
    return unicodedata.normalize("NFC", markup)


def _document(template, context):
    return engine.layout(_html(template, context), stylesheet=STYLESHEET, srgb=True)


def _write(document, *, archival, attachment=None):
    attachments = []
    if attachment is not None:
        attachments.append(
            engine.FileAttachment(
                string=json.dumps(attachment, ensure_ascii=False, indent=1),
                name=ATTACHMENT_NAME,
                description="Dữ liệu có cấu trúc của biên bản (JSON)",
                relationship="Data",
            )
        )
    return engine.write(document, archival=archival, attachments=attachments)


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
