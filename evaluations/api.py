"""What other apps may read from evaluations (minutes PDF, dashboards)."""

from django.utils.translation import gettext as _

from . import selectors
from .forms import TaskForm
from .lessons import selectors as lesson_selectors
from .models import Task


def meeting_tasks(meeting) -> list[dict]:
    """The tasks assigned in `meeting`, for printing: text, assignee names, deadline.

    Two queries whatever the number of tasks and assignees. Each dict holds
    ``text``, ``assignees`` (list of names; a party group appears by its name),
    ``assignee_names`` (the same joined with ", "), ``deadline`` (a date),
    ``outcome`` (code, "" until reviewed) and ``outcome_label``.
    """
    tasks = (
        Task.objects.filter(meeting=meeting)
        .select_related("party_group")
        .prefetch_related("assignees")
        .order_by("deadline", "pk")
    )
    rows = []
    for task in tasks:
        names = [member.full_name for member in task.assignees.all()]
        if task.party_group_id:
            names.append(_("Party group: %(name)s") % {"name": task.party_group.name})
        rows.append(
            {
                "text": task.text,
                "assignees": names,
                "assignee_names": ", ".join(names),
                "deadline": task.deadline,
                "outcome": task.outcome,
                "outcome_label": task.get_outcome_display() if task.outcome else "",
            }
        )
    return rows


def home_panel(user) -> dict:
    """What the home page shows from evaluations: the user's tasks (assigned to them
    and open in their cell, due soon first, overdue flagged) and their latest
    monthly ratings. Constant queries."""
    return {
        "eval_tasks": selectors.tasks_for_home(user, limit=10),
        "eval_ratings": selectors.own_monthly_ratings(user, limit=3),
    }


def meeting_eval_roles(user, meeting) -> dict:
    """What `user` may do about `meeting` in evaluations (score it, file or read
    its supervisor report): the meeting page's links; and the lessons from model
    meetings the cell promised to apply (`lesson_promises`)."""
    return selectors.meeting_roles(user, meeting) | {
        "lesson_promises": lesson_selectors.promises_for_meeting(meeting)
    }


def minutes_task_panel(meeting) -> dict:
    """The minutes editor's closing section: the form to assign next month's tasks
    and the tasks already assigned and to review."""
    return {
        "task_form": TaskForm(meeting=meeting),
        **selectors.meeting_task_panel(meeting),
    }
