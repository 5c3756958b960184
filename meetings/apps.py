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
        # The dues ledger marks the members present at a meeting paid in cash, and
        # prints its sheets through the one PDF engine.
        from .dues import meetings_with_present_members, register_dues_reminders
        from .pdf.engine import render_pdf

        member_hooks.register_meeting_attendance(meetings_with_present_members)
        member_hooks.register_pdf_renderer(render_pdf)
        register_dues_reminders()
