"""Plain helpers for tests that start processes of their own."""

from django.db import connection


def database_url():
    """A DATABASE_URL naming the test database this process uses, for a worker or
    server started as a separate process (PostgreSQL, or the SQLite file)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = db["HOST"] or "127.0.0.1"
    return f"postgresql://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
