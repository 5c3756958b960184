"""Celery tasks of the members app (thin: they call services)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="members.record_heartbeat")
def record_heartbeat():
    """Beat's liveness line in the worker log: proves beat and a worker both run."""
    logger.info("chibo worker heartbeat")
    return "ok"
