"""Party documents as PDF (HD 36 layout, DOMAIN.md §3.5) and their storage.

- engine.py   the one WeasyPrint engine: HTML → PDF bytes, PDF/A-3b, attachments
- context.py  what the minutes, a resolution and a topic cover show (from the DB)
- render.py   those documents (and the minute book) → HTML → PDF through the engine
- services.py render-once records of locked minutes, their hash chain, minute books
- verify.py   verification of a cell's hash chain
- tasks.py    Celery tasks on the "pdf" queue (imported by MeetingsConfig.ready())
- views.py    downloads, chain status, minute-book pages (wired in meetings/urls.py)

The public names of the first five are re-exported here (`from meetings import pdf`).
"""

from .context import (
    GUEST_ROLES,
    KIND_SUBTITLES,
    STATUS_LABELS,
    header_context,
    minutes_context,
    minutes_data,
    minutes_for_pdf,
    nfc,
    percent,
    resolution_context,
    subtitle_for,
    topic_cover_context,
    vn_date,
    vn_time,
)
from .engine import (
    OUTPUT_INTENT,
    PDF_VARIANT,
    STATIC_DIR,
    FileAttachment,
    forget_font_folder,
    layout,
    render_pdf,
    static_url_fetcher,
    write,
)
from .render import (
    ATTACHMENT_NAME,
    STYLESHEET,
    Rendered,
    filename_for,
    render_minute_book,
    render_minutes,
    render_resolution,
    render_topic_cover,
    sha256,
)
from .services import (
    MAX_ATTEMPTS,
    RenderError,
    RenderResult,
    build_book,
    enqueue_book,
    enqueue_render,
    latest_pdf,
    pending_cells,
    queue_minutes_pdf,
    render_pending,
    render_record,
    request_minute_book,
    retry_failed,
    storage_name,
    subtree_cells,
)
from .verify import ChainBreak, ChainReport, verify_chain

__all__ = [
    "ATTACHMENT_NAME",
    "GUEST_ROLES",
    "KIND_SUBTITLES",
    "MAX_ATTEMPTS",
    "OUTPUT_INTENT",
    "PDF_VARIANT",
    "STATIC_DIR",
    "STATUS_LABELS",
    "STYLESHEET",
    "ChainBreak",
    "ChainReport",
    "FileAttachment",
    "RenderError",
    "RenderResult",
    "Rendered",
    "build_book",
    "enqueue_book",
    "enqueue_render",
    "filename_for",
    "forget_font_folder",
    "header_context",
    "latest_pdf",
    "layout",
    "minutes_context",
    "minutes_data",
    "minutes_for_pdf",
    "nfc",
    "pending_cells",
    "percent",
    "queue_minutes_pdf",
    "render_minute_book",
    "render_minutes",
    "render_pdf",
    "render_pending",
    "render_record",
    "render_resolution",
    "render_topic_cover",
    "request_minute_book",
    "resolution_context",
    "retry_failed",
    "sha256",
    "static_url_fetcher",
    "storage_name",
    "subtitle_for",
    "subtree_cells",
    "topic_cover_context",
    "verify_chain",
    "vn_date",
    "vn_time",
    "write",
]
