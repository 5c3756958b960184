"""The evaluations app's reminder kinds (evaluations/reminders/), registered with the
meetings scanner: task reminders to assignees and supervisor report reminders."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from evaluations import reminders
from evaluations.domain import report_due_date
from evaluations.models import SupervisionReport, Task
from evaluations.reminders import reports as report_reminders
from evaluations.reminders import tasks as task_reminders
from meetings import notify
from meetings.domain import HELD_STATES
from meetings.models import Meeting, MeetingState, Notification
from members.models import Member, OrgKind, RuleKey, RuleSetting
from tests.factories import OrganizationFactory
from tests.factories.meetings import upcoming_meeting
from tests.factories.members import LONG_AGO
from tests.factories.times import on
from tests.support.notify import Kind, rows


@pytest.fixture(autouse=True)
def _fixed_clock(clock):
    """Deadlines and meetings here are counted from "today": fix it (a Tuesday,
    10:00) so the outcome never depends on the day or hour the suite runs."""
    clock(on(date(2026, 10, 13), 10, 0))


def test_supervisor_report_deadline_and_reminder():
    # The deadline is evaluations.domain's one rule (report_due_date).
    deadline = report_due_date(date(2026, 12, 13), deadline_day=10)
    assert deadline == date(2027, 1, 10)
    assert report_due_date(date(2026, 5, 3), deadline_day=10) == date(2026, 5, 10)

    def kind(today, filed=False, days_before=3):
        return notify.report_reminder_kind(
            today=today, deadline=deadline, filed=filed, days_before=days_before
        )

    assert kind(date(2027, 1, 6)) is None
    assert kind(date(2027, 1, 7)) == Kind.REPORT_DUE
    assert kind(date(2027, 1, 10)) == Kind.REPORT_DUE
    assert kind(date(2027, 1, 11)) == Kind.REPORT_OVERDUE
    assert kind(date(2027, 1, 11), filed=True) is None
    # The setting report_reminder_days moves the start: 7 days, or only on the day.
    assert kind(date(2027, 1, 2), days_before=7) is None
    assert kind(date(2027, 1, 3), days_before=7) == Kind.REPORT_DUE
    assert kind(date(2027, 1, 9), days_before=0) is None
    assert kind(date(2027, 1, 10), days_before=0) == Kind.REPORT_DUE


def test_task_reminder_kind_from_days_before_to_lookback():
    kind = task_reminders.task_kind
    deadline = date(2026, 12, 10)
    assert kind(today=date(2026, 12, 6), deadline=deadline, days_before=3) is None
    assert kind(today=date(2026, 12, 7), deadline=deadline, days_before=3) == (
        Kind.TASK_DUE
    )
    assert kind(today=deadline, deadline=deadline, days_before=3) == Kind.TASK_DUE
    assert kind(today=date(2026, 12, 11), deadline=deadline, days_before=3) == (
        Kind.TASK_OVERDUE
    )
    last = deadline + timedelta(days=notify.LOOKBACK_DAYS)
    assert kind(today=last, deadline=deadline, days_before=3) == Kind.TASK_OVERDUE
    after = last + timedelta(days=1)
    assert kind(today=after, deadline=deadline, days_before=3) is None
    subject = task_reminders.task_subject(7, deadline)
    assert subject == "task:7:20261210"
    assert task_reminders.parse_subject(subject) == (7, deadline)
    assert task_reminders.parse_subject("meeting:7") is None


def test_evaluations_registers_its_kinds_and_only_those_can_be():
    with pytest.raises(ValueError):
        notify.register((Kind.MEETING_NOTICE,), find=lambda now: [])
    assert notify.REGISTRY[Kind.TASK_DUE].find is task_reminders.due_task_work
    assert notify.REGISTRY[Kind.TASK_OVERDUE].still_due is task_reminders.still_open
    assert notify.REGISTRY[Kind.REPORT_DUE].find is report_reminders.due_report_work
    assert notify.REGISTRY[Kind.REPORT_OVERDUE].context is (
        report_reminders.report_contexts
    )
    # Registering again (a second ready(), a reload) replaces, never duplicates.
    reminders.register()
    # tasks, reports and inspections (evaluations), the dues reminder (meetings).
    assert len(notify.registered_specs()) == 4
    assert notify.REGISTRY[Kind.DUES_ARREARS].find.__name__ == "dues_arrears_work"


def test_report_reminders_count_the_held_meetings():
    """One definition of the held states (meetings.domain), the MeetingState values
    of a meeting that took place."""
    not_held = {MeetingState.PLANNED, MeetingState.NOTIFIED, MeetingState.CANCELLED}
    assert set(HELD_STATES) == set(MeetingState.values) - not_held
    assert report_reminders.HELD_STATES is HELD_STATES


def make_task(tree, meeting, deadline, *assignees, text="Vận động 5 hộ đóng quỹ"):
    task = Task.objects.create(
        meeting=meeting, cell=tree.cell, text=text, deadline=deadline
    )
    task.assignees.set(assignees)
    return task


def test_task_reminders_due_soon_overdue_and_done(tree, people, settings, mailoutbox):
    settings.CHIBO_BASE_URL = "https://chibo.test"
    meeting = upcoming_meeting(tree.cell)
    deadline = timezone.localdate() + timedelta(days=20)
    task = make_task(tree, meeting, deadline, tree.member, tree.others[2])
    make_task(tree, meeting, deadline + timedelta(days=10), tree.member)  # not yet
    RuleSetting.objects.create(
        organization=tree.ward,
        key=RuleKey.TASK_REMINDER_DAYS,
        value=5,
        valid_from=LONG_AGO,
    )
    five_before = on(deadline - timedelta(days=5), 9)
    assert notify.registered_works(now=five_before - timedelta(days=1)) == []
    notify.scan_notifications(now=five_before)
    due = rows(kind=Kind.TASK_DUE)
    assert sorted(due.values_list("member_id", "channel")) == sorted(
        [
            (tree.member.pk, "email"),
            (tree.member.pk, "inapp"),
            (tree.others[2].pk, "email"),
        ]
    )
    assert set(due.values_list("subject", flat=True)) == {
        task_reminders.task_subject(task.pk, deadline)
    }
    # A second scan writes nothing more.
    assert notify.scan_notifications(now=five_before).created == 0
    result = notify.send_deliveries(delivery_ids=list(due.values_list("pk", flat=True)))
    assert result.sent == 3
    assert sorted(m.to[0].rpartition("<")[2].rstrip(">") for m in mailoutbox) == [
        "dangvien@chibo.test",
        "thuong@chibo.test",
    ]
    to_member = next(m for m in mailoutbox if "dangvien@chibo.test" in m.to[0])
    assert to_member.subject.startswith("=?utf-8?")  # RFC 2047 encoded words
    text = to_member.body
    assert "Vận động 5 hộ đóng quỹ" in text
    assert f"Thời hạn: ngày {deadline:%d/%m/%Y}" in text
    assert "https://chibo.test/evaluations/tasks/" in text
    assert to_member.extra_headers["List-Unsubscribe"].startswith(
        "<https://chibo.test/notifications/unsubscribe/"
    )
    note = Notification.objects.get(kind=Kind.TASK_DUE)
    assert (
        note.title
        == f"[Chi bộ Khối phố 5] Nhắc việc: nhiệm vụ đến hạn ngày {deadline:%d/%m/%Y}"
    )
    assert note.url == "/evaluations/tasks/"

    # Overdue the day after the deadline; a task reviewed meanwhile is not nagged.
    day_after = on(deadline + timedelta(days=1), 9)
    notify.scan_notifications(now=day_after)
    overdue = rows(kind=Kind.TASK_OVERDUE)
    assert overdue.count() == 3
    type(task).objects.filter(pk=task.pk).update(
        outcome="done_late", reviewed_at=timezone.now()
    )
    result = notify.send_deliveries(
        delivery_ids=list(overdue.values_list("pk", flat=True))
    )
    assert (result.sent, result.skipped) == (0, 3)


def test_task_of_a_party_group_reminds_its_members(tree, people):
    group = OrganizationFactory(
        name="Tổ đảng số 1", kind=OrgKind.PARTY_GROUP, parent=tree.cell, code="TD"
    )
    Member.objects.filter(pk__in=[tree.member.pk, tree.others[2].pk]).update(
        party_group=group
    )
    meeting = upcoming_meeting(tree.cell)
    deadline = timezone.localdate() + timedelta(days=20)
    task = make_task(tree, meeting, deadline, tree.member)
    task.party_group = group
    task.save()
    works = notify.registered_works(now=on(deadline, 9))
    assert [(w.kind, sorted(w.member_ids)) for w in works] == [
        (Kind.TASK_DUE, sorted([tree.member.pk, tree.others[2].pk]))
    ]


def test_task_reminders_follow_preferences(tree, people):
    meeting = upcoming_meeting(tree.cell)
    deadline = timezone.localdate() + timedelta(days=20)
    make_task(tree, meeting, deadline, tree.member, tree.secretary)
    notify.unsubscribe(member_id=tree.member.pk, kind=Kind.TASK_DUE)
    notify.scan_notifications(now=on(deadline - timedelta(days=1), 9))
    assert set(rows(kind=Kind.TASK_DUE).values_list("member_id", flat=True)) == {
        tree.secretary.pk
    }


def test_report_reminders_due_overdue_and_filed(tree, people, settings, mailoutbox):
    settings.CHIBO_BASE_URL = "https://chibo.test"
    meeting = upcoming_meeting(tree.cell)
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)
    held_on = timezone.localtime(meeting.starts_at).date()
    deadline = report_due_date(held_on, deadline_day=10)
    subject = report_reminders.report_subject(meeting.pk, tree.supervisor.pk)
    assert report_reminders.parse_subject(subject) == (
        meeting.pk,
        tree.supervisor.pk,
    )
    early = on(deadline - timedelta(days=4), 9)
    assert notify.registered_works(now=early) == []
    notify.scan_notifications(now=on(deadline - timedelta(days=3), 9))
    due = rows(kind=Kind.REPORT_DUE)
    assert sorted(due.values_list("member_id", "channel")) == [
        (tree.supervisor.pk, "email"),
        (tree.supervisor.pk, "inapp"),
    ]
    notify.send_deliveries(delivery_ids=list(due.values_list("pk", flat=True)))
    (message,) = mailoutbox
    assert f"chậm nhất ngày {deadline:%d/%m/%Y}" in message.body
    assert f"https://chibo.test/evaluations/meetings/{meeting.pk}/report/" in (
        message.body
    )
    notify.scan_notifications(now=on(deadline + timedelta(days=1), 9))
    overdue = rows(kind=Kind.REPORT_OVERDUE)
    assert overdue.count() == 2
    SupervisionReport.objects.create(
        meeting=meeting,
        cell=tree.cell,
        supervisor=tree.supervisor,
        observations="Sinh hoạt đúng quy định",
        due_on=deadline,
        submitted_at=timezone.now(),
    )
    result = notify.send_deliveries(
        delivery_ids=list(overdue.values_list("pk", flat=True))
    )
    assert (result.sent, result.skipped) == (0, 2)
    assert notify.registered_works(now=on(deadline + timedelta(days=2), 9)) == []


@pytest.mark.parametrize("days", [1, 6])
def test_report_reminder_days_is_inherited_from_the_province(tree, people, days):
    """report_reminder_days set on the province decides when the supervisor's
    reminder starts for a cell of its ward; a value on the cell itself wins."""
    meeting = upcoming_meeting(tree.cell)
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)
    deadline = report_due_date(
        timezone.localtime(meeting.starts_at).date(), deadline_day=10
    )
    RuleSetting.objects.create(
        organization=tree.province,
        key=RuleKey.REPORT_REMINDER_DAYS,
        value=days,
        valid_from=LONG_AGO,
    )
    first_day = on(deadline - timedelta(days=days), 9)
    assert notify.registered_works(now=first_day - timedelta(days=1)) == []
    works = notify.registered_works(now=first_day)
    assert [(w.kind, w.subject, w.member_ids) for w in works] == [
        (
            Kind.REPORT_DUE,
            report_reminders.report_subject(meeting.pk, tree.supervisor.pk),
            (tree.supervisor.pk,),
        )
    ]
    RuleSetting.objects.create(
        organization=tree.cell,
        key=RuleKey.REPORT_REMINDER_DAYS,
        value=days - 1,
        valid_from=LONG_AGO,
    )
    assert notify.registered_works(now=first_day) == []
    assert len(notify.registered_works(now=first_day + timedelta(days=1))) == 1
