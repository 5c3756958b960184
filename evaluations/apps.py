from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_rubrics(sender, using="default", **kwargs):
    from .rubrics import ensure_default_rubrics

    ensure_default_rubrics(using=using)


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        # The shipped rubrics are data; they are (re)loaded after migrate.
        post_migrate.connect(_load_rubrics, sender=self)
        # Every change to a meeting marks its cell-month for the dashboards' rollup.
        from meetings import hooks

        from .api import meeting_self_score, meeting_task_review, meeting_tasks
        from .dashboard.rollup import schedule_refresh

        hooks.on_meeting_changed(schedule_refresh)
        # The printed minutes list the tasks assigned in the meeting.
        hooks.provide_minutes_section("tasks", meeting_tasks)
        # …and last month's tasks reviewed in it, and the cell's self-score.
        hooks.provide_minutes_section("task_review", meeting_task_review)
        hooks.provide_minutes_section("self_score", meeting_self_score)
        # The home page shows the user's tasks and ratings (members.hooks).
        from members import hooks as member_hooks

        from .api import home_panel

        member_hooks.register_home_panel(home_panel, "evaluations/_home_panel.html")
        # Task and supervisor report reminders go through the meetings scanner.
        from . import reminders

        reminders.register()
