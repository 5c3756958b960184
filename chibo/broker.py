"""Handing work to Celery without ever failing a request: the one place that
publishes a task, by name, optionally once the current transaction commits.

The database already holds the intent of every task sent here (a pending row, a
dirty marker, a queued delivery), and a periodic sweep picks up whatever the broker
missed; so an unreachable broker is logged, never raised.
"""

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def send_to_broker(task, **kwargs):
    """Publish `task` (a task name, or a task object) with keyword arguments, routed
    by CELERY_TASK_ROUTES. Returns False (logged) when the broker is unreachable."""
    name = task if isinstance(task, str) else task.name
    try:
        if isinstance(task, str):
            current_app.send_task(task, kwargs=kwargs, retry=False)
        else:
            task.apply_async(kwargs=kwargs, retry=False)
    except Exception:  # any broker or network error: the sweep will catch up
        logger.warning("broker unreachable, %s left to the sweep", name)
        return False
    return True


def send_on_commit(task, **kwargs):
    """send_to_broker once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_to_broker(task, **kwargs))
