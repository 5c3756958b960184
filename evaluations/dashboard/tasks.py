"""The dashboards' Celery tasks (thin: each calls evaluations.dashboard.rollup).

Listed in CELERY_IMPORTS: autodiscovery only finds an app's top-level tasks.py.
"""

from datetime import date

from celery import shared_task

from . import rollup


@shared_task(name="evaluations.refresh_cell_month", queue="default")
def refresh_cell_month_task(*, cell_id, month):
    """Recompute one cell-month marked dirty by `rollup.schedule_refresh`."""
    rollup.refresh_cell_month(cell_id, date.fromisoformat(month))


@shared_task(name="evaluations.sweep_rollups", queue="default")
def sweep_rollups_task():
    """Recompute every cell-month still marked dirty (a publish the broker missed)."""
    return rollup.sweep_dirty()


@shared_task(name="evaluations.refresh_recent_rollups", queue="default")
def refresh_recent_rollups_task():
    """Recompute the current and previous month of every cell: their late minutes,
    pending reports and due tasks move with the calendar, not with a write."""
    return rollup.refresh_recent()
