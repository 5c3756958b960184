"""meetings.notify.views: the notification centre, its badge, preferences,
unsubscribe links and the secretary's "who was notified" page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import notify
from meetings.models import Delivery, Notification
from tests.factories import MemberFactory
from tests.factories.meetings import upcoming_meeting
from tests.support.notify import Kind, notice_time, rows


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
    # the secretary reads what to do, not the mail server's exception
    assert "SMTPDataError" not in body
    assert "Máy chủ thư từ chối; kiểm tra địa chỉ rồi gửi lại." in body
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
    # (members, supervisors, invited guests) and contacts: the same at both sizes
    with django_assert_num_queries(12):
        page = secretary_client.get(url)
    assert len(page.context["deliveries"]) == 4 + 3 + 2 + extra  # + preparation
    assert page.context["counts"] == {"queued": 9 + extra}
