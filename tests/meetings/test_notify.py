"""Reminders and notifications: the rules of what is due, who receives it, and the
whole path through a real Celery worker on the test Redis into a real SMTP sink.

The clock is frozen by passing `now=` to the scanner; meetings are placed a few days
after the real today so that what the worker does on its own (a scan after a move)
sees the same meeting in the future.
"""

import email
import email.policy
import threading
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone

from meetings import (
    notify,
    notify_report_kinds,
    notify_tasks,
    notify_tasks_kinds,
    services,
)
from meetings.models import (
    Delivery,
    Dispatch,
    Meeting,
    MeetingChange,
    MeetingKind,
    MeetingState,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from members import selectors as member_selectors
from members.models import (
    AttachmentDirection,
    Exemption,
    ExemptionReason,
    Member,
    OrgKind,
    PositionRole,
    RuleKey,
    RuleSetting,
    TemporaryAttachment,
)
from tests.factories import (
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    UserFactory,
)
from tests.meetings.notify_helpers import (
    broker_at,
    celery_worker,
    decoded_subject,
    delivery_id,
    free_port,
    in_thread,
    settled,
    smtp_sink,
    wait_until,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
Kind = NotificationKind
LONG_AGO = date(2020, 1, 1)


def local(day, hour=8, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HANOI)


# --- the rules of what is due (no database) -------------------------------------------

MEETING_AT = datetime(2026, 12, 3, 19, 30, tzinfo=HANOI)
OFFSETS = notify.Offsets()  # notice 3, documents 1, preparation 7, presenter 7, nag 2


def due(now, **facts):
    values = {"state": "planned", "kind": "regular", "starts_at": MEETING_AT} | facts
    return notify.due_meeting_kinds(
        notify.MeetingFacts(**values), OFFSETS, now=now.astimezone(HANOI)
    )


def test_due_notice_from_notice_day_in_sending_hours():
    assert Kind.MEETING_NOTICE not in due(datetime(2026, 11, 29, 20, 0, tzinfo=HANOI))
    assert Kind.MEETING_NOTICE not in due(datetime(2026, 11, 30, 6, 59, tzinfo=HANOI))
    assert Kind.MEETING_NOTICE in due(datetime(2026, 11, 30, 7, 0, tzinfo=HANOI))
    assert Kind.MEETING_NOTICE in due(datetime(2026, 12, 3, 19, 29, tzinfo=HANOI))
    # Once the meeting has started nothing is announced any more.
    assert Kind.MEETING_NOTICE not in due(datetime(2026, 12, 3, 19, 30, tzinfo=HANOI))


def test_due_notice_at_night_only_when_the_meeting_is_near():
    assert due(datetime(2026, 12, 1, 23, 0, tzinfo=HANOI)) == []
    early = datetime(2026, 12, 3, 6, 30, tzinfo=HANOI)  # an early-morning meeting
    assert due(datetime(2026, 12, 2, 3, 0, tzinfo=HANOI), starts_at=early) == []
    assert due(datetime(2026, 12, 2, 18, 29, tzinfo=HANOI), starts_at=early) == [
        Kind.MEETING_NOTICE,
        Kind.PREPARATION,
        Kind.DOCUMENTS_MISSING,
    ]
    # Within 12 hours of the meeting the notice goes even at night, nothing else.
    assert due(datetime(2026, 12, 2, 21, 0, tzinfo=HANOI), starts_at=early) == [
        Kind.MEETING_NOTICE
    ]
    assert due(datetime(2026, 12, 3, 5, 0, tzinfo=HANOI), starts_at=early) == [
        Kind.MEETING_NOTICE
    ]


def test_due_notice_follows_the_notice_days_offset():
    offsets = notify.Offsets(notice_days=5)
    facts = notify.MeetingFacts("planned", "regular", MEETING_AT)
    at_8 = datetime(2026, 11, 28, 8, 0, tzinfo=HANOI)
    assert Kind.MEETING_NOTICE in notify.due_meeting_kinds(facts, offsets, now=at_8)
    day_before = at_8 - timedelta(days=1)
    assert Kind.MEETING_NOTICE not in notify.due_meeting_kinds(
        facts, offsets, now=day_before
    )


def test_due_preparation_presenter_and_documents():
    week_before = datetime(2026, 11, 26, 9, 0, tzinfo=HANOI)
    assert due(week_before) == [Kind.PREPARATION]
    assert due(week_before - timedelta(days=1)) == []
    assert due(week_before, kind="thematic", has_presenter=True) == [
        Kind.PREPARATION,
        Kind.PRESENTER,
    ]
    assert Kind.PRESENTER not in due(week_before, kind="thematic")  # nobody assigned
    assert Kind.PRESENTER in due(week_before, is_combined=True, has_presenter=True)
    day_before = datetime(2026, 12, 2, 9, 0, tzinfo=HANOI)
    assert Kind.DOCUMENTS_MISSING in due(day_before)
    assert Kind.DOCUMENTS_MISSING not in due(day_before, documents_sent=True)
    assert Kind.DOCUMENTS_MISSING not in due(day_before - timedelta(days=1))


def test_due_after_the_meeting_minutes_nag_and_missed_meeting():
    two_days_after = datetime(2026, 12, 5, 9, 0, tzinfo=HANOI)
    assert due(two_days_after, state="held") == [Kind.MINUTES_NAG]
    assert due(two_days_after - timedelta(days=1), state="held") == []
    assert due(two_days_after, state="locked") == []
    next_day = datetime(2026, 12, 4, 9, 0, tzinfo=HANOI)
    assert due(next_day) == [Kind.MISSED_MEETING]
    assert due(next_day, state="notified") == [Kind.MISSED_MEETING]
    assert due(next_day, state="cancelled") == []
    assert due(next_day + timedelta(days=notify.LOOKBACK_DAYS + 1)) == []


def test_supervisor_report_deadline_and_reminder():
    deadline = notify.report_deadline(date(2026, 12, 3), deadline_day=10)
    assert deadline == date(2027, 1, 10)
    assert notify.report_deadline(date(2026, 5, 3), deadline_day=10) == date(
        2026, 6, 10
    )

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
    kind = notify_tasks_kinds.task_kind
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
    subject = notify_tasks_kinds.task_subject(7, deadline)
    assert subject == "task:7:20261210"
    assert notify_tasks_kinds.parse_subject(subject) == (7, deadline)
    assert notify_tasks_kinds.parse_subject("meeting:7") is None


def test_only_other_kinds_can_be_registered():
    with pytest.raises(ValueError):
        notify.register((Kind.MEETING_NOTICE,), find=lambda now: [])
    assert notify.REGISTRY[Kind.TASK_DUE].find is notify_tasks_kinds.due_task_work


def test_meeting_subjects():
    assert notify.meeting_subject(42) == "meeting:42"
    assert notify.meeting_subject(42, version=3) == "meeting:42:v3"
    assert notify.meeting_subject(42, cancelled=True) == "meeting:42:cancel"


# --- people and meetings --------------------------------------------------------------


@pytest.fixture
def people(tree, users):
    """The cell of `tree` with addresses: secretary, member and three others (one
    exempted, one transferred out) plus the supervisor of the cell."""
    named = {
        tree.secretary: "bithu@chibo.test",
        tree.member: "dangvien@chibo.test",
        tree.others[0]: "mienhop@chibo.test",
        tree.others[1]: "vangmat@chibo.test",
        tree.others[2]: "thuong@chibo.test",
        tree.supervisor: "theodoi@chibo.test",
        tree.official: "capuy@chibo.test",
    }
    for member, address in named.items():
        Member.objects.filter(pk=member.pk).update(email=address)
        member.email = address
    Exemption.objects.create(
        member=tree.others[0], reason=ExemptionReason.OLD_AGE, start=LONG_AGO
    )
    TemporaryAttachment.objects.create(
        member=tree.others[1],
        direction=AttachmentDirection.OUT,
        other_unit="Chi bộ Quân sự",
        start=LONG_AGO,
    )
    required = [tree.secretary, tree.member, tree.others[2], tree.supervisor]
    return SimpleNamespace(
        required=required,
        required_emails=sorted(m.email for m in required),
        with_login=[tree.secretary, tree.member, tree.supervisor],
    )


def upcoming_meeting(cell, *, days=10, kind=MeetingKind.REGULAR, **fields):
    """A meeting `days` after the real today at 19:30, with a place and an agenda.

    Ten days ahead nothing is due by the real clock, so the scans a worker runs on
    its own (after a move, say) never race the frozen-clock scans of a test."""
    day = timezone.localdate() + timedelta(days=days)
    meeting = services.create_meeting(
        cell=cell,
        kind=kind,
        starts_at=local(day, 19, 30),
        by=None,
        place="Nhà văn hoá khối phố 5",
        **fields,
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda=[{"title": "Tình hình tháng"}, {"title": "Nhiệm vụ tháng tới"}]
    )
    meeting.refresh_from_db()
    return meeting


def notice_time(meeting):
    """08:00 on the notice day (notice_days = 3) of `meeting`."""
    day = timezone.localtime(meeting.starts_at).date() - timedelta(days=3)
    return local(day, 8, 0)


def rows(**filters):
    return Delivery.objects.filter(**filters)


# --- rules of many cells and who receives what (database) -----------------------------


def test_rules_for_cells_resolve_like_effective_rules(tree):
    RuleSetting.objects.create(
        organization=tree.ward, key=RuleKey.NOTICE_DAYS, value=5, valid_from=LONG_AGO
    )
    RuleSetting.objects.create(
        organization=tree.cell, key=RuleKey.NOTICE_DAYS, value=2, valid_from=LONG_AGO
    )
    RuleSetting.objects.create(
        organization=tree.province,
        key=RuleKey.MINUTES_NAG_DAYS,
        value=4,
        valid_from=LONG_AGO,
    )
    RuleSetting.objects.create(
        organization=tree.cell2,
        key=RuleKey.NOTICE_DAYS,
        value=9,
        valid_from=date(2030, 1, 1),  # not in force yet
    )
    on = date(2026, 11, 20)
    bulk = notify.rules_for_cells([tree.cell, tree.cell2, tree.other_cell], on=on)
    for cell in (tree.cell, tree.cell2, tree.other_cell):
        single = member_selectors.effective_rules(cell, on=on)
        assert bulk[cell.pk] == {
            key: single[key]["value"] for key in notify.OFFSET_KEYS
        }
    assert bulk[tree.cell.pk][RuleKey.NOTICE_DAYS] == 2
    assert bulk[tree.cell2.pk][RuleKey.NOTICE_DAYS] == 5
    assert bulk[tree.other_cell.pk][RuleKey.NOTICE_DAYS] == 3
    assert bulk[tree.other_cell.pk][RuleKey.MINUTES_NAG_DAYS] == 4


def test_notice_goes_to_required_members_and_the_supervisor(tree, people):
    meeting = upcoming_meeting(tree.cell)
    works, contacts = notify.due_work(now=notice_time(meeting))
    notices = [w for w in works if w.kind == Kind.MEETING_NOTICE]
    assert len(notices) == 1
    assert sorted(notices[0].member_ids) == sorted(m.pk for m in people.required)
    assert contacts[tree.member.pk].email == "dangvien@chibo.test"
    assert contacts[tree.others[2].pk].user_id is None  # no login: email only
    preparation = next(w for w in works if w.kind == Kind.PREPARATION)
    assert preparation.member_ids == (tree.secretary.pk,)


def test_committee_meeting_notice_goes_to_the_committee_only(tree, people):
    deputy = tree.others[2]
    PositionFactory(
        member=deputy, organization=tree.cell, role=PositionRole.DEPUTY_SECRETARY
    )
    meeting = upcoming_meeting(tree.cell, kind=MeetingKind.COMMITTEE)
    works, _contacts = notify.due_work(now=notice_time(meeting))
    notice = next(w for w in works if w.kind == Kind.MEETING_NOTICE)
    assert sorted(notice.member_ids) == sorted(
        [tree.secretary.pk, deputy.pk, tree.supervisor.pk]
    )


def test_scan_writes_each_delivery_once(tree, people, users):
    meeting = upcoming_meeting(tree.cell, preparer=tree.member)
    now = notice_time(meeting)
    first = notify.scan_notifications(now=now)
    second = notify.scan_notifications(now=now)
    notices = rows(meeting=meeting, kind=Kind.MEETING_NOTICE)
    # Four people by email, three of them also in the app.
    assert notices.filter(channel=Delivery.Channel.EMAIL).count() == 4
    assert notices.filter(channel=Delivery.Channel.INAPP).count() == 3
    assert first.created == 4 + 3 + 2 * 2  # + preparation: secretary and preparer
    assert first.kinds == {Kind.MEETING_NOTICE: 1, Kind.PREPARATION: 1}
    assert (second.works, second.created) == (0, 0)
    assert Dispatch.objects.filter(meeting=meeting).count() == 2


def test_delivery_and_dispatch_are_unique_in_the_database(tree, people):
    meeting = upcoming_meeting(tree.cell)
    values = {
        "kind": Kind.MEETING_NOTICE,
        "subject": notify.meeting_subject(meeting.pk),
        "meeting": meeting,
        "member": tree.member,
        "channel": Delivery.Channel.EMAIL,
    }
    Delivery.objects.create(**values)
    with pytest.raises(IntegrityError):
        Delivery.objects.create(**values)


def test_optional_kind_switched_off_is_not_written(tree, people):
    meeting = upcoming_meeting(tree.cell, preparer=tree.member)
    notify.set_preferences(member=tree.member, enabled=[Kind.MINUTES_NAG])
    notify.scan_notifications(now=notice_time(meeting))
    assert not rows(member=tree.member, kind=Kind.PREPARATION).exists()
    assert rows(member=tree.secretary, kind=Kind.PREPARATION).count() == 2
    assert rows(member=tree.member, kind=Kind.MEETING_NOTICE).count() == 2


def test_meeting_notices_cannot_be_switched_off(tree):
    notify.set_preferences(member=tree.member, enabled=[])
    kinds = set(
        NotificationPreference.objects.filter(member=tree.member).values_list(
            "kind", flat=True
        )
    )
    assert kinds == set(notify.OPTIONAL_KINDS)
    assert not notify.unsubscribe(member_id=tree.member.pk, kind=Kind.MEETING_NOTICE)
    with pytest.raises(IntegrityError):
        NotificationPreference.objects.create(
            member=tree.member, kind=Kind.CANCELLED, enabled=False
        )


def test_cancelled_meeting_skips_its_waiting_notices(tree, people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    services.cancel_meeting(meeting=meeting, reason="Bão lớn", by=None)
    ids = list(rows(meeting=meeting).values_list("pk", flat=True))
    result = notify.send_deliveries(delivery_ids=ids)
    assert result.sent == 0
    assert result.skipped == len(ids)
    assert set(rows(meeting=meeting).values_list("status", flat=True)) == {
        Delivery.Status.SKIPPED
    }


def test_stale_claims_go_back_to_the_queue(tree, people):
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    ids = list(rows(meeting=meeting).values_list("pk", flat=True))
    _token, claimed = notify.claim(ids)  # a worker claimed them, then died
    assert len(claimed) == len(ids)
    assert notify.requeue_stale() == 0  # a fresh claim is left alone
    rows(pk__in=ids).update(claimed_at=timezone.now() - timedelta(minutes=11))
    assert notify.requeue_stale() == len(ids)
    assert set(rows(pk__in=ids).values_list("status", flat=True)) == {"queued"}


# --- pages ----------------------------------------------------------------------------


def notify_user(user, n, **fields):
    return [
        Notification.objects.create(
            user=user, kind=Kind.MEETING_NOTICE, title=f"Thông báo {i}", **fields
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("size", [1, 3])
def test_notification_centre_lists_in_constant_queries(
    users, member_client, django_assert_num_queries, size
):
    notify_user(users.member, size)
    notify_user(users.secretary, 2)  # someone else's
    # session, user, member (navbar name), page count, page rows, unread count
    with django_assert_num_queries(6):
        response = member_client.get(reverse("meetings:notifications"))
    assert response.status_code == 200
    titles = [n.title for n in response.context["page"]]
    assert titles == [f"Thông báo {i}" for i in reversed(range(size))]
    assert response.context["unread"] == size


def test_badge_counts_unread_in_one_query(
    users, member_client, django_assert_num_queries
):
    notify_user(users.member, 2)
    notify_user(users.member, 1, read_at=timezone.now())
    with django_assert_num_queries(3):  # session, user, count
        response = member_client.get(reverse("meetings:notification-badge"))
    assert (
        response.content.decode()
        .strip()
        .startswith(
            '<span class="badge rounded-pill text-bg-warning" id="unread-count">2'
        )
    )
    users.member.notifications.update(read_at=timezone.now())
    assert member_client.get(
        reverse("meetings:notification-badge")
    ).content.strip() == (b"")


def test_mark_one_and_all_read_only_touch_own(users, member_client):
    mine = notify_user(users.member, 2)
    theirs = notify_user(users.secretary, 1)
    url = reverse("meetings:notifications")
    member_client.post(url, {"pk": theirs[0].pk})
    member_client.post(url, {"pk": mine[0].pk})
    assert Notification.objects.get(pk=theirs[0].pk).read_at is None
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None
    assert Notification.objects.get(pk=mine[1].pk).read_at is None
    member_client.post(url)
    assert not users.member.notifications.filter(read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs[0].pk).read_at is None


def test_preferences_page_saves_optional_kinds(users, member_client, tree):
    url = reverse("meetings:notification-preferences")
    page = member_client.get(url)
    assert page.status_code == 200
    assert set(page.context["form"].initial["enabled"]) == set(notify.OPTIONAL_KINDS)
    response = member_client.post(
        url, {"enabled": [Kind.PREPARATION, Kind.MEETING_NOTICE]}
    )
    assert response.status_code == 200  # a notice is not a choice: form error
    member_client.post(url, {"enabled": [Kind.PREPARATION]})
    prefs = notify.preferences_for(tree.member)
    assert prefs[Kind.PREPARATION] is True
    assert prefs[Kind.MINUTES_NAG] is False


def test_unsubscribe_link_asks_then_switches_off(tree, client):
    token = notify.unsubscribe_token(tree.member.pk, Kind.PREPARATION)
    url = reverse("meetings:unsubscribe", args=[token])
    page = client.get(url)  # no login needed
    assert page.status_code == 200
    assert notify.preferences_for(tree.member)[Kind.PREPARATION] is True
    done = client.post(url)
    assert done.status_code == 200
    assert 'id="unsubscribe-done"' in done.content.decode()
    assert notify.preferences_for(tree.member)[Kind.PREPARATION] is False


def test_one_click_unsubscribe_and_forged_tokens(tree, client):
    token = notify.unsubscribe_token(tree.member.pk, Kind.MINUTES_NAG)
    one_click = reverse("meetings:unsubscribe-one-click", args=[token])
    assert client.post(one_click, {"List-Unsubscribe": "One-Click"}).status_code == 204
    assert notify.preferences_for(tree.member)[Kind.MINUTES_NAG] is False
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("meetings:unsubscribe", args=[forged])).status_code == 404
    mandatory = notify.unsubscribe_token(tree.member.pk, Kind.MEETING_NOTICE)
    assert (
        client.get(reverse("meetings:unsubscribe", args=[mandatory])).status_code == 404
    )


def test_who_was_notified_page_allowed_403_404(
    tree, people, secretary_client, member_client, outsider_client
):
    meeting = upcoming_meeting(tree.cell)
    no_way = MemberFactory(organization=tree.cell, full_name="Bà Không Địa Chỉ")
    notify.scan_notifications(now=notice_time(meeting))
    rows(meeting=meeting, member=tree.member, channel="email").update(
        status=Delivery.Status.FAILED, attempts=5, last_error="SMTPDataError: 554"
    )
    url = reverse("meetings:meeting-notifications", args=[meeting.pk])
    page = secretary_client.get(url)
    assert page.status_code == 200
    assert page.context["counts"]["failed"] == 1
    assert [m.full_name for m in page.context["unreachable"]] == [no_way.full_name]
    body = page.content.decode()
    assert "SMTPDataError: 554" in body
    assert "Bà Không Địa Chỉ" in body
    assert member_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
    detail = secretary_client.get(meeting.get_absolute_url()).content.decode()
    assert url in detail


def test_resend_to_failed_queues_them_and_tops_up_newcomers(
    tree, people, secretary_client
):
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    failed = rows(meeting=meeting, member=tree.member, channel="email")
    failed.update(status=Delivery.Status.FAILED, attempts=5, last_error="550")
    newcomer = MemberFactory(organization=tree.cell, email="moi@chibo.test")
    url = reverse("meetings:meeting-notifications", args=[meeting.pk])
    response = secretary_client.post(url)
    assert response.status_code == 302
    row = failed.get()
    assert (row.status, row.attempts) == (Delivery.Status.QUEUED, 0)
    assert rows(meeting=meeting, member=newcomer, kind=Kind.MEETING_NOTICE).count() == 1


# --- the whole path: scanner → Redis → worker → SMTP sink -----------------------------


@pytest.fixture
def sink(settings):
    with smtp_sink() as (controller, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = controller.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.DEFAULT_FROM_EMAIL = "Chi bộ <no-reply@chibo.test>"
        settings.CHIBO_BASE_URL = "https://chibo.test"
        settings.CHIBO_NOTIFY_RETRY_SECONDS = 0.2
        yield handler


@pytest.fixture
def worker(transactional_db, sink, monkeypatch):
    # The worker thread must not keep its connection to the test database open.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    with celery_worker() as started:
        yield started


def kind_of(message):
    return Delivery.objects.values_list("kind", flat=True).get(pk=delivery_id(message))


def by_kind(sink, kind):
    return [m for m in sink.messages() if kind_of(m) == kind]


def addressees(messages):
    return sorted(m["To"].addresses[0].addr_spec for m in messages)


def calendar_of(message):
    part = next(
        p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"
    )
    return icalendar.Calendar.from_ical(part.get_content())


def test_notices_reach_each_required_person_exactly_once(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled, message="all deliveries sent")
    notices = by_kind(sink, Kind.MEETING_NOTICE)
    assert addressees(notices) == people.required_emails
    assert len({m["Message-ID"] for m in notices}) == len(notices)
    when = timezone.localtime(meeting.starts_at)
    expected = (
        f"[Chi bộ Khối phố 5] Thông báo sinh hoạt chi bộ thường kỳ lúc 19:30 "
        f"ngày {when:%d/%m/%Y}"
    )
    for message in notices:
        assert decoded_subject(message) == expected
        assert message["Subject"] == expected  # the policy decodes it the same way
        assert message["Auto-Submitted"] == "auto-generated"
        assert "List-Unsubscribe" not in message  # notices cannot be switched off
        text = message.get_body(preferencelist=("plain",)).get_content()
        to = message["To"].addresses[0]
        name = Member.objects.get(email=to.addr_spec).full_name
        assert to.display_name == name
        assert f"Kính gửi đồng chí {name}," in text
        assert f"<strong>{name}</strong>" in (
            message.get_body(preferencelist=("html",)).get_content()
        )
        assert message["Message-ID"] == f"<delivery.{delivery_id(message)}@chibo.test>"
        assert "Địa điểm: Nhà văn hoá khối phố 5" in text
        assert "1. Tình hình tháng" in text
        assert f"https://chibo.test/meetings/{meeting.pk}/" in text
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "<li>Nhiệm vụ tháng tới</li>" in html
        event = calendar_of(message).walk("VEVENT")[0]
        assert event.decoded("dtstart") == meeting.starts_at
        assert str(event["location"]) == "Nhà văn hoá khối phố 5"
    raw = sink.received[0][1]
    assert b"Subject: =?utf-8?" in raw  # RFC 2047 on the wire
    sent = rows(meeting=meeting, kind=Kind.MEETING_NOTICE)
    assert set(sent.values_list("status", flat=True)) == {Delivery.Status.SENT}
    in_app = Notification.objects.filter(meeting=meeting, kind=Kind.MEETING_NOTICE)
    assert sorted(in_app.values_list("user__member_id", flat=True)) == sorted(
        m.pk for m in people.with_login
    )
    assert in_app.first().title == expected
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.NOTIFIED
    assert meeting.notified_at is not None


def test_optional_kinds_respect_preferences(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell, preparer=tree.member)
    notify.set_preferences(member=tree.member, enabled=[])
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    preparation = by_kind(sink, Kind.PREPARATION)
    assert addressees(preparation) == ["bithu@chibo.test"]
    message = preparation[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<https://chibo.test/notifications/unsubscribe/")
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Người chuẩn bị nội dung: Trần Thị Đảng Viên" in text
    assert "Không nhận loại nhắc việc này nữa: https://chibo.test/" in text
    # The link in the text and the one-click header carry a valid token.
    header = message["List-Unsubscribe"].strip()
    token = header.split("/unsubscribe/", 1)[1].split("/", 1)[0]
    assert notify.read_unsubscribe_token(token) == (tree.secretary.pk, "preparation")
    assert f"/notifications/unsubscribe/{token}/" in text
    # The member still gets the meeting notice.
    assert "dangvien@chibo.test" in addressees(by_kind(sink, Kind.MEETING_NOTICE))


def test_reschedule_and_cancellation_reach_everyone_notified(
    worker, sink, tree, people, users
):
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    moved_to = meeting.starts_at + timedelta(days=1)
    services.reschedule_meeting(
        meeting=meeting, starts_at=moved_to, reason="Trùng lịch họp phường", by=None
    )
    # No scan call here: the service asked a worker on commit.
    wait_until(
        lambda: len(by_kind(sink, Kind.RESCHEDULED)) == len(people.required),
        message="reschedule notices",
    )
    moves = by_kind(sink, Kind.RESCHEDULED)
    assert addressees(moves) == people.required_emails
    new = timezone.localtime(moved_to)
    assert decoded_subject(moves[0]) == (
        f"[Chi bộ Khối phố 5] Dời lịch sinh hoạt sang 19:30 ngày {new:%d/%m/%Y}"
    )
    assert (
        "Lý do: Trùng lịch họp phường"
        in moves[0].get_body(preferencelist=("plain",)).get_content()
    )
    event = calendar_of(moves[0]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == moved_to
    assert int(event["sequence"]) == 1

    services.cancel_meeting(meeting=meeting, reason="Bão số 9", by=None)
    wait_until(
        lambda: len(by_kind(sink, Kind.CANCELLED)) == len(people.required),
        message="cancellation notices",
    )
    cancels = by_kind(sink, Kind.CANCELLED)
    assert addressees(cancels) == people.required_emails
    assert decoded_subject(cancels[0]) == (
        f"[Chi bộ Khối phố 5] Huỷ buổi sinh hoạt ngày {new:%d/%m/%Y}"
    )
    assert str(calendar_of(cancels[0]).walk("VEVENT")[0]["status"]) == "CANCELLED"
    wait_until(settled)
    assert len(by_kind(sink, Kind.MEETING_NOTICE)) == len(people.required)
    assert Notification.objects.filter(kind=Kind.CANCELLED).count() == 3


def test_two_scans_at_once_send_one_notice_per_person(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell)
    now = notice_time(meeting)
    barrier = threading.Barrier(2)

    def scan():
        barrier.wait()
        return notify.scan_notifications(now=now)

    threads = [in_thread(scan) for _ in range(2)]
    for thread, _outcome in threads:
        thread.start()
    for thread, outcome in threads:
        thread.join(60)
        assert "error" not in outcome, outcome.get("error")
    wait_until(settled)
    notices = by_kind(sink, Kind.MEETING_NOTICE)
    assert addressees(notices) == people.required_emails
    assert rows(kind=Kind.MEETING_NOTICE).count() == 4 + 3
    assert Dispatch.objects.filter(kind=Kind.MEETING_NOTICE).count() == 1


def test_redelivered_or_duplicated_batches_send_nothing_twice(
    worker, sink, tree, people
):
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        meeting = upcoming_meeting(tree.cell)
        notify.scan_notifications(now=notice_time(meeting))  # written, not sent
    ids = list(rows(meeting=meeting).values_list("pk", flat=True))
    threads = [in_thread(notify.send_deliveries, delivery_ids=ids) for _ in range(3)]
    for thread, _outcome in threads:
        thread.start()
    for thread, _outcome in threads:
        thread.join(60)
    sent = sum(outcome["value"].sent for _thread, outcome in threads)
    assert sent == len(ids)
    # The broker hands the same batch out again (acks_late redelivery).
    again = notify_tasks.send_delivery_batch.apply(kwargs={"delivery_ids": ids})
    assert again.get() == {"sent": 0, "failed": 0, "skipped": 0}
    emails = rows(meeting=meeting, channel="email").count()
    assert len(sink.received) == emails
    assert len({delivery_id(m) for m in sink.messages()}) == emails


def test_broker_down_saves_the_meeting_and_delivers_later(
    transactional_db, sink, tree, people, monkeypatch
):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    with broker_at(closed):
        meeting = upcoming_meeting(tree.cell)  # create_meeting enqueues on commit
        services.reschedule_meeting(
            meeting=meeting,
            starts_at=meeting.starts_at + timedelta(hours=1),
            reason="Đổi giờ",
            by=None,
        )
        result = notify.scan_notifications(now=notice_time(meeting))
    assert result.broker_down
    assert result.enqueued == 0
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).hour == 20
    assert meeting.changes.filter(kind=MeetingChange.Kind.RESCHEDULED).exists()
    waiting = rows(meeting=meeting, kind=Kind.MEETING_NOTICE)
    assert waiting.count() == 7
    assert not waiting.filter(enqueued_at__isnull=False).exists()

    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    with celery_worker():  # the broker is back: the next scan catches up
        result = notify.scan_notifications(now=notice_time(meeting))
        assert result.enqueued == rows().count()
        wait_until(settled)
    assert addressees(by_kind(sink, Kind.MEETING_NOTICE)) == people.required_emails


def test_smtp_refusals_retry_with_backoff_then_deliver(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell)
    sink.refuse = 2  # the next two messages get "451 try again later"
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    assert addressees(by_kind(sink, Kind.MEETING_NOTICE)) == people.required_emails
    retried = rows(meeting=meeting, channel="email", attempts=2)
    assert retried.count() == 2
    assert all("451" in row.last_error for row in retried)
    assert set(rows(meeting=meeting).values_list("status", flat=True)) == {"sent"}


def test_permanent_refusal_fails_and_resend_delivers(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell)
    sink.refuse, sink.code = 1, "550 5.1.1 Mailbox unavailable"
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    failed = rows(meeting=meeting, status=Delivery.Status.FAILED)
    assert failed.count() == 1
    assert "550" in failed.get().last_error
    notify.resend_failed(meeting=meeting)  # the secretary's button; a worker on commit
    wait_until(settled)
    assert addressees(by_kind(sink, Kind.MEETING_NOTICE)) == people.required_emails


def test_worker_killed_mid_batch_loses_nothing(worker, sink, tree, people):
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        meeting = upcoming_meeting(tree.cell)
        notify.scan_notifications(now=notice_time(meeting))
    ids = list(rows(meeting=meeting).values_list("pk", flat=True))
    notify.claim(ids)  # claimed by a worker that was killed before sending
    rows(pk__in=ids).update(claimed_at=timezone.now() - timedelta(minutes=30))
    result = notify.scan_notifications(now=notice_time(meeting))
    assert result.requeued == len(ids)
    wait_until(settled)
    assert addressees(by_kind(sink, Kind.MEETING_NOTICE)) == people.required_emails


def test_notice_email_parses_with_the_legacy_parser_too(worker, sink, tree, people):
    """Old mail clients read the compat32 way: the subject is still decodable."""
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    legacy = email.message_from_bytes(sink.received[0][1])
    assert "Chi bộ Khối phố 5" in decoded_subject(legacy)
    assert legacy.get_content_charset() is None  # multipart container
    assert {p.get_content_type() for p in legacy.walk()} >= {
        "text/plain",
        "text/html",
        "text/calendar",
    }


def test_new_login_gets_in_app_only_once(worker, sink, tree, people):
    meeting = upcoming_meeting(tree.cell)
    UserFactory(username="thuong", member=tree.others[2])
    notify.scan_notifications(now=notice_time(meeting))
    wait_until(settled)
    notify.scan_notifications(now=notice_time(meeting) + timedelta(hours=1))
    wait_until(settled)
    assert (
        Notification.objects.filter(
            user__member=tree.others[2], kind=Kind.MEETING_NOTICE
        ).count()
        == 1
    )


# --- task reminders (a kind registered from outside the meetings scanner) ----------


def make_task(tree, meeting, deadline, *assignees, text="Vận động 5 hộ đóng quỹ"):
    from evaluations.models import Task

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
    five_before = local(deadline - timedelta(days=5), 9)
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
        notify_tasks_kinds.task_subject(task.pk, deadline)
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
    day_after = local(deadline + timedelta(days=1), 9)
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
    works = notify.registered_works(now=local(deadline, 9))
    assert [(w.kind, sorted(w.member_ids)) for w in works] == [
        (Kind.TASK_DUE, sorted([tree.member.pk, tree.others[2].pk]))
    ]


def test_task_reminders_follow_preferences(tree, people):
    meeting = upcoming_meeting(tree.cell)
    deadline = timezone.localdate() + timedelta(days=20)
    make_task(tree, meeting, deadline, tree.member, tree.secretary)
    notify.unsubscribe(member_id=tree.member.pk, kind=Kind.TASK_DUE)
    notify.scan_notifications(now=local(deadline - timedelta(days=1), 9))
    assert set(rows(kind=Kind.TASK_DUE).values_list("member_id", flat=True)) == {
        tree.secretary.pk
    }


def test_a_failing_batch_gives_its_rows_back(tree, people, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    ids = list(rows(meeting=meeting).values_list("pk", flat=True))

    def broken(*args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(notify, "_send_inapp", broken)
    with pytest.raises(RuntimeError):
        notify.send_deliveries(delivery_ids=ids)
    given_back = rows(pk__in=ids)
    assert set(given_back.values_list("status", flat=True)) == {"queued"}
    assert set(given_back.values_list("last_error", flat=True)) == {
        "RuntimeError: template exploded"
    }
    monkeypatch.undo()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify.send_deliveries(delivery_ids=ids).sent == len(ids)


# --- supervisor report reminders -----------------------------------------------------


def test_report_reminders_due_overdue_and_filed(tree, people, settings, mailoutbox):
    from evaluations.domain import report_due_date
    from evaluations.models import SupervisionReport

    settings.CHIBO_BASE_URL = "https://chibo.test"
    meeting = upcoming_meeting(tree.cell)
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)
    held_on = timezone.localtime(meeting.starts_at).date()
    deadline = report_due_date(held_on, deadline_day=10)
    subject = notify_report_kinds.report_subject(meeting.pk, tree.supervisor.pk)
    assert notify_report_kinds.parse_subject(subject) == (
        meeting.pk,
        tree.supervisor.pk,
    )
    early = local(deadline - timedelta(days=4), 9)
    assert notify.registered_works(now=early) == []
    notify.scan_notifications(now=local(deadline - timedelta(days=3), 9))
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
    notify.scan_notifications(now=local(deadline + timedelta(days=1), 9))
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
    assert notify.registered_works(now=local(deadline + timedelta(days=2), 9)) == []


@pytest.mark.parametrize("days", [1, 6])
def test_report_reminder_days_is_inherited_from_the_province(tree, people, days):
    """report_reminder_days set on the province decides when the supervisor's
    reminder starts for a cell of its ward; a value on the cell itself wins."""
    from evaluations.domain import report_due_date

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
    first_day = local(deadline - timedelta(days=days), 9)
    assert notify.registered_works(now=first_day - timedelta(days=1)) == []
    works = notify.registered_works(now=first_day)
    assert [(w.kind, w.subject, w.member_ids) for w in works] == [
        (
            Kind.REPORT_DUE,
            notify_report_kinds.report_subject(meeting.pk, tree.supervisor.pk),
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


def test_raw_smtp_bytes_carry_each_recipient_and_fall_back_on_long_lines(
    tree, people, settings
):
    from meetings import notify_render

    settings.CHIBO_BASE_URL = "https://chibo.test"
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    emails = list(
        rows(meeting=meeting, channel="email", kind=Kind.MEETING_NOTICE)
        .select_related("member", "meeting__cell")
        .order_by("pk")
    )
    renderer = notify_render.Renderer(emails)
    for row in emails:
        sender, recipient, raw = renderer.raw(row)
        assert sender == "no-reply@localhost"
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert recipient == row.member.email
        assert message["To"].addresses[0].display_name == row.member.full_name
        assert message["X-Chibo-Delivery"] == str(row.pk)
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert f"Kính gửi đồng chí {row.member.full_name}," in text
        assert b"CHIBO-" not in raw
    # An agenda item with a 1,000-character line: the parts would be
    # quoted-printable, so these rows go the EmailMessage way.
    Meeting.objects.filter(pk=meeting.pk).update(agenda=[{"title": "Ý kiến " * 150}])
    for row in emails:
        row.meeting.refresh_from_db()
    assert notify_render.Renderer(emails).raw(emails[0]) is None


@pytest.mark.parametrize("extra", [0, 6])
def test_who_was_notified_page_in_constant_queries(
    tree, people, secretary_client, django_assert_num_queries, extra
):
    for i in range(extra):
        MemberFactory(organization=tree.cell, email=f"them{i}@chibo.test")
    meeting = upcoming_meeting(tree.cell)
    notify.scan_notifications(now=notice_time(meeting))
    url = reverse("meetings:meeting-notifications", args=[meeting.pk])
    # session, user, member, meeting + reach checks, deliveries, notice recipients
    # and contacts: the same at both sizes
    with django_assert_num_queries(11):
        page = secretary_client.get(url)
    assert len(page.context["deliveries"]) == 4 + 3 + 2 + extra  # + preparation
    assert page.context["counts"] == {"queued": 9 + extra}
