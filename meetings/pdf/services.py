"""Writes around stored PDFs: the render-once records of locked minutes and their
hash chain (verified by verify.py), and minute-book jobs.

Flow: locking minutes (or signing an addendum) writes a pending MinutesPdf row in the
same transaction and asks a worker, on commit, to render the cell's pending rows in
chain order. If the broker is down the request still succeeds: the periodic sweep
(`meetings.sweep_pdfs`) finds pending rows and enqueues them.

Rendering one row: a short transaction counts the attempt (committed, so a worker
killed mid-render still leaves a trace and a poison document ends as "failed"); a
second transaction locks the row, renders, stores the bytes under a fixed name
(overwriting what a killed attempt may have left) and marks it done. A redelivered
task finds the row done and does nothing, so each PDF is stored once.
"""

import logging
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from chibo.broker import send_on_commit, send_to_broker
from meetings.models import MinuteBookJob, Minutes, MinutesPdf
from members.models import Organization, OrgKind

from . import render

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
RENDER_TASK = "meetings.render_minutes_pdfs"


# --- records ------------------------------------------------------------------


def queue_minutes_pdf(*, minutes):
    """Write the intent to render `minutes` (next version) at the end of its cell's
    chain, and enqueue the render on commit. Call inside the locking transaction."""
    cell_id = minutes.meeting.cell_id
    # Serialise chain positions per cell (two locks in one cell at the same time).
    Organization.objects.select_for_update().filter(pk=cell_id).first()
    last = MinutesPdf.objects.filter(cell_id=cell_id).aggregate(
        position=Max("position")
    )["position"]
    version = (
        MinutesPdf.objects.filter(minutes=minutes).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    record = MinutesPdf.objects.create(
        minutes=minutes,
        cell_id=cell_id,
        version=version,
        position=(last or 0) + 1,
    )
    # Once per cell and transaction: the task renders all the cell's pending rows.
    send_on_commit(RENDER_TASK, cell_id=cell_id)
    return record


def enqueue_render(cell_id):
    """Ask a worker to render the cell's pending PDFs. Never raises: when the broker
    is unreachable the sweep catches up. (By task name: tasks.py imports this
    module.)"""
    return send_to_broker(RENDER_TASK, cell_id=cell_id)


def storage_name(record):
    meeting = record.minutes.meeting
    year = timezone.localtime(meeting.starts_at).year
    return (
        f"minutes/{record.cell_id}/{year}/bien-ban-{meeting.pk}-v{record.version}.pdf"
    )


class RenderError(Exception):
    """Rendering of one record failed (it stays pending until MAX_ATTEMPTS)."""

    def __init__(self, record_id, error):
        super().__init__(f"minutes PDF {record_id}: {error}")
        self.record_id = record_id


@dataclass
class RenderResult:
    rendered: list = field(default_factory=list)
    failed: list = field(default_factory=list)


def _next_pending(cell_id):
    return (
        MinutesPdf.objects.filter(cell_id=cell_id, status=MinutesPdf.Status.PENDING)
        .order_by("position")
        .values_list("pk", flat=True)
        .first()
    )


def _count_attempt(record_id):
    """Count the attempt in its own committed transaction; False when the record
    already failed too often (then it is marked failed)."""
    with transaction.atomic():
        record = (
            MinutesPdf.objects.select_for_update()
            .filter(pk=record_id, status=MinutesPdf.Status.PENDING)
            .first()
        )
        if record is None:
            return False
        if record.attempts >= MAX_ATTEMPTS:
            record.status = MinutesPdf.Status.FAILED
            record.last_error = (
                record.last_error or "gave up after repeated interruptions"
            )[:255]
            record.save(update_fields=["status", "last_error"])
            return False
        record.attempts += 1
        record.started_at = timezone.now()
        record.save(update_fields=["attempts", "started_at"])
        return True


def render_record(record_id):
    """Render and store one pending record if its predecessor in the chain is done;
    returns the record (done) or None when there was nothing to do."""
    if not _count_attempt(record_id):
        return None
    try:
        with transaction.atomic():
            record = (
                MinutesPdf.objects.select_for_update()
                .select_related("minutes__meeting__cell")
                .filter(pk=record_id, status=MinutesPdf.Status.PENDING)
                .first()
            )
            if record is None:
                return None
            previous = MinutesPdf.objects.filter(
                cell_id=record.cell_id, position=record.position - 1
            ).first()
            if previous is not None and previous.status != MinutesPdf.Status.DONE:
                raise RuntimeError(
                    f"previous PDF in the chain (position {previous.position}) "
                    "is not stored yet"
                )
            minutes = record.minutes
            rendered = render.render_minutes(minutes.meeting, draft=False)
            name = storage_name(record)
            if default_storage.exists(name):  # left by an interrupted attempt
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(rendered.content))
            record.file.name = saved
            record.size = len(rendered.content)
            record.pages = rendered.pages
            record.sha256 = rendered.sha256
            record.previous_sha256 = previous.sha256 if previous else ""
            record.status = MinutesPdf.Status.DONE
            record.rendered_at = timezone.now()
            record.last_error = ""
            record.save()
            return record
    except Exception as error:
        logger.exception("rendering minutes PDF %s failed", record_id)
        _record_failure(record_id, error)
        raise RenderError(record_id, error) from error


def _record_failure(record_id, error):
    with transaction.atomic():
        record = MinutesPdf.objects.select_for_update().filter(pk=record_id).first()
        if record is None or record.status != MinutesPdf.Status.PENDING:
            return
        record.last_error = f"{type(error).__name__}: {error}"[:255]
        if record.attempts >= MAX_ATTEMPTS:
            record.status = MinutesPdf.Status.FAILED
        record.save(update_fields=["last_error", "status"])


def render_pending(*, cell_id):
    """Render the cell's pending records in chain order; stops at the first failure
    (RenderError) since later links need the earlier hashes."""
    result = RenderResult()
    seen = set()
    while True:
        record_id = _next_pending(cell_id)
        if record_id is None or record_id in seen:
            return result
        seen.add(record_id)
        record = render_record(record_id)
        if record is not None:
            result.rendered.append(record.pk)


def pending_cells(*, older_than_seconds=60):
    """Cells with records still waiting (the sweep's work list)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(
        MinutesPdf.objects.filter(
            status=MinutesPdf.Status.PENDING, created_at__lte=cutoff
        )
        .values_list("cell_id", flat=True)
        .distinct()
    )


@transaction.atomic
def retry_failed(*, meeting):
    """The secretary asks for another try after a failure of this meeting's PDF.
    Later links of the cell's chain waited for it and failed too: they are tried
    again with it, in chain order."""
    if not MinutesPdf.objects.filter(
        minutes__meeting=meeting, status=MinutesPdf.Status.FAILED
    ).exists():
        return 0
    count = MinutesPdf.objects.filter(
        cell_id=meeting.cell_id, status=MinutesPdf.Status.FAILED
    ).update(status=MinutesPdf.Status.PENDING, attempts=0)
    if count:
        transaction.on_commit(lambda: enqueue_render(meeting.cell_id))
    return count


def latest_pdf(meeting):
    """The newest record of the meeting's minutes (any status), or None."""
    return (
        MinutesPdf.objects.filter(minutes__meeting=meeting).order_by("-version").first()
    )


# --- minute books -------------------------------------------------------------


@transaction.atomic
def request_minute_book(*, organization, year, scope, by):
    job = MinuteBookJob.objects.create(
        organization=organization, year=year, scope=scope, requested_by=by
    )
    transaction.on_commit(lambda: enqueue_book(job.pk))
    return job


def enqueue_book(job_id):
    return send_to_broker("meetings.build_minute_book", job_id=job_id)


def _progress(job_id):
    def report(done, total):
        MinuteBookJob.objects.filter(pk=job_id).update(done=done, total=total)

    return report


def subtree_cells(organization):
    return list(
        Organization.objects.filter(
            path__startswith=organization.path, kind=OrgKind.CELL, is_active=True
        ).order_by("path")
    )


def build_book(*, job_id):
    """Build the job's file (safe to run twice: a finished job is left alone)."""
    updated = MinuteBookJob.objects.filter(
        pk=job_id,
        status__in=[MinuteBookJob.Status.QUEUED, MinuteBookJob.Status.RUNNING],
    ).update(status=MinuteBookJob.Status.RUNNING)
    if not updated:
        return None
    job = MinuteBookJob.objects.select_related("organization").get(pk=job_id)
    content = None
    try:
        if job.scope == MinuteBookJob.Scope.CELL:
            rendered = render.render_minute_book(
                job.organization, job.year, progress=_progress(job.pk)
            )
            content = ContentFile(rendered.content)
            name = f"books/{job.organization_id}/so-bien-ban-{job.year}-{job.pk}.pdf"
        else:
            content = _subtree_zip(job)  # a temporary file: books add up
            name = f"books/{job.organization_id}/so-bien-ban-{job.year}-{job.pk}.zip"
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, content)
    except Exception as error:
        logger.exception("minute book job %s failed", job_id)
        MinuteBookJob.objects.filter(pk=job_id).update(
            status=MinuteBookJob.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:255],
            finished_at=timezone.now(),
        )
        return None
    finally:
        if content is not None:
            content.close()
    MinuteBookJob.objects.filter(pk=job_id).update(
        status=MinuteBookJob.Status.DONE,
        file=saved,
        finished_at=timezone.now(),
        done=F("total"),
    )
    MinuteBookJob.objects.filter(pk=job_id, total=0).update(done=1, total=1)
    return saved


def _subtree_zip(job):
    """The minute books of every active cell under the job's organisation (cells
    without locked minutes that year are left out), as a zip in a temporary file."""
    cells = subtree_cells(job.organization)
    MinuteBookJob.objects.filter(pk=job.pk).update(total=len(cells), done=0)
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, cell in enumerate(cells, start=1):
            has_minutes = Minutes.objects.filter(
                meeting__cell=cell,
                locked_at__isnull=False,
                meeting__starts_at__year=job.year,
            ).exists()
            if has_minutes:
                rendered = render.render_minute_book(cell, job.year)
                archive.writestr(
                    f"{cell.pk:05d}-{_slug(cell.name)}-{job.year}.pdf",
                    rendered.content,
                )
            MinuteBookJob.objects.filter(pk=job.pk).update(done=index)
    spool.seek(0)
    return File(spool, name="books.zip")


def _slug(name):
    ascii_name = (
        unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
        .encode("ascii", "ignore")
        .decode()
    )
    return slugify(ascii_name) or "chi-bo"
