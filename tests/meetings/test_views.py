"""Meeting views: every route of meetings/urls.py per persona (allowed, 403 inside
reach without the role, 404 outside reach, login for anonymous), what each page
shows, the htmx fragments, bad input, and query counts that do not grow with data.

The feed routes (calendar settings and the two .ics feeds) are covered by
test_feeds.py. In the access matrix every persona's request runs in a savepoint
that is rolled back, so each persona meets the same state.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from meetings import services
from meetings.models import (
    Addendum,
    Attendance,
    ExcuseRequest,
    Meeting,
    MeetingDocument,
    MeetingState,
    Minutes,
    Resolution,
    Vote,
    VoteKind,
)
from tests.factories import (
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    UserFactory,
)
from tests.meetings.helpers import (
    adopt_and_sign,
    at,
    english,
    fill_minutes,
    locked_meeting,
    make_meeting,
    pdf_bytes,
    reload,
    start,
    upload,
    url,
)

PERSONAS = ("secretary", "member", "committee", "supervisor", "outsider", "admin")
OK = "ok"  # 200 for GET, 302 for POST
READ = dict.fromkeys(PERSONAS, OK) | {"outsider": 404}
MANAGE = {
    "secretary": OK,
    "admin": OK,
    "member": 403,
    "committee": 403,  # committees read and review; they do not run a cell's meetings
    "supervisor": 403,
    "outsider": 404,
}
REVIEW = MANAGE | {"secretary": 403, "committee": OK}
SIGNERS = MANAGE | {"member": OK, "admin": 403}  # chair = secretary, taker = member
CELL_MEMBERS = SIGNERS  # only the cell's own members ask to be excused
DOWNLOAD = MANAGE | {"committee": OK}  # members wait until the documents are sent
EVERYONE = dict.fromkeys(PERSONAS, OK)


@dataclass
class Case:
    path: str
    data: Callable[[], dict] = dict
    # What a refused request must leave alone (read again after each request).
    probe: Callable[[], object] = lambda: None
    # Asserts after an allowed request: (response, persona).
    done: Callable[[object, str], None] = lambda response, persona: None


def topic_meeting(tree):
    return make_meeting(
        tree.cell, topic="Họp chi bộ tháng 11", place="Nhà văn hóa khu phố 5"
    )


def held_meeting(tree, conclusion="Kết luận riêng của chi bộ"):
    meeting = topic_meeting(tree)
    minutes = start(meeting)
    minutes = fill_minutes(
        minutes, chair=tree.secretary, taker=tree.member, conclusion=conclusion
    )
    return meeting, minutes


def locked(tree, **kw):
    kw.setdefault("topic", "Họp chi bộ tháng 11")
    return locked_meeting(tree.cell, chair=tree.secretary, taker=tree.member, **kw)


def minutes_post(minutes, **overrides):
    """The editor's POST data for `minutes`, as the page would send it."""
    data = {
        "version": minutes.version,
        "chair": minutes.chair_id or "",
        "minute_taker": minutes.minute_taker_id or "",
        "started_at": "03/11/2026 19:30",
        "ended_at": "03/11/2026 21:30",
        "opening": "Khai mạc lúc 19 giờ 30",
        "recommendations": "",
        "conclusion": "Kết luận mới",
    }
    for index, item in enumerate(minutes.items):
        data[f"items-{index}-title"] = item["title"]
        data[f"items-{index}-speakers"] = ""
        data[f"items-{index}-conclusion"] = ""
    data.update(overrides)
    return data


def attendance_post(meeting, overrides=None):
    data = {}
    for row in Attendance.objects.filter(meeting=meeting):
        data[f"m{row.member_id}_status"] = row.status
        data[f"m{row.member_id}_reason"] = row.reason
    for member, values in (overrides or {}).items():
        for key, value in values.items():
            data[f"m{member.pk}_{key}"] = value
    return data


def state_of(meeting):
    return lambda: reload(meeting).state


def body(response):
    return response.content.decode()


# --- one setup per route --------------------------------------------------------------


def my_meetings_get(tree, users):
    meeting = topic_meeting(tree)
    readers = {"secretary", "member", "supervisor"}

    def done(response, persona):
        assert (meeting.get_absolute_url() in body(response)) is (persona in readers)

    return Case(url("my-meetings"), done=done)


def plan_get(tree, users):
    services.generate_year_plan(cell=tree.cell, year=2026, by=None)
    meetings = list(Meeting.objects.filter(cell=tree.cell))

    def done(response, persona):
        assert all(m.get_absolute_url() in body(response) for m in meetings)
        assert ('id="generate-plan"' in body(response)) is (MANAGE[persona] == OK)

    return Case(url("plan", tree.cell.pk) + "?year=2026", done=done)


def plan_post(tree, users):
    def done(response, persona):
        assert response.url == url("plan", tree.cell.pk) + "?year=2026"
        assert Meeting.objects.filter(cell=tree.cell).count() == 16

    return Case(
        url("plan", tree.cell.pk) + "?year=2026",
        probe=lambda: Meeting.objects.count(),
        done=done,
    )


def meeting_create_get(tree, users):
    return Case(
        url("meeting-create", tree.cell.pk),
        done=lambda response, persona: 'name="starts_at"' in body(response),
    )


def meeting_create_post(tree, users):
    def done(response, persona):
        meeting = Meeting.objects.get(topic="Xét kết nạp đảng viên")
        assert response.url == meeting.get_absolute_url()
        assert (meeting.kind, meeting.starts_at, meeting.cell) == (
            "extraordinary",
            at(2026, 6, 15, 14),
            tree.cell,
        )

    return Case(
        url("meeting-create", tree.cell.pk),
        data=lambda: {
            "kind": "extraordinary",
            "starts_at": "15/06/2026 14:00",
            "place": "Hội trường",
            "topic": "Xét kết nạp đảng viên",
        },
        probe=lambda: Meeting.objects.count(),
        done=done,
    )


def books_get(tree, users):
    meeting, _minutes = locked(tree)
    services.issue_resolution(meeting=meeting, title="NQ tháng 11", text="…", by=None)

    def done(response, persona):
        assert "Số 01-NQ/CB" in body(response)
        assert meeting.get_absolute_url() in body(response)

    return Case(url("books", tree.cell.pk), done=done)


def meeting_detail_get(tree, users):
    meeting = topic_meeting(tree)

    def done(response, persona):
        assert "Họp chi bộ tháng 11" in body(response)
        assert escape(meeting.agenda[0]["title"]) in body(response)

    return Case(meeting.get_absolute_url(), done=done)


def prepare_get(tree, users):
    meeting = topic_meeting(tree)
    return Case(
        url("meeting-prepare", meeting.pk),
        done=lambda response, persona: 'id="prepare-form"' in body(response),
    )


def prepare_post(tree, users):
    meeting = topic_meeting(tree)

    def done(response, persona):
        saved = reload(meeting)
        assert response.url == meeting.get_absolute_url()
        assert (saved.topic, saved.agenda, saved.preparer) == (
            "Chủ đề mới",
            [{"title": "Khai mạc"}, {"title": "Thảo luận"}],
            tree.others[0],
        )

    return Case(
        url("meeting-prepare", meeting.pk),
        data=lambda: {
            "place": "Hội trường",
            "topic": "Chủ đề mới",
            "agenda_text": "Khai mạc\n\n  Thảo   luận \n",
            "preparer": tree.others[0].pk,
            "draft_resolution": "Dự thảo",
        },
        probe=lambda: (reload(meeting).topic, reload(meeting).agenda),
        done=done,
    )


def reschedule_get(tree, users):
    meeting = topic_meeting(tree)
    return Case(
        url("meeting-reschedule", meeting.pk),
        done=lambda response, persona: 'value="03/11/2026 19:30"' in body(response),
    )


def reschedule_post(tree, users):
    meeting = topic_meeting(tree)

    def done(response, persona):
        assert reload(meeting).starts_at == at(2026, 11, 5, 18)
        assert meeting.changes.get().reason == "Trùng lịch"

    return Case(
        url("meeting-reschedule", meeting.pk),
        data=lambda: {
            "starts_at": "05/11/2026 18:00",
            "place": "Nhà văn hóa",
            "reason": "Trùng lịch",
        },
        probe=lambda: reload(meeting).starts_at,
        done=done,
    )


def cancel_get(tree, users):
    meeting = topic_meeting(tree)
    return Case(
        url("meeting-cancel", meeting.pk),
        done=lambda response, persona: 'name="reason"' in body(response),
    )


def cancel_post(tree, users):
    meeting = topic_meeting(tree)

    def done(response, persona):
        assert (reload(meeting).state, reload(meeting).cancel_reason) == (
            "cancelled",
            "Bão",
        )

    return Case(
        url("meeting-cancel", meeting.pk),
        data=lambda: {"reason": "Bão"},
        probe=state_of(meeting),
        done=done,
    )


def notify_post(tree, users):
    meeting = topic_meeting(tree)
    return Case(
        url("meeting-notify", meeting.pk),
        probe=state_of(meeting),
        done=lambda response, persona: reload(meeting).state == "notified",
    )


def start_post(tree, users):
    meeting = topic_meeting(tree)

    def done(response, persona):
        assert response.url == url("attendance", meeting.pk)
        assert reload(meeting).state == "held"
        assert Attendance.objects.filter(meeting=meeting).count() == 5

    return Case(url("meeting-start", meeting.pk), probe=state_of(meeting), done=done)


def upload_post(tree, users):
    meeting = topic_meeting(tree)

    def done(response, persona):
        assert response.url == url("meeting-prepare", meeting.pk)
        document = MeetingDocument.objects.get(meeting=meeting)
        assert (document.title, document.content_type) == (
            "Dự thảo nghị quyết",
            "application/pdf",
        )

    return Case(
        url("document-upload", meeting.pk),
        data=lambda: {
            "title": "Dự thảo nghị quyết",
            "file": upload("du-thao.pdf", pdf_bytes()),
        },
        probe=lambda: MeetingDocument.objects.count(),
        done=done,
    )


def with_document(tree):
    meeting = topic_meeting(tree)
    document = services.add_document(
        meeting=meeting,
        upload=upload("du-thao.pdf", pdf_bytes()),
        title="Dự thảo",
        by=None,
    )
    return meeting, document


def documents_sent_post(tree, users):
    meeting, _document = with_document(tree)
    return Case(
        url("documents-sent", meeting.pk),
        probe=lambda: reload(meeting).documents_sent_at,
        done=lambda response, persona: reload(meeting).documents_sent_at is not None,
    )


def download_get(tree, users):
    _meeting, document = with_document(tree)

    def done(response, persona):
        assert b"".join(response.streaming_content) == pdf_bytes()
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == ('attachment; filename="du-thao.pdf"')
        assert response["X-Content-Type-Options"] == "nosniff"

    return Case(url("document-download", document.pk), done=done)


def excuse_request_post(tree, users):
    meeting = topic_meeting(tree)

    def done(response, persona):
        excuse = ExcuseRequest.objects.get(meeting=meeting)
        assert (excuse.member, excuse.reason) == (
            getattr(tree, persona),
            "Đi công tác",
        )

    return Case(
        url("excuse-request", meeting.pk),
        data=lambda: {"reason": "Đi công tác"},
        probe=lambda: ExcuseRequest.objects.count(),
        done=done,
    )


def excuse_decide_post(tree, users):
    meeting = topic_meeting(tree)
    excuse = services.request_excuse(
        meeting=meeting, member=tree.others[0], reason="Ốm"
    )
    return Case(
        url("excuse-decide", excuse.pk),
        data=lambda: {"decision": "accept"},
        probe=lambda: ExcuseRequest.objects.get(pk=excuse.pk).status,
        done=lambda response, persona: (
            ExcuseRequest.objects.get(pk=excuse.pk).status == "accepted"
        ),
    )


def guest_post(tree, users):
    meeting, _minutes = held_meeting(tree)

    def done(response, persona):
        assert response.url == url("attendance", meeting.pk)
        guest = meeting.guests.get()
        assert (guest.name, guest.role, guest.title) == (
            "Nguyễn Văn Cấp Trên",
            "superior",
            "Đảng ủy phường",
        )

    return Case(
        url("guest-add", meeting.pk),
        data=lambda: {
            "name": " Nguyễn  Văn Cấp Trên ",
            "role": "superior",
            "title": "Đảng ủy phường",
        },
        probe=lambda: meeting.guests.count(),
        done=done,
    )


def attendance_get(tree, users):
    meeting, _minutes = held_meeting(tree)

    def done(response, persona):
        assert 'id="attendance-counts"' in body(response)
        assert escape(tree.member.full_name) in body(response)
        assert f'name="m{tree.member.pk}_status"' in body(response)

    return Case(url("attendance", meeting.pk), done=done)


def attendance_post_case(tree, users):
    meeting, _minutes = held_meeting(tree)
    row = Attendance.objects.filter(meeting=meeting, member=tree.member)

    def done(response, persona):
        assert response.url == url("attendance", meeting.pk)
        assert row.get().status == "absent_unexcused"

    return Case(
        url("attendance", meeting.pk),
        data=lambda: attendance_post(
            meeting, {tree.member: {"status": "absent_unexcused"}}
        ),
        probe=lambda: row.get().status,
        done=done,
    )


def minutes_get(tree, users):
    meeting, _minutes = held_meeting(tree)
    return Case(
        url("minutes-edit", meeting.pk),
        done=lambda response, persona: 'id="minutes-form"' in body(response),
    )


def minutes_post_case(tree, users):
    meeting, minutes = held_meeting(tree)

    def done(response, persona):
        saved = Minutes.objects.get(pk=minutes.pk)
        assert (saved.version, saved.conclusion) == (3, "Kết luận mới")

    return Case(
        url("minutes-edit", meeting.pk),
        data=lambda: minutes_post(minutes),
        probe=lambda: Minutes.objects.get(pk=minutes.pk).version,
        done=done,
    )


def vote_post(tree, users):
    meeting, minutes = held_meeting(tree)

    def done(response, persona):
        vote = Vote.objects.get(minutes=minutes)
        assert (vote.yes, vote.denominator, vote.passed) == (4, 5, True)

    return Case(
        url("vote-add", meeting.pk),
        data=lambda: {
            "subject": "Nghị quyết tháng",
            "kind": "resolution",
            "yes": "4",
            "no": "1",
            "abstain": "0",
        },
        probe=lambda: Vote.objects.count(),
        done=done,
    )


def adopt_post(tree, users):
    meeting, minutes = held_meeting(tree)
    return Case(
        url("minutes-adopt", meeting.pk),
        probe=lambda: Minutes.objects.get(pk=minutes.pk).adopted_at,
        done=lambda response, persona: (
            Minutes.objects.get(pk=minutes.pk).adopted_at is not None
        ),
    )


def signatures(minutes_or_addendum):
    minutes_or_addendum.refresh_from_db()
    return (minutes_or_addendum.chair_signed_at, minutes_or_addendum.taker_signed_at)


def sign_post(tree, users):
    meeting, minutes = held_meeting(tree)
    services.adopt_minutes(minutes=minutes, by=None)

    def done(response, persona):
        chair, taker = signatures(minutes)
        assert (chair is not None, taker is not None) == (
            persona == "secretary",
            persona == "member",
        )

    return Case(
        url("minutes-sign", meeting.pk),
        probe=lambda: signatures(minutes),
        done=done,
    )


def lock_post(tree, users):
    meeting, minutes = held_meeting(tree)
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    return Case(
        url("minutes-lock", meeting.pk),
        probe=state_of(meeting),
        done=lambda response, persona: (
            Minutes.objects.get(pk=minutes.pk).locked_at is not None
            and reload(meeting).state == "locked"
        ),
    )


def submit_post(tree, users):
    meeting, _minutes = locked(tree)
    return Case(
        url("minutes-submit", meeting.pk),
        probe=state_of(meeting),
        done=lambda response, persona: reload(meeting).state == "submitted",
    )


def submitted(tree):
    meeting, minutes = locked(tree)
    services.submit_minutes(meeting=meeting, by=None)
    return meeting, minutes


def review_get(tree, users):
    meeting, _minutes = submitted(tree)
    return Case(
        url("minutes-review", meeting.pk),
        done=lambda response, persona: 'name="decision"' in body(response),
    )


def review_post(tree, users):
    meeting, _minutes = submitted(tree)

    def done(response, persona):
        reviewed = reload(meeting)
        assert (reviewed.state, reviewed.reviewed_by) == (
            "acknowledged",
            getattr(users, persona),
        )

    return Case(
        url("minutes-review", meeting.pk),
        data=lambda: {"decision": "acknowledge", "comment": ""},
        probe=state_of(meeting),
        done=done,
    )


def addendum_get(tree, users):
    meeting, _minutes = locked(tree)
    return Case(
        url("addendum-add", meeting.pk),
        done=lambda response, persona: 'name="text"' in body(response),
    )


def addendum_post(tree, users):
    meeting, minutes = locked(tree)
    return Case(
        url("addendum-add", meeting.pk),
        data=lambda: {"text": "Bổ sung tên người phát biểu"},
        probe=lambda: Addendum.objects.count(),
        done=lambda response, persona: (
            Addendum.objects.get(minutes=minutes).text == "Bổ sung tên người phát biểu"
        ),
    )


def addendum_sign_post(tree, users):
    _meeting, minutes = locked(tree)
    addendum = services.add_addendum(minutes=minutes, text="Bổ sung", by=None)

    def done(response, persona):
        chair, taker = signatures(addendum)
        assert (chair is not None, taker is not None) == (
            persona == "secretary",
            persona == "member",
        )

    return Case(
        url("addendum-sign", addendum.pk),
        probe=lambda: signatures(addendum),
        done=done,
    )


def resolution_get(tree, users):
    meeting, _minutes = locked(tree, conclusion="Kết luận để làm nghị quyết")
    return Case(
        url("resolution-issue", meeting.pk),
        done=lambda response, persona: "Kết luận để làm nghị quyết" in body(response),
    )


def resolution_post(tree, users):
    meeting, _minutes = locked(tree)
    return Case(
        url("resolution-issue", meeting.pk),
        data=lambda: {"title": "Nghị quyết tháng 11", "text": "Nội dung"},
        probe=lambda: Resolution.objects.count(),
        done=lambda response, persona: (
            Resolution.objects.get(meeting=meeting).number == "Số 01-NQ/CB"
        ),
    )


ROUTES = [
    ("my-meetings", "get", EVERYONE, my_meetings_get),
    ("plan", "get", READ, plan_get),
    ("plan", "post", MANAGE, plan_post),
    ("meeting-create", "get", MANAGE, meeting_create_get),
    ("meeting-create", "post", MANAGE, meeting_create_post),
    ("books", "get", READ, books_get),
    ("meeting-detail", "get", READ, meeting_detail_get),
    ("meeting-prepare", "get", MANAGE, prepare_get),
    ("meeting-prepare", "post", MANAGE, prepare_post),
    ("meeting-reschedule", "get", MANAGE, reschedule_get),
    ("meeting-reschedule", "post", MANAGE, reschedule_post),
    ("meeting-cancel", "get", MANAGE, cancel_get),
    ("meeting-cancel", "post", MANAGE, cancel_post),
    ("meeting-notify", "post", MANAGE, notify_post),
    ("meeting-start", "post", MANAGE, start_post),
    ("document-upload", "post", MANAGE, upload_post),
    ("documents-sent", "post", MANAGE, documents_sent_post),
    ("document-download", "get", DOWNLOAD, download_get),
    ("excuse-request", "post", CELL_MEMBERS, excuse_request_post),
    ("excuse-decide", "post", MANAGE, excuse_decide_post),
    ("guest-add", "post", MANAGE, guest_post),
    ("attendance", "get", MANAGE, attendance_get),
    ("attendance", "post", MANAGE, attendance_post_case),
    ("minutes-edit", "get", MANAGE, minutes_get),
    ("minutes-edit", "post", MANAGE, minutes_post_case),
    ("vote-add", "post", MANAGE, vote_post),
    ("minutes-adopt", "post", MANAGE, adopt_post),
    ("minutes-sign", "post", SIGNERS, sign_post),
    ("minutes-lock", "post", MANAGE, lock_post),
    ("minutes-submit", "post", MANAGE, submit_post),
    ("minutes-review", "get", REVIEW, review_get),
    ("minutes-review", "post", REVIEW, review_post),
    ("addendum-add", "get", MANAGE, addendum_get),
    ("addendum-add", "post", MANAGE, addendum_post),
    ("addendum-sign", "post", SIGNERS, addendum_sign_post),
    ("resolution-issue", "get", MANAGE, resolution_get),
    ("resolution-issue", "post", MANAGE, resolution_post),
]


def test_every_route_is_in_the_matrix():
    from meetings.urls import urlpatterns

    feeds = {"calendar", "personal-feed", "cell-feed"}
    # Their access is tested in tests/meetings/notify/test_views.py.
    notifications = {
        "notifications",
        "notification-badge",
        "notification-preferences",
        "unsubscribe",
        "unsubscribe-one-click",
        "meeting-notifications",
    }
    # Their access is tested in tests/meetings/pdf/ and the access matrix.
    pdfs = {
        "minutes-pdf",
        "resolution-pdf",
        "topic-cover-pdf",
        "minutes-pdf-status",
        "minutes-pdf-retry",
        "minutes-chain",
        "minute-book",
        "minute-books-export",
        "minute-book-job",
        "minute-book-download",
    }
    names = {p.name for p in urlpatterns} - feeds - notifications - pdfs
    assert names == {name for name, *_ in ROUTES}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("name", "method", "access", "setup"),
    ROUTES,
    ids=[f"{method}-{name}" for name, method, *_ in ROUTES],
)
def test_route_access_per_persona(
    persona_client, tree, users, media, name, method, access, setup
):
    # Arrange
    case = setup(tree, users)
    before = case.probe()

    for persona in (*PERSONAS, "anonymous"):
        client = persona_client(persona)
        with transaction.atomic():
            # Act
            send = getattr(client, method)
            response = (
                send(case.path, case.data()) if method == "post" else send(case.path)
            )

            # Assert
            where = f"{persona} {method.upper()} {name}"
            expected = access.get(persona)
            if persona == "anonymous":
                assert response.status_code == 302, where
                login, query = urlsplit(response.url)[2], urlsplit(response.url)[3]
                assert login == "/accounts/login/", where
                assert parse_qs(query)["next"] == [case.path], where
                assert case.probe() == before, where
            elif expected == OK:
                assert response.status_code == (200 if method == "get" else 302), (
                    where,
                    response.status_code,
                )
                assert case.done(response, persona) is not False, where
            else:
                assert response.status_code == expected, where
                assert case.probe() == before, where
            transaction.set_rollback(True)


@pytest.mark.parametrize(
    "name",
    [
        "meeting-notify",
        "meeting-start",
        "document-upload",
        "documents-sent",
        "excuse-request",
        "guest-add",
        "vote-add",
        "minutes-adopt",
        "minutes-sign",
        "minutes-lock",
        "minutes-submit",
    ],
)
def test_post_only_routes_refuse_get(secretary_client, tree, name):
    # Arrange
    meeting = topic_meeting(tree)

    # Act
    response = secretary_client.get(url(name, meeting.pk))

    # Assert
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert reload(meeting).state == MeetingState.PLANNED


def test_plan_of_a_committee_is_404(committee_client, tree):
    # Act
    response = committee_client.get(url("plan", tree.ward.pk))

    # Assert
    assert response.status_code == 404


# --- what the pages show --------------------------------------------------------------


def test_plan_page_lists_the_generated_meetings(secretary_client, tree):
    # Arrange
    english(secretary_client)
    secretary_client.post(url("plan", tree.cell.pk) + "?year=2026")

    # Act
    response = secretary_client.get(url("plan", tree.cell.pk) + "?year=2026")

    # Assert
    html = body(response)
    meetings = Meeting.objects.filter(cell=tree.cell).order_by("starts_at", "pk")
    assert meetings.count() == 16
    positions = [html.index(f'href="{m.get_absolute_url()}"') for m in meetings]
    assert positions == sorted(positions)  # in date order
    assert "Regular meeting of 11/2026" in html
    assert "Thematic meeting, quarter 4/2026" in html
    assert "Quarters without a thematic meeting" not in html
    assert html.count("<tr") == 17  # header + 16 meetings


def test_plan_page_warns_about_quarters_without_thematic(member_client, tree):
    # Arrange
    make_meeting(tree.cell, starts_at=at(2026, 5, 10), kind="thematic")
    make_meeting(tree.cell, starts_at=at(2026, 1, 3))
    english(member_client)

    # Act
    response = member_client.get(url("plan", tree.cell.pk) + "?year=2026")

    # Assert
    assert "Quarters without a thematic meeting: 1, 3, 4" in body(response)
    assert 'id="generate-plan"' not in body(response)


def test_plan_page_bad_year_falls_back_to_this_year(member_client, tree):
    # Act
    response = member_client.get(url("plan", tree.cell.pk) + "?year=abc")

    # Assert
    assert response.status_code == 200
    assert response.context["year"] == response.context["years"][1]
    assert 2000 <= response.context["year"] <= 2100


def test_meeting_page_shows_the_agenda(member_client, tree):
    # Arrange
    meeting = topic_meeting(tree)

    # Act
    response = member_client.get(meeting.get_absolute_url())

    # Assert
    html = body(response)
    assert len(meeting.agenda) == 16
    for item in meeting.agenda:
        assert f"<li>{escape(item['title'])}</li>" in html
    assert "Nhà văn hóa khu phố 5" in html
    assert url("excuse-request", meeting.pk) in html  # a member may ask to be excused
    assert 'id="meeting-actions"' not in html  # but not run the meeting


def test_documents_hidden_from_members_until_sent(
    member_client, supervisor_client, secretary_client, tree, media
):
    # Arrange
    meeting, document = with_document(tree)
    services.update_meeting(meeting=meeting, by=None, draft_resolution="Dự thảo kín")
    link = url("document-download", document.pk)

    # Act / Assert: before sending
    for client in (member_client, supervisor_client):
        page = body(client.get(meeting.get_absolute_url()))
        assert link not in page
        assert "Dự thảo kín" not in page
        assert client.get(link).status_code == 403
    assert link in body(secretary_client.get(meeting.get_absolute_url()))

    secretary_client.post(url("documents-sent", meeting.pk))

    # after sending
    for client in (member_client, supervisor_client):
        page = body(client.get(meeting.get_absolute_url()))
        assert link in page
        assert "Dự thảo kín" in page
        response = client.get(link)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf_bytes()


def test_member_sees_minutes_only_after_lock(
    member_client, secretary_client, committee_client, tree
):
    # Arrange
    meeting, minutes = held_meeting(tree, conclusion="Kết luận riêng của chi bộ")
    services.record_vote(
        minutes=minutes,
        subject="Biểu quyết bí mật",
        kind=VoteKind.RESOLUTION,
        yes=5,
        no=0,
        abstain=0,
    )

    # Act / Assert: before the lock only the cell's officers read the draft
    for client in (member_client, committee_client):
        page = body(client.get(meeting.get_absolute_url()))
        assert "Kết luận riêng của chi bộ" not in page
        assert "Biểu quyết bí mật" not in page
        assert 'id="agenda-heading"' in page
    assert 'id="minutes-conclusion"' in body(
        secretary_client.get(meeting.get_absolute_url())
    )

    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    services.lock_minutes(minutes=minutes, by=None)

    # after the lock everyone in reach reads them
    for client in (member_client, committee_client):
        page = body(client.get(meeting.get_absolute_url()))
        assert '<p id="minutes-conclusion">Kết luận riêng của chi bộ</p>' in page
        assert "Biểu quyết bí mật" in page


def test_my_meetings_search_finds_by_conclusion(member_client, tree):
    # Arrange
    roads, _ = locked(
        tree,
        conclusion="Vận động làm đường bê tông",
        topic="Tháng 10",
        starts_at=at(2026, 10, 3),
    )
    storm, _ = locked(
        tree,
        conclusion="Phòng chống bão lụt",
        topic="Tháng 11",
        starts_at=at(2026, 11, 3),
    )
    upcoming = make_meeting(tree.cell, starts_at=at(2026, 12, 3), topic="Tháng 12")

    # Act
    found = body(member_client.get(url("my-meetings") + "?q=bão lụt"))
    everything = body(member_client.get(url("my-meetings")))
    nothing = body(member_client.get(url("my-meetings") + "?q=không có"))

    # Assert
    records = found.split('id="records"')[1]
    assert storm.get_absolute_url() in records
    assert roads.get_absolute_url() not in records
    all_records = everything.split('id="records"')[1]
    assert all_records.index(storm.get_absolute_url()) < all_records.index(
        roads.get_absolute_url()
    )  # newest first
    assert upcoming.get_absolute_url() in everything.split('id="records"')[0]
    assert "/meetings/" not in nothing.split('id="records"')[1].split("</ul>")[0]


def test_books_list_locked_minutes_and_resolution_numbers(member_client, tree):
    # Arrange
    first, _ = locked(tree, topic="Họp tháng 10", starts_at=at(2026, 10, 3))
    second, _ = locked(tree, topic="Họp tháng 11", starts_at=at(2026, 11, 3))
    draft, _ = held_meeting(tree)
    services.issue_resolution(meeting=first, title="NQ tháng 10", text="…", by=None)
    services.issue_resolution(meeting=second, title="NQ tháng 11", text="…", by=None)

    # Act
    html = body(member_client.get(url("books", tree.cell.pk)))

    # Assert
    minute_book = html.split('id="minute-book"')[1].split("</table>")[0]
    assert minute_book.index(first.get_absolute_url()) < minute_book.index(
        second.get_absolute_url()
    )
    assert draft.get_absolute_url() not in minute_book
    resolution_book = html.split('id="resolution-book"')[1]
    assert "<strong>Số 01-NQ/CB</strong> (03/10/2026)" in resolution_book
    assert "<strong>Số 02-NQ/CB</strong> (03/11/2026)" in resolution_book


def test_books_with_an_impossible_year_does_not_fail(member_client, tree):
    # Act
    response = member_client.get(url("books", tree.cell.pk) + "?year=10000")

    # Assert
    assert response.status_code == 200
    assert response.context["year"] is None


def test_books_filter_by_year(member_client, tree):
    # Arrange
    old, _ = locked(tree, starts_at=at(2025, 12, 3))
    new, _ = locked(tree, starts_at=at(2026, 1, 5))

    # Act
    html = body(member_client.get(url("books", tree.cell.pk) + "?year=2026"))

    # Assert
    minute_book = html.split('id="minute-book"')[1].split("</table>")[0]
    assert new.get_absolute_url() in minute_book
    assert old.get_absolute_url() not in minute_book


# --- htmx -----------------------------------------------------------------------------


def test_attendance_htmx_returns_only_the_counts(secretary_client, tree):
    # Arrange
    meeting, _minutes = held_meeting(tree)
    data = attendance_post(
        meeting,
        {
            tree.member: {"status": "absent_unexcused"},
            tree.others[0]: {"spoke": "on"},
            tree.others[1]: {"spoke": "on"},
        },
    )

    # Act
    response = secretary_client.post(
        url("attendance", meeting.pk), data, HTTP_HX_REQUEST="true"
    )

    # Assert
    html = body(response).strip()
    assert response.status_code == 200
    assert html.startswith('<div id="attendance-counts" aria-live="polite">')
    assert "<form" not in html
    assert "<html" not in html
    values = [
        part.split("</span>")[0] for part in html.split('class="stat-value">')[1:]
    ]
    assert values == ["4/5", "80%", "0", "1", "50%"]
    assert Attendance.objects.get(meeting=meeting, member=tree.member).status == (
        "absent_unexcused"
    )


def test_attendance_htmx_invalid_keeps_data_and_says_not_saved(secretary_client, tree):
    # Arrange
    meeting, _minutes = held_meeting(tree)
    english(secretary_client)
    data = attendance_post(meeting, {tree.member: {"status": "absent_excused"}})

    # Act
    htmx = secretary_client.post(
        url("attendance", meeting.pk), data, HTTP_HX_REQUEST="true"
    )
    full = secretary_client.post(url("attendance", meeting.pk), data)

    # Assert
    assert htmx.status_code == 200
    assert "Not saved yet: give the reason of each excused absence." in body(htmx)
    assert full.status_code == 200
    assert "Give the reason." in body(full)
    assert (
        '<option value="absent_excused" selected>Absent with reason</option>'
        in body(full)
    )
    assert Attendance.objects.get(meeting=meeting, member=tree.member).status == (
        "present"
    )


def test_minutes_autosave_returns_status_and_new_version(secretary_client, tree):
    # Arrange
    meeting, minutes = held_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("minutes-edit", meeting.pk),
        minutes_post(minutes, conclusion="Tự động lưu"),
        HTTP_HX_REQUEST="true",
    )

    # Assert
    html = body(response)
    assert response.status_code == 200
    assert (
        '<input type="hidden" name="version" id="id_version" value="3" '
        'data-hx-swap-oob="true">'
    ) in html
    assert 'id="autosave-status" data-hx-swap-oob="true"' in html
    assert "(version 3)" in html
    assert "<html" not in html
    assert Minutes.objects.get(pk=minutes.pk).conclusion == "Tự động lưu"


def test_minutes_autosave_stale_version_is_409(secretary_client, tree):
    # Arrange: someone saved version 2 → 3 since this editor loaded version 2
    meeting, minutes = held_meeting(tree)
    stale = minutes_post(minutes, conclusion="Bản của tôi")
    services.save_minutes(
        minutes=minutes, version=minutes.version, by=None, conclusion="Bản khác"
    )
    english(secretary_client)

    # Act
    htmx = secretary_client.post(
        url("minutes-edit", meeting.pk), stale, HTTP_HX_REQUEST="true"
    )
    full = secretary_client.post(url("minutes-edit", meeting.pk), stale)

    # Assert
    assert htmx.status_code == 409
    assert "Someone else saved these minutes (version 3)." in body(htmx)
    assert 'value="3"' in body(htmx)  # the new version for the next try
    assert full.status_code == 409
    assert "Nothing was overwritten" in body(full)
    assert "Bản của tôi" in body(full)  # the typed text is still there
    assert Minutes.objects.get(pk=minutes.pk).conclusion == "Bản khác"


def test_minutes_autosave_invalid_is_422(secretary_client, tree):
    # Arrange
    meeting, minutes = held_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("minutes-edit", meeting.pk),
        minutes_post(minutes, ended_at="03/11/2026 18:00"),
        HTTP_HX_REQUEST="true",
    )

    # Assert
    assert response.status_code == 422
    assert "Not saved: check the highlighted fields." in body(response)
    assert Minutes.objects.get(pk=minutes.pk).version == minutes.version


# --- bad input never 500s and keeps what was typed ------------------------------------


def test_reschedule_without_reason_keeps_typed_values(secretary_client, tree):
    # Arrange
    meeting = topic_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("meeting-reschedule", meeting.pk),
        {"starts_at": "05/11/2026 18:00", "place": "Hội trường UBND", "reason": ""},
    )

    # Assert
    html = body(response)
    assert response.status_code == 200
    assert "This field is required." in html
    assert 'value="05/11/2026 18:00"' in html
    assert 'value="Hội trường UBND"' in html
    assert reload(meeting).starts_at == at(2026, 11, 3, 19, 30)


def test_reschedule_held_meeting_shows_the_refusal(secretary_client, tree):
    # Arrange
    meeting, _minutes = held_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("meeting-reschedule", meeting.pk),
        {"starts_at": "05/11/2026 18:00", "place": "", "reason": "Trùng lịch"},
    )

    # Assert
    assert response.status_code == 200
    assert "Only a planned or notified meeting can be moved." in body(response)
    assert 'value="Trùng lịch"' in body(response)


def test_vote_with_letters_is_refused_without_error(secretary_client, tree):
    # Arrange
    meeting, _minutes = held_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("vote-add", meeting.pk),
        {"subject": "Nghị quyết", "kind": "resolution", "yes": "bốn", "no": "x"},
        follow=True,
    )

    # Assert: the editor again (today through a redirect), with the error
    assert response.status_code in {200, 422}
    assert 'id="minutes-form"' in body(response)
    assert "Enter a whole number." in body(response)
    assert not Vote.objects.exists()


def test_vote_with_letters_keeps_typed_values(secretary_client, tree):
    # Arrange
    meeting, _minutes = held_meeting(tree)

    # Act
    response = secretary_client.post(
        url("vote-add", meeting.pk),
        {"subject": "Nghị quyết về đường", "kind": "admission", "yes": "bốn"},
    )

    # Assert
    html = body(response)
    assert response.status_code in {200, 422}
    assert 'value="Nghị quyết về đường"' in html
    assert 'value="bốn"' in html


def test_vote_over_the_present_count_shows_the_refusal(secretary_client, tree):
    # Arrange
    meeting, _minutes = held_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("vote-add", meeting.pk),
        {"subject": "NQ", "kind": "resolution", "yes": "5", "no": "1", "abstain": "0"},
        follow=True,
    )

    # Assert
    assert "6 votes counted but only 5 official members are present." in body(response)
    assert not Vote.objects.exists()


def test_minutes_end_before_start_keeps_typed_values(secretary_client, tree):
    # Arrange
    meeting, minutes = held_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("minutes-edit", meeting.pk),
        minutes_post(
            minutes,
            started_at="03/11/2026 21:00",
            ended_at="03/11/2026 19:00",
            conclusion="Nội dung đang gõ",
        ),
    )

    # Assert
    html = body(response)
    assert response.status_code == 200
    assert "The end must be after the start." in html
    assert 'value="03/11/2026 21:00"' in html
    assert 'value="03/11/2026 19:00"' in html
    assert "Nội dung đang gõ" in html
    assert Minutes.objects.get(pk=minutes.pk).version == minutes.version


def test_meeting_create_with_a_bad_date_keeps_typed_values(secretary_client, tree):
    # Arrange
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("meeting-create", tree.cell.pk),
        {"kind": "extraordinary", "starts_at": "31/02/2026 25:00", "topic": "Kết nạp"},
    )

    # Assert
    assert response.status_code == 200
    assert "Enter a valid date/time." in body(response)
    assert 'value="Kết nạp"' in body(response)
    assert not Meeting.objects.exists()


def test_review_return_without_comment_asks_why(committee_client, tree):
    # Arrange
    meeting, _minutes = submitted(tree)
    english(committee_client)

    # Act
    response = committee_client.post(
        url("minutes-review", meeting.pk), {"decision": "return", "comment": " "}
    )

    # Assert
    assert response.status_code == 200
    assert "Say why the minutes are returned." in body(response)
    assert reload(meeting).state == MeetingState.SUBMITTED


def test_resolution_before_lock_shows_the_refusal(secretary_client, tree):
    # Arrange
    meeting, _minutes = held_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("resolution-issue", meeting.pk), {"title": "NQ", "text": "Nội dung NQ"}
    )

    # Assert
    assert response.status_code == 200
    assert "Lock the minutes before issuing the resolution." in body(response)
    assert "Nội dung NQ" in body(response)
    assert not Resolution.objects.exists()


def test_upload_of_a_renamed_program_is_refused(secretary_client, tree, media):
    # Arrange
    meeting = topic_meeting(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        url("document-upload", meeting.pk),
        {"title": "", "file": upload("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 60)},
        follow=True,
    )

    # Assert
    assert response.status_code == 200
    assert "Only PDF, Word, Excel, PowerPoint, PNG and JPEG files." in body(response)
    assert not MeetingDocument.objects.exists()


def test_excuse_without_reason_is_refused(member_client, tree):
    # Arrange
    meeting = topic_meeting(tree)
    english(member_client)

    # Act
    response = member_client.post(
        url("excuse-request", meeting.pk), {"reason": ""}, follow=True
    )

    # Assert
    assert response.status_code == 200
    assert "Give the reason for your absence." in body(response)
    assert not ExcuseRequest.objects.exists()


def test_attendance_before_start_redirects_to_the_meeting(secretary_client, tree):
    # Arrange
    meeting = topic_meeting(tree)

    # Act
    response = secretary_client.get(url("attendance", meeting.pk))

    # Assert
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()


def test_minutes_editor_closes_after_adoption(secretary_client, tree):
    # Arrange
    meeting, minutes = held_meeting(tree)
    services.adopt_minutes(minutes=minutes, by=None)

    # Act
    response = secretary_client.post(
        url("minutes-edit", meeting.pk), minutes_post(minutes, conclusion="Muộn")
    )

    # Assert
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert Minutes.objects.get(pk=minutes.pk).conclusion != "Muộn"


# --- query counts do not grow with the data -------------------------------------------


def populate(tree, *, members, meetings):
    """A cell with `members` members whose secretary has a user, `meetings` locked
    meetings (each with that many votes, reserved opinions, addenda, documents,
    guests, changes and a resolution), as many planned ones and one held meeting."""
    cell = OrganizationFactory(name="Chi bộ Đo Đếm", parent=tree.ward)
    secretary = MemberFactory(organization=cell, full_name="Bí Thư Đo")
    PositionFactory(member=secretary, organization=cell)
    user = UserFactory(member=secretary)
    people = [MemberFactory(organization=cell) for _ in range(members - 1)]
    taker = people[0]
    for index in range(meetings):
        meeting = make_meeting(
            cell,
            starts_at=at(2026, 1 + index, 3),
            topic=f"Họp {index}",
            kind="thematic",
            preparer=people[1],
            news_briefer=people[0],
            presenter=secretary,
        )
        meeting.contributors.set(people[:meetings])
        services.reschedule_meeting(
            meeting=meeting, starts_at=at(2026, 1 + index, 4), reason="Lùi", by=user
        )
        for n in range(meetings):
            services.request_excuse(meeting=meeting, member=people[n], reason="Bận")
            meeting.guests.create(name=f"Khách {n}", role="superior")
            services.add_document(
                meeting=meeting,
                upload=upload(f"tai-lieu-{n}.pdf", pdf_bytes()),
                title=f"Tài liệu {n}",
                by=user,
            )
        minutes = start(meeting)
        minutes = fill_minutes(minutes, chair=secretary, taker=taker)
        for n in range(meetings):
            services.record_vote(
                minutes=minutes,
                subject=f"Biểu quyết {n}",
                kind=VoteKind.RESOLUTION,
                yes=2,
                no=0,
                abstain=0,
                reserved=[(people[n], "Bảo lưu")],
            )
        adopt_and_sign(minutes, chair=secretary, taker=taker)
        services.lock_minutes(minutes=minutes, by=user)
        for _n in range(meetings):
            services.add_addendum(minutes=minutes, text="Bổ sung", by=user)
        services.issue_resolution(meeting=meeting, title="NQ", text="…", by=None)
        make_meeting(cell, starts_at=at(2026, 12, 10 + index), preparer=people[1])
    held = make_meeting(cell, starts_at=at(2026, 12, 3))
    minutes = fill_minutes(start(held), chair=secretary, taker=taker)
    for n in range(meetings):
        held.guests.create(name=f"Khách {n}", role="invited")
        services.record_vote(
            minutes=minutes,
            subject=f"Biểu quyết {n}",
            kind=VoteKind.ADMISSION,
            yes=2,
            no=0,
            abstain=0,
            reserved=[(people[n], "Bảo lưu")],
        )
    detail = Meeting.objects.filter(cell=cell, state="locked").last()
    return user, cell, detail, held


SIZES = [
    pytest.param({"members": 3, "meetings": 1}, id="3-members-1-meeting"),
    pytest.param({"members": 30, "meetings": 5}, id="30-members-5-meetings"),
]
PAGES = {
    "plan": lambda cell, detail, held: url("plan", cell.pk) + "?year=2026",
    "meeting-detail": lambda cell, detail, held: detail.get_absolute_url(),
    "held-meeting-detail": lambda cell, detail, held: held.get_absolute_url(),
    "attendance": lambda cell, detail, held: url("attendance", held.pk),
    "minutes-edit": lambda cell, detail, held: url("minutes-edit", held.pk),
    "my-meetings": lambda cell, detail, held: url("my-meetings"),
    "books": lambda cell, detail, held: url("books", cell.pk),
}
# The same literals for both sizes: a page whose count grows with the data fails.
QUERIES = {
    "plan": 10,
    "meeting-detail": 23,
    "held-meeting-detail": 20,
    "attendance": 10,
    "minutes-edit": 20,  # + the tasks section (evaluations): tasks, review count, form
    "my-meetings": 8,
    "books": 10,
}


@pytest.mark.parametrize("size", SIZES)
def test_page_queries_do_not_grow(client, tree, media, size):
    # Arrange
    user, cell, detail, held = populate(tree, **size)
    client.force_login(user)
    counted = {}

    for page, path_of in PAGES.items():
        # Act
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path_of(cell, detail, held))

        # Assert
        assert response.status_code == 200, page
        assert cell.name in body(response), page
        counted[page] = len(queries.captured_queries)
    assert counted == QUERIES
