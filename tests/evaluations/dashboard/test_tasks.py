"""evaluations.dashboard.tasks: registered under their historical names, imported by
the worker through CELERY_IMPORTS; the rollup sends its refresh by that name."""

from django.conf import settings

from chibo.celery import app
from evaluations import domain
from evaluations.dashboard import rollup, tasks
from evaluations.models import TaskOutcome
from meetings.models import MeetingState


def test_task_names_are_unchanged():
    assert tasks.refresh_cell_month_task.name == "evaluations.refresh_cell_month"
    assert tasks.sweep_rollups_task.name == "evaluations.sweep_rollups"
    recent = tasks.refresh_recent_rollups_task
    assert recent.name == "evaluations.refresh_recent_rollups"
    assert tasks.refresh_cell_month_task.name == rollup.REFRESH_TASK


def test_the_worker_imports_the_tasks():
    assert "evaluations.dashboard.tasks" in settings.CELERY_IMPORTS
    app.loader.import_default_modules()
    assert {
        "evaluations.refresh_cell_month",
        "evaluations.sweep_rollups",
        "evaluations.refresh_recent_rollups",
    } <= set(app.tasks)
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"evaluations.sweep_rollups", "evaluations.refresh_recent_rollups"} <= (
        scheduled
    )


def test_domain_states_and_outcomes_are_choices_values():
    """evaluations.domain keeps plain values (no Django there): they must stay values
    of the models' TextChoices."""
    assert set(domain.HELD_STATES) == {
        MeetingState.HELD,
        MeetingState.LOCKED,
        MeetingState.SUBMITTED,
        MeetingState.ACKNOWLEDGED,
        MeetingState.RETURNED,
    }
    assert set(domain.DONE_OUTCOMES) == {
        TaskOutcome.DONE_ON_TIME,
        TaskOutcome.DONE_LATE,
        TaskOutcome.EXCEEDED,
    }
