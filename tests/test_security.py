"""Security hardening: CSP on every page, lockout after repeated failed logins."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(persona_client, tree):
    response = persona_client("secretary").get(reverse("home"))

    policy = response.headers["Content-Security-Policy"]
    directives = dict(
        part.strip().split(" ", 1) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_no_inline_script_or_style_in_the_base_page(persona_client, tree):
    html = persona_client("secretary").get(reverse("home")).content.decode()

    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html


def _attempt(client, username, password):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.9.8.7",
    )


def test_login_locks_out_after_repeated_failures(client, users):
    for _attempt_number in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _attempt(client, "secretary", "wrong-password")
        assert response.status_code == 200  # the form again, with its error
        assert "lockout-message" not in response.content.decode()

    locked = _attempt(client, "secretary", "wrong-password")
    after = _attempt(client, "secretary", "chibo-demo")  # even the right password

    assert locked.status_code == 429
    assert after.status_code == 429
    assert "lockout-message" in after.content.decode()
    assert "Đăng nhập tạm thời bị khóa" in after.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, users):
    for _attempt_number in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "secretary", "wrong-password")

    other_user = _attempt(client, "member", "chibo-demo")

    assert other_user.status_code == 302
    assert client.session["_auth_user_id"] == str(users.member.pk)
