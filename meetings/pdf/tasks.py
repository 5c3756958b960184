"""Celery tasks of PDF rendering, on the "pdf" queue (thin: ids in, a service works).

acks_late with reject-on-worker-lost (settings): a worker killed mid-render leaves
the message unacknowledged, so it is delivered again; the services make a second
run harmless (a done record or a finished job is left alone).
"""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)
RETRY_SECONDS = 30


@shared_task(
    name="meetings.render_minutes_pdfs",
    queue="pdf",
    bind=True,
    acks_late=True,
    max_retries=services.MAX_ATTEMPTS,
)
def render_minutes_pdfs(self, *, cell_id):
    """Render and store the cell's pending minutes PDFs in chain order."""
    try:
        result = services.render_pending(cell_id=cell_id)
    except services.RenderError as error:
        if self.request.retries < self.max_retries:
            raise self.retry(
                countdown=RETRY_SECONDS * 2**self.request.retries, exc=error
            ) from error
        logger.error("giving up on %s", error)
        return {"rendered": [], "failed": [error.record_id]}
    return {"rendered": result.rendered}


@shared_task(name="meetings.sweep_pdfs", queue="pdf")
def sweep_pdfs(*, older_than_seconds=60):
    """Periodic: enqueue cells whose PDFs still wait (the broker missed them)."""
    cells = services.pending_cells(older_than_seconds=older_than_seconds)
    for cell_id in cells:
        services.enqueue_render(cell_id)
    return {"cells": len(cells)}


@shared_task(name="meetings.build_minute_book", queue="pdf", acks_late=True)
def build_minute_book(*, job_id):
    """Build a minute book (a cell's PDF, or a subtree's zip) with progress."""
    return services.build_book(job_id=job_id)
