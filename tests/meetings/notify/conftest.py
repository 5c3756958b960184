"""Fixtures of the notification tests (defined in support.py, shared with
tests/evaluations/test_reminders.py)."""

from tests.meetings.notify.support import people, sink, worker  # noqa: F401
