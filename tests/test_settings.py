"""Production settings refuse unsafe configurations; the deploy check is clean."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOOD_KEY = "k3Y-" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"


def run_manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 — our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DJANGO_ENV": "production", "SECRET_KEY": GOOD_KEY, "DEBUG": "1"},
            "DEBUG must be off",
        ),
        ({"DJANGO_ENV": "production"}, "SECRET_KEY must be set"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY must be set"),
    ],
)
def test_production_settings_refuse_to_start(env, message):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="chibo.example.vn",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
setup_test_environment()
# No collectstatic here: plain static URLs instead of the hashed manifest.
plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}):
    host = "chibo.example.vn"
    response = Client().get("/accounts/login/", secure=True, HTTP_HOST=host)
    plain = Client().get("/accounts/login/", HTTP_HOST=host)
csrf = response.cookies["csrftoken"]
print(json.dumps({
    "status": response.status_code,
    "hsts": response.headers.get("Strict-Transport-Security"),
    "referrer": response.headers.get("Referrer-Policy"),
    "frame": response.headers.get("X-Frame-Options"),
    "nosniff": response.headers.get("X-Content-Type-Options"),
    "csp": response.headers.get("Content-Security-Policy"),
    "csrf_secure": bool(csrf["secure"]),
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "http_redirect": [plain.status_code, plain.headers.get("Location")],
}))
"""


def test_production_responses_carry_the_security_headers_and_secure_cookies():
    result = run_manage(
        "shell",
        "-c",
        PRODUCTION_PROBE,
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="chibo.example.vn",
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])

    assert probe["status"] == 200
    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert probe["referrer"] == "same-origin"
    assert probe["frame"] == "DENY"
    assert probe["nosniff"] == "nosniff"
    assert "frame-ancestors 'none'" in probe["csp"]
    assert probe["csrf_secure"] is True
    assert probe["session_secure"] is True
    assert probe["session_httponly"] is True
    # plain HTTP is sent to HTTPS
    assert probe["http_redirect"] == [301, "https://chibo.example.vn/accounts/login/"]
