"""Celery tasks of notifications (thin: ids in, a service does the work).

Both run on the "notify" queue; the scanner publishes them by name (`scan`), and
`MeetingsConfig.ready()` imports this module so that every process knows them. The
scanner is what beat calls every few minutes; a batch task sends the deliveries it
can claim and retries temporary SMTP failures with a growing delay (seconds to
minutes, never days: the scanner is the schedule).
"""

import logging

from celery import shared_task
from django.conf import settings

from .scan import SCAN_TASK, SEND_BATCH_TASK, scan_notifications
from .send import MAX_ATTEMPTS, send_deliveries

logger = logging.getLogger(__name__)
MAX_RETRY_DELAY = 600


@shared_task(name=SCAN_TASK, queue="notify")
def scan_notifications_task(*, meeting_ids=None):
    """Find what is due, write its delivery rows once, hand them to the workers."""
    result = scan_notifications(meeting_ids=meeting_ids)
    logger.info(
        "notification scan: %s works, %s rows written, %s re-queued, %s enqueued "
        "in %s batches%s",
        result.works,
        result.created,
        result.requeued,
        result.enqueued,
        result.batches,
        " (broker down)" if result.broker_down else "",
    )
    return {"works": result.works, "enqueued": result.enqueued}


def retry_delay(retries):
    """Seconds before retry number `retries` + 1: base, 2 × base, 4 × base… ≤ 10 min."""
    base = float(getattr(settings, "CHIBO_NOTIFY_RETRY_SECONDS", 30))
    return min(base * 2**retries, MAX_RETRY_DELAY)


@shared_task(
    name=SEND_BATCH_TASK,
    queue="notify",
    bind=True,
    max_retries=MAX_ATTEMPTS,
)
def send_delivery_batch(self, *, delivery_ids):
    """Send the deliveries among `delivery_ids` still waiting; retry the ones the
    SMTP server turned away for now."""
    result = send_deliveries(delivery_ids=delivery_ids)
    if result.retry_ids and self.request.retries < self.max_retries:
        raise self.retry(
            kwargs={"delivery_ids": result.retry_ids},
            countdown=retry_delay(self.request.retries),
        )
    return {"sent": result.sent, "failed": result.failed, "skipped": result.skipped}
