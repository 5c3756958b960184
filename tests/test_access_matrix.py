"""The access matrix, generated from the URL configuration.

Every named route must be declared in MATRIX (tests/support/access.py) with what
each persona gets: ``o`` allowed (a page or a redirect that is not to the login
page), ``f`` 403, ``n`` 404, ``l`` redirected to log in. A route without a
declaration fails the test, so a new page cannot ship unchecked. Personas, in column
order: secretary, member, committee, supervisor, outsider, anonymous.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.support.access import MATRIX, PERSONAS, named_routes, outcome


def test_every_route_is_declared():
    undeclared = sorted(set(named_routes()) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(named_routes()))

    assert undeclared == [], f"routes without an access expectation: {undeclared}"
    assert stale == [], f"declared routes that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_route_access_per_persona(name, world, users):
    method, build_args, expected = MATRIX[name]
    url = reverse(name, args=build_args(world))
    got = []
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(getattr(users, persona))
        response = getattr(client, method)(url)
        got.append(outcome(response))
        if response.streaming:
            # Reading a download to its end lets the test client close its file.
            b"".join(response.streaming_content)

    assert "".join(got) == expected, dict(zip(PERSONAS, got, strict=True))
