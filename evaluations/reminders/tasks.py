"""Task reminders to the assignees (issue 5 with the Evaluations issue's `Task`):
"due soon" from `task_reminder_days` before the deadline (a rule inherited down
the tree, default 3) until the deadline day, "overdue" from the day after, for a
task not reviewed yet; to its assigned members and the members of its assigned
party group. Registered with the meetings scanner by `EvaluationsConfig.ready()`
(NOTIFY_API.md); the subject carries the deadline, so a new deadline reminds again.
"""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from evaluations.models import Task
from meetings.api import (
    REMINDER_HORIZON,
    REMINDER_LOOKBACK_DAYS,
    ReminderWork,
    in_sending_hours,
    register_reminder_kinds,
    rules_for_cells,
    unique_members,
)
from meetings.models import NotificationKind as Kind
from members.models import Member, RuleKey

LOOKBACK = timedelta(days=REMINDER_LOOKBACK_DAYS)  # overdue nags stop after this
HORIZON = REMINDER_HORIZON  # task_reminder_days, like every "days before" rule, ≤ 30
PREFIX = "task:"


def task_subject(task_id, deadline):
    return f"{PREFIX}{task_id}:{deadline:%Y%m%d}"


def parse_subject(subject):
    """(task id, deadline) from a subject, or None."""
    try:
        _prefix, task_id, day = subject.split(":")
        return int(task_id), date(int(day[:4]), int(day[4:6]), int(day[6:8]))
    except ValueError:
        return None


def task_kind(*, today, deadline, days_before):
    """TASK_DUE from `days_before` days before the deadline to the deadline day,
    TASK_OVERDUE after it (for LOOKBACK), None otherwise. Pure."""
    if today > deadline + LOOKBACK:
        return None
    if today > deadline:
        return Kind.TASK_OVERDUE
    if today >= deadline - timedelta(days=days_before):
        return Kind.TASK_DUE
    return None


def _open_tasks():
    return Task.objects.filter(outcome="", reviewed_at__isnull=True)


def due_task_work(now):
    """The Work of every open task whose reminder is due at `now`: four queries."""
    local = timezone.localtime(now)
    if not in_sending_hours(local):
        return []
    today = local.date()
    tasks = list(
        _open_tasks()
        .filter(deadline__gte=today - LOOKBACK, deadline__lte=today + HORIZON)
        .select_related("cell")
        .only("id", "deadline", "party_group_id", "cell__id", "cell__path")
    )
    if not tasks:
        return []
    rules = rules_for_cells(
        {t.cell for t in tasks}, on=today, keys=(RuleKey.TASK_REMINDER_DAYS,)
    )
    assignees = {}
    through = Task.assignees.through
    for task_id, member_id in (
        through.objects.filter(
            task_id__in=[t.pk for t in tasks], member__is_active=True
        )
        .order_by("member_id")
        .values_list("task_id", "member_id")
    ):
        assignees.setdefault(task_id, []).append(member_id)
    # A task given to a party group reminds its active members.
    groups = {t.party_group_id for t in tasks if t.party_group_id}
    group_members = {}
    if groups:
        for group_id, member_id in (
            Member.objects.filter(party_group_id__in=groups, is_active=True)
            .order_by("pk")
            .values_list("party_group_id", "pk")
        ):
            group_members.setdefault(group_id, []).append(member_id)
    works = []
    for task in tasks:
        kind = task_kind(
            today=today,
            deadline=task.deadline,
            days_before=int(rules[task.cell_id][RuleKey.TASK_REMINDER_DAYS]),
        )
        people = unique_members(
            assignees.get(task.pk, ()), group_members.get(task.party_group_id, ())
        )
        if kind and people:
            works.append(
                ReminderWork(kind, task_subject(task.pk, task.deadline), None, people)
            )
    return works


def task_contexts(subjects):
    """{subject: template context} of the tasks behind `subjects` (one query)."""
    parsed = {s: parse_subject(s) for s in subjects}
    tasks = Task.objects.select_related("cell", "meeting").in_bulk(
        [p[0] for p in parsed.values() if p]
    )
    path = reverse("evaluations:my-tasks")
    contexts = {}
    for subject, found in parsed.items():
        task = tasks.get(found[0]) if found else None
        if task is not None:
            contexts[subject] = {
                "task": task,
                "cell": task.cell,
                "deadline": task.deadline,
                "assigned_on": timezone.localtime(task.meeting.starts_at),
                "path": path,
            }
    return contexts


def still_open(subjects):
    """The subjects whose task is still open with the same deadline (one query)."""
    parsed = {s: parse_subject(s) for s in subjects}
    current = dict(
        _open_tasks()
        .filter(pk__in=[p[0] for p in parsed.values() if p])
        .values_list("pk", "deadline")
    )
    return {s for s, p in parsed.items() if p and current.get(p[0]) == p[1]}


def register():
    """Plug task reminders into the meetings scanner (EvaluationsConfig.ready)."""
    return register_reminder_kinds(
        (Kind.TASK_DUE, Kind.TASK_OVERDUE),
        find=due_task_work,
        context=task_contexts,
        still_due=still_open,
    )
