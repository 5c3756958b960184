"""Celery tasks of the members app (thin: they call services)."""

import logging

from celery import shared_task

from . import imports

logger = logging.getLogger(__name__)


@shared_task(name="members.purge_import_files")
def purge_import_files():
    """Delete the raw files of member imports left unconfirmed (retention setting)."""
    purged = imports.purge_import_files()
    logger.info("member import files purged: %s", purged)
    return purged


@shared_task(name="members.record_heartbeat")
def record_heartbeat():
    """Beat's liveness line in the worker log: proves beat and a worker both run."""
    logger.info("chibo worker heartbeat")
    return "ok"
