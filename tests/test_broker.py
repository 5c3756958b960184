"""chibo/broker.py: a task sent on commit goes once per transaction for the same
arguments (its tasks are idempotent), never lost to a rolled-back savepoint."""

from django.db import transaction

from chibo.broker import send_on_commit

TASK = "evaluations.refresh_cell_month"


def sent(callbacks):
    return [callback.broker_key for callback in callbacks]


def test_send_on_commit_sends_the_same_work_once_per_transaction(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for _ in range(3):
            send_on_commit(TASK, cell_id=1, month="2026-11-01")
            with transaction.atomic():  # a service's own savepoint
                send_on_commit(TASK, cell_id=1, month="2026-11-01")
        send_on_commit(TASK, cell_id=1, month="2026-12-01")
        send_on_commit(TASK, month="2026-11-01", cell_id=2)
        send_on_commit("meetings.scan_notifications", meeting_ids=[7])
        send_on_commit("meetings.scan_notifications", meeting_ids=[7])

    assert sent(callbacks) == [
        (TASK, "[('cell_id', 1), ('month', '2026-11-01')]"),
        (TASK, "[('cell_id', 1), ('month', '2026-12-01')]"),
        (TASK, "[('cell_id', 2), ('month', '2026-11-01')]"),
        ("meetings.scan_notifications", "[('meeting_ids', [7])]"),
    ]


def test_send_on_commit_survives_a_rolled_back_savepoint(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with transaction.atomic():
            send_on_commit(TASK, cell_id=1, month="2026-11-01")
            transaction.set_rollback(True)  # that write is undone, its send too
        send_on_commit(TASK, cell_id=1, month="2026-11-01")

    assert sent(callbacks) == [(TASK, "[('cell_id', 1), ('month', '2026-11-01')]")]
