"""Party-group meetings (seed 002): recorded by the cell's officers, read by whoever
reaches the cell, listed in the member's history, never counted as meetings."""

from datetime import date

import pytest
from django.urls import reverse

from meetings.group_meetings import services
from meetings.models import GroupMeeting, Meeting


def _record(tree, group, day=date(2026, 11, 15)):
    return services.record_group_meeting(
        group=group,
        held_on=day,
        content="Bàn việc vệ sinh môi trường",
        attendees=[tree.member, tree.others[0]],
        committee_member=tree.secretary,
    )


def test_group_meeting_access_and_recording(client, tree, users, group):
    url = reverse("meetings:group-meetings", args=[tree.cell.pk])
    data = {
        "group": group.pk,
        "held_on": "15/11/2026",
        "attendees": [tree.member.pk, tree.others[0].pk],
        "content": "Bàn việc vệ sinh môi trường",
        "committee_member": tree.secretary.pk,
    }
    client.force_login(users.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    client.force_login(users.member)  # reads the cell, does not record
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    client.force_login(users.committee)  # the ward reads and reviews only
    assert client.post(url, data).status_code == 403
    client.force_login(users.secretary)
    assert client.post(url, data).status_code == 302

    meeting = GroupMeeting.objects.get()
    assert set(meeting.attendees.all()) == {tree.member, tree.others[0]}
    assert meeting.committee_member == tree.secretary
    html = client.get(url).content.decode()
    assert "Bàn việc vệ sinh môi trường" in html
    assert "Tổ đảng số 1" in html
    assert not Meeting.objects.exists()  # not a cell meeting: no regular figures


def test_group_meeting_refuses_people_of_another_cell(tree, group):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.record_group_meeting(
            group=group,
            held_on=date(2026, 11, 15),
            content="x",
            attendees=[tree.outsider],
        )
    assert list(error.value.message_dict) == ["attendees"]
    assert not GroupMeeting.objects.exists()


@pytest.mark.parametrize("count", [1, 3])
def test_group_meetings_page_constant_queries(
    client, tree, users, group, count, django_assert_num_queries
):
    for n in range(count):
        _record(tree, group, day=date(2026, 11, 1 + n))
    client.force_login(users.secretary)
    url = reverse("meetings:group-meetings", args=[tree.cell.pk])
    client.get(url)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("Bàn việc vệ sinh") == count


def test_member_history_lists_the_group_meetings_attended(client, tree, users, group):
    _record(tree, group)
    client.force_login(users.member)

    html = client.get(tree.member.get_absolute_url()).content.decode()

    assert 'id="extra-history"' in html
    assert "15/11/2026" in html
    assert "Tổ đảng số 1" in html
    other = client.get(tree.others[1].get_absolute_url()).content.decode()
    assert 'id="extra-history"' not in other
