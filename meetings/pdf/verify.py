"""Tamper evidence of stored minutes: recompute each stored file's SHA-256 and each
link of a cell's hash chain (the `verify_minutes` command and the chain page)."""

import hashlib
from dataclasses import dataclass, field

from django.core.files.storage import default_storage

from meetings.models import MinutesPdf


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


def verify_chain(cell_id):
    """Recompute each stored file's SHA-256 and each link of the cell's chain; one
    query plus one read per stored file."""
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
    return report
