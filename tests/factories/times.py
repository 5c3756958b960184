"""Times of the tests, in Vietnam time (the zone of settings.TIME_ZONE)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=8, minute=0):
    """An aware datetime in Vietnam time."""
    return datetime(year, month, day, hour, minute, tzinfo=HANOI)


def on(day, hour=8, minute=0):
    """`at` for a date: hour:minute of `day` in Vietnam time."""
    return at(day.year, day.month, day.day, hour, minute)


def freeze(monkeypatch, day, hour=9):
    """Stop Django's clock (timezone.localdate and timezone.now) at hour:00 of `day`
    for the rest of the test; the `clock` fixture moves the real clock instead."""
    monkeypatch.setattr(timezone, "localdate", lambda *a: day)
    monkeypatch.setattr(timezone, "now", lambda: on(day, hour))


def today():
    """Django's local date (the clock of the test, if it set one)."""
    return timezone.localdate()
