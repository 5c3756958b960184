"""What tests share that is not a builder nor a fixture: readers of pages, PDFs and
mail, real workers and SMTP sinks, the access matrix, hostile input. Builders are in
tests/factories/, fixtures in the conftest.py files."""

from pathlib import Path

from django.conf import settings
from django.db import connection

# Screenshots and rendered files a failing test leaves for a human to look at.
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


def database_url():
    """A DATABASE_URL naming the test database this process uses, for a worker or
    server started as a separate process (PostgreSQL, or the SQLite file)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = db["HOST"] or "127.0.0.1"
    return f"postgresql://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
