"""The access matrix: for every named route, what each persona gets (``o`` allowed, a
page or a redirect that is not to the login page; ``f`` 403; ``n`` 404; ``l``
redirected to log in), in PERSONAS order, and the `world` fixture holding one of each
object the routes take. Read by tests/test_access_matrix.py, the accessibility pass
and the user-words check."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from evaluations.models import Rubric
from meetings import notify
from meetings import services as meeting_services
from meetings.models import ExcuseRequest, MeetingDocument
from members import imports
from members.models import Exemption, Position, SupervisionAssignment

PERSONAS = ["secretary", "member", "committee", "supervisor", "outsider", "anonymous"]
SKIPPED_NAMESPACES = {"admin"}

# name: (method, args builder, expectations in PERSONAS order)
MATRIX = {
    "home": ("get", lambda w: [], "oooool"),
    "healthz": ("get", lambda w: [], "oooooo"),
    "set_language": ("post", lambda w: [], "oooooo"),
    "login": ("get", lambda w: [], "oooooo"),
    # logging out ends on the login page
    "logout": ("post", lambda w: [], "llllll"),
    "password_change": ("get", lambda w: [], "oooool"),
    "password_change_done": ("get", lambda w: [], "oooool"),
    # members
    "members:org-tree": ("get", lambda w: [], "oooool"),
    "members:org-create-root": ("get", lambda w: [], "fffffl"),
    "members:org-detail": ("get", lambda w: [w.cell.pk], "oooonl"),
    "members:org-create": ("get", lambda w: [w.cell.pk], "ofofnl"),
    "members:org-edit": ("get", lambda w: [w.cell.pk], "ofofnl"),
    "members:org-rules": ("get", lambda w: [w.cell.pk], "oooonl"),
    "members:org-rule-clear": ("post", lambda w: [w.cell.pk, "meeting_day"], "ofofnl"),
    "members:position-add": ("get", lambda w: [w.cell.pk], "ofofnl"),
    "members:position-end": ("get", lambda w: [w.position.pk], "ofofnl"),
    "members:supervision-add": ("get", lambda w: [w.cell.pk], "ffofnl"),
    "members:supervision-end": ("get", lambda w: [w.supervision.pk], "ffofnl"),
    "members:linked-add": ("get", lambda w: [w.cell.pk], "ofofnl"),
    "members:member-create": ("get", lambda w: [w.cell.pk], "ofofnl"),
    "members:import-upload": ("get", lambda w: [w.cell.pk], "ofofnl"),
    # the committee may import but a batch belongs to whoever uploaded it
    "members:import-preview": ("get", lambda w: [w.cell.pk, w.batch.pk], "ofnfnl"),
    "members:export-members": ("get", lambda w: [w.cell.pk], "ofofnl"),
    "members:member-detail": ("get", lambda w: [w.member.pk], "oooonl"),
    "members:member-edit": ("get", lambda w: [w.member.pk], "ofofnl"),
    "members:member-deactivate": ("get", lambda w: [w.member.pk], "ofofnl"),
    "members:member-reactivate": ("post", lambda w: [w.member.pk], "ofofnl"),
    "members:member-period-add": (
        "get",
        lambda w: [w.member.pk, "exemption"],
        "ofofnl",
    ),
    "members:member-period-end": (
        "get",
        lambda w: [w.member.pk, "exemption", w.exemption.pk],
        "ofofnl",
    ),
    # audit history: committee officials over the cell and the cell's own officers
    "members:member-audit": ("get", lambda w: [w.member.pk], "ofofnl"),
    "members:org-audit": ("get", lambda w: [w.cell.pk], "ofofnl"),
    "meetings:meeting-audit": ("get", lambda w: [w.meeting.pk], "ofofnl"),
    "members:preferences": ("get", lambda w: [], "oooool"),
    # party dues: the cell's officers keep them, the committee and the supervisor
    # read them, each member sees their own (members/dues/views.py)
    "members:dues-home": ("get", lambda w: [w.cell.pk], "ofoonl"),
    "members:dues-sheet": ("get", lambda w: [w.cell.pk, 2026, 3], "ofoonl"),
    "members:dues-cash": ("post", lambda w: [w.cell.pk, 2026, 3], "offfnl"),
    "members:dues-close": ("post", lambda w: [w.cell.pk, 2026, 3], "offfnl"),
    "members:dues-adjust": ("get", lambda w: [w.cell.pk, 2026, 3], "offfnl"),
    "members:dues-sheet-xlsx": ("get", lambda w: [w.cell.pk, 2026, 3], "ofoonl"),
    "members:dues-sheet-pdf": ("get", lambda w: [w.cell.pk, 2026, 3], "ofoonl"),
    "members:dues-year": ("get", lambda w: [w.cell.pk, 2026], "ofoonl"),
    "members:dues-year-xlsx": ("get", lambda w: [w.cell.pk, 2026], "ofoonl"),
    "members:dues-year-pdf": ("get", lambda w: [w.cell.pk, 2026], "ofoonl"),
    "members:dues-decide": (
        "post",
        lambda w: [w.cell.pk, 2026, w.member.pk],
        "offfnl",
    ),
    "members:dues-import": ("get", lambda w: [w.cell.pk], "offfnl"),
    "members:dues-import-preview": (
        "get",
        lambda w: [w.cell.pk, w.dues_batch.pk],
        "offfnl",
    ),
    "members:member-dues": ("get", lambda w: [w.member.pk], "oooonl"),
    # the admission pipeline: the cell's officers and the committees above it
    "members:pipeline": ("get", lambda w: [w.cell.pk], "ofofnl"),
    "members:candidate-create": ("get", lambda w: [w.cell.pk], "ofofnl"),
    "members:candidate-detail": ("get", lambda w: [w.candidate.pk], "ofofnl"),
    "members:candidate-edit": ("get", lambda w: [w.candidate.pk], "ofofnl"),
    "members:candidate-document-upload": (
        "post",
        lambda w: [w.candidate.pk],
        "ofofnl",
    ),
    "members:candidate-document-download": (
        "get",
        lambda w: [w.candidate_document.pk],
        "ofofnl",
    ),
    "members:candidate-decision": ("post", lambda w: [w.candidate.pk], "ofofnl"),
    "members:candidate-withdraw": ("post", lambda w: [w.candidate.pk], "ofofnl"),
    "members:probation": ("get", lambda w: [w.member.pk], "ofofnl"),
    "members:ceremony": ("post", lambda w: [w.member.pk], "ofofnl"),
    "members:mentor": ("post", lambda w: [w.member.pk], "ofofnl"),
    "members:recognition-decision": ("post", lambda w: [w.member.pk], "ofofnl"),
    # meetings: cell officers run them, the committee reads and reviews
    "meetings:my-meetings": ("get", lambda w: [], "oooool"),
    "meetings:plan": ("get", lambda w: [w.cell.pk], "oooonl"),
    "meetings:meeting-create": ("get", lambda w: [w.cell.pk], "offfnl"),
    "meetings:books": ("get", lambda w: [w.cell.pk], "oooonl"),
    "meetings:meeting-detail": ("get", lambda w: [w.meeting.pk], "oooonl"),
    "meetings:meeting-prepare": ("get", lambda w: [w.planned.pk], "offfnl"),
    "meetings:meeting-reschedule": ("get", lambda w: [w.planned.pk], "offfnl"),
    "meetings:meeting-cancel": ("get", lambda w: [w.planned.pk], "offfnl"),
    "meetings:meeting-notify": ("post", lambda w: [w.planned.pk], "offfnl"),
    "meetings:meeting-start": ("post", lambda w: [w.meeting.pk], "offfnl"),
    "meetings:document-upload": ("post", lambda w: [w.planned.pk], "offfnl"),
    "meetings:documents-sent": ("post", lambda w: [w.planned.pk], "offfnl"),
    # members see documents only once they were sent
    "meetings:document-download": ("get", lambda w: [w.document.pk], "ofofnl"),
    "meetings:excuse-request": ("post", lambda w: [w.planned.pk], "ooffnl"),
    "meetings:excuse-decide": ("post", lambda w: [w.excuse.pk], "offfnl"),
    "meetings:attendance": ("get", lambda w: [w.meeting.pk], "offfnl"),
    "meetings:guest-add": ("post", lambda w: [w.meeting.pk], "offfnl"),
    "meetings:minutes-edit": ("get", lambda w: [w.meeting.pk], "offfnl"),
    "meetings:vote-add": ("post", lambda w: [w.meeting.pk], "offfnl"),
    "meetings:minutes-adopt": ("post", lambda w: [w.meeting.pk], "offfnl"),
    # only the chair (secretary) and the minute-taker (member) sign
    "meetings:minutes-sign": ("post", lambda w: [w.meeting.pk], "ooffnl"),
    "meetings:minutes-lock": ("post", lambda w: [w.meeting.pk], "offfnl"),
    "meetings:minutes-submit": ("post", lambda w: [w.locked.pk], "offfnl"),
    "meetings:minutes-review": ("get", lambda w: [w.locked.pk], "ffofnl"),
    "meetings:addendum-add": ("get", lambda w: [w.locked.pk], "offfnl"),
    "meetings:addendum-sign": ("post", lambda w: [w.addendum.pk], "ooffnl"),
    "meetings:resolution-issue": ("get", lambda w: [w.locked.pk], "offfnl"),
    "meetings:calendar": ("get", lambda w: [], "oooool"),
    # token feeds need no login: the secret in the URL is the credential
    "meetings:personal-feed": ("get", lambda w: [w.token], "oooooo"),
    "meetings:cell-feed": ("get", lambda w: [w.token, w.cell.pk], "oooooo"),
    # notifications: each user's own centre and settings; the secretary's view of
    # who was told about a meeting; the unsubscribe link carries a signed token
    "meetings:notifications": ("get", lambda w: [], "oooool"),
    "meetings:notification-badge": ("get", lambda w: [], "oooool"),
    "meetings:notification-preferences": ("get", lambda w: [], "oooool"),
    "meetings:meeting-notifications": ("get", lambda w: [w.planned.pk], "offfnl"),
    "meetings:unsubscribe": ("get", lambda w: [w.unsubscribe], "oooooo"),
    "meetings:unsubscribe-one-click": ("post", lambda w: [w.unsubscribe], "oooooo"),
    # PDF documents (meetings/pdf/views.py): drafts only for officers and the
    # committee; a minute-book job belongs to whoever asked for it
    "meetings:minutes-pdf": ("get", lambda w: [w.meeting.pk], "ofofnl"),
    "meetings:resolution-pdf": ("get", lambda w: [w.planned.pk], "ofofnl"),
    "meetings:topic-cover-pdf": ("get", lambda w: [w.planned.pk], "oooonl"),
    "meetings:minutes-pdf-status": ("get", lambda w: [w.meeting.pk], "oooonl"),
    "meetings:minutes-pdf-retry": ("post", lambda w: [w.locked.pk], "offfnl"),
    "meetings:minutes-chain": ("get", lambda w: [w.cell.pk], "oooonl"),
    "meetings:minute-book": ("get", lambda w: [w.cell.pk], "oooonl"),
    "meetings:minute-books-export": ("get", lambda w: [w.ward.pk], "nnonnl"),
    "meetings:minute-book-job": ("get", lambda w: [w.book_job.pk], "onnnnl"),
    "meetings:minute-book-download": ("get", lambda w: [w.book_job.pk], "onnnnl"),
    # evaluations: tasks, scores, reports, recommendations and ratings
    "evaluations:my-tasks": ("get", lambda w: [], "oooool"),
    "evaluations:my-ratings": ("get", lambda w: [], "oooool"),
    "evaluations:task-add": ("post", lambda w: [w.meeting.pk], "offfnl"),
    "evaluations:task-remove": ("post", lambda w: [w.task.pk], "offfnl"),
    "evaluations:task-review": ("get", lambda w: [w.meeting.pk], "oooonl"),
    "evaluations:quality": ("get", lambda w: [w.meeting.pk], "oooonl"),
    # the cell scores itself; the supervisor (or the committee) scores too
    "evaluations:score-edit": ("get", lambda w: [w.meeting.pk, "self"], "offfnl"),
    "evaluations:report-file": ("get", lambda w: [w.meeting.pk], "fffonl"),
    "evaluations:report-detail": ("get", lambda w: [w.report.pk], "ofoonl"),
    "evaluations:reports-overview": ("get", lambda w: [w.ward.pk], "nnonnl"),
    "evaluations:recommendation-list": ("get", lambda w: [w.ward.pk], "nnonnl"),
    "evaluations:recommendation-detail": ("get", lambda w: [w.rec.pk], "ofoonl"),
    "evaluations:monthly-ratings": ("get", lambda w: [w.meeting.pk], "offfnl"),
    "evaluations:annual-ratings": ("get", lambda w: [w.cell.pk, 2026], "ofofnl"),
    "evaluations:rubric-settings": ("get", lambda w: [w.cell.pk], "ofofnl"),
    # a committee authors its own rubric version for its subtree (or a cell's)
    "evaluations:rubric-new": ("get", lambda w: [w.cell.pk], "ffofnl"),
    "evaluations:rubric-edit": (
        "get",
        lambda w: [w.ward.pk, w.ward_rubric.pk],
        "nnonnl",
    ),
    # compliance dashboards: committees over their subtree, a cell's officers and
    # supervisors over that cell (evaluations/dashboard/queries.py)
    "evaluations:dashboard-home": ("get", lambda w: [], "ofoofl"),
    "evaluations:dashboard": ("get", lambda w: [w.cell.pk], "ofoonl"),
    "evaluations:dashboard-cells": ("get", lambda w: [w.ward.pk], "nnonnl"),
    "evaluations:dashboard-meetings": ("get", lambda w: [w.cell.pk], "ofoonl"),
    "evaluations:dashboard-xlsx": ("get", lambda w: [w.ward.pk], "nnonnl"),
    "evaluations:dashboard-pdf": ("get", lambda w: [w.cell.pk], "ofoonl"),
    # model meetings (meetings/model_meetings/): the committee plans and invites;
    # the model cell's officers record who of the invitees came
    "meetings:model-plan": ("get", lambda w: [w.ward.pk], "nnonnl"),
    "meetings:model-meeting-detail": ("get", lambda w: [_model(w).pk], "oooonl"),
    "meetings:model-meeting-invite": ("post", lambda w: [_model(w).pk], "ffofnl"),
    "meetings:model-meeting-attendance": (
        "post",
        lambda w: [_model(w).pk],
        "ofofnl",
    ),
    # lesson-drawing (evaluations/lessons/): the committee and the invitees; a
    # promised lesson is marked applied by its cell's officers
    "evaluations:lesson-sessions": ("get", lambda w: [w.ward.pk], "nnonnl"),
    "evaluations:lesson-dashboard": ("get", lambda w: [w.ward.pk], "nnonnl"),
    "evaluations:lesson-session": ("get", lambda w: [_session(w).pk], "nnonnl"),
    "evaluations:lesson-feedback": ("post", lambda w: [_session(w).pk], "nnfnnl"),
    "evaluations:lesson-conclude": ("post", lambda w: [_session(w).pk], "nnonnl"),
    "evaluations:promise-apply": ("post", lambda w: [_promise(w).pk], "offfnl"),
    # inspections (evaluations/inspections/): the committee over the cell records
    "evaluations:inspection-overview": ("get", lambda w: [w.ward.pk], "nnonnl"),
    "evaluations:quality-panel": ("get", lambda w: [w.ward.pk], "nnonnl"),
    "evaluations:cell-inspections": ("get", lambda w: [w.cell.pk], "oooonl"),
    "evaluations:inspection-detail": ("get", lambda w: [_inspection(w).pk], "oooonl"),
    # party-group meetings and residence comments: read with the cell
    "meetings:group-meetings": ("get", lambda w: [w.cell.pk], "oooonl"),
    "members:residence-comments": ("get", lambda w: [w.cell.pk], "oooonl"),
}


def _official(w):
    return Position.objects.filter(organization=w.ward).first().member


def _model(w):
    """The model meeting of the cell for the ward (made on first use)."""
    if not hasattr(w, "model"):
        from meetings.model_meetings import services as model_services

        w.model = model_services.plan_model_meeting(
            committee=w.ward, year=2026, month=12, cell=w.cell, topic="Điểm", by=None
        )
    return w.model


def _session(w):
    """A lesson session on the model meeting, with a peer's promised lesson."""
    if not hasattr(w, "session"):
        from evaluations.models import LessonPromise, LessonSession, PeerFeedback
        from meetings.models import ModelMeetingInvitation
        from tests.factories import MemberFactory

        w.session = LessonSession.objects.create(
            committee=w.ward,
            kind="on_site",
            held_on=date(2026, 12, 3),
            chair=_official(w),
        )
        w.session.model_meetings.set([_model(w)])
        invitation = ModelMeetingInvitation.objects.create(
            model_meeting=_model(w),
            member=MemberFactory(organization=w.cell),
            role="peer_secretary",
            peer_cell=w.cell,
            attended=True,
        )
        feedback = PeerFeedback.objects.create(
            session=w.session, invitation=invitation, worked="Tốt"
        )
        w.promise = LessonPromise.objects.create(
            feedback=feedback, cell=w.cell, text="Bài học"
        )
    return w.session


def _promise(w):
    _session(w)
    return w.promise


def _inspection(w):
    from evaluations.models import Inspection

    return Inspection.objects.create(
        cell=w.cell,
        inspector=_official(w),
        inspected_on=date(2026, 11, 5),
        findings="Nền nếp",
    )


def named_routes(patterns=None, namespace=None):
    """Every named route of the URL configuration, as "namespace:name"."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = entry.namespace or namespace
            yield from named_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def _held(cell, users, *, chair, taker):
    # Yesterday 19:30–21:30 local, whatever the hour the suite runs.
    evening = timezone.localtime().replace(hour=19, minute=30, second=0, microsecond=0)
    start = evening - timedelta(days=1)
    meeting = meeting_services.create_meeting(
        cell=cell,
        kind="extraordinary",
        starts_at=start,
        by=users.secretary,
    )
    minutes = meeting_services.start_meeting(meeting=meeting, by=users.secretary)
    minutes = meeting_services.save_minutes(
        minutes=minutes,
        version=minutes.version,
        by=users.secretary,
        chair=chair,
        minute_taker=taker,
        started_at=start,
        ended_at=start + timedelta(hours=2),
        conclusion="Chi bộ thống nhất thông qua.",
    )
    meeting_services.adopt_minutes(minutes=minutes, by=users.secretary)
    return meeting, minutes


@pytest.fixture
def world(tree, users):
    secretary_user, member_user = users.secretary, users.member
    planned = meeting_services.create_meeting(
        cell=tree.cell,
        kind="extraordinary",
        starts_at=timezone.now() + timedelta(days=5),
        by=secretary_user,
    )
    document = MeetingDocument.objects.create(
        meeting=planned,
        title="Dự thảo",
        file=SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 test"),
        content_type="application/pdf",
        size=13,
    )
    excuse = ExcuseRequest.objects.create(
        meeting=planned, member=tree.others[0], reason="Ốm"
    )
    meeting, _minutes = _held(tree.cell, users, chair=tree.secretary, taker=tree.member)
    locked, locked_minutes = _held(
        tree.cell, users, chair=tree.secretary, taker=tree.member
    )
    meeting_services.sign_minutes(minutes=locked_minutes, user=secretary_user)
    meeting_services.sign_minutes(minutes=locked_minutes, user=member_user)
    meeting_services.lock_minutes(minutes=locked_minutes, by=secretary_user)
    meeting_services.submit_minutes(meeting=locked, by=secretary_user)
    addendum = meeting_services.add_addendum(
        minutes=locked_minutes, text="Bổ sung", by=secretary_user
    )
    batch = imports.stage_import(
        org=tree.cell,
        upload=SimpleUploadedFile("a.csv", "Họ và tên,Trạng thái\nA,Dự bị\n".encode()),
        by=secretary_user,
    )
    from members.dues import imports as dues_imports

    dues_batch = dues_imports.stage_dues_import(
        cell=tree.cell,
        upload=SimpleUploadedFile("d.csv", "Họ và tên,Đối tượng\nA,khác\n".encode()),
        year=2026,
        by=secretary_user,
    )
    from evaluations import services as evaluation_services
    from evaluations.models import Task
    from meetings.feeds import issue_calendar_token

    meeting.refresh_from_db()
    task = Task.objects.create(
        meeting=meeting, cell=tree.cell, text="Việc", deadline=date(2030, 1, 1)
    )
    report = evaluation_services.file_report(
        meeting=meeting,
        supervisor=tree.supervisor,
        attended=True,
        observations="Nghiêm túc",
        recommendations=[
            {"text": "Kiến nghị", "addressee": "Đảng ủy", "responsible": "Chi ủy"}
        ],
    )

    token = issue_calendar_token(user=secretary_user)[0].token
    # PDF documents: a draft resolution to print, a finished minute book
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from meetings.models import Meeting, MinuteBookJob

    Meeting.objects.filter(pk=planned.pk).update(draft_resolution="Dự thảo nghị quyết")
    book_job = MinuteBookJob.objects.create(
        organization=tree.cell,
        year=2026,
        status=MinuteBookJob.Status.DONE,
        done=1,
        total=1,
        requested_by=secretary_user,
        file=default_storage.save("books/so-bien-ban.pdf", ContentFile(b"%PDF-1.4")),
    )
    from members.admission import services as admission_services
    from members.models import CandidateDocument

    candidate = admission_services.propose_candidate(
        cell=tree.cell, by=None, full_name="Ưu Tú", proposed_on=date(2026, 1, 5)
    )
    candidate_document = CandidateDocument.objects.create(
        candidate=candidate,
        title="Đơn",
        file=SimpleUploadedFile("don.pdf", b"%PDF-1.4 test"),
        content_type="application/pdf",
        size=13,
    )
    ward_rubric = Rubric.objects.create(
        code=f"org-{tree.ward.pk}",
        name="Thang điểm phường",
        kind=Rubric.Kind.POINTS,
        groups=[],
        valid_from=date(2027, 1, 1),
    )
    return SimpleNamespace(
        ward_rubric=ward_rubric,
        candidate=candidate,
        candidate_document=candidate_document,
        cell=tree.cell,
        member=tree.member,
        planned=planned,
        meeting=meeting,
        locked=locked,
        addendum=addendum,
        document=document,
        excuse=excuse,
        batch=batch,
        dues_batch=dues_batch,
        token=token,
        book_job=book_job,
        task=task,
        report=report,
        rec=report.recommendations.get(),
        ward=tree.ward,
        unsubscribe=notify.unsubscribe_token(tree.member.pk, "preparation"),
        position=Position.objects.get(member=tree.secretary),
        supervision=SupervisionAssignment.objects.get(cell=tree.cell),
        exemption=Exemption.objects.create(
            member=tree.member, reason="health", start=date(2025, 1, 1)
        ),
    )


def outcome(response):
    if response.status_code in (403, 404):
        return {403: "f", 404: "n"}[response.status_code]
    assert response.status_code < 500, response.status_code
    location = response.headers.get("Location", "")
    if response.status_code == 302 and "/accounts/login/" in location:
        return "l"
    return "o"
