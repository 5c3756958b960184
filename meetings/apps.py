from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Celery's autodiscovery only looks for `tasks.py`: register the
        # notification tasks too, in the web process and in every worker.
        from . import (  # noqa: F401
            notify_report_kinds,
            notify_tasks,
            notify_tasks_kinds,
        )

        notify_tasks_kinds.register()  # task reminders (NOTIFY_API.md)
        notify_report_kinds.register()  # supervisor report reminders
        from .pdf import tasks  # noqa: F401 — PDF rendering on the "pdf" queue

        # isort: split
        # Audit entries link records to their meeting (members.hooks).
        from members import hooks as member_hooks

        member_hooks.register_meeting_model(self.get_model("Meeting"))
