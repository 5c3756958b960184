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
        # The home page says what is next: meetings, minutes, notices (members.hooks).
        from .home import home_panel

        member_hooks.register_home_panel(home_panel, "meetings/_home_panel.html")
        # The history shows states and the attendance summary in words.
        from .models import MeetingState
        from .models.meeting import CHANGE_REASONS

        member_hooks.register_value_labels(
            {
                **dict(MeetingState.choices),
                **CHANGE_REASONS,
                "total": _("members in the cell"),
                "official": _("full members"),
                "probationary": _("probationary members"),
                "attached_in": _("members attached here temporarily"),
                "required": _("members required to attend"),
                "present": _("present"),
                "spoke": _("spoke"),
                "attendees": _("attendees"),
                "rate": _("attendance rate"),
            }
        )
        # The dues ledger marks the members present at a meeting paid in cash, and
        # prints its sheets through the one PDF engine.
        from .dues import meetings_with_present_members, register_dues_reminders
        from .pdf.engine import render_pdf

        member_hooks.register_meeting_attendance(meetings_with_present_members)
        member_hooks.register_pdf_renderer(render_pdf)
        register_dues_reminders()
        # The admission pipeline reads the cell's votes about its candidates and
        # probationary members.
        from .selectors import votes_about_people

        member_hooks.register_vote_reader(votes_about_people)
        # A member's history lists the party-group meetings they attended.
        from .group_meetings.selectors import member_history_rows

        member_hooks.register_member_history(member_history_rows)
