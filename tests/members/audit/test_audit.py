"""The audit log: every write to a party record is recorded with who, when and what
changed; the log is append-only in the database; officials read it within reach."""

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from celery import shared_task
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Attendance, AttendanceStatus, Meeting, Vote
from members import audit, services
from members.models import AuditEntry, Exemption, Member, Position, PositionRole
from tests.factories import MemberFactory, PositionFactory
from tests.factories.meetings import fill_minutes, make_meeting, start
from tests.factories.times import at
from tests.support.pages import english

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def entries(model, pk=None, action=None):
    rows = AuditEntry.objects.filter(model=model).order_by("pk")
    if pk is not None:
        rows = rows.filter(object_id=pk)
    if action is not None:
        rows = rows.filter(action=action)
    return list(rows)


def fmt(day):
    return day.strftime("%d/%m/%Y") if day else ""


# --- coverage -------------------------------------------------------------------------


def test_every_party_record_model_is_audited():
    labels = {audit.label(model) for model in audit.audited_models()}

    required = {
        "members.member",
        "members.position",
        "members.exemption",
        "members.suspension",
        "members.temporaryattachment",
        "members.supervisionassignment",
        "meetings.meeting",
        "meetings.attendance",
        "meetings.minutes",
        "meetings.vote",
        "meetings.reservedopinion",
        "meetings.resolution",
    }
    assert required <= labels
    assert not labels & {
        "members.auditentry",
        "meetings.minutesrevision",
        "meetings.calendartoken",
        "meetings.delivery",
        "members.importbatch",
    }


def test_evaluations_records_are_audited_and_rollups_are_not():
    from django.apps import apps

    models = list(apps.get_app_config("evaluations").get_models())
    audited = {audit.label(m) for m in models if audit.is_audited(m)}
    rollups = {audit.label(m) for m in models if m.__module__.endswith("rollup")}

    assert rollups
    assert not audited & rollups  # recomputed from audited rows
    assert {
        "evaluations.task",
        "evaluations.qualityscore",
        "evaluations.monthlyrating",
        "evaluations.annualrating",
        "evaluations.supervisionreport",
        "evaluations.recommendation",
    } <= audited


def test_routes_find_the_meeting_member_and_cell_of_deep_records():
    from meetings.models import ReservedOpinion

    assert audit.routes(ReservedOpinion) == {
        "org": [
            "vote__minutes__meeting__cell__path",
            "member__organization__path",
        ],
        "meeting": "vote__minutes__meeting",
        "member": "member",
    }
    assert audit.routes(Position)["org"] == [
        "organization__path",
        "member__organization__path",
    ]
    assert audit.routes(Exemption)["org"] == ["member__organization__path"]
    assert audit.routes(Meeting)["member"] is None


# --- what is recorded -----------------------------------------------------------------


def test_member_edit_by_request_records_actor_and_field_changes(
    tree, users, persona_client
):
    # Arrange
    member = tree.member
    data = {
        "full_name": "Trần Thị Đổi Tên",
        "gender": "",
        "birth_date": fmt(member.birth_date),
        "party_card_number": member.party_card_number,
        "status": member.status,
        "admission_decision_date": fmt(member.admission_decision_date),
        "admission_date": fmt(member.admission_date),
        "official_date": fmt(member.official_date),
        "party_group": "",
        "phone": "0987 000 111",
        "email": "",
        "residence": "",
        "workplace": member.workplace,
    }
    url = reverse("members:member-edit", args=[member.pk])

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    [entry] = entries("members.member", member.pk, "update")
    assert entry.actor_id == users.secretary.pk
    assert entry.actor_label == "secretary"
    assert entry.changes["full_name"] == ["Trần Thị Đảng Viên", "Trần Thị Đổi Tên"]
    # personal contact data: that it changed, never its values
    assert entry.changes["phone"] == ["•••", "•••"]
    assert "0987" not in str(entry.changes)
    assert entry.member_id == member.pk
    assert entry.org_path == tree.cell.path
    assert entry.object_repr == "Trần Thị Đổi Tên"


def test_create_and_delete_are_recorded_with_values(tree):
    # Arrange
    member = MemberFactory(organization=tree.cell, full_name="Vũ Văn Mới")

    # Act
    exemption = Exemption.objects.create(
        member=member, reason="health", start=date(2026, 1, 5)
    )
    exemption_pk = exemption.pk
    exemption.delete()

    # Assert
    created = entries("members.exemption", exemption_pk, "create")[0]
    deleted = entries("members.exemption", exemption_pk, "delete")[0]
    assert created.changes["reason"] == [None, "health"]
    assert created.changes["start"] == [None, "2026-01-05"]
    assert created.actor_label == "system"
    assert deleted.changes["reason"] == ["health", None]
    assert (deleted.member_id, deleted.org_path) == (member.pk, tree.cell.path)


def test_saving_without_change_records_nothing(tree):
    member = tree.member
    before = AuditEntry.objects.count()

    Member.objects.get(pk=member.pk).save()

    assert AuditEntry.objects.count() == before


def test_a_rolled_back_change_leaves_no_entry(tree):
    before = AuditEntry.objects.count()

    def change_then_fail():
        with transaction.atomic():
            member = Member.objects.get(pk=tree.member.pk)
            member.workplace = "Nơi khác"
            member.save()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()

    assert AuditEntry.objects.count() == before


def test_bulk_plan_attendance_and_minutes_are_recorded(tree, users):
    # Arrange
    secretary = users.secretary

    # Act: the yearly plan (bulk_create), roll call (bulk_create + bulk_update) and
    # minutes autosave (a conditional update) all bypass model signals
    with audit.acting("task:test"):
        plan = meeting_services.generate_year_plan(
            cell=tree.cell, year=2027, by=secretary
        )
    meeting = make_meeting(tree.cell, by=secretary)
    minutes = start(meeting, secretary)
    row = Attendance.objects.get(meeting=meeting, member=tree.member)
    meeting_services.record_attendance(
        meeting=meeting,
        rows={tree.member.pk: {"status": "absent_excused", "reason": "Ốm"}},
        by=secretary,
    )
    fill_minutes(minutes, chair=tree.secretary, taker=tree.member, by=secretary)

    # Assert
    plan_entries = AuditEntry.objects.filter(
        model="meetings.meeting", object_id__in=[m.pk for m in plan]
    )
    assert plan_entries.count() == len(plan) == 17  # with the year-end review
    assert {e.actor_label for e in plan_entries} == {"task:test"}
    assert {e.org_path for e in plan_entries} == {tree.cell.path}
    created_rows = entries("meetings.attendance", action="create")
    assert len(created_rows) == Attendance.objects.filter(meeting=meeting).count()
    [changed] = entries("meetings.attendance", row.pk, "update")
    assert changed.changes == {
        "status": [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT_EXCUSED],
        "reason": ["", "Ốm"],
    }
    assert (changed.meeting_id, changed.member_id) == (meeting.pk, tree.member.pk)
    [saved] = entries("meetings.minutes", minutes.pk, "update")
    assert saved.changes["version"] == [1, 2]
    # the chair was prefilled with the secretary at the start: only the taker changed
    assert "chair" not in saved.changes
    assert saved.changes["minute_taker"] == [None, tree.member.pk]
    assert saved.changes["conclusion"] == ["", "Kết luận chung"]
    assert saved.meeting_id == meeting.pk


def test_vote_delete_and_deactivation_are_recorded(tree, users):
    # Arrange
    meeting = make_meeting(tree.cell)
    minutes = start(meeting)
    vote = meeting_services.record_vote(
        minutes=minutes, subject="Nghị quyết", kind="resolution", yes=3, no=0, abstain=0
    )
    position = PositionFactory(
        member=tree.member,
        organization=tree.cell,
        role=PositionRole.COMMITTEE_MEMBER,
        start=date(2025, 1, 1),
    )
    vote_pk = vote.pk

    # Act
    meeting_services.delete_vote(vote=vote)
    services.deactivate_member(
        member=tree.member, by=users.secretary, on=date(2026, 6, 1), reason="Chuyển"
    )

    # Assert
    [deleted] = entries("meetings.vote", vote_pk, "delete")
    assert deleted.changes["subject"] == ["Nghị quyết", None]
    assert deleted.meeting_id == meeting.pk
    assert not Vote.objects.filter(pk=vote_pk).exists()
    [ended] = entries("members.position", position.pk, "update")
    assert ended.changes == {"end": [None, "2026-06-01"]}
    [deactivated] = entries("members.member", tree.member.pk, "update")
    assert deactivated.changes["is_active"] == [True, False]


def test_many_to_many_changes_are_recorded(tree):
    meeting = make_meeting(tree.cell)

    meeting.contributors.add(tree.member, tree.others[0])
    meeting.contributors.remove(tree.member)

    added, removed = entries("meetings.meeting", meeting.pk, "update")
    assert added.changes["contributors"] == [
        [],
        sorted([tree.member.pk, tree.others[0].pk]),
    ]
    assert removed.changes["contributors"] == [
        sorted([tree.member.pk, tree.others[0].pk]),
        [tree.others[0].pk],
    ]


@shared_task(name="tests.audit_rename_member")
def rename_member(*, member_id, name):
    member = Member.objects.get(pk=member_id)
    member.full_name = name
    member.save()


def test_celery_task_writes_are_attributed_to_the_task(tree):
    rename_member.apply(kwargs={"member_id": tree.member.pk, "name": "Tên Mới"})

    [entry] = entries("members.member", tree.member.pk, "update")
    assert entry.actor_label == "task:tests.audit_rename_member"
    assert entry.actor_id is None
    assert audit.current_actor() == (None, "system")  # reset after the task
    with audit.acting("web:outer"):  # a task run eagerly inside a request
        rename_member.apply(kwargs={"member_id": tree.member.pk, "name": "Tên Khác"})
        assert audit.current_actor() == (None, "web:outer")


def test_login_records_nothing(client, users):
    before = AuditEntry.objects.count()

    client.force_login(users.member)
    client.post(reverse("login"), {"username": "member", "password": "chibo-demo"})

    assert AuditEntry.objects.count() == before


# --- append-only ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE members_auditentry SET actor_label = 'someone else'",
        "DELETE FROM members_auditentry",
    ],
)
def test_the_database_refuses_to_change_or_delete_entries(tree, sql):
    MemberFactory(organization=tree.cell)
    count = AuditEntry.objects.count()
    assert count > 0

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    assert AuditEntry.objects.count() == count
    assert not AuditEntry.objects.filter(actor_label="someone else").exists()


def test_the_orm_cannot_delete_entries_either(tree):
    MemberFactory(organization=tree.cell)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()


@pytest.mark.postgresql_only(reason="SQLite has no TRUNCATE statement")
def test_the_database_refuses_truncate(tree):
    MemberFactory(organization=tree.cell)

    def truncate():
        with transaction.atomic(), connection.cursor() as cursor:
            # the test suite allows TRUNCATE to empty its database between tests
            cursor.execute("SET LOCAL chibo.audit_truncate = ''")
            cursor.execute("TRUNCATE members_auditentry CASCADE")

    with pytest.raises(DatabaseError, match="append-only"):
        truncate()

    assert AuditEntry.objects.exists()


def test_the_embedded_sqlite_database_refuses_too(tmp_path):
    database = tmp_path / "embedded.sqlite3"
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{database}",
        "CHIBO_VAR_DIR": str(tmp_path),
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    import sqlite3

    db = sqlite3.connect(database)
    db.execute(
        "INSERT INTO members_auditentry (at, actor_label, action, model, object_id,"
        " object_repr, changes, org_path) VALUES"
        " ('2026-01-01', 'system', 'create', 'members.member', 1, '', '{}', '')"
    )
    db.commit()
    count = db.execute("SELECT COUNT(*) FROM members_auditentry").fetchone()
    for sql in (
        "UPDATE members_auditentry SET actor_label = 'x'",
        "DELETE FROM members_auditentry",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(sql)
    assert db.execute("SELECT COUNT(*) FROM members_auditentry").fetchone() == count
    assert db.execute(
        "SELECT COUNT(*) FROM members_auditentry WHERE actor_label = 'x'"
    ).fetchone() == (0,)


# --- history pages --------------------------------------------------------------------


def test_member_history_page_shows_changes_in_vietnamese(tree, persona_client):
    member = Member.objects.get(pk=tree.member.pk)
    member.workplace = "Trường Tiểu học Lê Lợi"
    member.save()

    client = english(persona_client("committee"))

    response = client.get(reverse("members:member-audit", args=[member.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"History of {member.full_name}" in html
    assert "<dt>Workplace</dt>" in html
    assert "Trường Tiểu học Lê Lợi</dd>" in html
    assert "<td>System</td>" in html  # written outside a request: the system


def test_meeting_history_page_lists_attendance_and_minutes(tree, users, persona_client):
    meeting = make_meeting(tree.cell, by=users.secretary)
    minutes = start(meeting, users.secretary)
    fill_minutes(minutes, chair=tree.secretary, taker=tree.member)

    response = persona_client("secretary").get(
        reverse("meetings:meeting-audit", args=[meeting.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kết luận chung" in html
    assert (
        html.count('id="audit-')
        == AuditEntry.objects.filter(meeting_id=meeting.pk).count()
    )


def test_org_audit_lists_the_subtree_and_filters(tree, persona_client):
    MemberFactory(organization=tree.cell, full_name="Người Trong Phường")
    MemberFactory(organization=tree.other_cell, full_name="Người Khối Khác")

    ward = persona_client("committee").get(
        reverse("members:org-audit", args=[tree.ward.pk]),
        {"model": "members.member", "action": "create"},
    )

    html = ward.content.decode()
    assert ward.status_code == 200
    assert "Người Trong Phường" in html
    assert "Người Khối Khác" not in html


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("member", 403), ("supervisor", 403), ("outsider", 404), ("secretary", 200)],
)
def test_history_access_by_role_and_reach(tree, persona_client, persona, expected):
    response = persona_client(persona).get(
        reverse("members:org-audit", args=[tree.cell.pk])
    )
    assert response.status_code == expected


@pytest.mark.parametrize("size", [1, 12])
def test_history_pages_queries_constant(
    tree, users, persona_client, django_assert_num_queries, size
):
    # Arrange
    meeting = make_meeting(tree.cell, by=users.secretary)
    for number in range(size):
        member = Member.objects.get(pk=tree.member.pk)
        member.workplace = f"Nơi làm việc {number}"
        member.save()
        Position.objects.create(
            member=tree.member,
            organization=tree.cell,
            role=PositionRole.GROUP_LEADER,
            start=timezone.localdate() - timedelta(days=number),
        )
        Meeting.objects.filter(pk=meeting.pk).first().save()
    client = persona_client("committee")
    client.get(reverse("home"))  # the session is warm

    # Act / Assert: session, user, scope (3), object, count, page, header's member
    for name, pk in (
        ("members:member-audit", tree.member.pk),
        ("members:org-audit", tree.cell.pk),
    ):
        with django_assert_num_queries(9):
            response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 200
        assert response.content.decode().count('id="audit-') >= size


def test_a_new_node_is_found_in_its_parents_subtree(tree):
    cell = services.create_organization(
        parent=tree.ward, name="Chi bộ Mới Lập", kind="cell", cell_type="urban"
    )

    created, pathed = entries("members.organization", cell.pk)

    assert (created.action, created.org_path) == ("create", tree.ward.path)
    assert created.object_repr == "Chi bộ Mới Lập"
    assert pathed.changes == {"path": ["", cell.path]}
    assert pathed.org_path == tree.ward.path  # read before the path was set
    in_ward = AuditEntry.objects.filter(
        org_path__startswith=tree.ward.path, model="members.organization"
    )
    assert in_ward.filter(object_id=cell.pk).count() == 2


def test_meeting_history_speaks_words_not_codes(tree, users, persona_client, clock):
    # The history of a meeting moved to "held" and adopted: states and the
    # attendance summary in Vietnamese, never "planned → held" or "attached_in".
    clock(at(2026, 11, 3, 22, 0))
    meeting = make_meeting(tree.cell, by=users.secretary)
    minutes = start(meeting, users.secretary)
    fill_minutes(minutes, chair=tree.secretary, taker=tree.member)
    minutes.refresh_from_db()
    meeting_services.adopt_minutes(minutes=minutes, by=users.secretary)
    client = persona_client("secretary")

    audit_page = client.get(reverse("meetings:meeting-audit", args=[meeting.pk]))
    detail = client.get(meeting.get_absolute_url())

    history = audit_page.content.decode()
    assert "đảng viên sinh hoạt tạm thời: 0" in history
    assert "đảng viên phải dự: " in history
    assert "attached_in" not in history
    assert '"required"' not in history
    page = detail.content.decode()
    assert "Đã chuyển trạng thái: từ “Đã lên kế hoạch” sang “Đã tổ chức”" in page
    assert "planned" not in page
    assert "→ held" not in page
