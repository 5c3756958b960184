"""The "pdf" queue's periodic sweep catches up what the broker missed
(meetings/pdf/tasks.py)."""

import pytest

from meetings import pdf
from meetings.models import Minutes, MinutesPdf
from meetings.pdf.tasks import sweep_pdfs
from tests.factories.meetings import full_meeting
from tests.support.pdf import done, pdf_worker, stored
from tests.support.workers import broker_at, wait_until


@pytest.mark.django_db(transaction=True)
def test_broker_outage_never_fails_the_lock_and_the_sweep_catches_up(
    tree, users, place
):
    # Arrange: the broker is unreachable while the minutes are locked
    with broker_at("redis://127.0.0.1:1/0"):
        meeting = full_meeting(tree, users)

    # Assert: locked, and the intent is kept
    assert Minutes.objects.get(meeting=meeting).is_locked
    record = stored(meeting)
    assert record.status == MinutesPdf.Status.PENDING
    assert pdf.pending_cells(older_than_seconds=0) == [tree.cell.pk]

    # Act: beat's sweep runs once the broker is back
    with pdf_worker():
        assert sweep_pdfs(older_than_seconds=0) == {"cells": 1}
        wait_until(lambda: done(meeting), timeout=60, message="swept PDF")

    assert pdf.pending_cells(older_than_seconds=0) == []
