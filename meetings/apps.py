from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Celery's autodiscovery only looks for `tasks.py`: register the
        # notification tasks (meetings/notify/tasks.py) and the PDF tasks (the "pdf"
        # queue) too, in the web process and in every worker. Other apps register
        # their reminder kinds from their own ready() (evaluations/apps.py).
        from .notify import tasks as notify_tasks  # noqa: F401
        from .pdf import tasks as pdf_tasks  # noqa: F401

        # isort: split
        # Audit entries link records to their meeting (members.hooks).
        from members import hooks as member_hooks

        member_hooks.register_meeting_model(self.get_model("Meeting"))
        # A member's history lists the party-group meetings they attended.
        from .group_meetings.selectors import member_history_rows

        member_hooks.register_member_history(member_history_rows)
