"""What other apps may read from evaluations (minutes PDF, dashboards)."""

from django.utils.translation import gettext as _

from . import home, selectors
from .forms import TaskForm
from .lessons import selectors as lesson_selectors
from .models import QualityScore, ScoreRole, Task


def meeting_tasks(meeting) -> list[dict]:
    """The tasks assigned in `meeting`, for printing: text, assignee names, deadline.

    Two queries whatever the number of tasks and assignees. Each dict holds
    ``text``, ``assignees`` (list of names; a party group appears by its name),
    ``assignee_names`` (the same joined with ", "), ``deadline`` (a date),
    ``outcome`` (code, "" until reviewed), ``outcome_label`` and ``comment``.
    """
    return _task_rows(meeting=meeting)


def home_panel(user) -> dict:
    """What the home page shows from evaluations: the user's tasks (assigned to them
    and open in their cell, due soon first, overdue flagged) and their latest
    monthly ratings; what officers, committees and supervisors have to follow up
    (evaluations/home.py). Constant queries."""
    return {
        "eval_tasks": selectors.tasks_for_home(user, limit=10),
        "eval_ratings": selectors.own_monthly_ratings(user, limit=3),
        **home.home_panel(user),
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


def _task_row(task):
    names = [member.full_name for member in task.assignees.all()]
    if task.party_group_id:
        names.append(_("Party group: %(name)s") % {"name": task.party_group.name})
    return {
        "text": task.text,
        "assignees": names,
        "assignee_names": ", ".join(names),
        "deadline": task.deadline,
        "outcome": task.outcome,
        "outcome_label": task.get_outcome_display() if task.outcome else "",
        "comment": task.outcome_comment,
    }


def meeting_task_review(meeting) -> list[dict]:
    """The tasks reviewed in `meeting` (last month's, usually), for printing: the
    rows of `meeting_tasks`. Two queries whatever the number."""
    return _task_rows(reviewed_in=meeting)


def _task_rows(**lookup):
    tasks = (
        Task.objects.filter(**lookup)
        .select_related("party_group")
        .prefetch_related("assignees")
        .order_by("deadline", "pk")
    )
    return [_task_row(task) for task in tasks]


def meeting_self_score(meeting) -> list[dict]:
    """The cell's self-score of `meeting`, for printing ([] until scored): one dict
    with ``total``, ``maximum``, ``percent`` (Decimals) and ``band_label``."""
    score = QualityScore.objects.filter(meeting=meeting, role=ScoreRole.SELF).first()
    if score is None:
        return []
    return [
        {
            "total": score.total,
            "maximum": score.maximum,
            "percent": score.percent,
            "band": score.band,
            "band_label": str(score.band_label),
        }
    ]
