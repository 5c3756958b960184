"""Real parts for the notification tests: an SMTP sink (aiosmtpd) in this process,
a Celery worker thread on the test Redis, and small waiting helpers."""

import asyncio
import email
import email.policy
import os
import socket
import threading
import time
from contextlib import contextmanager
from email.header import decode_header, make_header

from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection

from chibo.celery import app as celery_app
from meetings.models import Delivery


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SinkHandler:
    """Keeps every message it accepts; refuses the next `refuse` ones with `code`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received = []  # (envelope recipients, raw bytes)
        self.refuse = 0
        self.code = "451 4.3.0 Try again later"
        self.mail_delay = 0.0  # seconds before answering each MAIL FROM

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        """A slow server: the sender waits here *before* a message, so a message
        already accepted was marked sent while the next one is held."""
        if self.mail_delay:
            await asyncio.sleep(self.mail_delay)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd API
        with self.lock:
            if self.refuse:
                self.refuse -= 1
                return self.code
            self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def messages(self):
        """The accepted messages, parsed with the modern email policy."""
        with self.lock:
            raw = list(self.received)
        return [
            email.message_from_bytes(content, policy=email.policy.default)
            for _rcpt, content in raw
        ]


@contextmanager
def smtp_sink():
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def decoded_subject(message):
    """The Subject header decoded from its RFC 2047 form, by the standard library."""
    return str(make_header(decode_header(message["Subject"])))


def delivery_id(message):
    return int(message["X-Chibo-Delivery"])


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


def settled():
    """No delivery is waiting or being sent."""
    return not Delivery.objects.filter(
        status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    ).exists()


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
