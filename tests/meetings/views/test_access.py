"""Every route of meetings/urls.py per persona: allowed, 403 inside reach without the
role, 404 outside reach, login for anonymous; POST-only routes refuse GET.

The feed routes (calendar settings and the two .ics feeds) are covered by
tests/meetings/test_feeds.py. In the access matrix every persona's request runs in a
savepoint that is rolled back, so each persona meets the same state.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
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
)
from tests.factories.files import pdf_bytes, upload
from tests.factories.meetings import (
    adopt_and_sign,
    reload,
    tree_held,
    tree_locked,
    tree_meeting,
    tree_submitted,
    tree_with_document,
)
from tests.factories.times import at
from tests.meetings.views.forms import attendance_post, minutes_post, state_of
from tests.support.pages import body, meeting_url

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


# --- one setup per route --------------------------------------------------------------


def my_meetings_get(tree, users):
    meeting = tree_meeting(tree)
    readers = {"secretary", "member", "supervisor"}

    def done(response, persona):
        assert (meeting.get_absolute_url() in body(response)) is (persona in readers)

    return Case(meeting_url("my-meetings"), done=done)


def plan_get(tree, users):
    services.generate_year_plan(cell=tree.cell, year=2026, by=None)
    meetings = list(Meeting.objects.filter(cell=tree.cell))

    def done(response, persona):
        assert all(m.get_absolute_url() in body(response) for m in meetings)
        assert ('id="generate-plan"' in body(response)) is (MANAGE[persona] == OK)

    return Case(meeting_url("plan", tree.cell.pk) + "?year=2026", done=done)


def plan_post(tree, users):
    def done(response, persona):
        assert response.url == meeting_url("plan", tree.cell.pk) + "?year=2026"
        assert Meeting.objects.filter(cell=tree.cell).count() == 17

    return Case(
        meeting_url("plan", tree.cell.pk) + "?year=2026",
        probe=lambda: Meeting.objects.count(),
        done=done,
    )


def meeting_create_get(tree, users):
    return Case(
        meeting_url("meeting-create", tree.cell.pk),
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
        meeting_url("meeting-create", tree.cell.pk),
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
    meeting, _minutes = tree_locked(tree)
    services.issue_resolution(meeting=meeting, title="NQ tháng 11", text="…", by=None)

    def done(response, persona):
        assert "Số 01-NQ/CB" in body(response)
        assert meeting.get_absolute_url() in body(response)

    return Case(meeting_url("books", tree.cell.pk), done=done)


def meeting_detail_get(tree, users):
    meeting = tree_meeting(tree)

    def done(response, persona):
        assert "Họp chi bộ tháng 11" in body(response)
        assert escape(meeting.agenda[0]["title"]) in body(response)

    return Case(meeting.get_absolute_url(), done=done)


def prepare_get(tree, users):
    meeting = tree_meeting(tree)
    return Case(
        meeting_url("meeting-prepare", meeting.pk),
        done=lambda response, persona: 'id="prepare-form"' in body(response),
    )


def prepare_post(tree, users):
    meeting = tree_meeting(tree)

    def done(response, persona):
        saved = reload(meeting)
        assert response.url == meeting.get_absolute_url()
        assert (saved.topic, saved.agenda, saved.preparer) == (
            "Chủ đề mới",
            [{"title": "Khai mạc"}, {"title": "Thảo luận"}],
            tree.others[0],
        )

    return Case(
        meeting_url("meeting-prepare", meeting.pk),
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
    meeting = tree_meeting(tree)
    return Case(
        meeting_url("meeting-reschedule", meeting.pk),
        done=lambda response, persona: 'value="03/11/2026 19:30"' in body(response),
    )


def reschedule_post(tree, users):
    meeting = tree_meeting(tree)

    def done(response, persona):
        assert reload(meeting).starts_at == at(2026, 11, 5, 18)
        assert meeting.changes.get().reason == "Trùng lịch"

    return Case(
        meeting_url("meeting-reschedule", meeting.pk),
        data=lambda: {
            "starts_at": "05/11/2026 18:00",
            "place": "Nhà văn hóa",
            "reason": "Trùng lịch",
        },
        probe=lambda: reload(meeting).starts_at,
        done=done,
    )


def cancel_get(tree, users):
    meeting = tree_meeting(tree)
    return Case(
        meeting_url("meeting-cancel", meeting.pk),
        done=lambda response, persona: 'name="reason"' in body(response),
    )


def cancel_post(tree, users):
    meeting = tree_meeting(tree)

    def done(response, persona):
        assert (reload(meeting).state, reload(meeting).cancel_reason) == (
            "cancelled",
            "Bão",
        )

    return Case(
        meeting_url("meeting-cancel", meeting.pk),
        data=lambda: {"reason": "Bão"},
        probe=state_of(meeting),
        done=done,
    )


def notify_post(tree, users):
    meeting = tree_meeting(tree)
    return Case(
        meeting_url("meeting-notify", meeting.pk),
        probe=state_of(meeting),
        done=lambda response, persona: reload(meeting).state == "notified",
    )


def start_post(tree, users):
    meeting = tree_meeting(tree)

    def done(response, persona):
        assert response.url == meeting_url("attendance", meeting.pk)
        assert reload(meeting).state == "held"
        assert Attendance.objects.filter(meeting=meeting).count() == 5

    return Case(
        meeting_url("meeting-start", meeting.pk), probe=state_of(meeting), done=done
    )


def upload_post(tree, users):
    meeting = tree_meeting(tree)

    def done(response, persona):
        assert response.url == meeting_url("meeting-prepare", meeting.pk)
        document = MeetingDocument.objects.get(meeting=meeting)
        assert (document.title, document.content_type) == (
            "Dự thảo nghị quyết",
            "application/pdf",
        )

    return Case(
        meeting_url("document-upload", meeting.pk),
        data=lambda: {
            "title": "Dự thảo nghị quyết",
            "file": upload("du-thao.pdf", pdf_bytes()),
        },
        probe=lambda: MeetingDocument.objects.count(),
        done=done,
    )


def documents_sent_post(tree, users):
    meeting, _document = tree_with_document(tree)
    return Case(
        meeting_url("documents-sent", meeting.pk),
        probe=lambda: reload(meeting).documents_sent_at,
        done=lambda response, persona: reload(meeting).documents_sent_at is not None,
    )


def download_get(tree, users):
    _meeting, document = tree_with_document(tree)

    def done(response, persona):
        assert b"".join(response.streaming_content) == pdf_bytes()
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == ('attachment; filename="du-thao.pdf"')
        assert response["X-Content-Type-Options"] == "nosniff"

    return Case(meeting_url("document-download", document.pk), done=done)


def excuse_request_post(tree, users):
    meeting = tree_meeting(tree)

    def done(response, persona):
        excuse = ExcuseRequest.objects.get(meeting=meeting)
        assert (excuse.member, excuse.reason) == (
            getattr(tree, persona),
            "Đi công tác",
        )

    return Case(
        meeting_url("excuse-request", meeting.pk),
        data=lambda: {"reason": "Đi công tác"},
        probe=lambda: ExcuseRequest.objects.count(),
        done=done,
    )


def excuse_decide_post(tree, users):
    meeting = tree_meeting(tree)
    excuse = services.request_excuse(
        meeting=meeting, member=tree.others[0], reason="Ốm"
    )
    return Case(
        meeting_url("excuse-decide", excuse.pk),
        data=lambda: {"decision": "accept"},
        probe=lambda: ExcuseRequest.objects.get(pk=excuse.pk).status,
        done=lambda response, persona: (
            ExcuseRequest.objects.get(pk=excuse.pk).status == "accepted"
        ),
    )


def guest_post(tree, users):
    meeting, _minutes = tree_held(tree)

    def done(response, persona):
        assert response.url == meeting_url("attendance", meeting.pk)
        guest = meeting.guests.get()
        assert (guest.name, guest.role, guest.title) == (
            "Nguyễn Văn Cấp Trên",
            "superior",
            "Đảng ủy phường",
        )

    return Case(
        meeting_url("guest-add", meeting.pk),
        data=lambda: {
            "name": " Nguyễn  Văn Cấp Trên ",
            "role": "superior",
            "title": "Đảng ủy phường",
        },
        probe=lambda: meeting.guests.count(),
        done=done,
    )


def attendance_get(tree, users):
    meeting, _minutes = tree_held(tree)

    def done(response, persona):
        assert 'id="attendance-counts"' in body(response)
        assert escape(tree.member.full_name) in body(response)
        assert f'name="m{tree.member.pk}_status"' in body(response)

    return Case(meeting_url("attendance", meeting.pk), done=done)


def attendance_post_case(tree, users):
    meeting, _minutes = tree_held(tree)
    row = Attendance.objects.filter(meeting=meeting, member=tree.member)

    def done(response, persona):
        assert response.url == meeting_url("attendance", meeting.pk)
        assert row.get().status == "absent_unexcused"

    return Case(
        meeting_url("attendance", meeting.pk),
        data=lambda: attendance_post(
            meeting, {tree.member: {"status": "absent_unexcused"}}
        ),
        probe=lambda: row.get().status,
        done=done,
    )


def minutes_get(tree, users):
    meeting, _minutes = tree_held(tree)
    return Case(
        meeting_url("minutes-edit", meeting.pk),
        done=lambda response, persona: 'id="minutes-form"' in body(response),
    )


def minutes_post_case(tree, users):
    meeting, minutes = tree_held(tree)

    def done(response, persona):
        saved = Minutes.objects.get(pk=minutes.pk)
        assert (saved.version, saved.conclusion) == (3, "Kết luận mới")

    return Case(
        meeting_url("minutes-edit", meeting.pk),
        data=lambda: minutes_post(minutes),
        probe=lambda: Minutes.objects.get(pk=minutes.pk).version,
        done=done,
    )


def vote_post(tree, users):
    meeting, minutes = tree_held(tree)

    def done(response, persona):
        vote = Vote.objects.get(minutes=minutes)
        assert (vote.yes, vote.denominator, vote.passed) == (4, 5, True)

    return Case(
        meeting_url("vote-add", meeting.pk),
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
    meeting, minutes = tree_held(tree)
    return Case(
        meeting_url("minutes-adopt", meeting.pk),
        probe=lambda: Minutes.objects.get(pk=minutes.pk).adopted_at,
        done=lambda response, persona: (
            Minutes.objects.get(pk=minutes.pk).adopted_at is not None
        ),
    )


def signatures(minutes_or_addendum):
    minutes_or_addendum.refresh_from_db()
    return (minutes_or_addendum.chair_signed_at, minutes_or_addendum.taker_signed_at)


def sign_post(tree, users):
    meeting, minutes = tree_held(tree)
    services.adopt_minutes(minutes=minutes, by=None)

    def done(response, persona):
        chair, taker = signatures(minutes)
        assert (chair is not None, taker is not None) == (
            persona == "secretary",
            persona == "member",
        )

    return Case(
        meeting_url("minutes-sign", meeting.pk),
        probe=lambda: signatures(minutes),
        done=done,
    )


def lock_post(tree, users):
    meeting, minutes = tree_held(tree)
    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    return Case(
        meeting_url("minutes-lock", meeting.pk),
        probe=state_of(meeting),
        done=lambda response, persona: (
            Minutes.objects.get(pk=minutes.pk).locked_at is not None
            and reload(meeting).state == "locked"
        ),
    )


def submit_post(tree, users):
    meeting, _minutes = tree_locked(tree)
    return Case(
        meeting_url("minutes-submit", meeting.pk),
        probe=state_of(meeting),
        done=lambda response, persona: reload(meeting).state == "submitted",
    )


def review_get(tree, users):
    meeting, _minutes = tree_submitted(tree)
    return Case(
        meeting_url("minutes-review", meeting.pk),
        done=lambda response, persona: 'name="decision"' in body(response),
    )


def review_post(tree, users):
    meeting, _minutes = tree_submitted(tree)

    def done(response, persona):
        reviewed = reload(meeting)
        assert (reviewed.state, reviewed.reviewed_by) == (
            "acknowledged",
            getattr(users, persona),
        )

    return Case(
        meeting_url("minutes-review", meeting.pk),
        data=lambda: {"decision": "acknowledge", "comment": ""},
        probe=state_of(meeting),
        done=done,
    )


def addendum_get(tree, users):
    meeting, _minutes = tree_locked(tree)
    return Case(
        meeting_url("addendum-add", meeting.pk),
        done=lambda response, persona: 'name="text"' in body(response),
    )


def addendum_post(tree, users):
    meeting, minutes = tree_locked(tree)
    return Case(
        meeting_url("addendum-add", meeting.pk),
        data=lambda: {"text": "Bổ sung tên người phát biểu"},
        probe=lambda: Addendum.objects.count(),
        done=lambda response, persona: (
            Addendum.objects.get(minutes=minutes).text == "Bổ sung tên người phát biểu"
        ),
    )


def addendum_sign_post(tree, users):
    _meeting, minutes = tree_locked(tree)
    addendum = services.add_addendum(minutes=minutes, text="Bổ sung", by=None)

    def done(response, persona):
        chair, taker = signatures(addendum)
        assert (chair is not None, taker is not None) == (
            persona == "secretary",
            persona == "member",
        )

    return Case(
        meeting_url("addendum-sign", addendum.pk),
        probe=lambda: signatures(addendum),
        done=done,
    )


def resolution_get(tree, users):
    meeting, _minutes = tree_locked(tree, conclusion="Kết luận để làm nghị quyết")
    return Case(
        meeting_url("resolution-issue", meeting.pk),
        done=lambda response, persona: "Kết luận để làm nghị quyết" in body(response),
    )


def resolution_post(tree, users):
    meeting, _minutes = tree_locked(tree)
    return Case(
        meeting_url("resolution-issue", meeting.pk),
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
    # The meeting's audit history: tested with the audit pages in tests/test_audit.py
    # and in the project-wide access matrix (tests/test_access_matrix.py).
    history = {"meeting-audit"}
    # Model meetings and party-group meetings: tested in tests/evaluations/lessons/,
    # tests/meetings/group_meetings/ and the project-wide access matrix.
    rounds = {
        "model-plan",
        "model-meeting-detail",
        "model-meeting-invite",
        "model-meeting-attendance",
        "group-meetings",
    }
    names = (
        {p.name for p in urlpatterns} - feeds - notifications - pdfs - history - rounds
    )
    assert names == {name for name, *_ in ROUTES}


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
    ],
)
def test_post_only_routes_refuse_get(secretary_client, tree, name):
    # Arrange
    meeting = tree_meeting(tree)

    # Act
    response = secretary_client.get(meeting_url(name, meeting.pk))

    # Assert
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert reload(meeting).state == MeetingState.PLANNED
