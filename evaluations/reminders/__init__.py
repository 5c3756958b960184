"""The evaluations app's reminder kinds, plugged into the meetings scanner
(meetings/notify, NOTIFY_API.md): task reminders (`tasks`), supervisor report
reminders (`reports`) and inspection reminders (`inspections`).
`EvaluationsConfig.ready()` calls `register()`."""

from . import inspections, reports, tasks


def register():
    """Register both kinds with the meetings notification registry."""
    tasks.register()
    reports.register()
    inspections.register()
