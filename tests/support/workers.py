"""Real parts for tests that cross a process or thread: a Celery worker thread on the
test Redis, the broker moved elsewhere, waiting for a condition, a thread with its
own database connection."""

import os
import socket
import threading
import time
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection

from chibo.celery import app as celery_app


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def celery_worker(queue="notify"):
    """A real worker (solo pool, in a thread) consuming one queue of the test Redis
    ("notify", "pdf" or "default"). The thread opens its own connection to the test
    database, so tests using it need `transactional_db`; connections are closed after
    each task so that the test database can be dropped."""
    celery_app.conf.broker_url = os.environ["REDIS_URL"]
    celery_app.conf.worker_hijack_root_logger = False
    reset_broker_pools()
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)
    task_postrun.connect(_close_worker_connection, weak=False)
    try:
        with start_worker(
            celery_app,
            pool="solo",
            queues=[queue],
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=30,
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_connection)


def _close_worker_connection(**kwargs):
    if threading.current_thread() is not threading.main_thread():
        connection.close()


def reset_broker_pools():
    """Forget the app's broker connections so that the next publish uses the
    current broker_url."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def broker_at(url):
    """Point the Celery app at another broker (e.g. a closed port) for a while."""
    before = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    reset_broker_pools()
    try:
        yield
    finally:
        celery_app.conf.broker_url = before
        reset_broker_pools()


def wait_until(predicate, *, timeout=30.0, interval=0.05, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def in_thread(function, *args, **kwargs):
    """Run `function` in a thread with its own database connection, closed after."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function(*args, **kwargs)
        except Exception as error:  # reported to the test below
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    return thread, outcome
