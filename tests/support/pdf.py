"""Reading PDFs back: their text, the stored records of rendered minutes, and a real
worker on the "pdf" queue."""

import io
import re
import unicodedata

from django.core.files.storage import default_storage
from pypdf import PdfReader

from meetings.models import MinutesPdf

from .workers import celery_worker

A4 = (595.28, 841.89)  # points


def nfc(text):
    return unicodedata.normalize("NFC", text)


def text_of(content):
    """The text of every page, NFC, with runs of white space made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    raw = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", nfc(raw))


def pdf_worker():
    """A real worker (solo pool, in a thread) consuming the "pdf" queue."""
    return celery_worker("pdf")


def stored(meeting, version=1):
    return MinutesPdf.objects.get(minutes__meeting=meeting, version=version)


def done(meeting, version=1):
    return MinutesPdf.objects.filter(
        minutes__meeting=meeting, version=version, status=MinutesPdf.Status.DONE
    ).exists()


def read_stored(record):
    with default_storage.open(record.file.name, "rb") as handle:
        return handle.read()
