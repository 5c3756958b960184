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
    """send_to_broker once the current transaction commits (at once outside one).

    The same task with the same arguments is sent once per transaction: every task
    sent here is safe to run twice and reads the database when it runs, so one
    message does the work of many. A transaction calling a service many times (an
    import, the demo's seed: thousands of rollup refreshes of a few hundred
    cell-months) then hands the workers each piece of work once. Skipping is safe
    under savepoints: a waiting message is dropped only by rolling back a savepoint
    still open, and every open savepoint encloses the current point, so that
    rollback undoes the current write too."""
    connection = transaction.get_connection()
    key = (task if isinstance(task, str) else task.name, repr(sorted(kwargs.items())))
    if connection.in_atomic_block and any(
        getattr(pending, "broker_key", None) == key
        for _savepoints, pending, _robust in connection.run_on_commit
    ):
        return

    def send():
        send_to_broker(task, **kwargs)

    send.broker_key = key
    transaction.on_commit(send)
