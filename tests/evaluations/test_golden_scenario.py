"""The golden scenario (issue 15): a crafted cell taken through October and November
2026 by the real services — the yearly plan, notices, documents, roll calls, minutes,
tasks and their review, scores, monthly ratings, a superior member's attendance and
reports — and every figure the committees act on compared with a table computed by
hand from the rules (DOMAIN.md §2, §3.3, §6, §7, §8). A second scenario moves
meetings with the "previous working day" rule across a month and a year.

The hand computation is written next to each table, so a change of rule shows up as
a diff of the table, not as a silent change of a figure.
"""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from evaluations import selectors, services
from evaluations.dashboard import presenters, queries, rollup
from evaluations.dashboard.periods import Period
from evaluations.models import CellMonth, MonthlyRating, QualityScore
from meetings import services as meeting_services
from meetings.models import Meeting
from members.models import (
    AttachmentDirection,
    Exemption,
    ExemptionReason,
    MemberStatus,
    OrgKind,
    PositionRole,
    RuleSetting,
    Suspension,
    TemporaryAttachment,
)
from tests.factories import (
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    SupervisionFactory,
    UserFactory,
)
from tests.factories.evaluations import FULL_MANUAL_POINTS
from tests.factories.files import pdf_bytes, upload
from tests.factories.meetings import attendance_rows
from tests.factories.members import user_for
from tests.factories.times import at

pytestmark = pytest.mark.django_db


def _member(cell, name, **kw):
    return MemberFactory(organization=cell, full_name=name, **kw)


def _ward(name):
    province = OrganizationFactory(
        name=f"Đảng bộ tỉnh {name}", kind=OrgKind.PROVINCE_COMMITTEE
    )
    return OrganizationFactory(
        name=f"Đảng bộ phường {name}", kind=OrgKind.COMMUNE_COMMITTEE, parent=province
    )


def _document(meeting):
    meeting_services.add_document(
        meeting=meeting,
        upload=upload("du-thao.pdf", pdf_bytes(), "application/pdf"),
        title="Dự thảo nghị quyết",
        by=None,
    )


def _hold(meeting, *, overrides, chair, taker, minutes_long, clock, conclusion="KL"):
    """Start the meeting at its planned time, record the roll call and the minutes."""
    clock(meeting.starts_at)
    minutes = meeting_services.start_meeting(meeting=meeting, by=None)
    meeting.refresh_from_db()
    meeting_services.record_attendance(
        meeting=meeting, rows=attendance_rows(meeting, overrides), by=None
    )
    return meeting_services.save_minutes(
        minutes=minutes,
        version=minutes.version,
        by=None,
        chair=chair,
        minute_taker=taker,
        started_at=meeting.starts_at,
        ended_at=meeting.starts_at + timedelta(minutes=minutes_long),
        opening="Khai mạc",
        conclusion=conclusion,
    )


def _close(meeting, minutes, *, chair, taker, lock_at, clock):
    """Adopt (read back at the end of the meeting), sign, lock and submit."""
    clock(minutes.ended_at + timedelta(minutes=1))
    meeting_services.adopt_minutes(minutes=minutes, by=None)
    meeting_services.sign_minutes(minutes=minutes, user=user_for(chair))
    meeting_services.sign_minutes(minutes=minutes, user=user_for(taker))
    clock(lock_at)
    meeting_services.lock_minutes(minutes=minutes, by=None)
    clock(lock_at + timedelta(hours=1))
    meeting_services.submit_minutes(meeting=meeting, by=None)
    meeting.refresh_from_db()


@pytest.fixture
def golden(clock):
    """Ward "Vàng": cell V (12 member records) and cell B (4 official members, no
    meetings). Cell V on the roll:

    S secretary, D deputy (born 1992: young), M1 (born 1995, admitted 2024: young,
    new), M2-M6, E exempted since 2020, X suspended from 15/10/2026, P probationary
    (born 1998, admitted 1/3/2026: young, new), and A attached in from elsewhere.
    Own members 11 (official 10: S, D, M1-M6, E, X; probationary 1: P).
    """
    clock(at(2026, 9, 1, 9))
    ward = _ward("Vàng")
    cell = OrganizationFactory(name="Chi bộ Khối phố Vàng", parent=ward)
    other = OrganizationFactory(name="Chi bộ Khối phố Bạc", parent=ward)
    p = SimpleNamespace(ward=ward, cell=cell, other=other)
    p.S = _member(cell, "Lê Văn Sơn")
    p.D = _member(cell, "Trần Văn Dũng", birth_date=date(1992, 5, 1))
    p.M = [
        _member(
            cell,
            "Ngô Thị Mai",
            birth_date=date(1995, 1, 1),
            admission_date=date(2024, 6, 1),
            official_date=date(2025, 6, 1),
        )
    ] + [
        _member(cell, f"Phạm Văn Minh {n}", birth_date=date(1960, 1, 1))
        for n in range(2, 7)
    ]
    p.E = _member(cell, "Cụ Đỗ Văn Em", birth_date=date(1940, 1, 1))
    Exemption.objects.create(
        member=p.E, reason=ExemptionReason.OLD_AGE, start=date(2020, 1, 1)
    )
    p.X = _member(cell, "Hoàng Văn Xuân")
    Suspension.objects.create(member=p.X, reason="Kỷ luật", start=date(2026, 10, 15))
    p.P = _member(
        cell,
        "Vũ Thị Phương",
        birth_date=date(1998, 1, 1),
        status=MemberStatus.PROBATIONARY,
        admission_date=date(2026, 3, 1),
        official_date=None,
    )
    p.A = _member(cell, "Lý Văn An", birth_date=date(1985, 1, 1))
    TemporaryAttachment.objects.create(
        member=p.A,
        direction=AttachmentDirection.IN,
        other_unit="Chi bộ quê nhà",
        start=date(2026, 1, 1),
    )
    PositionFactory(member=p.S, organization=cell, role=PositionRole.SECRETARY)
    PositionFactory(member=p.D, organization=cell, role=PositionRole.DEPUTY_SECRETARY)
    p.V = _member(other, "Bùi Văn Giám Sát")  # the superior member following cell V
    p.K = _member(other, "Đinh Văn Cấp Ủy")  # the ward committee's official
    _member(other, "Bạc Một")
    _member(other, "Bạc Hai")
    PositionFactory(member=p.K, organization=ward, role=PositionRole.COMMITTEE_MEMBER)
    SupervisionFactory(supervisor=p.V, cell=cell)
    p.committee_user = UserFactory(username="golden-committee", member=p.K)
    p.secretary_user = user_for(p.S)
    m1, m2, m3, m4, m5, m6 = p.M

    meeting_services.generate_year_plan(cell=cell, year=2026, by=None)
    p.oct = Meeting.objects.get(cell=cell, plan_slot="2026-M10")
    p.nov = Meeting.objects.get(cell=cell, plan_slot="2026-M11")

    # October: notified 30/09 (3 days ahead), documents 01/10, held 03/10 for 95
    # minutes; M5 excused, M6 absent without reason; S, D, M2 and A spoke.
    _document(p.oct)
    clock(at(2026, 9, 30, 9))
    meeting_services.mark_notified(meeting=p.oct, by=None)
    clock(at(2026, 10, 1, 9))
    meeting_services.mark_documents_sent(meeting=p.oct, by=None)
    spoke = {"status": "present", "spoke": True}
    minutes = _hold(
        p.oct,
        overrides={
            p.S: spoke,
            p.D: spoke,
            m2: spoke,
            p.A: spoke,
            m5: {"status": "absent_excused", "reason": "Ốm"},
            m6: {"status": "absent_unexcused"},
        },
        chair=p.S,
        taker=m2,
        minutes_long=95,
        clock=clock,
    )
    p.tasks = [
        services.assign_task(
            meeting=p.oct, text=text, deadline=deadline, assignees=[who]
        )
        for text, deadline, who in (
            ("Vận động khuyến học", date(2026, 10, 20), p.S),
            ("Rà soát hộ nghèo", date(2026, 10, 25), m1),
            ("Vệ sinh khu phố", date(2026, 10, 30), m2),
            ("Họp tổ dân phố", date(2026, 10, 31), p.D),
            ("Thăm hỏi gia đình chính sách", date(2026, 11, 2), m3),
            ("Tổng kết năm", date(2026, 12, 31), m4),
        )
    ]
    _close(
        p.oct, minutes, chair=p.S, taker=m2, lock_at=at(2026, 10, 4, 10), clock=clock
    )
    p.oct_score = services.score_meeting(
        meeting=p.oct, role="self", manual=FULL_MANUAL_POINTS
    )
    sheet = selectors.monthly_sheet(p.oct)
    services.confirm_monthly_ratings(
        meeting=p.oct,
        levels={row["member"].pk: (row["proposed"], "") for row in sheet["sheet"]},
    )
    clock(at(2026, 10, 9, 10))
    p.oct_report = services.file_report(
        meeting=p.oct, supervisor=p.V, attended=False, observations="Đúng quy định"
    )

    # The cell committee meets on 28/10 to prepare November (minuted).
    clock(at(2026, 10, 28, 8))
    committee = meeting_services.create_meeting(
        cell=cell, kind="committee", starts_at=at(2026, 10, 28, 8), by=None
    )
    meeting_services.start_meeting(meeting=committee, by=None)

    # November: notified 01/11 (late), documents 02/11, held 03/11 for 80 minutes
    # with V as the superior delegate; X suspended, M5 and M6 excused; S, D, M1, P
    # and A spoke. October's tasks 1-4 reviewed, task 5 left unreviewed.
    _document(p.nov)
    clock(at(2026, 11, 1, 9))
    meeting_services.mark_notified(meeting=p.nov, by=None)
    clock(at(2026, 11, 2, 9))
    meeting_services.mark_documents_sent(meeting=p.nov, by=None)
    minutes = _hold(
        p.nov,
        overrides={
            p.S: spoke,
            p.D: spoke,
            m1: spoke,
            p.P: spoke,
            p.A: spoke,
            m5: {"status": "absent_excused", "reason": "Đi công tác"},
            m6: {"status": "absent_excused", "reason": "Ốm"},
        },
        chair=p.S,
        taker=m2,
        minutes_long=80,
        clock=clock,
    )
    meeting_services.add_guest(
        meeting=p.nov,
        name=p.V.full_name,
        role="superior",
        title="Đảng ủy viên phường",
    )
    t1, t2, t3, t4, _t5, _t6 = p.tasks
    services.review_tasks(
        meeting=p.nov,
        outcomes={
            t1.pk: ("exceeded", ""),
            t2.pk: ("done_on_time", ""),
            t3.pk: ("done_on_time", ""),
            t4.pk: ("done_late", ""),
        },
    )
    services.assign_task(
        meeting=p.nov,
        text="Chuẩn bị tổng kết",
        deadline=date(2026, 11, 30),
        assignees=[m2],
    )
    _close(
        p.nov, minutes, chair=p.S, taker=m2, lock_at=at(2026, 11, 8, 10), clock=clock
    )
    p.nov_score = services.score_meeting(
        meeting=p.nov, role="self", manual=FULL_MANUAL_POINTS
    )
    sheet = selectors.monthly_sheet(p.nov)
    services.confirm_monthly_ratings(
        meeting=p.nov,
        levels={row["member"].pk: (row["proposed"], "") for row in sheet["sheet"]},
    )
    clock(at(2026, 11, 12, 10))
    p.nov_report = services.file_report(
        meeting=p.nov, supervisor=p.V, attended=True, observations="Chậm báo cáo"
    )
    clock(at(2026, 11, 20, 10))
    rollup.rebuild(years=[2026])
    return p


# --- the meeting score (§6) -----------------------------------------------------------

# ◆ item: October | November (hand computation)
#   duration 5 (95 min ≥ 90) | 4 (80 min: 10 short of 90)
#   attendance_rate 1 (8/10 = 80%, but an unexcused absence) | 3 (7/9 = 77.8%)
#   absence_streak 1 | 1 (nobody absent more than 3 times in a row)
#   committee_meeting 0 (10 official: a committee; none met) | 2 (met on 28/10)
#   notified 1 (30/09 ≤ 03/10 - 3) | 0 (01/11 > 31/10)
#   documents_in_time 2 | 2 (sent the day before or earlier)
#   speaking_share 4 (4 of 9 attendees = 44%) | 5 (5 of 8 = 62.5%)
#   minutes_complete 1 | 1;  documents_posted 1 | 1
#   task_results 30 (no task due) | 27 (4 done of the 5 due by 03/11; the one
#       due 31/12 is not counted: 4/5 = 80%)
#   adopted_tasks_assigned 2 | 2;  locked_in_time 1 (locked the next day) | 0
# ◆ total 49 | 48; manual items 40; no thematic content: out of 95.
SCORES = {
    "oct": {"total": "89.00", "maximum": "95.00", "percent": "93.68", "band": "good"},
    "nov": {"total": "88.00", "maximum": "95.00", "percent": "92.63", "band": "good"},
}
AUTO = {
    "oct": {
        "duration": 5,
        "attendance_rate": 1,
        "absence_streak": 1,
        "committee_meeting": 0,
        "notified": 1,
        "documents_in_time": 2,
        "speaking_share": 4,
        "minutes_complete": 1,
        "documents_posted": 1,
        "task_results": 30,
        "adopted_tasks_assigned": 2,
        "locked_in_time": 1,
    },
    "nov": {
        "duration": 4,
        "attendance_rate": 3,
        "absence_streak": 1,
        "committee_meeting": 2,
        "notified": 0,
        "documents_in_time": 2,
        "speaking_share": 5,
        "minutes_complete": 1,
        "documents_posted": 1,
        "task_results": 27,
        "adopted_tasks_assigned": 2,
        "locked_in_time": 0,
    },
}


def test_golden_meeting_scores(golden):
    for key, score in (("oct", golden.oct_score), ("nov", golden.nov_score)):
        stored = QualityScore.objects.get(pk=score.pk)
        assert {
            "total": str(stored.total),
            "maximum": str(stored.maximum),
            "percent": str(stored.percent),
            "band": stored.band,
        } == SCORES[key], key
        auto = {k: Decimal(stored.points[k]) for k in AUTO[key]}
        assert auto == AUTO[key], key
    facts = golden.nov_score.facts["facts"]
    assert (facts["present"], facts["required"], facts["unexcused"]) == (7, 9, 0)
    assert (facts["spoke"], facts["attendees"]) == (5, 8)
    assert (facts["tasks_done"], facts["tasks_total"]) == (4, 5)


def test_golden_quality_page_shows_both_scores(golden, client):
    client.force_login(golden.secretary_user)
    page = client.get(reverse("evaluations:quality", args=[golden.nov.pk]))
    assert "88/95 → 92,63/100" in page.content.decode()


# --- the roll call and the minutes (§3.3) ---------------------------------------------


def test_golden_minutes_list_the_suspended_member_apart(golden, client):
    stats = golden.nov.minutes.attendance_summary
    assert (stats["total"], stats["required"], stats["present"]) == (11, 9, 7)
    assert (stats["attached_in"], stats["attendees"], stats["spoke"]) == (1, 8, 5)
    assert stats["rate"] == "7/9"
    oct_stats = golden.oct.minutes.attendance_summary
    assert (oct_stats["required"], oct_stats["present"]) == (10, 8)  # X before 15/10
    client.force_login(golden.secretary_user)
    page = client.get(golden.nov.get_absolute_url()).content.decode()
    assert (
        "Đình chỉ sinh hoạt (không tính vào số phải dự, không biểu quyết) (1)" in page
    )
    assert "Hoàng Văn Xuân" in page


# --- monthly ratings [local] ----------------------------------------------------------

# October (no task reviewed): present -> good; M5 excused -> completed; M6 absent
# without reason -> not completed; E exempted and A attached in are not rated.
# November: S spoke, task exceeded -> excellent; D task done late -> completed;
# M5, M6 excused -> completed; X suspended, E, A not rated; others good.
RATINGS = {
    date(2026, 10, 1): {
        "Lê Văn Sơn": "good",
        "Trần Văn Dũng": "good",
        "Ngô Thị Mai": "good",
        "Phạm Văn Minh 2": "good",
        "Phạm Văn Minh 3": "good",
        "Phạm Văn Minh 4": "good",
        "Phạm Văn Minh 5": "completed",
        "Phạm Văn Minh 6": "not_completed",
        "Hoàng Văn Xuân": "good",
        "Vũ Thị Phương": "good",
    },
    date(2026, 11, 1): {
        "Lê Văn Sơn": "excellent",
        "Trần Văn Dũng": "completed",
        "Ngô Thị Mai": "good",
        "Phạm Văn Minh 2": "good",
        "Phạm Văn Minh 3": "good",
        "Phạm Văn Minh 4": "good",
        "Phạm Văn Minh 5": "completed",
        "Phạm Văn Minh 6": "completed",
        "Vũ Thị Phương": "good",
    },
}


def test_golden_monthly_ratings(golden):
    for month, expected in RATINGS.items():
        saved = {
            r.member.full_name: r.level
            for r in MonthlyRating.objects.filter(
                cell=golden.cell, month=month
            ).select_related("member")
        }
        assert saved == expected, month


# --- supervisors' reports (§7) --------------------------------------------------------


def test_golden_report_status(golden):
    assert golden.oct_report.due_on == date(2026, 10, 10)
    assert golden.nov_report.due_on == date(2026, 11, 10)  # not 10/12
    statuses = {}
    for month in (10, 11):
        overview = selectors.reports_overview(golden.ward, year=2026, month=month)
        statuses[month] = [(row["due_on"], row["status"]) for row in overview["rows"]]
    assert statuses == {
        10: [(date(2026, 10, 10), "on_time")],
        11: [(date(2026, 11, 10), "late")],
    }


# --- the rollup (§8) ------------------------------------------------------------------

# Cell V, October | November (roster on 31/10 and on 20/11, "today"):
#   members 11, official 10 (A attached in is the home cell's) | same
#   required 10 (X not suspended yet), present 8, unexcused 1 | 9, 7, 0
#   attendees 9 (A included), spoke 4 | 8, 5
#   young (D, M1, P) 3 attendees, 1 spoke (D) | 3, 3
#   new (M1, P) 2, 0 | 2, 2;  no office 7 (M1-M4, X, P, A), 2 (M2, A) | 6, 3
#   supervised 0 | 1;  duration ok 1 | 0 (80 min)
#   minutes locked on time 1, submitted on time 1 | 0, 0, late 1
#   reports on time 1 | filed late 1;  band good 1 | 1
#   tasks due in the month: 4 (20, 25, 30, 31/10), all done | 1 (02/11, not
#   reviewed: not done); the one due 30/11 is not due yet.
#   committee meeting: expected 1 (10 official: a committee), held 0 (none in the
#   31 days before the meeting of October) | 1, 1 (28/10 prepared 03/11)
ROLLUP = {
    date(2026, 10, 1): {
        "members": 11,
        "official_members": 10,
        "regular_held": 1,
        "regular_on_plan": 1,
        "meetings_held": 1,
        "supervised": 0,
        "duration_recorded": 1,
        "duration_ok": 1,
        "thematic_held": 0,
        "att_required": 10,
        "att_present": 8,
        "att_unexcused": 1,
        "att_attendees": 9,
        "att_spoke": 4,
        "sp_young_attendees": 3,
        "sp_young_spoke": 1,
        "sp_new_attendees": 2,
        "sp_new_spoke": 0,
        "sp_no_office_attendees": 7,
        "sp_no_office_spoke": 2,
        "absent_streak": 0,
        "minutes_due": 1,
        "minutes_locked_on_time": 1,
        "minutes_submitted_on_time": 1,
        "minutes_late": 0,
        "scored": 1,
        "band_good": 1,
        "reports": 1,
        "reports_on_time": 1,
        "reports_filed_late": 0,
        "reports_pending": 0,
        "tasks_total": 4,
        "tasks_done": 4,
        "committee_expected": 1,
        "committee_held": 0,
    },
    date(2026, 11, 1): {
        "members": 11,
        "official_members": 10,
        "regular_held": 1,
        "regular_on_plan": 1,
        "meetings_held": 1,
        "supervised": 1,
        "duration_recorded": 1,
        "duration_ok": 0,
        "thematic_held": 0,
        "att_required": 9,
        "att_present": 7,
        "att_unexcused": 0,
        "att_attendees": 8,
        "att_spoke": 5,
        "sp_young_attendees": 3,
        "sp_young_spoke": 3,
        "sp_new_attendees": 2,
        "sp_new_spoke": 2,
        "sp_no_office_attendees": 6,
        "sp_no_office_spoke": 3,
        "absent_streak": 0,
        "minutes_due": 1,
        "minutes_locked_on_time": 0,
        "minutes_submitted_on_time": 0,
        "minutes_late": 1,
        "scored": 1,
        "band_good": 1,
        "reports": 1,
        "reports_on_time": 0,
        "reports_filed_late": 1,
        "reports_pending": 0,
        "tasks_total": 1,
        "tasks_done": 0,
        "committee_expected": 1,
        "committee_held": 1,
    },
}


def test_golden_rollup(golden):
    rows = {
        row["month"]: row
        for row in CellMonth.objects.filter(
            cell=golden.cell, month__in=list(ROLLUP)
        ).values()
    }
    for month, expected in ROLLUP.items():
        assert {key: rows[month][key] for key in expected} == expected, month
    other = CellMonth.objects.get(cell=golden.other, month=date(2026, 11, 1))
    assert (other.members, other.official_members, other.regular_held) == (4, 4, 0)
    assert (other.committee_expected, other.committee_held) == (0, 0)


def test_golden_rebuild_check_reports_no_difference(golden, capsys):
    call_command("rebuild_rollups", "--year", "2026", "--check")
    assert capsys.readouterr().out.startswith("differences: 0 ")


# --- the ward dashboard, quarter 4 of 2026 seen on 20/11/2026 -------------------------

# Cells 2 (V, B); members 11 + 4 = 15 from the rolls (B holds no meeting).
# Regular held / due: V held October and November, B none; due = ended months
# (October) per cell + November for V, which held it: 2 / 3; B flagged.
# Attendance 15 / 19 = 78.9 % (V flagged: not above 85 %); unexcused 1;
# spoke 9 / 17 = 52.9 %; young 4/6 = 66.7 %, new 2/4 = 50.0 %, no office 5/13 =
# 38.5 %; superior member attended 1 / 2 meetings; long enough 1 / 2; minutes
# locked on time 1 / 2; reports on time 1 / 2 (1 late); tasks done 4 / 5 = 80.0 %.
# Committee meeting not held: V in October (ended; a committee, none before the
# meeting of 03/10); November has not ended; B has no committee (4 official).
HEADLINES = {
    "cells": "2",
    "members": "15",
    "regular": "2 / 3",
    "on_plan": "2 / 2",
    "thematic": "Q4: 0/2",
    "attendance": "78,9 %",
    "unexcused": "1",
    "speaking": "52,9 %",
    "speaking_groups": "trẻ 66,7 % · mới kết nạp 50,0 % · không giữ chức vụ 38,5 %",
    "supervised": "1 / 2",
    "duration": "1 / 2",
    "minutes": "1 / 2",
    "reports": "1 / 2",
    "tasks": "80,0 %",
}
DETAILS = {
    "attendance": "15 / 19",
    "speaking": "9 / 17",
    "supervised": "50,0 %",
    "tasks": "4 / 5",
}
FLAGS = {
    "missed_regular": 1,
    "committee_missed": 1,
    "low_attendance": 1,
    "unexcused": 1,
    "minutes_late": 1,
}


def test_golden_ward_dashboard(golden, client):
    from django.utils import translation

    board = queries.build(golden.ward, Period("quarter", 2026, 4))
    with translation.override("vi"):
        shown = {h["key"]: h for h in presenters.headlines(board)}
        values = {key: str(shown[key]["value"]) for key in HEADLINES}
        details = {key: str(shown[key]["detail"]) for key in DETAILS}
    assert values == HEADLINES
    assert details == DETAILS
    assert {k: n for k, n in board.total.flags.items() if n} == FLAGS | {
        "report_late": 1
    }
    client.force_login(golden.committee_user)
    page = client.get(
        reverse("evaluations:dashboard", args=[golden.ward.pk]), {"period": "2026-Q4"}
    ).content.decode()
    assert "Cách tính chỉ tiêu này" in page
    assert "trẻ 66,7 % · mới kết nạp 50,0 % · không giữ chức vụ 38,5 %" in page
    assert "DOMAIN" not in page


def test_golden_cell_page_counts(golden, client):
    client.force_login(golden.secretary_user)
    page = client.get(golden.cell.get_absolute_url()).content.decode()
    counts = [
        ("11", "Đảng viên"),
        ("10", "Chính thức"),
        ("1", "Dự bị"),
        ("1", "Miễn sinh hoạt"),
        ("1", "Đình chỉ sinh hoạt"),
    ]
    for value, label in counts:
        assert (
            f'<span class="stat-value">{value}</span><span class="stat-label">{label}'
            in page
        ), label


# --- the second scenario: "previous working day" --------------------------------------


@pytest.fixture
def shifted(clock):
    """Cell "Lùi" (4 official members) plans with the previous working day rule:
    December 2026's meeting stays on Thursday 03/12; January 2027's falls on
    Sunday 03/01, the 1st is New Year's Day and the 2nd a Saturday, so it is planned
    on Thursday 31/12/2026 — in December, but for January."""
    clock(at(2026, 11, 1, 9))
    ward = _ward("Lùi")
    cell = OrganizationFactory(name="Chi bộ Lùi", parent=ward)
    RuleSetting.objects.create(
        organization=cell,
        key="meeting_shift",
        value="previous_working_day",
        valid_from=date(2020, 1, 1),
    )
    people = [_member(cell, f"Đảng viên Lùi {n}") for n in range(4)]
    supervisor = _member(  # from a cell of another ward: ward "Lùi" has one cell
        OrganizationFactory(name="Chi bộ Giám sát", parent=_ward("Giám Sát")),
        "Giám Sát Lùi",
    )
    SupervisionFactory(supervisor=supervisor, cell=cell)
    for year in (2026, 2027):
        meeting_services.generate_year_plan(cell=cell, year=year, by=None)
    dec = Meeting.objects.get(cell=cell, plan_slot="2026-M12")
    jan = Meeting.objects.get(cell=cell, plan_slot="2027-M01")
    reports = []
    for meeting in (dec, jan):
        minutes = _hold(
            meeting,
            overrides={},
            chair=people[0],
            taker=people[1],
            minutes_long=90,
            clock=clock,
        )
        _close(
            meeting,
            minutes,
            chair=people[0],
            taker=people[1],
            lock_at=meeting.starts_at + timedelta(hours=26),
            clock=clock,
        )
        sheet = selectors.monthly_sheet(meeting)
        services.confirm_monthly_ratings(
            meeting=meeting,
            levels={row["member"].pk: (row["proposed"], "") for row in sheet["sheet"]},
        )
        reports.append(
            services.file_report(
                meeting=meeting, supervisor=supervisor, attended=True, observations="x"
            )
        )
    clock(at(2027, 1, 20, 10))
    rollup.rebuild(years=[2026, 2027])
    return SimpleNamespace(ward=ward, cell=cell, dec=dec, jan=jan, reports=reports)


# Planned dates, report due dates (first 10th after the meeting), rating months and
# rollup months, by hand:
#   December: 03/12/2026, due 10/12/2026, rated 12/2026, counted in 12/2026;
#   January: 31/12/2026, due 10/01/2027, rated 01/2027, counted in 01/2027.
SHIFTED = {
    "planned": [date(2026, 12, 3), date(2026, 12, 31)],
    "due": [date(2026, 12, 10), date(2027, 1, 10)],
    "rated": [date(2026, 12, 1), date(2027, 1, 1)],
    "held": {date(2026, 11, 1): 0, date(2026, 12, 1): 1, date(2027, 1, 1): 1},
}


def test_golden_shifted_meetings_count_for_their_plan_slot(shifted, client):
    assert [shifted.dec.planned_date, shifted.jan.planned_date] == SHIFTED["planned"]
    assert [r.due_on for r in shifted.reports] == SHIFTED["due"]
    assert (
        sorted(
            set(
                MonthlyRating.objects.filter(cell=shifted.cell).values_list(
                    "month", flat=True
                )
            )
        )
        == SHIFTED["rated"]
    )
    held = {
        row.month: (row.regular_held, row.meetings_held)
        for row in CellMonth.objects.filter(
            cell=shifted.cell, month__in=SHIFTED["held"]
        )
    }
    assert held == {month: (n, n) for month, n in SHIFTED["held"].items()}
    january = queries.build(shifted.ward, Period("month", 2027, 1))
    december = queries.build(shifted.ward, Period("month", 2026, 12))
    assert (january.total.sums["regular_held"], january.total.regular_due) == (1, 1)
    assert (december.total.sums["regular_held"], december.total.regular_due) == (1, 1)
    assert december.total.flags["missed_regular"] == 0
    overview = selectors.reports_overview(shifted.ward, year=2027, month=1)
    assert [row["meeting"].pk for row in overview["rows"]] == [shifted.jan.pk]
    call_command("rebuild_rollups", "--year", "2026", "--year", "2027", "--check")
