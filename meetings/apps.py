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
        # The admission pipeline reads the cell's votes about its candidates and
        # probationary members.
        from .selectors import votes_about_people

        member_hooks.register_vote_reader(votes_about_people)
