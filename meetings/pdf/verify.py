"""Tamper evidence of stored minutes: recompute each stored file's SHA-256 and each
link of a cell's hash chain, and compare the data embedded in each minutes' latest
stored PDF (its JSON attachment) with the database, so a change made behind the
application's back (even one the locks could not see) is reported by meeting (the
`verify_minutes` command and the chain page)."""

import hashlib
import io
import json
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from pypdf import PdfReader

from meetings.models import Meeting, MinutesPdf

from .context import minutes_context, minutes_data
from .render import ATTACHMENT_NAME

# Written after the lock on purpose: the review outcome of a task (the next
# meeting's work) and a resolution issued after the minutes were rendered.
TASK_KEYS_AFTER_LOCK = ("outcome", "outcome_label")
# Organisations are renamed over the years; the PDF keeps the name of its day.
KEYS_OF_THE_DAY = ("cell_name", "superior_name")


@dataclass
class ChainBreak:
    record_id: int
    meeting_id: int
    position: int
    problem: str


@dataclass
class ChainReport:
    cell_id: int
    checked: int = 0
    pending: int = 0
    breaks: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.breaks


def _file_sha(record):
    digest = hashlib.sha256()
    with default_storage.open(record.file.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def embedded_data(record):
    """The JSON record embedded in a stored minutes PDF, or None."""
    with default_storage.open(record.file.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    payloads = reader.attachments.get(ATTACHMENT_NAME) or []
    return json.loads(payloads[0]) if payloads else None


def _comparable(data, embedded):
    data = json.loads(json.dumps(data, ensure_ascii=False))  # as it was embedded
    for task in data.get("tasks") or []:
        for key in TASK_KEYS_AFTER_LOCK:
            task.pop(key, None)
    if embedded.get("resolution") is None:
        data["resolution"] = None
    # Only signed addenda are part of the record (a signature re-renders it).
    data["addenda"] = [a for a in data.get("addenda") or [] if a.get("signed")]
    for key in KEYS_OF_THE_DAY:
        data.pop(key, None)
    return data


def drift(record, embedded):
    """The keys of the embedded record that differ from the database today."""
    meeting = Meeting.objects.select_related("cell", "cell__parent").get(
        pk=record.minutes.meeting_id
    )
    current = _comparable(minutes_data(minutes_context(meeting)), embedded)
    stored = _comparable(embedded, embedded)
    keys = sorted(set(current) | set(stored))
    return [key for key in keys if current.get(key) != stored.get(key)]


def verify_chain(cell_id, *, compare_data=False):
    """Recompute each stored file's SHA-256 and each link of the cell's chain; one
    query plus one read per stored file. With `compare_data` (the verify_minutes
    command), also compare each minutes' embedded data with the database: a few
    queries per minutes, so the chain page leaves it out."""
    report = ChainReport(cell_id=cell_id)
    records = list(
        MinutesPdf.objects.filter(cell_id=cell_id)
        .select_related("minutes")
        .order_by("position")
    )
    previous = None
    for expected, record in enumerate(records, start=1):
        meeting_id = record.minutes.meeting_id
        if record.position != expected:
            report.breaks.append(
                ChainBreak(record.pk, meeting_id, record.position, "a link is missing")
            )
        if record.status != MinutesPdf.Status.DONE:
            report.pending += 1
            previous = None
            continue
        report.checked += 1
        if not record.file.name or not default_storage.exists(record.file.name):
            report.breaks.append(
                ChainBreak(record.pk, meeting_id, record.position, "file missing")
            )
        elif _file_sha(record) != record.sha256:
            report.breaks.append(
                ChainBreak(
                    record.pk,
                    meeting_id,
                    record.position,
                    "file altered (SHA-256 differs)",
                )
            )
        expected_previous = previous.sha256 if previous is not None else ""
        if previous is not None and record.previous_sha256 != expected_previous:
            report.breaks.append(
                ChainBreak(
                    record.pk,
                    meeting_id,
                    record.position,
                    "link to the previous minutes differs",
                )
            )
        if record.position == 1 and record.previous_sha256:
            report.breaks.append(
                ChainBreak(
                    record.pk, meeting_id, record.position, "first link has a parent"
                )
            )
        previous = record
    if compare_data:
        _check_drift(records, report)
    return report


def _check_drift(records, report):
    """For each minutes whose latest record is stored (none pending after it), the
    embedded data must equal what the database says today."""
    latest = {}
    for record in records:
        latest[record.minutes_id] = record
    broken = {item.record_id for item in report.breaks}  # already reported
    for record in latest.values():
        if record.status != MinutesPdf.Status.DONE or record.pk in broken:
            continue
        try:
            embedded = embedded_data(record)
        except Exception:  # a stored file pypdf cannot read: itself a finding
            embedded = None
        if embedded is None:
            problem = "no readable embedded data in the stored PDF"
        else:
            keys = drift(record, embedded)
            if not keys:
                continue
            problem = "database differs from the stored PDF: " + ", ".join(keys)
        report.breaks.append(
            ChainBreak(record.pk, record.minutes.meeting_id, record.position, problem)
        )
