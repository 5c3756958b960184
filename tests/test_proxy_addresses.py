"""Behind the TLS proxy every request comes from the proxy's address: the login
lockout (django-axes) and the rate limits must count the client the proxy names in
X-Forwarded-For, or one person would lock out the whole site. The admin's login form
is limited like the site's."""

import pytest
from django.test import Client, RequestFactory

from chibo.ratelimit import client_ip

PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", PROXY),  # no trusted proxy: the header is ignored
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's own claim is not
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # fewer entries than proxies: not trusted
        (1, "", PROXY),
    ],
)
def test_client_ip_reads_the_entry_of_the_outermost_trusted_proxy(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
    )

    assert client_ip(request) == expected


def login(client, address, username, password="wrong-password"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_the_proxy_a_lockout_hits_one_client_only(users, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    attacker, member = Client(), Client()
    for _ in range(4):
        login(attacker, "198.51.100.66", "member")

    locked = login(attacker, "198.51.100.66", "member", "chibo-demo")
    allowed = login(member, "203.0.113.7", "member", "chibo-demo")

    assert locked.status_code in (403, 429)
    assert allowed.status_code == 302  # the real member, another address, signs in


def test_behind_the_proxy_the_rate_limit_counts_each_client(users, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CHIBO_RATE_LIMITS = {"login-ip": (3, 300)}
    noisy, quiet = Client(), Client()
    statuses = [
        login(noisy, "198.51.100.66", f"nobody{i}").status_code for i in range(5)
    ]

    other = login(quiet, "203.0.113.7", "member", "chibo-demo")

    assert statuses[-1] == 429
    assert other.status_code == 302


def test_the_admin_login_is_rate_limited(users, settings):
    settings.CHIBO_RATE_LIMITS = {"login-ip": (3, 300)}
    client = Client()
    statuses = [
        client.post(
            "/admin/login/",
            {"username": f"nobody{i}", "password": "x"},
            REMOTE_ADDR="198.51.100.70",
        ).status_code
        for i in range(5)
    ]

    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
