"""The real services the suite depends on are there (a failure here, never a skip)."""

import pytest
from django.db import connection


@pytest.mark.postgresql_only(reason="checks the PostgreSQL server itself")
def test_database_is_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        version = cursor.fetchone()[0]
    assert connection.vendor == "postgresql"
    assert version.startswith("PostgreSQL")


def test_redis_answers(redis_client):
    redis_client.set("chibo:test:ping", "pong", ex=10)
    assert redis_client.get("chibo:test:ping") == b"pong"
