"""Home pages say what is next (issue 16 §1), for each role: the member's next
meeting (even one at 15:30 today) with its documents and "ask to be excused", the
latest minutes and resolution, unread notices; what waits for a cell officer and the
next meeting's checklist; minutes waiting for a committee's acknowledgement, late
reports and overdue recommendations; a supervisor's meetings and reports due. The
query count does not grow with the number of meetings."""

from datetime import date

import pytest
from django.urls import reverse

from evaluations import services as evaluation_services
from evaluations.dashboard import rollup
from meetings import services
from meetings.models import ExcuseRequest, Notification, NotificationKind
from tests.factories.files import pdf_bytes, upload
from tests.factories.meetings import (
    adopt_and_sign,
    fill_minutes,
    make_meeting,
    start,
    tree_locked,
    tree_submitted,
)
from tests.factories.members import user_for
from tests.factories.times import at
from tests.support.pages import body, english, meeting_url

HOME = reverse("home")


def _todays_meeting(tree):
    meeting = make_meeting(
        tree.cell,
        starts_at=at(2026, 12, 8, 15, 30),
        topic="Học tập chuyên đề năm 2026",
        place="Nhà văn hóa khối 5",
    )
    services.add_document(
        meeting=meeting,
        upload=upload("chuyen-de.pdf", pdf_bytes()),
        title="Tài liệu chuyên đề",
        by=None,
    )
    services.mark_documents_sent(meeting=meeting, by=None)
    return meeting


@pytest.mark.parametrize("hour", [7, 16])
def test_member_home_shows_a_meeting_at_1530_today(member_client, tree, clock, hour):
    # Arrange: morning, and after it began (still not started in the app)
    clock(at(2026, 12, 8, hour, 0))
    meeting = _todays_meeting(tree)
    english(member_client)

    # Act
    page = body(member_client.get(HOME))

    # Assert
    assert 'id="home-next-meeting"' in page
    assert "Học tập chuyên đề năm 2026" in page
    assert '<strong id="home-next-when">15:30, Tuesday 08/12/2026</strong>' in page
    assert "Nhà văn hóa khối 5" in page
    assert "Tài liệu chuyên đề" in page
    assert f'action="{meeting_url("excuse-request", meeting.pk)}"' in page


def test_member_asks_to_be_excused_from_home(member_client, tree, clock):
    # Arrange
    clock(at(2026, 12, 8, 9, 0))
    meeting = _todays_meeting(tree)
    english(member_client)

    # Act
    member_client.post(
        meeting_url("excuse-request", meeting.pk), {"reason": "Đi công tác"}
    )
    page = body(member_client.get(HOME))

    # Assert
    assert ExcuseRequest.objects.get(meeting=meeting).member_id == tree.member.pk
    assert "Your request to be excused: “Đi công tác” — <strong>" in page
    assert 'id="home-excuse-form"' not in page


def test_member_home_shows_latest_minutes_resolution_and_unread_notices(
    member_client, tree, users
):
    # Arrange
    meeting, _minutes = tree_locked(tree, topic="Sinh hoạt tháng 11")
    resolution = services.issue_resolution(
        meeting=meeting, title="Nghị quyết tháng 11", text="Nội dung", by=None
    )
    Notification.objects.create(
        user=users.member,
        kind=NotificationKind.MEETING_NOTICE,
        title="Thông báo sinh hoạt tháng 12",
        url="/meetings/",
    )
    Notification.objects.create(
        user=users.member,
        kind=NotificationKind.MEETING_NOTICE,
        title="Đã đọc rồi",
        read_at=at(2026, 11, 5),
    )
    english(member_client)

    # Act
    page = body(member_client.get(HOME))

    # Assert
    assert 'id="home-latest"' in page
    assert f'<a href="{meeting.get_absolute_url()}">{meeting}</a>' in page
    assert f"Resolution {resolution.number}" in page
    assert "Nghị quyết tháng 11" in page
    assert '<a href="/meetings/">Thông báo sinh hoạt tháng 12</a>' in page
    assert "Đã đọc rồi" not in page


def test_member_home_has_no_empty_cards(member_client, tree):
    # Arrange: nothing planned, nothing recorded, nothing unread

    # Act
    page = body(member_client.get(HOME))

    # Assert
    for card in ("home-next-meeting", "home-latest", "home-notices", "home-officer"):
        assert f'id="{card}"' not in page


def test_secretary_home_lists_what_waits(secretary_client, tree, clock):
    # Arrange
    clock(at(2026, 12, 8, 9, 0))
    # a meeting whose minutes are still being written
    writing = make_meeting(tree.cell, topic="Biên bản đang viết")
    start(writing)
    # adopted, the chair signed, the minute-taker not yet
    signing = make_meeting(tree.cell, topic="Còn thiếu chữ ký")
    minutes = fill_minutes(start(signing), chair=tree.secretary, taker=tree.member)
    services.adopt_minutes(minutes=minutes, by=None)
    services.sign_minutes(minutes=minutes, user=user_for(tree.secretary))
    # locked, not submitted; and returned with a comment
    to_submit, _m = tree_locked(tree, topic="Đã khóa chưa gửi")
    returned, _m = tree_submitted(tree)
    services.review_minutes(
        meeting=returned, accept=False, comment="Thiếu tỷ lệ dự họp", by=None
    )
    # the next meeting, with an excuse request waiting
    upcoming = make_meeting(tree.cell, starts_at=at(2026, 12, 20, 19, 30))
    services.request_excuse(
        meeting=upcoming, member=tree.others[0], reason="Ốm, đang điều trị"
    )
    english(secretary_client)

    # Act
    page = body(secretary_client.get(HOME))

    # Assert
    assert 'id="home-officer"' in page
    assert "asks to be excused: “Ốm, đang điều trị”" in page
    edit = meeting_url("minutes-edit", writing.pk)
    assert f'Minutes to finish and adopt: <a href="{edit}">' in page
    assert "Signatures missing (Trần Thị Đảng Viên)" in page
    assert f'<a href="{meeting_url("minutes-submit", to_submit.pk)}">' in page
    assert "Thiếu tỷ lệ dự họp" in page
    assert 'id="home-prepare"' in page
    assert "20/12/2026" in page
    assert f'href="{meeting_url("meeting-prepare", upcoming.pk)}"' in page
    checklist = page[page.index('id="home-prepare"') :]
    assert "Notice sent to members" in checklist
    assert "Current-affairs briefer chosen" in checklist
    assert 'id="home-next-meeting"' not in page  # shown once, as its checklist


def test_committee_home_links_minutes_to_acknowledge_and_follow_ups(
    committee_client, tree, clock
):
    # Arrange: an October meeting whose supervisor raised a recommendation then
    clock(at(2026, 10, 10, 9, 0))
    october = make_meeting(tree.cell, starts_at=at(2026, 10, 6, 19, 30))
    minutes = fill_minutes(start(october), chair=tree.secretary, taker=tree.member)
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    evaluation_services.file_report(
        meeting=october,
        supervisor=tree.supervisor,
        attended=True,
        observations="Sinh hoạt nghiêm túc",
        recommendations=[
            {
                "text": "Sửa mái nhà văn hóa khối phố",
                "addressee": "Đảng ủy phường",
                "responsible": "Ủy ban nhân dân phường",
            }
        ],
    )
    # November: submitted, no supervisor report by the 10/11 deadline
    clock(at(2026, 12, 15, 9, 0))
    november, _m = tree_submitted(tree)
    english(committee_client)

    # Act
    page = body(committee_client.get(HOME))

    # Assert
    assert 'id="home-to-acknowledge"' in page
    assert f'<a href="{meeting_url("minutes-review", november.pk)}">' in page
    assert 'id="home-committee-watch"' in page
    assert "Overdue recommendation" in page
    assert "Sửa mái nhà văn hóa khối phố" in page
    assert "Report not filed, past due</a>: Hoàng Văn Theo Dõi" in page
    assert "(due 10/11/2026)" in page  # the first 10th after the meeting of 03/11


def test_supervisor_home_lists_meetings_followed_and_reports_due(
    supervisor_client, tree, clock
):
    # Arrange
    clock(at(2026, 11, 20, 9, 0))
    held, _m = tree_locked(tree, topic="Tháng 11 đã họp")  # 03/11/2026
    coming = make_meeting(
        tree.cell, starts_at=at(2026, 11, 28, 19, 30), topic="Sắp họp cuối tháng"
    )
    english(supervisor_client)

    # Act
    page = body(supervisor_client.get(HOME))

    # Assert
    following = page[page.index('id="home-following"') :]
    assert "Tháng 11 đã họp" in following
    assert "Sắp họp cuối tháng" in following
    assert f'href="{coming.get_absolute_url()}"' in following
    reports = page[page.index('id="home-my-reports"') :]
    assert f'href="{reverse("evaluations:report-file", args=[held.pk])}"' in reports
    assert "due 10/11/2026" in reports  # the first 10th after the meeting of 03/11


def test_committee_home_lists_cells_with_red_flags_this_month(
    committee_client, tree, clock
):
    # Arrange: a December meeting where a member was absent without a reason
    clock(at(2026, 12, 8, 21, 0))
    meeting = make_meeting(tree.cell, starts_at=at(2026, 12, 8, 19, 30))
    start(meeting)
    services.record_attendance(
        meeting=meeting,
        rows={tree.others[0].pk: {"status": "absent_unexcused", "reason": ""}},
        by=None,
    )
    rollup.refresh_cell_month(tree.cell.pk, date(2026, 12, 1))
    english(committee_client)

    # Act
    page = body(committee_client.get(HOME))

    # Assert: one click from the cell's dashboard for December
    watch = page[page.index('id="home-committee-watch"') :]
    link = reverse("evaluations:dashboard", args=[tree.cell.pk]) + "?period=2026-12"
    assert f'<a href="{link}">Chi bộ Khối phố 5</a>: ' in watch
    assert "Unexcused absences" in watch
    assert "Chi bộ Khối phố 2" not in watch.split("</section>")[0]


def test_secretary_home_lists_reports_and_recommendations_about_the_cell(
    secretary_client, tree, clock
):
    # Arrange
    clock(at(2026, 11, 10, 9, 0))
    meeting, _m = tree_locked(tree)
    report = evaluation_services.file_report(
        meeting=meeting,
        supervisor=tree.supervisor,
        attended=True,
        observations="Sinh hoạt nghiêm túc",
        recommendations=[
            {
                "text": "Bổ sung tủ sách cho chi bộ",
                "addressee": "Chi bộ Khối phố 5",
                "responsible": "Bí thư chi bộ",
            }
        ],
    )
    english(secretary_client)

    # Act
    page = body(secretary_client.get(HOME))

    # Assert
    section = page[page.index('id="home-cell-followup"') :]
    assert "Bổ sung tủ sách cho chi bộ" in section
    assert reverse("evaluations:report-detail", args=[report.pk]) in section
    assert "Supervisor&#x27;s report by Hoàng Văn Theo Dõi" in section or (
        "Supervisor's report by Hoàng Văn Theo Dõi" in section
    )


def _grow(tree, n):
    """n meetings in each state the home pages list, in the persona's reach."""
    for index in range(n):
        day = at(2026, 11, 3 + index % 20, 19, 30)
        meeting = make_meeting(tree.cell, starts_at=day, topic=f"Họp {index}")
        start(meeting)
        services.request_excuse(
            meeting=make_meeting(tree.cell, starts_at=at(2026, 12, 20 + index % 8)),
            member=tree.others[0],
            reason="Bận",
        )
        tree_submitted(tree)


@pytest.mark.parametrize(
    ("persona", "queries"),
    [("secretary", 26), ("member", 18), ("committee", 31), ("supervisor", 21)],
)
def test_home_queries_do_not_grow_with_meetings(
    persona_client, tree, clock, django_assert_num_queries, persona, queries
):
    # Arrange
    clock(at(2026, 12, 8, 9, 0))
    client = persona_client(persona)
    _grow(tree, 1)
    with django_assert_num_queries(queries):
        client.get(HOME)
    _grow(tree, 4)

    # Act / Assert
    with django_assert_num_queries(queries):
        response = client.get(HOME)
    assert response.status_code == 200
