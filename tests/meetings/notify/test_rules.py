"""meetings.notify.rules: what is due when (pure: no database, no clock)."""

from datetime import timedelta

from meetings import notify
from tests.factories.times import HANOI, at
from tests.support.notify import Kind

MEETING_AT = at(2026, 12, 3, 19, 30)
OFFSETS = notify.Offsets()  # notice 3, documents 1, preparation 7, presenter 7, nag 2


def due(now, **facts):
    values = {"state": "planned", "kind": "regular", "starts_at": MEETING_AT} | facts
    return notify.due_meeting_kinds(
        notify.MeetingFacts(**values), OFFSETS, now=now.astimezone(HANOI)
    )


def test_due_notice_from_notice_day_in_sending_hours():
    assert Kind.MEETING_NOTICE not in due(at(2026, 11, 29, 20, 0))
    assert Kind.MEETING_NOTICE not in due(at(2026, 11, 30, 6, 59))
    assert Kind.MEETING_NOTICE in due(at(2026, 11, 30, 7, 0))
    assert Kind.MEETING_NOTICE in due(at(2026, 12, 3, 19, 29))
    # Once the meeting has started nothing is announced any more.
    assert Kind.MEETING_NOTICE not in due(at(2026, 12, 3, 19, 30))


def test_due_notice_at_night_only_when_the_meeting_is_near():
    assert due(at(2026, 12, 1, 23, 0)) == []
    early = at(2026, 12, 3, 6, 30)  # an early-morning meeting
    assert due(at(2026, 12, 2, 3, 0), starts_at=early) == []
    assert due(at(2026, 12, 2, 18, 29), starts_at=early) == [
        Kind.MEETING_NOTICE,
        Kind.PREPARATION,
        Kind.DOCUMENTS_MISSING,
    ]
    # Within 12 hours of the meeting the notice goes even at night, nothing else.
    assert due(at(2026, 12, 2, 21, 0), starts_at=early) == [Kind.MEETING_NOTICE]
    assert due(at(2026, 12, 3, 5, 0), starts_at=early) == [Kind.MEETING_NOTICE]


def test_due_notice_follows_the_notice_days_offset():
    offsets = notify.Offsets(notice_days=5)
    facts = notify.MeetingFacts("planned", "regular", MEETING_AT)
    at_8 = at(2026, 11, 28, 8, 0)
    assert Kind.MEETING_NOTICE in notify.due_meeting_kinds(facts, offsets, now=at_8)
    day_before = at_8 - timedelta(days=1)
    assert Kind.MEETING_NOTICE not in notify.due_meeting_kinds(
        facts, offsets, now=day_before
    )


def test_due_preparation_presenter_and_documents():
    week_before = at(2026, 11, 26, 9, 0)
    assert due(week_before) == [Kind.PREPARATION]
    assert due(week_before - timedelta(days=1)) == []
    assert due(week_before, kind="thematic", has_presenter=True) == [
        Kind.PREPARATION,
        Kind.PRESENTER,
    ]
    assert Kind.PRESENTER not in due(week_before, kind="thematic")  # nobody assigned
    assert Kind.PRESENTER in due(week_before, is_combined=True, has_presenter=True)
    day_before = at(2026, 12, 2, 9, 0)
    assert Kind.DOCUMENTS_MISSING in due(day_before)
    assert Kind.DOCUMENTS_MISSING not in due(day_before, documents_sent=True)
    assert Kind.DOCUMENTS_MISSING not in due(day_before - timedelta(days=1))


def test_due_after_the_meeting_minutes_nag_and_missed_meeting():
    two_days_after = at(2026, 12, 5, 9, 0)
    assert due(two_days_after, state="held") == [Kind.MINUTES_NAG]
    assert due(two_days_after - timedelta(days=1), state="held") == []
    assert due(two_days_after, state="locked") == []
    next_day = at(2026, 12, 4, 9, 0)
    assert due(next_day) == [Kind.MISSED_MEETING]
    assert due(next_day, state="notified") == [Kind.MISSED_MEETING]
    assert due(next_day, state="cancelled") == []
    assert due(next_day + timedelta(days=notify.LOOKBACK_DAYS + 1)) == []


def test_meeting_subjects():
    assert notify.meeting_subject(42) == "meeting:42"
    assert notify.meeting_subject(42, version=3) == "meeting:42:v3"
    assert notify.meeting_subject(42, cancelled=True) == "meeting:42:cancel"
