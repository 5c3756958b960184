"""Fault: the database drops the web worker's connection between two requests (a
failover, a restart, a pooler's idle timeout). The next request must recover: Django
checks a persistent connection's health before reusing it (CONN_HEALTH_CHECKS).

The web side is a real gunicorn worker on the test database (the test client keeps
one connection for the whole test on purpose, so it cannot show this); the
connection is killed with pg_terminate_backend from another session."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from members.models import AuditEntry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql_only(
        reason="kills a server connection with pg_terminate_backend"
    ),
]
ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "chibo-fault-web"


def admin_connection():
    params = connection.settings_dict
    other = psycopg2.connect(
        dbname=params["NAME"],
        user=params["USER"],
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        password=params["PASSWORD"] or None,
    )
    other.autocommit = True
    return other


def web_backends():
    with admin_connection() as other, other.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]
        )
        return [row[0] for row in cursor.fetchall()]


def terminate(pid):
    other = admin_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
            for _attempt in range(100):
                cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() is None:
                    return
                time.sleep(0.05)
    finally:
        other.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def web(tmp_path):
    """One gunicorn sync worker on the test database with persistent connections."""
    params = connection.settings_dict
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=(
            f"postgresql://{params['USER']}@{params['HOST'] or '127.0.0.1'}:"
            f"{params['PORT'] or 5432}/{params['NAME']}?application_name={APP_NAME}"
        ),
        DB_CONN_MAX_AGE="600",
        CHIBO_VAR_DIR=str(tmp_path),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    with log.open("wb") as stderr:  # the child keeps its own copy
        process = subprocess.Popen(  # noqa: S603 — our own application
            [
                sys.executable,
                "-m",
                "gunicorn",
                "chibo.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(600):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310
                    break
            except (urllib.error.URLError, OSError):  # refused, reset, timed out
                if process.poll() is not None:
                    pytest.fail(f"gunicorn exited: {log.read_text()}")
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer within a minute")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


class Browser:
    """Just enough of a browser: cookies and the CSRF token of forms."""

    def __init__(self, base, session_key):
        self.base = base
        self.cookies = {"sessionid": session_key}

    def _open(self, request):
        request.add_header(
            "Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _sep, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.read().decode(), response.headers

    def get(self, path):
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310

    def post(self, path, data):
        _status, html, _headers = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token[1]})
        request = urllib.request.Request(  # noqa: S310 — http to our own server
            self.base + path, data=body.encode(), method="POST"
        )
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        return self._open(request)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def secretary_browser(web, users):
    client = Client()
    client.force_login(users.secretary)
    return Browser(web, client.cookies["sessionid"].value)


def test_settings_keep_connections_and_check_their_health():
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_next_page_recovers_after_the_connection_is_killed(tree, secretary_browser):
    # Arrange: a first request opens the worker's persistent connection
    page = reverse("members:org-detail", args=[tree.cell.pk])
    status, html, _headers = secretary_browser.get(page)
    assert status == 200
    assert tree.cell.name in html
    [killed] = web_backends()

    # Act
    terminate(killed)
    status, html, _headers = secretary_browser.get(page)

    # Assert: the whole page, over a new connection
    assert status == 200
    assert tree.cell.name in html
    assert tree.secretary.full_name in html
    assert web_backends() not in ([], [killed])


def test_a_write_after_the_connection_is_killed_is_stored_and_audited(
    tree, secretary_browser
):
    # Arrange
    member = tree.member
    add = reverse("members:member-period-add", args=[member.pk, "exemption"])
    assert secretary_browser.get(add)[0] == 200
    [killed] = web_backends()

    # Act: the form page is fetched (recovering), then posted
    terminate(killed)
    status, _html, headers = secretary_browser.post(
        add, {"reason": "health", "detail": "Điều trị dài ngày", "start": "01/12/2026"}
    )

    # Assert
    assert status == 302, _html
    assert headers["Location"] == member.get_absolute_url()
    exemption = member.exemptions.get()
    assert exemption.detail == "Điều trị dài ngày"
    entry = AuditEntry.objects.get(model="members.exemption", object_id=exemption.pk)
    assert entry.actor_label == "secretary"
    assert entry.changes["detail"] == [None, "Điều trị dài ngày"]
