"""Rate limits on the login form and the calendar-token feeds (429 with a Vietnamese
message and Retry-After), counted in Redis; and no secret or personal data in logs."""

import json
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from chibo import ratelimit
from meetings.feeds import issue_calendar_token

pytestmark = pytest.mark.django_db
PENDING = Path(__file__).resolve().parents[1] / "locale" / "pending" / "trust.json"
MESSAGE = (
    "Too many requests from your connection. Please wait %(minutes)s minute(s) "
    "and try again."
)


def vietnamese(msgid):
    """The Vietnamese text of `msgid`: from the catalogue, or from the pending
    translations until they are merged into it."""
    with translation.override("vi"):
        text = gettext(msgid)
    return text if text != msgid else json.loads(PENDING.read_text())[msgid]


def login(client, username, password="wrong-password", ip="10.1.2.3"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_the_limit_message_is_vietnamese():
    assert vietnamese(MESSAGE).startswith("Quá nhiều yêu cầu")
    assert "%(minutes)s" in vietnamese(MESSAGE)


def test_login_is_limited_per_address(client, users, settings):
    settings.CHIBO_RATE_LIMITS = {"login-ip": (4, 300)}
    # different usernames: the lockout (username + address) never triggers
    for number in range(4):
        assert login(client, f"nobody{number}").status_code == 200

    limited = login(client, "member", "chibo-demo")

    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 300
    html = limited.content.decode()
    assert 'id="rate-limit-message"' in html
    with translation.override("vi"):
        expected = gettext(MESSAGE) % {
            "minutes": round(int(limited["Retry-After"]) / 60) or 1
        }
    assert expected in html
    assert "_auth_user_id" not in client.session
    # another address is not affected; looking at the form is not counted
    assert login(client, "member", "chibo-demo", ip="10.9.9.9").status_code == 302
    assert client.get(reverse("login"), REMOTE_ADDR="10.1.2.3").status_code in (
        200,
        302,
    )


def test_feed_is_limited_per_token(client, users, settings):
    settings.CHIBO_RATE_LIMITS = {"feed-token": (3, 600)}
    token = issue_calendar_token(user=users.member)[0].token
    other = issue_calendar_token(user=users.secretary)[0].token
    url = reverse("meetings:personal-feed", args=[token])

    statuses = [client.get(url).status_code for _attempt in range(3)]
    limited = client.get(url)

    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert limited["Content-Type"].startswith("text/plain")
    assert 1 <= int(limited["Retry-After"]) <= 600
    other_url = reverse("meetings:personal-feed", args=[other])
    assert client.get(other_url).status_code == 200


def test_guessing_feed_tokens_is_limited_per_address(client, users, settings, tree):
    settings.CHIBO_RATE_LIMITS = {"feed-ip": (5, 600)}
    guesses = [
        client.get(
            reverse("meetings:cell-feed", args=[f"guess{n}", tree.cell.pk]),
            REMOTE_ADDR="10.7.7.7",
        ).status_code
        for n in range(5)
    ]

    limited = client.get(
        reverse("meetings:personal-feed", args=["guess-again"]), REMOTE_ADDR="10.7.7.7"
    )

    assert guesses == [404] * 5
    assert limited.status_code == 429


def test_counters_are_shared_in_redis(client, users, redis_client, rate_limit_counters):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")

    login(client, "nobody")

    keys = redis_client.keys(f"chibo:*{rate_limit_counters}:login-ip:*")
    assert len(keys) == 1
    assert b"10.1.2.3" not in keys[0]  # the address is hashed
    assert 0 < redis_client.ttl(keys[0]) <= 301


def test_an_unreachable_cache_lets_requests_through(client, users, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.CHIBO_RATE_LIMITS = {"login-ip": (0, 300)}  # would refuse everything

    response = login(client, "member", "chibo-demo")

    assert response.status_code == 302
    assert "Rate limit login-ip not checked" in caplog.text


def test_retry_after_is_the_rest_of_the_window(settings):
    settings.CHIBO_RATE_LIMITS = {"login-ip": (1, 300)}

    first = ratelimit.hit("login-ip", "10.3.3.3", now=600.0)
    second = ratelimit.hit("login-ip", "10.3.3.3", now=700.0)
    next_window = ratelimit.hit("login-ip", "10.3.3.3", now=900.0)

    assert (first, second, next_window) == (None, 200, None)


# --- nothing secret or personal in the logs -------------------------------------------


def test_no_secret_or_personal_data_reaches_the_logs(
    client, users, tree, settings, caplog
):
    # Arrange
    caplog.set_level(logging.DEBUG)
    member = tree.member
    member.email = "tran.thi@example.vn"
    member.save()
    password = "S3cret-Pass-9xq"
    token = issue_calendar_token(user=users.member)[0].token
    settings.CHIBO_RATE_LIMITS = {"feed-token": (1, 600)}

    # Act: failures up to the lockout, a login with the e-mail as user name, a feed,
    # a refused feed token, a rate-limited feed
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        login(client, "member", password)
    login(client, member.email, password)
    client.get(reverse("meetings:personal-feed", args=[token]))
    client.get(reverse("meetings:personal-feed", args=[token]))
    client.get(reverse("meetings:personal-feed", args=[token + "x"]))
    client.get(reverse("meetings:cell-feed", args=[token, tree.cell.pk]))

    # Assert
    logged = caplog.text + "".join(
        str(getattr(record, "request", "")) for record in caplog.records
    )
    assert caplog.records  # something was logged: 404s, 429s, the lockout
    for secret in (password, token, member.full_name, member.email, "member"):
        assert secret not in logged.replace("members", ""), secret


def test_the_redaction_filter_hides_tokens_in_urls():
    assert ratelimit.redact("Not Found: /calendar/abcDEF_123.ics") == (
        "Not Found: /calendar/[redacted].ics"
    )
    assert ratelimit.redact('"GET /calendar/abc/cells/4.ics HTTP/1.1" 200') == (
        '"GET /calendar/[redacted]/cells/4.ics HTTP/1.1" 200'
    )
    assert ratelimit.redact("/notifications/unsubscribe/xyz.sig:123/one-click/") == (
        "/notifications/unsubscribe/[redacted]/one-click/"
    )
    assert ratelimit.redact("GET /calendar/ 200") == "GET /calendar/ 200"


def test_gunicorn_access_lines_are_redacted():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    logger = ratelimit.RedactingGunicornLogger(Config())
    token = "Zx9-secret-token"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/calendar/{token}.ics",
        "PATH_INFO": f"/calendar/{token}.ics",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[], response_length=10)
    request = SimpleNamespace(headers=[])

    atoms = logger.atoms(response, request, environ, timedelta(0))

    assert token not in str(atoms)
    assert atoms["r"] == "GET /calendar/[redacted].ics HTTP/1.1"
